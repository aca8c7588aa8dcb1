package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Genesis {@code createEmptyBlocksIntervalTicks}: four validators on a lockstep in-test network (every message
 * delivered before the next tick step), idle or with one transfer; everything is counted in ticks.
 */
class EmptyBlocksIntervalTest {
    private static final String CHAIN = "empty-blocks-test";
    private static final int N = 4;
    private static final long TICK_STEP = 10;
    private static final Genesis.ConsensusParams FAST = LocalnetTest.FAST;

    private static Signer validatorKey(int i) {
        return Signer.deterministic("validator-" + i, 5);
    }

    private static Signer account(String name) {
        return Signer.deterministic(name, 5);
    }

    private static final class Net {
        record Delivery(int to, int from, byte[] bytes) {}

        final ValidatorNode[] nodes = new ValidatorNode[N];
        final List<TreeMap<Long, NodeOutput.CommittedBlock>> committed = new ArrayList<>();
        final ArrayDeque<Delivery> queue = new ArrayDeque<>();
        long tick;

        Net(Genesis.ConsensusParams params) {
            List<Genesis.Validator> vs = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                vs.add(new Genesis.Validator("v" + i, validatorKey(i).publicKey(), 1));
            }
            List<Genesis.InitialAccount> as = List.of(
                    new Genesis.InitialAccount(account("alice").publicKey(), 1_000_000),
                    new Genesis.InitialAccount(account("bob").publicKey(), 1_000_000));
            Genesis genesis = new Genesis(CHAIN, vs, as, params);
            for (int i = 0; i < N; i++) {
                nodes[i] = new ValidatorNode(genesis, validatorKey(i));
                committed.add(new TreeMap<>());
            }
        }

        void input(int i, NodeInput in) {
            NodeOutput out = nodes[i].apply(in);
            for (NodeOutput.CommittedBlock b : out.committed()) {
                committed.get(i).put(b.height(), b);
            }
            for (NodeOutput.Outbound o : out.outbound()) {
                for (int j = 0; j < N; j++) {
                    if (j != i && (o.peer() == NodeOutput.Outbound.BROADCAST || o.peer() == j)) {
                        queue.add(new Delivery(j, i, o.bytes()));
                    }
                }
            }
        }

        void pump() {
            while (!queue.isEmpty()) {
                Delivery d = queue.poll();
                input(d.to(), new NodeInput.PeerMessage(d.from(), d.bytes()));
            }
        }

        void runTo(long untilTick) {
            while (tick + TICK_STEP <= untilTick) {
                tick += TICK_STEP;
                for (int i = 0; i < N; i++) {
                    input(i, new NodeInput.Tick(tick));
                }
                pump();
            }
        }

        int blocks() {
            return committed.get(0).size();
        }

        NodeOutput.CommittedBlock last() {
            return committed.get(0).lastEntry().getValue();
        }
    }

    @Test
    void idle_anIntervalOfZeroMakesABlockPerHeight_anIntervalMakesOneBlockPerInterval_allInRoundZero() {
        Net always = new Net(FAST);
        always.runTo(4_000);
        Net idle = new Net(FAST.withCreateEmptyBlocksIntervalTicks(500));
        idle.runTo(4_000);
        System.out.println("idle 4 validators, 4,000 ticks (lockstep, " + TICK_STEP + " ticks a step): interval 0: "
                + always.blocks() + " blocks, interval 500: " + idle.blocks() + " blocks");
        assertTrue(always.blocks() > 100, "interval 0 made only " + always.blocks() + " blocks");
        // One block per interval plus the time the height takes once started: between 4,000/(500+100) and 4,000/500.
        assertTrue(idle.blocks() >= 6 && idle.blocks() <= 8, "interval 500 made " + idle.blocks() + " blocks");
        for (int i = 0; i < N; i++) {
            assertEquals(idle.committed.get(0), idle.committed.get(i), "node " + i + " committed other blocks");
            for (NodeOutput.CommittedBlock b : idle.committed.get(i).values()) {
                assertEquals(0, b.round(), "height " + b.height() + " went past round 0: a timeout fired while idle");
                assertEquals(0, b.transactionCount());
            }
        }
        long previous = 0;
        for (NodeOutput.CommittedBlock b : idle.committed.get(0).values()) {
            assertTrue(b.committedAtTick() - previous >= 500, "block " + b.height() + " came " + (b.committedAtTick()
                    - previous) + " ticks after the previous one, before the interval");
            previous = b.committedAtTick();
        }
    }

    @Test
    void aTransactionStartsTheHeightAtOnce() {
        Net net = new Net(FAST.withCreateEmptyBlocksIntervalTicks(5_000));
        net.runTo(5_200); // block 1 after the first interval
        assertEquals(1, net.blocks());
        long committedAt = net.last().committedAtTick();
        net.runTo(committedAt + 100);
        assertEquals(1, net.blocks(), "an empty block before the interval");
        Transaction tx = Transaction.sign(account("alice"), CHAIN, account("bob").publicKey(), 10, 1, 0);
        long submittedAt = net.tick;
        net.input(2, new NodeInput.ClientTransaction(TransactionCodec.encode(tx)));
        net.pump();
        net.runTo(submittedAt + 200);
        assertEquals(2, net.blocks(), "the transaction did not start the height");
        assertEquals(1, net.last().transactionCount());
        assertEquals(0, net.last().round());
    }

    @Test
    void theIntervalIsPartOfTheGenesis_absentMeansZero_andAZeroKeepsTheOldHash() {
        Genesis zero = new Net(FAST).nodes[0].genesis();
        Genesis set = new Net(FAST.withCreateEmptyBlocksIntervalTicks(500)).nodes[0].genesis();
        assertTrue(!zero.toJson().contains("createEmptyBlocksIntervalTicks"), zero.toJson());
        assertEquals(zero, Genesis.fromJson(zero.toJson()));
        assertEquals(set, Genesis.fromJson(set.toJson()));
        assertEquals(500, Genesis.fromJson(set.toJson()).consensus().createEmptyBlocksIntervalTicks());
        assertTrue(!zero.hash().equals(set.hash()), "the interval is not covered by the genesis hash");
        // The canonical bytes of a genesis without the interval are exactly what they were before it existed.
        byte[] withField = set.canonicalBytes();
        byte[] without = zero.canonicalBytes();
        assertEquals(without.length + 8, withField.length);
        assertEquals(dev.oasisj.core.crypto.Hash32.sha256(java.util.Arrays.copyOf(withField, without.length)),
                dev.oasisj.core.crypto.Hash32.sha256(without));
        dev.oasisj.core.ledger.InvalidGenesisException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.oasisj.core.ledger.InvalidGenesisException.class,
                () -> Genesis.fromJson(set.toJson().replace("\"createEmptyBlocksIntervalTicks\" : 500",
                        "\"createEmptyBlocksIntervalTicks\" : -1")));
        assertTrue(e.getMessage().contains("consensus.createEmptyBlocksIntervalTicks"), e.getMessage());
    }
}
