package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.ValidatorNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and journal segments in a node's data folder: a node run through its agent with a checkpoint every 3
 * blocks restarts from the newest checkpoint and replays only its segment; every folder a crash between two steps of
 * taking a checkpoint can leave (built here by hand) starts to the same state.
 */
class NodeStoreTest {
    private static final String CHAIN = "node-store-test";
    private static final Signer V = Signer.deterministic("v0", 5);
    private static final Signer ALICE = Signer.deterministic("alice", 5);
    private static final Signer BOB = Signer.deterministic("bob", 5);
    private static final Genesis GENESIS = new Genesis(CHAIN, List.of(new Genesis.Validator("v0", V.publicKey(), 1)),
            List.of(new Genesis.InitialAccount(ALICE.publicKey(), 1_000_000)), Genesis.ConsensusParams.DEFAULT);
    private static final long INTERVAL = 3;

    @TempDir
    Path dir;

    /** One node process: its store, loaded state, agent and clock. */
    private final class Proc {
        final NodeStore store;
        final NodeStore.Loaded loaded;
        final ValidatorNode node;
        final NodeAgent agent;
        final ManualClock clock;
        final List<String> log = new ArrayList<>();
        long tick;
        long nonce;

        final SignGuard guard;

        Proc(boolean prune) {
            store = new NodeStore(dir, CHAIN, ChronicleJournal.Durability.PROCESS_CRASH, log::add);
            store.pruneEnabled = prune;
            guard = SignGuard.open(dir, V.publicKey(), log::add);
            loaded = store.load(GENESIS, V, () -> new ValidatorNode(GENESIS, V), guard::observing,
                    CoreInputCodec.INSTANCE);
            node = (ValidatorNode) loaded.stateMachine();
            tick = loaded.lastTick();
            nonce = node.ledger().nextNonce(ALICE.publicKey());
            clock = new ManualClock(tick + 1);
            SimulatedNetwork net = new SimulatedNetwork(SimulatedNetwork.Config.reliable(1, 1));
            if (guard.journalLoss(loaded.inputsSinceGenesis()).isEmpty()) {
                guard.goLive(loaded.inputsSinceGenesis());
            }
            agent = new NodeAgent(node, store.journal(), net.transport(0), clock, CoreInputCodec.INSTANCE,
                    (i, b) -> { }, tick, PeerBudgets.Settings.forTickMillis(1), guard);
            agent.setCommitHook(store.checkpointEvery(node, INTERVAL, loaded.inputsSinceGenesis(), log::add));
        }

        void runUntil(long height) {
            for (int n = 0; node.height() < height; n++) {
                assertTrue(n < 10_000, "no progress: " + node);
                tick++;
                clock.advanceTo(tick);
                if (tick % 2 == 0) {
                    Transaction tx = Transaction.sign(ALICE, CHAIN, BOB.publicKey(), tick, 1, nonce++);
                    agent.offerClientRequest(new ClientRequest.Submit(TransactionCodec.encode(tx),
                            new CompletableFuture<>()));
                }
                while (agent.doWork() > 0) {
                    // until idle
                }
            }
        }

        State state() {
            return new State(node.height(), node.lastBlockHash(), node.stateRoot());
        }

        void close() {
            store.close();
        }
    }

    private record State(long height, Hash32 hash, Hash32 root) {}

    private Proc runTo(long height, boolean prune) {
        Proc p = new Proc(prune);
        p.runUntil(height);
        return p;
    }

    @Test
    void afterTenHeights_onlyTheLastTwoCheckpointsAndTheirSegmentsAreKept_andARestartReplaysOneSegment() {
        Proc p = runTo(10, true);
        State live = p.state();
        p.close();
        NodeStore probe = new NodeStore(dir, CHAIN, ChronicleJournal.Durability.PROCESS_CRASH, s -> { });
        assertEquals(List.of(6L, 9L), new ArrayList<>(probe.checkpoints()));
        assertEquals(List.of(6L, 9L), new ArrayList<>(probe.segments()));
        assertFalse(Files.exists(dir.resolve("journal")), "the genesis segment was released");

        Proc again = new Proc(true);
        assertEquals(live, again.state());
        assertEquals(9, again.loaded.checkpointHeight());
        assertEquals(List.of(9L), again.loaded.segments());
        assertTrue(again.loaded.inputsReplayed() > 0);
        again.runUntil(13);
        again.close();
        Proc third = new Proc(true);
        assertEquals(again.state(), third.state());
        assertEquals(12, third.loaded.checkpointHeight());
        third.close();
    }

    @Test
    void theSignStatesJournalCount_isComparedWithInputsSinceGenesis_soOnlyARealLossIsReported() throws IOException {
        Proc p = runTo(10, true);
        long signedAt = SignState.read(dir).orElseThrow().journalRecords();
        p.close();
        Proc again = new Proc(true);
        assertTrue(again.loaded.inputsReplayed() < signedAt, "the segment alone holds fewer inputs than were signed at");
        assertEquals(java.util.Optional.empty(), again.guard.journalLoss(again.loaded.inputsSinceGenesis()),
                "a restart from a checkpoint is not a journal loss");
        again.close();
        // The data folder's checkpoints and segments are lost, the sign state is not: that is a loss.
        for (long h : new NodeStore(dir, CHAIN, ChronicleJournal.Durability.PROCESS_CRASH, s -> { }).segments()) {
            deleteTree(dir.resolve(NodeStore.segmentName(h)));
        }
        for (long h : new NodeStore(dir, CHAIN, ChronicleJournal.Durability.PROCESS_CRASH, s -> { }).checkpoints()) {
            Files.delete(dir.resolve(Checkpoint.fileName(h)));
        }
        Proc lost = new Proc(true);
        assertEquals(0, lost.node.height());
        assertTrue(lost.guard.journalLoss(lost.loaded.inputsSinceGenesis()).isPresent());
        lost.close();
    }

    @Test
    void inputsSinceGenesis_isEveryInputJournaledSinceGenesis_acrossCheckpoints() {
        Proc p = runTo(7, false); // keep every segment to count them
        p.close();
        long total = 0;
        for (long h : new NodeStore(dir, CHAIN, ChronicleJournal.Durability.PROCESS_CRASH, s -> { }).segments()) {
            try (ChronicleJournal j = ChronicleJournal.openFolder(dir.resolve(NodeStore.segmentName(h)),
                    ChronicleJournal.Durability.PROCESS_CRASH)) {
                total += j.replay(r -> { });
            }
        }
        Proc again = new Proc(false);
        assertEquals(6, again.loaded.checkpointHeight());
        assertTrue(again.loaded.inputsReplayed() < total, again.loaded.toString());
        assertEquals(total, again.loaded.inputsSinceGenesis(), "the sign state's unit: inputs since genesis");
        again.close();
    }

    /** Thrown by a test hook to stop the agent between two steps of taking a checkpoint. */
    private static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void crashAfterTheCheckpointFileBeforeItsSegment_startsFromTheCheckpointWithNothingToReplay() {
        Proc p = runTo(4, true); // checkpoint at 3, segment journal-3
        // At the commit of height 5: step (1) only, then the process dies.
        p.agent.setCommitHook(n -> {
            if (p.node.height() == 5) {
                Checkpoint.of(p.node, p.loaded.inputsSinceGenesis() + n).write(dir);
                throw new Crash();
            }
        });
        assertThrows(Crash.class, () -> p.runUntil(6));
        State live = p.state();
        assertEquals(5, live.height());
        p.close();
        Proc again = new Proc(true);
        assertEquals(live, again.state());
        assertEquals(5, again.loaded.checkpointHeight());
        assertEquals(0, again.loaded.inputsReplayed());
        assertTrue(Files.isDirectory(dir.resolve(NodeStore.segmentName(5))), "its segment is created at start");
        again.runUntil(9);
        again.close();
        Proc third = new Proc(true);
        assertEquals(again.state(), third.state());
        assertEquals(9, third.loaded.checkpointHeight());
        third.close();
    }

    @Test
    void crashBeforeOrDuringTheDeletions_startsFromTheNewestCheckpoint() throws IOException {
        Proc p = runTo(10, false); // steps (1) and (2) of every checkpoint, never (3) or (4)
        State live = p.state();
        p.close();
        NodeStore probe = new NodeStore(dir, CHAIN, ChronicleJournal.Durability.PROCESS_CRASH, s -> { });
        assertEquals(List.of(0L, 3L, 6L, 9L), new ArrayList<>(probe.segments()));
        // (3) interrupted: the genesis segment renamed for deletion and half deleted; journal-3 gone, checkpoint-3 not.
        Files.move(dir.resolve("journal"), dir.resolve("journal" + NodeStore.DELETING));
        deleteTree(dir.resolve(NodeStore.segmentName(3)));
        Proc again = new Proc(true);
        assertEquals(live, again.state());
        assertEquals(9, again.loaded.checkpointHeight());
        assertFalse(Files.exists(dir.resolve("journal" + NodeStore.DELETING)), "left-over deletion finished");
        again.close();
    }

    @Test
    void aCorruptNewestCheckpoint_fallsBackToThePreviousOne_withAMessage() throws IOException {
        Proc p = runTo(10, true);
        State live = p.state();
        p.close();
        Path newest = dir.resolve(Checkpoint.fileName(9));
        byte[] b = Files.readAllBytes(newest);
        b[b.length / 2] ^= 1;
        Files.write(newest, b);
        Proc again = new Proc(true);
        assertEquals(live, again.state());
        assertEquals(6, again.loaded.checkpointHeight());
        assertEquals(List.of(6L, 9L), again.loaded.segments());
        assertTrue(again.log.stream().anyMatch(l -> l.contains(Checkpoint.fileName(9)) && l.contains("not usable")),
                again.log.toString());
        assertTrue(Files.exists(dir.resolve(Checkpoint.fileName(9) + NodeStore.CORRUPT)));
        again.close();
    }

    /**
     * SignGuard#observeReplayed is sound for an exact replay, which both are: the replay after a checkpoint is observed
     * as the replay from genesis is (unobserved, the guard refused every resend of the re-created votes, and validators
     * restored together from checkpoints stopped at that height).
     */
    @Test
    void theReplayAfterACheckpoint_andTheReplayFromGenesis_areObserved() {
        Proc p = runTo(4, false);
        p.close();
        int[] wrapped = {0};
        NodeStore s = new NodeStore(dir, CHAIN, ChronicleJournal.Durability.PROCESS_CRASH, x -> { });
        NodeStore.Loaded l = s.load(GENESIS, V, () -> new ValidatorNode(GENESIS, V), m -> {
            wrapped[0]++;
            return m;
        }, CoreInputCodec.INSTANCE);
        assertEquals(3, l.checkpointHeight());
        assertTrue(l.inputsReplayed() > 0, "something was replayed after the checkpoint");
        assertEquals(1, wrapped[0], "the replay after a checkpoint went through the observer");
        s.close();

        Path fresh = dir.resolve("fresh");
        NodeStore g = new NodeStore(fresh, CHAIN, ChronicleJournal.Durability.PROCESS_CRASH, x -> { });
        g.load(GENESIS, V, () -> new ValidatorNode(GENESIS, V), m -> {
            wrapped[0]++;
            return m;
        }, CoreInputCodec.INSTANCE);
        assertEquals(2, wrapped[0], "the replay from genesis is observed");
        g.close();
    }

    @Test
    void aMissingSegmentWithLaterOnes_isRefused() throws IOException {
        Proc p = runTo(10, true);
        p.close();
        deleteTree(dir.resolve(NodeStore.segmentName(9)));
        Files.delete(dir.resolve(Checkpoint.fileName(9)));
        Files.move(dir.resolve(NodeStore.segmentName(6)), dir.resolve("elsewhere"));
        NodeStore s = new NodeStore(dir, CHAIN, ChronicleJournal.Durability.PROCESS_CRASH, l -> { });
        // no segment 6 but none later either: the checkpoint alone is a valid start (as after a crash after step 1)
        NodeStore.Loaded l = s.load(GENESIS, V, () -> new ValidatorNode(GENESIS, V), m -> m, CoreInputCodec.INSTANCE);
        assertEquals(6, l.checkpointHeight());
        s.close();
        Files.createDirectories(dir.resolve(NodeStore.segmentName(9)));
        deleteTree(dir.resolve(NodeStore.segmentName(6)));
        NodeStore s2 = new NodeStore(dir, CHAIN, ChronicleJournal.Durability.PROCESS_CRASH, x -> { });
        JournalException e = assertThrows(JournalException.class,
                () -> s2.load(GENESIS, V, () -> new ValidatorNode(GENESIS, V), m -> m, CoreInputCodec.INSTANCE));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        s2.close();
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
