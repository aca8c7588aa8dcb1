package dev.oasisj.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.ledger.LedgerLimits;
import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeInputCodec;
import dev.oasisj.core.node.NodeLimits;
import dev.oasisj.node.ChronicleJournal;
import dev.oasisj.node.ShellLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The node's journal on disk ({@link ChronicleJournal}) with the encoded inputs it holds ({@link NodeInputCodec}), at
 * their real size limits (issue point 1: the journal never holds what it cannot replay). Each input runs against a
 * fresh journal in a temporary folder.
 *
 * <ul>
 *   <li>{@link #record}: the fuzzer's bytes as one record, between two small records. A record up to
 *       {@link ShellLimits#MAX_JOURNAL_RECORD_BYTES} is appended and replays byte for byte; a longer one is refused
 *       with {@link IllegalArgumentException} and leaves the journal as it was; either way the journal goes on.
 *       Jazzer 0.30's {@code @FuzzTest} has no length option and libFuzzer's default is 4 KiB unless the corpus
 *       holds longer inputs: the committed inputs include records of exactly the limit and one byte more (zeros, so
 *       git stores them in a few KiB), and {@code fuzz.sh} passes {@code -max_len} for this target.</li>
 *   <li>{@link #inputAtItsLimit}: an input of each kind whose size the fuzzer picks around its limit (the bytes are
 *       the fuzzer's, repeated, so a short fuzz input can make a 4 MiB one): {@code fitsBounds} holds exactly up to
 *       the limit; an input within bounds encodes to at most {@link NodeLimits#MAX_JOURNAL_ENTRY_BYTES}, is journaled,
 *       replays, and decodes to the same encoding.</li>
 * </ul>
 */
class JournalFuzzTest {
    private static final byte[] BEFORE = {1, 2, 3};
    private static final byte[] AFTER = {4, 5};

    private static Path freshFolder() {
        try {
            return Files.createTempDirectory("journal-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<byte[]> replay(Path folder) {
        List<byte[]> out = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(folder)) {
            journal.replay(out::add);
        }
        return out;
    }

    @FuzzTest
    void record(byte[] record) {
        Path folder = freshFolder();
        try {
            boolean fits = record.length <= ShellLimits.MAX_JOURNAL_RECORD_BYTES;
            try (ChronicleJournal journal = ChronicleJournal.open(folder)) {
                journal.append(BEFORE);
                if (fits) {
                    journal.append(record);
                } else {
                    assertThrows(IllegalArgumentException.class, () -> journal.append(record));
                }
                journal.append(AFTER);
            }
            List<byte[]> replayed = replay(folder);
            assertEquals(fits ? 3 : 2, replayed.size(), "records replayed");
            assertArrayEquals(BEFORE, replayed.get(0));
            if (fits) {
                assertArrayEquals(record, replayed.get(1), "the record replays byte for byte");
            }
            assertArrayEquals(AFTER, replayed.get(replayed.size() - 1));
        } finally {
            delete(folder);
        }
    }

    /** {@code size} bytes: the fuzzer's {@code pattern} repeated (zeros if it is empty). */
    private static byte[] filled(int size, byte[] pattern) {
        byte[] b = new byte[size];
        if (pattern.length > 0) {
            for (int i = 0; i < size; i++) {
                b[i] = pattern[i % pattern.length];
            }
        }
        return b;
    }

    private static SignatureVerdict verdict(FuzzedDataProvider data) {
        return data.pickValue(SignatureVerdict.values());
    }

    @FuzzTest
    void inputAtItsLimit(FuzzedDataProvider data) {
        int kind = data.consumeInt(0, 2);
        // mostly at the limit or within a few bytes of it either way, sometimes anywhere below
        int offset = data.consumeBoolean() ? data.consumeInt(-3, 3) : -data.consumeInt(0, 1 << 22);
        NodeInput input;
        int limit;
        switch (kind) {
            case 0 -> {
                limit = NodeLimits.MAX_PEER_MESSAGE_BYTES;
                int size = Math.max(0, limit + offset);
                int peer = data.consumeInt(-1, LedgerLimits.MAX_VALIDATORS - 1);
                SignatureVerdict v = verdict(data);
                input = new NodeInput.PeerMessage(peer, filled(size, data.consumeRemainingAsBytes()), v);
            }
            case 1 -> {
                limit = NodeLimits.MAX_CLIENT_INPUT_BYTES;
                int size = Math.max(0, limit + Math.max(offset, -limit));
                SignatureVerdict v = verdict(data);
                input = new NodeInput.ClientTransaction(filled(size, data.consumeRemainingAsBytes()), v);
            }
            default -> {
                limit = Integer.MAX_VALUE; // a tick has a fixed size; only a negative tick is out of bounds
                input = new NodeInput.Tick(data.consumeLong());
            }
        }
        boolean fits = NodeInputCodec.fitsBounds(input);
        if (input instanceof NodeInput.Tick t) {
            assertEquals(t.tick() >= 0, fits, "tick bounds");
        } else {
            int size = input instanceof NodeInput.PeerMessage p ? p.bytes().length
                    : ((NodeInput.ClientTransaction) input).bytes().length;
            boolean peerOk = !(input instanceof NodeInput.PeerMessage p) || p.peer() >= -1;
            assertEquals(size <= limit && peerOk, fits, NodeInputCodec.describe(input));
        }
        if (!fits) {
            assertThrows(IllegalArgumentException.class, () -> NodeInputCodec.encode(input));
            return;
        }
        byte[] encoded = NodeInputCodec.encode(input);
        assertTrue(encoded.length <= NodeLimits.MAX_JOURNAL_ENTRY_BYTES, "encoded above the journal entry limit");
        assertTrue(encoded.length <= ShellLimits.MAX_JOURNAL_RECORD_BYTES, "encoded above the journal record limit");
        Path folder = freshFolder();
        try {
            try (ChronicleJournal journal = ChronicleJournal.open(folder)) {
                journal.append(encoded);
            }
            List<byte[]> replayed = replay(folder);
            assertEquals(1, replayed.size());
            assertArrayEquals(encoded, replayed.get(0), "journaled input replays byte for byte");
            assertArrayEquals(encoded, NodeInputCodec.encode(NodeInputCodec.decode(replayed.get(0))),
                    "replayed input decodes to the same input");
        } catch (DecodeException e) {
            throw new AssertionError("a journaled input does not decode: " + e.getMessage(), e);
        } finally {
            delete(folder);
        }
    }
}
