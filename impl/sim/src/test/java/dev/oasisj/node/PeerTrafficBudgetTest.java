package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.PeerWire;
import dev.oasisj.core.node.ValidatorNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue point 3: peer traffic is checked (ban, byte and message budgets, junk) before it is journaled. No wall clock:
 * budgets run on the agent's {@link ManualClock}.
 */
class PeerTrafficBudgetTest {

    /** A transport fed by the test: frames offered here are what {@link #poll} delivers; sends go nowhere. */
    private static final class QueueTransport implements Transport {
        final int self;
        final int validators;
        final ArrayDeque<Object[]> frames = new ArrayDeque<>();
        final List<String> bans = new ArrayList<>();

        QueueTransport(int self, int validators) {
            this.self = self;
            this.validators = validators;
        }

        void offer(int peer, byte[] bytes) {
            frames.add(new Object[] {peer, bytes});
        }

        @Override
        public int selfIndex() {
            return self;
        }

        @Override
        public int validatorCount() {
            return validators;
        }

        @Override
        public boolean send(int peer, byte[] bytes) {
            return true;
        }

        @Override
        public int broadcast(byte[] bytes) {
            return validators - 1;
        }

        @Override
        public int poll(FrameHandler handler, int maxFrames) {
            int n = 0;
            while (n < maxFrames && !frames.isEmpty()) {
                Object[] f = frames.poll();
                handler.onFrame((Integer) f[0], (byte[]) f[1]);
                n++;
            }
            return n;
        }

        @Override
        public int connectedPeerCount() {
            return validators - 1;
        }

        @Override
        public void ban(int peer, long durationMillis) {
            bans.add(peer + " for " + durationMillis + " ms");
        }

        @Override
        public void close() {}
    }

    /** A journal that counts the bytes of the peer messages it is given, per peer. */
    private static final class CountingJournal extends ForwardingJournal {
        final long[] peerBytes;
        long peerMessages;

        CountingJournal(int validators) {
            super(new InMemoryJournal());
            peerBytes = new long[validators];
        }

        @Override
        public void append(byte[] record) {
            if (decode(record) instanceof NodeInput.PeerMessage m) {
                peerBytes[m.peer()] += m.bytes().length;
                peerMessages++;
            }
            super.append(record);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPeersValidLookingFlood_isJournaledOnlyUpToItsByteBudget_andOtherPeersAreNotHeldBack() {
        long burstBytes = ShellLimits.MAX_FRAME_BYTES;
        long bytesPerTick = 1_024;
        PeerBudgets.Settings budgets = new PeerBudgets.Settings(burstBytes, bytesPerTick, 100_000, 1_000, 8, 1_000,
                100, 60_000);
        QueueTransport transport = new QueueTransport(0, 3);
        CountingJournal journal = new CountingJournal(3);
        ManualClock clock = new ManualClock(0);
        RecordingStateMachine sm = new RecordingStateMachine(new ArrayList<>(), input -> NodeOutput.EMPTY);
        NodeAgent agent = new NodeAgent(sm, journal, transport, clock, CoreInputCodec.INSTANCE, (n, b) -> {}, -1,
                budgets);

        byte[] frame = new byte[64 * 1024]; // valid-looking: the state machine calls nothing junk
        long offered = 0;
        long ticks = 1_000;
        for (long t = 0; t <= ticks; t++) {
            clock.advanceTo(t);
            int flood = t == 0 ? 200 : 4; // 12.5 MiB at once, then 256 KiB a tick: 262 MiB in all
            for (int i = 0; i < flood; i++) {
                transport.offer(1, frame);
                offered += frame.length;
            }
            transport.offer(2, utf8("vote " + t)); // an honest peer's small, steady traffic
            agent.doWork();
        }

        long bound = burstBytes + bytesPerTick * ticks;
        assertTrue(journal.peerBytes[1] <= bound, "peer 1 journaled " + journal.peerBytes[1] + " bytes, over its "
                + "budget's bound " + bound + " (offered " + offered + ")");
        assertTrue(journal.peerBytes[1] >= burstBytes, "the burst itself must pass");
        long admittedFrames = journal.peerBytes[1] / frame.length;
        assertEquals(offered / frame.length - admittedFrames, agent.peerFramesOverBudget(),
                "every frame over the budget is counted");
        assertEquals(ticks + 1, journal.peerMessages - admittedFrames, "every frame of peer 2 was journaled");
        assertEquals(0, agent.peerFramesJunk());
        assertTrue(transport.bans.isEmpty(), "being over budget is not a reason to ban");
    }

    @Test
    void aFloodOfTinyMessages_isBoundedByTheMessageBudget() {
        PeerBudgets.Settings budgets = new PeerBudgets.Settings(ShellLimits.MAX_FRAME_BYTES, 1 << 20, 50, 2, 8, 1_000,
                100, 60_000);
        QueueTransport transport = new QueueTransport(0, 2);
        CountingJournal journal = new CountingJournal(2);
        ManualClock clock = new ManualClock(0);
        RecordingStateMachine sm = new RecordingStateMachine(new ArrayList<>(), input -> NodeOutput.EMPTY);
        NodeAgent agent = new NodeAgent(sm, journal, transport, clock, CoreInputCodec.INSTANCE, (n, b) -> {}, -1,
                budgets);
        for (long t = 0; t <= 100; t++) {
            clock.advanceTo(t);
            for (int i = 0; i < 100; i++) {
                transport.offer(1, new byte[] {1});
            }
            agent.doWork();
        }
        assertEquals(50 + 2 * 100, journal.peerMessages, "the burst, then the refill of 2 a tick");
        assertEquals(101 * 100 - 250, agent.peerFramesOverBudget());
    }

    @Test
    void junk_isNeverJournaledNorApplied_andAPeerThatKeepsSendingIt_isBannedForAWhile() throws Exception {
        long banTicks = 100;
        PeerBudgets.Settings budgets = new PeerBudgets.Settings(ShellLimits.MAX_FRAME_BYTES, 1 << 20, 1_000, 100, 3,
                10_000, banTicks, 60_000);
        QueueTransport transport = new QueueTransport(0, 3);
        CountingJournal journal = new CountingJournal(3);
        ManualClock clock = new ManualClock(0);
        RecordingStateMachine sm = new RecordingStateMachine(new ArrayList<>(), input -> NodeOutput.EMPTY);
        sm.junker = m -> m.bytes().length > 0 && m.bytes()[0] == 'J' ? "junk" : null;
        NodeAgent agent = new NodeAgent(sm, journal, transport, clock, CoreInputCodec.INSTANCE, (n, b) -> {}, -1,
                budgets);

        transport.offer(1, utf8("vote a"));
        for (int i = 0; i < 3; i++) {
            transport.offer(1, utf8("Junk " + i)); // within the allowance of 3: dropped, not banned
        }
        transport.offer(1, utf8("vote b"));
        transport.offer(2, utf8("Junk from 2"));
        agent.doWork();
        assertEquals(4, agent.peerFramesJunk());
        assertEquals(0, agent.peerBans());
        assertEquals(2, journal.peerMessages, "only the two votes were journaled");

        clock.advanceTo(5);
        transport.offer(1, utf8("Junk 3")); // allowance spent: banned
        transport.offer(1, utf8("vote c")); // dropped: banned
        agent.doWork();
        assertEquals(1, agent.peerBans());
        assertEquals(List.of("1 for 60000 ms"), transport.bans, "the transport disconnects the peer");
        assertEquals(1, agent.peerFramesBanned());

        clock.advanceTo(5 + banTicks - 1);
        transport.offer(1, utf8("vote d"));
        transport.offer(2, utf8("vote from 2")); // another peer is not affected
        agent.doWork();
        assertEquals(2, agent.peerFramesBanned());

        clock.advanceTo(5 + banTicks);
        transport.offer(1, utf8("vote e")); // the ban is over
        agent.doWork();
        assertEquals(2, agent.peerFramesBanned());

        List<String> applied = new ArrayList<>();
        for (NodeInput i : sm.inputs) {
            if (i instanceof NodeInput.PeerMessage) {
                applied.add(RecordingStateMachine.describe(i));
            }
        }
        assertEquals(List.of("peer 1 vote a", "peer 1 vote b", "peer 2 vote from 2", "peer 1 vote e"), applied);
        assertEquals(4, journal.peerMessages, "junk and a banned peer's frames are not journaled");
        com.fasterxml.jackson.databind.JsonNode status = agent.statusJson();
        assertEquals(5, status.get("peerFramesDropped").get("junk").asLong(), "the status answer reports the drops");
        assertEquals(2, status.get("peerFramesDropped").get("banned").asLong());
        assertEquals(0, status.get("peerFramesDropped").get("overBudget").asLong());
        assertEquals(1, status.get("peerBans").asLong());
        RecordingStateMachine replayed = new RecordingStateMachine(new ArrayList<>(), input -> NodeOutput.EMPTY);
        NodeAgent.recover(journal, replayed, CoreInputCodec.INSTANCE);
        assertEquals(sm.stateRoot(), replayed.stateRoot());
    }

    /** A 2-validator network where validator 0 holds 10 of 11 votes: it commits alone, whatever validator 1 sends. */
    private static Genesis soloGenesis() {
        List<Genesis.Validator> validators = List.of(
                new Genesis.Validator("validator-0", Signer.deterministic("junk-v0", 1).publicKey(), 10),
                new Genesis.Validator("validator-1", Signer.deterministic("junk-v1", 1).publicKey(), 1));
        return new Genesis("junk-test", validators,
                List.of(new Genesis.InitialAccount(Signer.deterministic("junk-a0", 1).publicKey(), 1_000_000)),
                Genesis.ConsensusParams.DEFAULT);
    }

    /** Near-limit junk of several kinds: each fails {@link PeerWire#decode} or the decoding of what it carries. */
    private static byte[] nearLimitJunk(int i, SplittableRandom random) {
        byte[] b = new byte[ShellLimits.MAX_FRAME_BYTES - (i % 3)];
        random.nextBytes(b);
        int[] tags = {PeerWire.TAG_CONSENSUS, PeerWire.TAG_BLOCK_RESPONSE, PeerWire.TAG_TRANSACTION, 0xEE};
        b[0] = (byte) tags[i % tags.length];
        if (b[0] == PeerWire.TAG_TRANSACTION) {
            b[1] = b[2] = b[3] = b[4] = 0; // a short length: the transaction is followed by trailing bytes
            b[4] = 100;
        }
        return b;
    }

    @Test
    void aValidatorSendingNearLimitJunk_growsNoJournal_andReplayGivesTheStateThatApplyingTheJunkWouldHaveGiven()
            throws Exception {
        Genesis genesis = soloGenesis();
        Signer key0 = Signer.deterministic("junk-v0", 1);
        ValidatorNode live = new ValidatorNode(genesis, key0);
        ValidatorNode reference = new ValidatorNode(genesis, key0); // applies everything, as the old agent did
        QueueTransport transport = new QueueTransport(0, 2);
        CountingJournal journal = new CountingJournal(2);
        ManualClock clock = new ManualClock(0);
        NodeAgent agent = new NodeAgent(live, journal, transport, clock, CoreInputCodec.INSTANCE, (n, b) -> {}, -1);
        SplittableRandom random = new SplittableRandom(7);
        int junkFrames = 0;
        for (long t = 0; t <= 12_000; t++) {
            clock.advanceTo(t);
            reference.apply(new NodeInput.Tick(t));
            if (t % 100 == 50) { // 40 MiB/s of junk at one-millisecond ticks
                byte[] junk = nearLimitJunk(junkFrames++, random);
                assertFalse(live.junk(new NodeInput.PeerMessage(1, junk)) == null, "frame " + junkFrames);
                transport.offer(1, junk);
                NodeOutput out = reference.apply(new NodeInput.PeerMessage(1, junk));
                assertTrue(out.outbound().isEmpty() && out.committed().isEmpty() && out.rejections().size() == 1,
                        "applied, junk is only rejected: " + out);
            }
            agent.doWork();
        }

        assertEquals(120, junkFrames);
        assertEquals(0, journal.peerMessages, "no junk frame was journaled");
        // Most junk never reaches the check: the byte budget (8 MiB, then 4 MiB/s) drops it first; the frames that
        // pass are found to be junk, and the allowance's end bans the peer for the rest of the run.
        assertEquals(ShellLimits.PEER_JUNK_FRAMES_BEFORE_BAN + 1, agent.peerFramesJunk(), "junk until the ban");
        assertEquals(1, agent.peerBans());
        assertEquals(List.of("1 for " + ShellLimits.PEER_BAN_MILLIS + " ms"), transport.bans);
        assertTrue(agent.peerFramesBanned() > 0);
        assertEquals(junkFrames, agent.peerFramesJunk() + agent.peerFramesOverBudget() + agent.peerFramesBanned(),
                "every junk frame is dropped and counted");
        assertTrue(live.height() >= 3, "the node kept committing: height " + live.height());
        assertEquals(reference.height(), live.height());
        assertEquals(reference.lastBlockHash(), live.lastBlockHash());
        assertEquals(reference.stateRoot(), live.stateRoot());

        ValidatorNode replayed = new ValidatorNode(genesis, key0);
        NodeAgent.recover(journal, replayed, CoreInputCodec.INSTANCE);
        assertEquals(live.height(), replayed.height());
        assertEquals(live.lastBlockHash(), replayed.lastBlockHash());
        assertEquals(live.stateRoot(), replayed.stateRoot());
    }
}
