package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.PeerWire;
import dev.oasisj.node.ChronicleJournal;
import dev.oasisj.node.CoreInputCodec;
import dev.oasisj.node.PeerAddress;
import dev.oasisj.node.SignState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue point 6, with real OS processes: validator 3 of four {@code oasis node} JVMs is killed, its journal deleted (its
 * sign-state file stays). Started again it must refuse to start (exit non-zero, naming the flag); started with
 * {@code --accept-lost-journal} it must replay nothing, catch up from its peers by block sync to the survivors' chain,
 * sign again above its saved (height, round, step), and never have sent two different signatures for one (height,
 * round, step): the survivors' journals (every message they received) are checked for that at the end.
 */
class NodeJournalLossTest {
    private static final Pattern BLOCK = Pattern.compile("^block height=(\\d+) .* hash=([0-9a-f]{64})$");
    private static final int N = 4;
    private static final int VICTIM = 3;
    private static final long SEED = 43;

    @TempDir
    Path dir;

    private static final class NodeProc {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Map<Long, String> hashes = new ConcurrentHashMap<>();

        NodeProc(Process process) {
            this.process = process;
            Thread t = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                        Matcher m = BLOCK.matcher(line);
                        if (m.matches()) {
                            hashes.put(Long.parseLong(m.group(1)), m.group(2));
                        }
                    }
                } catch (IOException e) {
                    // the process died; what was read stays
                }
            }, "node-output");
            t.setDaemon(true);
            t.start();
        }

        long height() {
            return hashes.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        }

        String transcript() {
            return String.join("\n", lines);
        }
    }

    private NodeProc start(Path cfg, String... extra) throws IOException {
        List<String> command = new ArrayList<>(NodeDirs.nodeCommand(cfg, "256m"));
        command.addAll(List.of(extra));
        return new NodeProc(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private static void await(String what, long seconds, BooleanSupplier done, Runnable meanwhile, List<NodeProc> nodes)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder("timed out waiting for " + what);
                for (int i = 0; i < nodes.size(); i++) {
                    List<String> l = nodes.get(i).lines;
                    sb.append("\n--- node ").append(i).append(" (last lines) ---\n")
                            .append(String.join("\n", l.subList(Math.max(0, l.size() - 8), l.size())));
                }
                fail(sb.toString());
            }
            meanwhile.run();
            Thread.sleep(20);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aValidatorWhoseJournalVanished_refusesToStart_andWithTheFlagCatchesUpWithoutSigningTwice() throws Exception {
        int accounts = 8;
        Genesis genesis = LocalnetSetup.genesis(N, accounts, SEED, Genesis.ConsensusParams.DEFAULT);
        Files.writeString(dir.resolve("genesis.json"), genesis.toJson());
        List<PeerAddress> peers = NodeDirs.freeLoopbackAddresses(N);
        List<PeerAddress> clients = NodeDirs.freeLoopbackAddresses(N);
        List<Path> configs = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            configs.add(NodeDirs.writeNode(dir, i, SEED, peers, clients.get(i)));
        }
        PublicKey victimKey = LocalnetSetup.validatorKey(VICTIM, SEED).publicKey();
        Path victimDir = dir.resolve("node-" + VICTIM);

        List<Signer> keys = new ArrayList<>();
        for (int j = 0; j < accounts; j++) {
            keys.add(LocalnetSetup.accountKey(j, SEED));
        }
        long[] nonces = new long[accounts];
        int[] next = {0};
        Runnable submitOne = () -> {
            int j = next[0]++ % accounts;
            Transaction tx = Transaction.sign(keys.get(j), LocalnetSetup.CHAIN_ID,
                    keys.get((j + 1) % accounts).publicKey(), 1_000 + j, 1, nonces[j]);
            try {
                String answer = ClientConnection.request(clients.get(j % VICTIM),
                        "submit " + HexFormat.of().formatHex(TransactionCodec.encode(tx)));
                if (answer.contains("\"accepted\":true")) {
                    nonces[j]++;
                }
            } catch (IOException e) {
                // not listening yet
            }
        };
        List<NodeProc> nodes = new ArrayList<>();
        SignState[] atKill = new SignState[1];
        try {
            for (int i = 0; i < N; i++) {
                nodes.add(start(configs.get(i)));
            }
            NodeProc victim = nodes.get(VICTIM);
            await("validator 3 to commit 4 blocks", 90, () -> victim.height() >= 4, submitOne, nodes);
            victim.process.destroyForcibly();
            assertTrue(victim.process.waitFor(20, TimeUnit.SECONDS), "the killed node did not die");
            SignState saved = SignState.read(victimDir).orElseThrow(() -> new AssertionError(
                    "no sign-state file after signing:\n" + victim.transcript()));
            assertTrue(saved.journalRecords() > 0, saved.toString());
            atKill[0] = saved;
            deleteTree(victimDir.resolve("journal"));

            // Without the flag: refused, with a message naming the flag.
            NodeProc refused = start(configs.get(VICTIM));
            nodes.set(VICTIM, refused);
            assertTrue(refused.process.waitFor(60, TimeUnit.SECONDS), "the node started without its journal:\n"
                    + refused.transcript());
            assertNotEquals(0, refused.process.exitValue(), refused.transcript());
            Thread.sleep(200); // let the reader thread drain the output
            assertTrue(refused.transcript().contains("--accept-lost-journal")
                    && refused.transcript().contains("deleted or truncated"), refused.transcript());
            assertEquals(saved, SignState.read(victimDir).orElseThrow(), "a refused start changed the sign state");

            NodeProc survivor = nodes.get(0);
            NodeProc restarted = start(configs.get(VICTIM), "--accept-lost-journal");
            nodes.set(VICTIM, restarted);
            long target = survivor.height() + 3;
            await("the restarted node to catch up to height " + target, 120, () -> restarted.height() >= target,
                    submitOne, nodes);
            for (long h = 1; h <= target; h++) {
                assertNotNull(restarted.hashes.get(h), "restarted node never reported height " + h);
                assertEquals(survivor.hashes.get(h), restarted.hashes.get(h), "hash at height " + h);
            }
            await("the restarted node to sign above its saved state", 60,
                    () -> SignState.read(victimDir).orElseThrow().compareTo(saved) > 0, submitOne, nodes);
            // The sign state is written before a signature leaves: let two more heights pass so that the signatures
            // above it have reached the survivors' journals, which are checked below (CI once saw 0 of them when the
            // processes were stopped right after the file changed).
            long after = restarted.height() + 2;
            await("two more heights after the restarted node signed again", 60,
                    () -> restarted.height() >= after && survivor.height() >= after, submitOne, nodes);
            assertTrue(restarted.process.isAlive(), restarted.transcript());
            assertTrue(restarted.transcript().contains("--accept-lost-journal: "), restarted.transcript());
        } finally {
            for (NodeProc n : nodes) {
                n.process.destroyForcibly();
            }
            for (NodeProc n : nodes) {
                n.process.waitFor(20, TimeUnit.SECONDS);
            }
        }

        // Everything validator 3 ever sent, as the survivors journaled it: one signature per (height, round, step).
        TreeMap<String, TreeSet<String>> signatures = new TreeMap<>();
        long[] belowAndAbove = new long[2];
        SignState savedAtKill = atKill[0];
        for (int i = 0; i < N; i++) {
            if (i == VICTIM) {
                continue;
            }
            try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("node-" + i))) {
                journal.replay(record -> {
                    try {
                        NodeInput input = CoreInputCodec.INSTANCE.decode(record);
                        if (input instanceof NodeInput.PeerMessage p && p.bytes().length > 0
                                && p.bytes()[0] == PeerWire.TAG_CONSENSUS
                                && PeerWire.decode(p.bytes()) instanceof PeerWire.Consensus c) {
                            SignedMessage m = ConsensusMessageCodec.decode(c.bytes());
                            if (m.signer().equals(victimKey)) {
                                String hrs = m.message().height() + "/" + m.message().round() + "/"
                                        + SignState.stepOf(m.message());
                                signatures.computeIfAbsent(hrs, k -> new TreeSet<>())
                                        .add(HexFormat.of().formatHex(m.signature()));
                                int vs = SignState.compare(m.message().height(), m.message().round(),
                                        SignState.stepOf(m.message()), savedAtKill.height(), savedAtKill.round(),
                                        savedAtKill.step());
                                belowAndAbove[vs > 0 ? 1 : 0]++;
                            }
                        }
                    } catch (DecodeException e) {
                        throw new AssertionError(e);
                    }
                });
            }
        }
        assertTrue(belowAndAbove[0] > 0 && belowAndAbove[1] > 0, "messages of validator 3 at or below / above its "
                + "state at the kill " + savedAtKill.hrs() + ": " + belowAndAbove[0] + " / " + belowAndAbove[1]);
        for (Map.Entry<String, TreeSet<String>> e : signatures.entrySet()) {
            assertEquals(1, e.getValue().size(), "validator 3 signed twice at (height/round/step) " + e.getKey());
        }
    }
}
