package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Scenario tests of four {@link ValidatorNode}s wired through an in-test message pump: ticks advance in lockstep, every
 * message is delivered (FIFO) before the next tick, a crashed node receives and sends nothing.
 */
class LocalnetTest {
    static final String CHAIN = "localnet-test";
    static final int VALIDATORS = 4;
    /** Short timeouts so that rounds with a silent proposer pass quickly; one lockstep step is 10 ticks. */
    static final Genesis.ConsensusParams FAST = new Genesis.ConsensusParams(30, 10, 20, 10, 20, 10, 200);
    static final long TICK_STEP = 10;

    static Signer validatorKey(int i) {
        return Signer.deterministic("validator-" + i, 11);
    }

    static Signer accountKey(String name) {
        return Signer.deterministic(name, 11);
    }

    static Genesis genesis() {
        List<Genesis.Validator> vs = new ArrayList<>();
        for (int i = 0; i < VALIDATORS; i++) {
            vs.add(new Genesis.Validator("v" + i, validatorKey(i).publicKey(), 1)); // equal power 1: the proposer rotates every height
        }
        List<Genesis.InitialAccount> as = new ArrayList<>();
        for (String a : List.of("alice", "bob", "carol")) {
            as.add(new Genesis.InitialAccount(accountKey(a).publicKey(), 1_000_000));
        }
        return new Genesis(CHAIN, vs, as, FAST);
    }

    /** The in-test network: node i is validator i; a message from i is delivered to peer index i. */
    static final class Net {
        record Delivery(int to, int from, byte[] bytes) {}

        final Genesis genesis;
        final ValidatorNode[] nodes;
        final boolean[] crashed;
        final List<List<NodeInput>> inputs = new ArrayList<>();
        final List<TreeMap<Long, NodeOutput.CommittedBlock>> committed = new ArrayList<>();
        final List<List<NodeOutput.Rejection>> rejections = new ArrayList<>();
        final ArrayDeque<Delivery> queue = new ArrayDeque<>();
        /** Deliveries this returns true for are lost (an asymmetric, message-selective fault). */
        java.util.function.Predicate<Delivery> lose = d -> false;
        /** Every message a node sent, in order (sender, bytes; a broadcast once). */
        final List<Delivery> sent = new ArrayList<>();
        long tick;
        /** The application every node drives (null: the transfer ledger). */
        final dev.oasisj.core.app.@org.checkerframework.checker.nullness.qual.Nullable ApplicationFactory factory;

        Net() {
            this(null);
        }

        /** A network whose nodes drive the applications {@code factory} makes (null: the transfer ledger). */
        Net(dev.oasisj.core.app.@org.checkerframework.checker.nullness.qual.Nullable ApplicationFactory factory) {
            this(factory, VALIDATORS);
        }

        /**
         * A network of {@code nodeCount} nodes: node i signs with {@link #validatorKey}(i); the genesis validators are
         * the first {@link #VALIDATORS}, the others start as observers.
         */
        Net(dev.oasisj.core.app.@org.checkerframework.checker.nullness.qual.Nullable ApplicationFactory factory,
                int nodeCount) {
            this(genesis(), factory, nodeCount);
        }

        /** A network of {@code nodeCount} nodes on {@code genesis} (node i signs with {@link #validatorKey}(i)). */
        Net(Genesis genesis,
                dev.oasisj.core.app.@org.checkerframework.checker.nullness.qual.Nullable ApplicationFactory factory,
                int nodeCount) {
            this.genesis = genesis;
            this.factory = factory;
            this.nodes = new ValidatorNode[nodeCount];
            this.crashed = new boolean[nodeCount];
            for (int i = 0; i < nodeCount; i++) {
                nodes[i] = fresh(i);
                inputs.add(new ArrayList<>());
                committed.add(new TreeMap<>());
                rejections.add(new ArrayList<>());
            }
        }

        ValidatorNode fresh(int i) {
            dev.oasisj.core.app.ApplicationFactory f = factory;
            return f == null ? new ValidatorNode(genesis, validatorKey(i)) : new ValidatorNode(genesis, validatorKey(i), f);
        }

        void restart(int i) {
            nodes[i] = fresh(i);
            inputs.set(i, new ArrayList<>());
            crashed[i] = false;
        }

        void input(int i, NodeInput in) {
            inputs.get(i).add(in);
            NodeOutput out = nodes[i].apply(in);
            for (NodeOutput.CommittedBlock b : out.committed()) {
                NodeOutput.CommittedBlock previous = committed.get(i).put(b.height(), b);
                assertTrue(previous == null || previous.blockHash().equals(b.blockHash()),
                        "node " + i + " committed two different blocks at height " + b.height());
            }
            rejections.get(i).addAll(out.rejections());
            for (NodeOutput.Outbound o : out.outbound()) {
                sent.add(new Delivery(o.peer(), i, o.bytes()));
                if (o.peer() == NodeOutput.Outbound.BROADCAST) {
                    for (int j = 0; j < nodes.length; j++) {
                        if (j != i) {
                            queue.add(new Delivery(j, i, o.bytes()));
                        }
                    }
                } else {
                    queue.add(new Delivery(o.peer(), i, o.bytes()));
                }
            }
        }

        void pump() {
            for (int n = 0; !queue.isEmpty(); n++) {
                assertTrue(n < 1_000_000, "message storm");
                Delivery d = queue.poll();
                if (!crashed[d.to()] && !crashed[d.from()] && !lose.test(d)) {
                    input(d.to(), new NodeInput.PeerMessage(d.from(), d.bytes()));
                }
            }
        }

        void step() {
            tick += TICK_STEP;
            for (int i = 0; i < nodes.length; i++) {
                if (!crashed[i]) {
                    input(i, new NodeInput.Tick(tick));
                }
            }
            pump();
        }

        void submit(int node, Transaction tx) {
            input(node, new NodeInput.ClientTransaction(TransactionCodec.encode(tx)));
            pump();
        }

        /** Steps until every live node committed {@code height}; fails after {@code maxSteps}. */
        void runUntilHeight(long height, int maxSteps) {
            for (int s = 0; s < maxSteps; s++) {
                boolean done = true;
                for (int i = 0; i < nodes.length; i++) {
                    done &= crashed[i] || nodes[i].height() >= height;
                }
                if (done) {
                    return;
                }
                step();
            }
            StringBuilder sb = new StringBuilder("not all nodes reached height " + height + ":");
            for (ValidatorNode n : nodes) {
                sb.append("\n  ").append(n);
            }
            throw new AssertionError(sb.toString());
        }

        void assertAgreementUpTo(long height, int... nodeIndexes) {
            for (long h = 1; h <= height; h++) {
                NodeOutput.CommittedBlock first = committed.get(nodeIndexes[0]).get(h);
                assertTrue(first != null, "node " + nodeIndexes[0] + " has no block at height " + h);
                for (int i : nodeIndexes) {
                    NodeOutput.CommittedBlock b = committed.get(i).get(h);
                    assertTrue(b != null, "node " + i + " has no block at height " + h);
                    assertEquals(first.blockHash(), b.blockHash(), "block hash at height " + h + ", node " + i);
                    assertEquals(first.stateRoot(), b.stateRoot(), "state root at height " + h + ", node " + i);
                }
            }
        }
    }

    private static Transaction transfer(String from, String to, long amount, long nonce) {
        return Transaction.sign(accountKey(from), CHAIN, accountKey(to).publicKey(), amount, 2, nonce);
    }

    @Test
    void fourValidatorsCommitTenBlocks_withIdenticalHashesAndStateRoots_andApplyTheTransfers() {
        Net net = new Net();
        int submitted = 0;
        for (int n = 0; n < 12; n++) {
            net.submit(n % VALIDATORS, transfer("alice", "bob", 100, n));
            submitted++;
            net.step();
        }
        net.runUntilHeight(10, 500);
        int max = (int) Math.min(net.nodes[0].height(), Math.min(net.nodes[1].height(),
                Math.min(net.nodes[2].height(), net.nodes[3].height())));
        net.assertAgreementUpTo(max, 0, 1, 2, 3);
        int included = 0;
        for (NodeOutput.CommittedBlock b : net.committed.get(0).values()) {
            included += b.transactionCount();
        }
        assertEquals(submitted, included, "every submitted transfer is committed exactly once");
        for (ValidatorNode node : net.nodes) {
            assertEquals(1_000_000 - 12 * 102, node.ledger().balance(accountKey("alice").publicKey()));
            assertEquals(1_000_000 + 12 * 100, node.ledger().balance(accountKey("bob").publicKey()));
            assertEquals(12, node.ledger().nextNonce(accountKey("alice").publicKey()));
            assertEquals(0, node.mempoolSize());
        }
        for (int i = 0; i < VALIDATORS; i++) {
            assertTrue(net.rejections.get(i).isEmpty(), "node " + i + " rejected " + net.rejections.get(i));
        }
    }

    @Test
    void withOneSilentValidator_theOtherThreeStillCommit() {
        Net net = new Net();
        net.crashed[3] = true;
        net.submit(0, transfer("carol", "alice", 5, 0));
        net.runUntilHeight(10, 2_000);
        net.assertAgreementUpTo(10, 0, 1, 2);
        boolean someRoundAboveZero = false;
        for (NodeOutput.CommittedBlock b : net.committed.get(0).values()) {
            someRoundAboveZero |= b.round() > 0;
            assertTrue(!b.proposer().equals("v3"), "the silent validator proposed nothing");
        }
        assertTrue(someRoundAboveZero, "heights where v3 was proposer needed a second round");
        assertEquals(1_000_000 + 5, net.nodes[1].ledger().balance(accountKey("alice").publicKey()));
    }

    @Test
    void aRestartedValidatorCatchesUpByBlockSync_andAgreesWithTheOthers() {
        Net net = new Net();
        net.crashed[2] = true;
        net.submit(0, transfer("alice", "carol", 7, 0));
        net.runUntilHeight(6, 2_000);
        assertEquals(0, net.nodes[2].height());
        net.restart(2); // from genesis: it has lost everything
        net.runUntilHeight(12, 2_000);
        net.assertAgreementUpTo(12, 0, 1, 2, 3);
        assertEquals(net.nodes[0].stateRoot(), net.nodes[2].stateRoot());
        assertEquals(1_000_000 + 7, net.nodes[2].ledger().balance(accountKey("carol").publicKey()));
    }

    /** True for a consensus precommit of {@code height} in {@code bytes} (a peer-wire frame). */
    private static boolean isPrecommitAt(byte[] bytes, long height) {
        return isPrecommitAt(bytes, height, -1);
    }

    /** True for a consensus precommit of {@code height} and {@code round} (any round if -1) in {@code bytes}. */
    private static boolean isPrecommitAt(byte[] bytes, long height, int round) {
        try {
            PeerWire.Message m = PeerWire.decode(bytes);
            if (m instanceof PeerWire.Consensus c) {
                ConsensusMessage cm = ConsensusMessageCodec.decode(c.bytes()).message();
                return cm instanceof ConsensusMessage.Precommit && cm.height() == height
                        && (round < 0 || cm.round() == round);
            }
            return false;
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A validator that missed the precommits of one height, in a network that needs its votes for the next one (one of
     * four silent), is one height behind: its peers cannot go further without it, so the gap never reaches
     * {@link NodeLimits#SYNC_TRIGGER_HEIGHT_GAP}. It must fetch the block well before the long silence timeout
     * ({@code blockSyncSilenceTicks}), once it has seen the next height's messages for a propose timeout.
     */
    @Test
    void aValidatorOneHeightBehind_syncsAfterAProposeTimeout_notAfterTheSilenceTimeout() {
        Net net = new Net();
        net.crashed[3] = true;
        net.runUntilHeight(2, 500);
        long h = 3;
        net.lose = d -> d.to() == 2 && isPrecommitAt(d.bytes(), h);
        for (int s = 0; s < 500 && (net.nodes[0].height() < h || net.nodes[1].height() < h); s++) {
            net.step();
        }
        assertEquals(h, net.nodes[0].height(), "nodes 0 and 1 committed height " + h + " with node 2's precommit");
        assertEquals(h - 1, net.nodes[2].height(), "node 2 saw none of the precommits of height " + h);
        net.lose = d -> false;
        long behindSince = net.tick;
        while (net.nodes[2].height() < h) {
            assertTrue(net.tick - behindSince < FAST.blockSyncSilenceTicks(), "node 2 still at height "
                    + net.nodes[2].height() + " after " + (net.tick - behindSince) + " ticks");
            net.step();
        }
        long caughtUpAfter = net.tick - behindSince;
        assertTrue(caughtUpAfter <= FAST.timeoutProposeBaseTicks() + 3 * TICK_STEP,
                "caught up after " + caughtUpAfter + " ticks; a propose timeout is " + FAST.timeoutProposeBaseTicks());
        net.runUntilHeight(h + 3, 500);
        net.assertAgreementUpTo(h + 3, 0, 1, 2);
    }

    /**
     * Nodes send only their own votes, so a polka some validators saw (a Byzantine split vote, or lost messages) would
     * stay unseen by the others. On entering a new round a node forwards the prevotes behind its valid value. Here all
     * precommits of round 0 are lost after every node saw the polka; node 3 then receives nil precommits of 0, 1 and 2
     * (equivocations, as Byzantine validators might send), times out into round 1, and forwards the three round-0
     * prevotes it holds from the others, once.
     */
    @Test
    void onANewRound_aNodeForwardsThePrevotesOfItsValidRound() throws DecodeException {
        Net net = new Net();
        long h = 2;
        net.lose = d -> isPrecommitAt(d.bytes(), h, 0);
        net.runUntilHeight(h - 1, 500);
        for (int s = 0; s < 5; s++) {
            net.step();
        }
        assertEquals(h - 1, net.nodes[3].height(), "round 0 of height " + h + " cannot decide: its precommits are lost");
        int sentBefore = net.sent.size();
        for (int i = 0; i < 3; i++) {
            SignedMessage nil = SignedMessage.sign(CHAIN, new ConsensusMessage.Precommit(h, 0, VoteValue.NIL),
                    validatorKey(i));
            net.input(3, new NodeInput.PeerMessage(i, PeerWire.encode(
                    new PeerWire.Consensus(ConsensusMessageCodec.encode(nil)))));
        }
        for (int s = 0; s < 20; s++) {
            net.step();
        }
        int forwarded = 0;
        for (Net.Delivery d : net.sent.subList(sentBefore, net.sent.size())) {
            PeerWire.Message m = PeerWire.decode(d.bytes());
            if (d.from() == 3 && m instanceof PeerWire.Consensus c) {
                SignedMessage signed = ConsensusMessageCodec.decode(c.bytes());
                if (!signed.signer().equals(validatorKey(3).publicKey())
                        && signed.message() instanceof ConsensusMessage.Prevote p && p.height() == h
                        && p.round() == 0) {
                    forwarded++;
                }
            }
        }
        assertEquals(3, forwarded, "round-0 prevotes of validators 0, 1, 2 forwarded by node 3 in round 1");
    }

    @Test
    void replayingTheJournaledInputsIntoAFreshNodeReproducesItsStateExactly() throws DecodeException {
        Net net = new Net();
        for (int n = 0; n < 5; n++) {
            net.submit(1, transfer("bob", "alice", 10, n));
            net.step();
        }
        net.runUntilHeight(8, 500);
        for (int i = 0; i < VALIDATORS; i++) {
            ValidatorNode replica = new ValidatorNode(net.genesis, validatorKey(i));
            for (NodeInput in : net.inputs.get(i)) {
                replica.apply(NodeInputCodec.decode(NodeInputCodec.encode(in)));
            }
            assertEquals(net.nodes[i].height(), replica.height());
            assertEquals(net.nodes[i].lastBlockHash(), replica.lastBlockHash());
            assertEquals(net.nodes[i].stateRoot(), replica.stateRoot());
        }
    }

    @Test
    void aSyncedBlockNeedsMoreThanTwoThirdsOfThePrecommits() {
        Net net = new Net();
        net.submit(0, transfer("alice", "bob", 1, 0));
        net.runUntilHeight(2, 500);
        PeerWire.CommittedBlock first = net.nodes[0].committedBlock(1).orElseThrow();
        var sigs = first.commit().signatures();
        assertTrue(sigs.size() >= 3);

        ValidatorNode fresh = new ValidatorNode(net.genesis, validatorKey(3));
        var twoOfFour = new dev.oasisj.core.ledger.Commit(first.commit().round(), sigs.subList(0, 2));
        NodeOutput out = fresh.apply(new NodeInput.PeerMessage(0, PeerWire.encode(new PeerWire.BlockResponse(
                List.of(new PeerWire.CommittedBlock(first.block(), twoOfFour))))));
        assertEquals(0, fresh.height());
        assertEquals("SYNC_BAD_COMMIT", out.rejections().get(0).reason());

        var duplicated = new dev.oasisj.core.ledger.Commit(first.commit().round(),
                List.of(sigs.get(0), sigs.get(0), sigs.get(1)));
        out = fresh.apply(new NodeInput.PeerMessage(0, PeerWire.encode(new PeerWire.BlockResponse(
                List.of(new PeerWire.CommittedBlock(first.block(), duplicated))))));
        assertEquals(0, fresh.height());
        assertEquals("SYNC_BAD_COMMIT", out.rejections().get(0).reason());

        var otherBlock = new dev.oasisj.core.ledger.Block(1, first.block().previousBlockHash(),
                first.block().proposer(), List.of(), first.block().lastCommit(), fresh.stateRoot());
        out = fresh.apply(new NodeInput.PeerMessage(0, PeerWire.encode(new PeerWire.BlockResponse(
                List.of(new PeerWire.CommittedBlock(otherBlock, first.commit()))))));
        assertEquals(0, fresh.height(), "the commit signs another block");

        out = fresh.apply(new NodeInput.PeerMessage(0, PeerWire.encode(new PeerWire.BlockResponse(
                List.of(first)))));
        assertEquals(1, fresh.height());
        assertEquals(net.nodes[0].committedBlock(1).orElseThrow().block().hash(), fresh.lastBlockHash());
        assertEquals(1, out.committed().size());
    }

    @Test
    void clientTransactionsAreCheckedBeforeTheMempool() {
        Net net = new Net();
        ValidatorNode node = net.nodes[0];
        NodeOutput bad = node.apply(new NodeInput.ClientTransaction(new byte[] {1, 2, 3}));
        assertEquals("MALFORMED", bad.rejections().get(0).reason());
        Transaction t = transfer("alice", "bob", 1, 0);
        byte[] sig = t.signature();
        sig[3] ^= 1;
        Transaction forged = new Transaction(t.chainId(), t.sender(), t.recipient(), 1, 2, 0, sig);
        NodeOutput forgedOut = node.apply(new NodeInput.ClientTransaction(TransactionCodec.encode(forged)));
        assertEquals("BAD_SIGNATURE", forgedOut.rejections().get(0).reason());
        NodeOutput gap = node.apply(new NodeInput.ClientTransaction(TransactionCodec.encode(
                transfer("alice", "bob", 1, 5))));
        assertEquals("BAD_NONCE", gap.rejections().get(0).reason());
        NodeOutput ok = node.apply(new NodeInput.ClientTransaction(TransactionCodec.encode(t)));
        assertTrue(ok.rejections().isEmpty());
        assertEquals(1, ok.outbound().size(), "an admitted transaction is gossiped once");
        NodeOutput dup = node.apply(new NodeInput.ClientTransaction(TransactionCodec.encode(t)));
        assertEquals("DUPLICATE", dup.rejections().get(0).reason());
        assertEquals(1, node.mempoolSize());
        Hash32 rootBefore = node.stateRoot();
        NodeOutput garbage = node.apply(new NodeInput.PeerMessage(1, new byte[] {7, 7}));
        assertEquals("MALFORMED_PEER_MESSAGE", garbage.rejections().get(0).reason());
        assertEquals(rootBefore, node.stateRoot());
    }

    @Test
    void twoRunsWithTheSameInputsCommitTheSameBlocks() {
        Net a = new Net();
        Net b = new Net();
        for (Net net : List.of(a, b)) {
            net.submit(2, transfer("carol", "bob", 3, 0));
            net.runUntilHeight(4, 500);
        }
        assertEquals(a.committed.get(0), b.committed.get(0));
        assertArrayEquals(a.nodes[0].lastBlockHash().toBytes(), b.nodes[0].lastBlockHash().toBytes());
    }
}
