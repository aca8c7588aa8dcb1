package dev.oasisj.node;

import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The highest (height, round, step) a validator has released a signature for, kept durably in its data folder, as
 * CometBFT's {@code priv_validator_state.json}: the {@link SignGuard} writes it before a signed consensus message
 * leaves the node, and refuses to release a signature at or below it (except the very same signature again).
 *
 * <p>It also records how many inputs the journal held when that signature was released ({@link #journalRecords}):
 * a journal that replays fewer records than that lost records (deleted or truncated), and a node that starts from it
 * would run from an older state than the one it signed in ({@code oasis node} refuses to start then). With
 * checkpoints ({@link NodeStore}) the count is of inputs since genesis: those a checkpoint covers (it records their
 * number) plus those of the journal segments replayed after it, so a restart from a checkpoint is not a loss.
 *
 * <p>The file ({@value #FILE_NAME}) is UTF-8 text, one field a line, in this order, ending with a SHA-256 checksum of
 * every byte before the checksum line:
 * <pre>
 * oasisj-sign-state 1
 * validator 3b6a27bc...        (the validator's public key, hex)
 * height 12
 * round 0
 * step 3                       (1 proposal, 2 prevote, 3 precommit)
 * signature 9f1c...            (the signature released at that (height, round, step), hex)
 * journalRecords 5321
 * checksum 4e07...             (SHA-256 of the lines above, hex)
 * </pre>
 * Writes are atomic: the new content goes to {@value #TEMP_NAME}, which is fsynced, renamed over the file
 * ({@code ATOMIC_MOVE}), and the folder is fsynced; a crash at any point leaves either the old file or the new one,
 * never a mix (a left-over temporary file is ignored and overwritten). A file that is there but does not parse or
 * fails its checksum is refused ({@link CorruptException}): the node must not guess what it signed.
 */
public record SignState(PublicKey validator, long height, int round, int step, byte[] signature, long journalRecords)
        implements Comparable<SignState> {

    public static final String FILE_NAME = "sign-state";
    public static final String TEMP_NAME = "sign-state.tmp";
    static final String MAGIC = "oasisj-sign-state 1";
    public static final int STEP_PROPOSAL = 1;
    public static final int STEP_PREVOTE = 2;
    public static final int STEP_PRECOMMIT = 3;
    /** Larger files are refused before being read (a valid one is about 400 bytes). */
    static final int MAX_FILE_BYTES = 4096;

    /** The sign-state file exists but cannot be trusted. */
    public static final class CorruptException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CorruptException(Path file, String reason) {
            super("sign-state file " + file + " is corrupt (" + reason + "). It records the last (height, round, step) "
                    + "this validator signed, so that it never signs twice; the node will not start without it. "
                    + "Restore it from a backup, or replace it only if you know what this validator last signed");
        }
    }

    public SignState {
        if (height < 1 || round < 0 || step < STEP_PROPOSAL || step > STEP_PRECOMMIT || journalRecords < 0) {
            throw new IllegalArgumentException("bad sign state: height " + height + ", round " + round + ", step "
                    + step + ", journalRecords " + journalRecords);
        }
        signature = signature.clone();
    }

    /** The step number of a message kind: 1 proposal, 2 prevote, 3 precommit (CometBFT's order). */
    public static int stepOf(ConsensusMessage m) {
        return switch (m.kind()) {
            case PROPOSAL -> STEP_PROPOSAL;
            case PREVOTE -> STEP_PREVOTE;
            case PRECOMMIT -> STEP_PRECOMMIT;
        };
    }

    public static String stepName(int step) {
        return switch (step) {
            case STEP_PROPOSAL -> "proposal";
            case STEP_PREVOTE -> "prevote";
            case STEP_PRECOMMIT -> "precommit";
            default -> "step " + step;
        };
    }

    /** Compares (height, round, step) only. */
    public static int compare(long h1, int r1, int s1, long h2, int r2, int s2) {
        int c = Long.compare(h1, h2);
        if (c == 0) {
            c = Integer.compare(r1, r2);
        }
        return c != 0 ? c : Integer.compare(s1, s2);
    }

    /** Orders by (height, round, step). */
    @Override
    public int compareTo(SignState o) {
        return compare(height, round, step, o.height, o.round, o.step);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The same state with another journal record count. */
    public SignState withJournalRecords(long records) {
        return new SignState(validator, height, round, step, signature, records);
    }

    /** "(12, 0, precommit)". */
    public String hrs() {
        return "(" + height + ", " + round + ", " + stepName(step) + ")";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SignState s && s.validator.equals(validator) && s.height == height && s.round == round
                && s.step == step && Arrays.equals(s.signature, signature) && s.journalRecords == journalRecords;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(height) * 31 + round * 7 + step;
    }

    @Override
    public String toString() {
        return "SignState[" + validator.shortId() + " " + hrs() + ", journalRecords=" + journalRecords + "]";
    }

    // ------------------------------------------------------------------------------------------ the file

    /** The encoding described in the class comment. */
    byte[] encode() {
        String body = MAGIC + "\n"
                + "validator " + validator.toHex() + "\n"
                + "height " + height + "\n"
                + "round " + round + "\n"
                + "step " + step + "\n"
                + "signature " + HexFormat.of().formatHex(signature) + "\n"
                + "journalRecords " + journalRecords + "\n";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String all = body + "checksum " + Hash32.sha256(b).toHex() + "\n";
        return all.getBytes(StandardCharsets.UTF_8);
    }

    /** Parses {@code bytes} read from {@code file}; any deviation from the format is a {@link CorruptException}. */
    static SignState decode(Path file, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.endsWith("\n")) {
            throw new CorruptException(file, "truncated: it does not end with a newline");
        }
        List<String> lines = List.of(text.substring(0, text.length() - 1).split("\n", -1));
        if (lines.size() != 8) {
            throw new CorruptException(file, "expected 8 lines, found " + lines.size());
        }
        if (!lines.get(0).equals(MAGIC)) {
            throw new CorruptException(file, "first line is not \"" + MAGIC + "\"");
        }
        String expected = field(file, lines, 7, "checksum");
        String body = text.substring(0, text.lastIndexOf("\nchecksum ") + 1);
        String actual = Hash32.sha256(body.getBytes(StandardCharsets.UTF_8)).toHex();
        if (!actual.equals(expected)) {
            throw new CorruptException(file, "checksum mismatch: the content was altered or torn");
        }
        try {
            PublicKey validator = PublicKey.of(HexFormat.of().parseHex(field(file, lines, 1, "validator")));
            long height = Long.parseLong(field(file, lines, 2, "height"));
            int round = Integer.parseInt(field(file, lines, 3, "round"));
            int step = Integer.parseInt(field(file, lines, 4, "step"));
            byte[] signature = HexFormat.of().parseHex(field(file, lines, 5, "signature"));
            long records = Long.parseLong(field(file, lines, 6, "journalRecords"));
            return new SignState(validator, height, round, step, signature, records);
        } catch (IllegalArgumentException e) {
            throw new CorruptException(file, String.valueOf(e.getMessage()));
        }
    }

    private static String field(Path file, List<String> lines, int index, String name) {
        String line = lines.get(index);
        if (!line.startsWith(name + " ")) {
            throw new CorruptException(file, "line " + (index + 1) + " is not \"" + name + " ...\"");
        }
        return line.substring(name.length() + 1);
    }

    /**
     * Reads {@code dataDir/}{@value #FILE_NAME}: empty when there is none (a validator that never signed, or whose
     * data folder is new); a {@link CorruptException} when it is there but not valid. A left-over temporary file (a
     * crash during {@link #write}) is ignored.
     */
    public static java.util.Optional<SignState> read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > MAX_FILE_BYTES) {
                throw new CorruptException(file, size + " bytes, more than " + MAX_FILE_BYTES);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read it all
            }
            bytes = Arrays.copyOf(buf.array(), buf.position());
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new JournalException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return java.util.Optional.of(decode(file, bytes));
    }

    /**
     * Writes this state to {@code dataDir/}{@value #FILE_NAME} atomically and durably: temporary file, fsync, atomic
     * rename, fsync of the folder. When it returns, the state survives a crash of the process and of the machine.
     *
     * @throws JournalException if any step fails (the caller must then not release the signature)
     */
    public void write(Path dataDir) {
        Path temp = dataDir.resolve(TEMP_NAME);
        Path file = dataDir.resolve(FILE_NAME);
        try {
            DurableFiles.writeAtomically(file, temp, encode());
        } catch (AtomicMoveNotSupportedException e) {
            throw new JournalException("the file system of " + dataDir + " cannot rename atomically; the sign "
                    + "state needs it", e);
        } catch (IOException e) {
            throw new JournalException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
