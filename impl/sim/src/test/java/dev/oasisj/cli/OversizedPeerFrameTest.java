package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.node.ChronicleJournal;
import dev.oasisj.node.CoreInputCodec;
import dev.oasisj.node.ManualClock;
import dev.oasisj.node.NodeAgent;
import dev.oasisj.node.PeerAddress;
import dev.oasisj.node.ShellLimits;
import dev.oasisj.node.TcpTransport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue point 1, reproduced the way it was found: an authenticated validator sends, over real TCP, single frames of
 * 4,194,288 and 4,194,304 bytes (the range that passed the old 4 MiB frame limit but not the journal, whose record must
 * also hold its own and the codec's headers) to a validator node running {@link NodeAgent} over a
 * {@link ChronicleJournal}. Before the fix the agent's append threw and left a header-only record, so the node stopped
 * and its journal no longer replayed ({@code bad length}). Now such frames are refused by the transport before the
 * journal, a frame of exactly {@link ShellLimits#MAX_FRAME_BYTES} is journaled, the node keeps running and its
 * journal replays to the same state.
 */
class OversizedPeerFrameTest {
    private static final long SEED = 9;
    private static final int RECEIVER = 0;
    private static final int SENDER = 1;

    @TempDir
    Path dir;

    private static void await(String what, BooleanSupplier done, Runnable meanwhile) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            meanwhile.run();
            Thread.sleep(5);
        }
    }

    /**
     * Sends {@code bytes} until {@code done}: again after 2 s without effect, since a send may have gone into a
     * connection the receiver had just closed (the sender learns of it a little later and redials).
     */
    private static void sendUntil(TcpTransport sender, byte[] bytes, String what, BooleanSupplier done, Runnable work)
            throws InterruptedException {
        long[] nextTry = {0};
        await(what, () -> {
            if (done.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > nextTry[0] && sender.isConnected(RECEIVER) && sender.send(RECEIVER, bytes)) {
                nextTry[0] = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            }
            return false;
        }, work);
    }

    private static byte[] frame(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /**
     * {@code node}, except that it calls no peer message junk. This test is about the journal's record capacity and its
     * frames are random bytes, which a validator calls junk ({@link NodeStateMachine#junk}) and the agent drops before
     * the journal (issue point 3, {@code PeerTrafficBudgetTest}); without junk screening they reach the journal as
     * every valid-looking frame does.
     */
    private static NodeStateMachine callingNothingJunk(NodeStateMachine node) {
        return new NodeStateMachine() {
            @Override
            public dev.oasisj.core.node.NodeOutput apply(NodeInput input) {
                return node.apply(input);
            }

            @Override
            public NodeInput prepare(NodeInput input) {
                return node.prepare(input);
            }

            @Override
            public long height() {
                return node.height();
            }

            @Override
            public dev.oasisj.core.crypto.Hash32 lastBlockHash() {
                return node.lastBlockHash();
            }

            @Override
            public dev.oasisj.core.crypto.Hash32 stateRoot() {
                return node.stateRoot();
            }
        };
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void framesJustAboveTheJournalsCapacity_fromAnAuthenticatedPeer_areRefusedBeforeTheJournal_andItStillReplays()
            throws Exception {
        Genesis genesis = LocalnetSetup.genesis(4, 4, SEED, Genesis.ConsensusParams.DEFAULT);
        List<PublicKey> keys = new ArrayList<>();
        genesis.validators().forEach(v -> keys.add(v.publicKey()));
        NodeStateMachine sm = callingNothingJunk(ValidatorNodes.factory().create(genesis, RECEIVER,
                LocalnetSetup.validatorKey(RECEIVER, SEED)));
        ChronicleJournal journal = ChronicleJournal.open(dir);
        TcpTransport receiver = new TcpTransport(new TcpTransport.Identity(genesis.hash(), keys, RECEIVER,
                LocalnetSetup.validatorKey(RECEIVER, SEED)), TcpTransport.Settings.defaults());
        // The Byzantine sender's own transport would send frames of any size (its limit is its own business).
        TcpTransport.Settings anySize = new TcpTransport.Settings(16 << 20, 16, 20, 200, 64 << 20, 5_000);
        TcpTransport sender = new TcpTransport(new TcpTransport.Identity(genesis.hash(), keys, SENDER,
                LocalnetSetup.validatorKey(SENDER, SEED)), anySize);
        NodeAgent agent = new NodeAgent(sm, journal, receiver, new ManualClock(0), CoreInputCodec.INSTANCE,
                (node, block) -> {}, -1);
        List<Integer> journaledPeerMessageSizes = new ArrayList<>();
        try {
            int port = receiver.bind(new PeerAddress("127.0.0.1", 0));
            sender.connectTo(RECEIVER, new PeerAddress("127.0.0.1", port));
            Runnable work = agent::doWork;

            agent.doWork(); // the first tick (the clock then stays put): from here on, every input is a peer frame
            // Exactly the limit: admitted, journaled, applied.
            long applied = agent.inputsApplied();
            sendUntil(sender, frame(ShellLimits.MAX_FRAME_BYTES, 1), "the largest admitted frame to be applied",
                    () -> agent.inputsApplied() > applied, work);

            // One byte over, the two sizes of the report and the old limit: each closes the connection unread.
            int[] oversized = {ShellLimits.MAX_FRAME_BYTES + 1, 4_194_288, 4_194_304, 4_194_304 + 16};
            for (int i = 0; i < oversized.length; i++) {
                long refusedBefore = receiver.oversizedFrames();
                sendUntil(sender, frame(oversized[i], 10 + i), "the frame of " + oversized[i] + " bytes to be refused",
                        () -> receiver.oversizedFrames() > refusedBefore, work);
            }

            // The node is still running: a later frame from the same peer is journaled and applied.
            long appliedBefore = agent.inputsApplied();
            sendUntil(sender, new byte[] {1, 2, 3}, "a small frame after the refused ones to be applied",
                    () -> agent.inputsApplied() > appliedBefore, work);
            assertTrue(receiver.oversizedFrames() >= oversized.length);
            assertEquals(0, agent.inputsDroppedOutOfBounds());
        } finally {
            sender.close();
            receiver.close();
            journal.close();
        }

        // The journal replays (into a fresh validator) to the same state, and holds the largest frame whole.
        NodeStateMachine fresh = ValidatorNodes.factory().create(genesis, RECEIVER,
                LocalnetSetup.validatorKey(RECEIVER, SEED));
        List<byte[]> peerMessages = new ArrayList<>();
        try (ChronicleJournal reopened = ChronicleJournal.open(dir)) {
            NodeAgent.Recovery recovery = NodeAgent.recover(reopened, fresh, CoreInputCodec.INSTANCE);
            assertEquals(agent.inputsApplied(), recovery.inputsReplayed());
            reopened.replay(record -> {
                try {
                    if (CoreInputCodec.INSTANCE.decode(record) instanceof NodeInput.PeerMessage p) {
                        peerMessages.add(p.bytes());
                        journaledPeerMessageSizes.add(p.bytes().length);
                    }
                } catch (DecodeException e) {
                    throw new AssertionError(e);
                }
            });
        }
        assertEquals(ShellLimits.MAX_FRAME_BYTES, journaledPeerMessageSizes.get(0));
        assertTrue(journaledPeerMessageSizes.stream().skip(1).allMatch(size -> size == 3),
                "only the largest admitted frame and the small ones were journaled: " + journaledPeerMessageSizes);
        assertArrayEquals(frame(ShellLimits.MAX_FRAME_BYTES, 1), peerMessages.get(0));
        assertEquals(sm.stateRoot(), fresh.stateRoot());
        assertEquals(sm.lastBlockHash(), fresh.lastBlockHash());
    }
}
