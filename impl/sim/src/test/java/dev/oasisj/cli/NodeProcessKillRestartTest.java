package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.node.ChronicleJournal;
import dev.oasisj.node.CoreInputCodec;
import dev.oasisj.node.NodeAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue point 5, with real OS processes: four {@code oasis node} JVMs talk TCP on loopback while transfers are submitted
 * to their client ports; validator 3 is killed with SIGKILL (kill -9) in the middle of the run, then started again on
 * the same data directory. Its journal replay must end at a committed height at least as high as the last block it
 * reported before dying, with the block hash that the surviving validators committed at that height (the block hash
 * commits to the state root, which is printed too and must equal the replayed block's), and it must then catch up and
 * keep committing the same blocks as the others.
 */
class NodeProcessKillRestartTest {
    private static final Pattern REPLAYED = Pattern.compile(
            "^node \\S+: replayed (\\d+) inputs, height (\\d+) hash=([0-9a-f]{64}) stateRoot=([0-9a-f]{64})$");
    private static final int N = 4;
    private static final int VICTIM = 3;
    private static final long SEED = 42;

    @TempDir
    Path dir;

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aNodeKilledWithSigkill_replaysItsJournalToTheCommittedChain_andCatchesUp() throws Exception {
        int accounts = 8;
        NodeProc.Network network = NodeProc.Network.write(dir, N, accounts, SEED);
        Genesis genesis = network.genesis();
        List<Path> configs = network.configs();

        List<NodeProc> nodes = new ArrayList<>();
        // The workload: one transfer per call, round-robin over the accounts, always to a surviving node (0..2).
        Runnable submitOne = NodeProc.transfers(SEED, accounts, network.clients().subList(0, VICTIM));
        try {
            for (int i = 0; i < N; i++) {
                nodes.add(NodeProc.start(configs.get(i), "256m"));
            }
            NodeProc victim = nodes.get(VICTIM);
            NodeProc.await("validator 3 to commit 4 blocks", 90, () -> victim.height() >= 4, submitOne, nodes);

            victim.process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no journal close
            assertTrue(victim.process.waitFor(20, TimeUnit.SECONDS), "the killed node did not die");
            // A copy of the journal exactly as the kill left it, for an independent in-process replay below.
            Path snapshot = dir.resolve("victim-journal-at-kill");
            copyTree(dir.resolve("node-" + VICTIM), snapshot);
            long lastReported = victim.height();
            String lastReportedHash = victim.hashes.get(lastReported);
            NodeProc survivor = nodes.get(0);
            NodeProc.await("the survivors to commit 3 more blocks", 60, () -> survivor.height() >= lastReported + 3, submitOne,
                    nodes);

            NodeProc restarted = NodeProc.start(configs.get(VICTIM), "256m");
            nodes.set(VICTIM, restarted);
            NodeProc.await("the restarted node to report its replay", 60,
                    () -> restarted.lines.stream().anyMatch(l -> REPLAYED.matcher(l).matches()), submitOne, nodes);
            Matcher replay = restarted.lines.stream().map(REPLAYED::matcher).filter(Matcher::matches).findFirst()
                    .orElseThrow();
            long inputs = Long.parseLong(replay.group(1));
            long height = Long.parseLong(replay.group(2));
            String hash = replay.group(3);
            assertTrue(inputs > 0, "nothing replayed from the journal:\n" + restarted.transcript());
            assertTrue(height >= lastReported, "replay ended at height " + height + " below the last block reported "
                    + "before the kill (" + lastReported + ")");
            if (height == lastReported) {
                assertEquals(lastReportedHash, hash, "replayed block hash differs from the one reported before the kill");
            }
            assertEquals(survivor.hashes.get(height), hash,
                    "the replayed block at height " + height + " is not the one the survivors committed");

            // The same journal, replayed into a fresh in-process validator, gives exactly the same height, block hash
            // and state root as the restarted process printed.
            NodeStateMachine fresh = ValidatorNodes.factory().create(genesis, VICTIM, LocalnetSetup.validatorKey(VICTIM, SEED));
            try (ChronicleJournal journal = ChronicleJournal.open(snapshot)) {
                NodeAgent.Recovery r = NodeAgent.recover(journal, fresh, CoreInputCodec.INSTANCE);
                assertEquals(inputs, r.inputsReplayed(), "inputs replayed in-process");
            }
            assertEquals(height, fresh.height(), "height after in-process replay");
            assertEquals(hash, fresh.lastBlockHash().toHex(), "block hash after in-process replay");
            assertEquals(replay.group(4), fresh.stateRoot().toHex(), "state root after in-process replay");

            long target = survivor.height() + 2;
            NodeProc.await("the restarted node to catch up to height " + target, 90, () -> restarted.height() >= target,
                    submitOne, nodes);
            for (long h = height + 1; h <= target; h++) {
                assertNotNull(restarted.hashes.get(h), "restarted node never reported height " + h);
                assertEquals(survivor.hashes.get(h), restarted.hashes.get(h), "hash at height " + h);
            }
            assertTrue(survivor.lines.stream().anyMatch(l -> l.matches("^block .* txs=[1-9]\\d* .*")),
                    "no committed block carried a transaction:\n" + survivor.transcript());
        } finally {
            NodeProc.killAll(nodes);
        }
    }

    /**
     * Issue point 6 with real processes: four validators checkpointing every 2 blocks; validator 3 is killed with
     * SIGKILL after height 6 and started again. It restarts from a checkpoint (not from genesis), its data folder keeps
     * only the last two checkpoints and their journal segments, and it catches up to the survivors' chain.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aNodeWithCheckpoints_restartsFromItsNewestCheckpoint_andCatchesUp() throws Exception {
        List<Path> configs = NodeProc.Network.write(dir, N, 4, SEED).configs();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Path cfg : configs) {
            com.fasterxml.jackson.databind.node.ObjectNode node =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(cfg.toFile());
            node.put("checkpointIntervalBlocks", 2);
            Files.writeString(cfg, json.writeValueAsString(node));
        }
        List<NodeProc> nodes = new ArrayList<>();
        Runnable nothing = () -> { };
        try {
            for (int i = 0; i < N; i++) {
                nodes.add(NodeProc.start(configs.get(i), "256m"));
            }
            NodeProc victim = nodes.get(VICTIM);
            NodeProc.await("validator 3 to commit 7 blocks", 90, () -> victim.height() >= 7, nothing, nodes);
            victim.process.destroyForcibly();
            assertTrue(victim.process.waitFor(20, TimeUnit.SECONDS), "the killed node did not die");
            assertTrue(victim.lines.stream().anyMatch(l -> l.contains(": checkpoint at height 6 ")),
                    victim.transcript());
            Path victimDir = dir.resolve("node-" + VICTIM);
            assertTrue(Files.exists(victimDir.resolve(dev.oasisj.node.Checkpoint.fileName(6))));
            assertTrue(!Files.exists(victimDir.resolve("journal")), "the genesis segment was released");
            assertTrue(!Files.exists(victimDir.resolve(dev.oasisj.node.Checkpoint.fileName(2))),
                    "checkpoints beyond the last 2 are deleted");

            NodeProc restarted = NodeProc.start(configs.get(VICTIM), "256m");
            nodes.set(VICTIM, restarted);
            Pattern from = Pattern.compile("^node \\S+: restart from checkpoint at height (\\d+): replayed (\\d+) "
                    + "inputs of (\\d+) journal segment\\(s\\) in (\\d+) ms$");
            NodeProc.await("the restarted node to report where it restarted from", 60,
                    () -> restarted.lines.stream().anyMatch(l -> from.matcher(l).matches())
                            && restarted.lines.stream().anyMatch(l -> REPLAYED.matcher(l).matches()), nothing, nodes);
            Matcher m = restarted.lines.stream().map(from::matcher).filter(Matcher::matches).findFirst().orElseThrow();
            assertTrue(Long.parseLong(m.group(1)) >= 6, restarted.transcript());
            Matcher replay = restarted.lines.stream().map(REPLAYED::matcher).filter(Matcher::matches).findFirst()
                    .orElseThrow();
            long height = Long.parseLong(replay.group(2));
            NodeProc survivor = nodes.get(0);
            assertEquals(survivor.hashes.get(height), replay.group(3), "restored at the survivors' block");
            long target = survivor.height() + 2;
            NodeProc.await("the restarted node to catch up to height " + target, 90, () -> restarted.height() >= target,
                    nothing, nodes);
            for (long h = height + 1; h <= target; h++) {
                assertEquals(survivor.hashes.get(h), restarted.hashes.get(h), "hash at height " + h);
            }
        } finally {
            NodeProc.killAll(nodes);
        }
    }

    /**
     * Issue point 6, "a node that joins or lost its data syncs from peers' blocks or a snapshot", with real processes:
     * four validators (20,000 genesis accounts, so a snapshot is two chunks) checkpoint every 2 blocks; all four are
     * killed, validator 3's data folder is wiped (only its config and key are left), and all four start again. The
     * other three restart from their checkpoints and hold no block below them, so validator 3 cannot block-sync from
     * genesis: it installs a snapshot over TLS (printed as its first block, above height 1) and then follows by blocks.
     * The other three must pass height 250 alone first: three of four validators are a bare quorum, so this also shows
     * that validators killed in the middle of a height and restored from checkpoints go on (before checkpoints carried
     * the held messages and the mempool, one of them replayed to another state, its sign guard refused to sign at that
     * round again, and the chain stopped at that height).
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aNodeThatLostItsData_syncsASnapshot_fromPeersRestoredFromCheckpoints() throws Exception {
        // Blocks back to back (no empty-block interval): the nodes are killed in the middle of a height, after some
        // of them signed at it. Restored from their checkpoints, they replay to exactly the state they had (the
        // checkpoint carries the messages and transactions they held), so their sign guards have nothing to refuse
        // and the three of them alone, a bare quorum, go on.
        List<Path> configs = NodeProc.Network.write(dir, N, 20_000, SEED).configs();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Path cfg : configs) {
            com.fasterxml.jackson.databind.node.ObjectNode node =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(cfg.toFile());
            node.put("checkpointIntervalBlocks", 2);
            Files.writeString(cfg, json.writeValueAsString(node));
        }
        List<NodeProc> nodes = new ArrayList<>();
        Runnable nothing = () -> { };
        try {
            for (int i = 0; i < N; i++) {
                nodes.add(NodeProc.start(configs.get(i), "512m"));
            }
            NodeProc.await("every node to commit 5 blocks", 120,
                    () -> nodes.stream().allMatch(n -> n.height() >= 5), nothing, nodes);
            NodeProc.killAll(nodes);
            java.util.Map<Long, String> chain = new java.util.TreeMap<>(nodes.get(0).hashes);
            Path lostDir = dir.resolve("node-" + VICTIM);
            try (var files = Files.list(lostDir)) {
                for (Path p : files.toList()) {
                    String name = String.valueOf(p.getFileName());
                    if (!name.equals("config.json") && !name.equals("validator.key")) {
                        deleteRecursively(p);
                    }
                }
            }
            List<NodeProc> restarted = new ArrayList<>();
            for (int i = 0; i < N - 1; i++) {
                restarted.add(NodeProc.start(configs.get(i), "512m"));
            }
            nodes.clear();
            nodes.addAll(restarted);
            NodeProc survivor = nodes.get(0);
            // The three restored validators (a bare quorum) go on past two snapshot heights (multiples of 100; they
            // keep the newest two) before the node that lost its data starts, so it is offered a snapshot they took
            // while running, not their checkpoint.
            NodeProc.await("the nodes restarted from checkpoints to pass height 250", 120,
                    () -> survivor.height() >= 250, nothing, nodes);
            NodeProc lost = NodeProc.start(configs.get(VICTIM), "512m");
            nodes.add(lost);
            long target = survivor.height() + 3;
            try {
                NodeProc.await("the node that lost its data to reach height " + target, 120,
                        () -> lost.height() >= target, nothing, nodes);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- the node that lost its data, first lines ---\n"
                        + String.join("\n", lost.lines.subList(0, Math.min(60, lost.lines.size()))), e);
            }
            long first = lost.hashes.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
            assertTrue(first > 1, "the first block it reports is the snapshot's, not block 1:\n" + lost.tail(20));
            chain.putAll(survivor.hashes); // node 0's blocks before and after its restart
            for (long h = first; h <= target; h++) {
                assertNotNull(chain.get(h), "node 0 reported height " + h);
                assertEquals(chain.get(h), lost.hashes.get(h), "hash at height " + h);
            }
        } finally {
            NodeProc.killAll(nodes);
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
