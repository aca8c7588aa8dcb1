package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Commit;
import dev.oasisj.core.ledger.Transaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link ValidatorNode} restored at a committed height ({@link ValidatorNode#restore}) and fed the inputs that followed
 * reaches the state of a node that replayed everything from genesis, and goes on committing with its peers.
 */
class CheckpointRestoreTest {

    private static Transaction transfer(String from, String to, long amount, long nonce) {
        return Transaction.sign(LocalnetTest.accountKey(from), LocalnetTest.CHAIN,
                LocalnetTest.accountKey(to).publicKey(), amount, 2, nonce);
    }

    /** The restored node (at the first input after which node 0 committed {@code height}) and the inputs after it. */
    private record Restored(ValidatorNode node, List<NodeInput> suffix) {}

    private static Restored restoreAt(LocalnetTest.Net net, int i, long height) {
        ValidatorNode replay = new ValidatorNode(net.genesis, LocalnetTest.validatorKey(i));
        List<NodeInput> inputs = net.inputs.get(i);
        for (int k = 0; k < inputs.size(); k++) {
            NodeOutput out = replay.apply(inputs.get(k));
            if (out.committed().stream().anyMatch(b -> b.height() == height)) {
                assertEquals(height, replay.height(), "one block committed by that input");
                PeerWireCheck.assertPresent(replay, height);
                ValidatorNode restored = ValidatorNode.restore(net.genesis, LocalnetTest.validatorKey(i),
                        replay.committedBlock(height).orElseThrow(), replay.ledger(), replay.nowTick());
                return new Restored(restored, new ArrayList<>(inputs.subList(k + 1, inputs.size())));
            }
        }
        throw new AssertionError("node " + i + " never committed height " + height);
    }

    /** Tiny helper so the assertion message names the missing block. */
    private static final class PeerWireCheck {
        static void assertPresent(ValidatorNode n, long h) {
            assertTrue(n.committedBlock(h).isPresent(), "block " + h + " retained");
        }
    }

    @Test
    void restoredAtACommit_plusTheJournalSuffix_reachesTheFullReplaysState_andKeepsCommittingWithItsPeers() {
        LocalnetTest.Net net = new LocalnetTest.Net();
        for (int n = 0; n < 12; n++) {
            net.submit(n % LocalnetTest.VALIDATORS, transfer("alice", "bob", 100, n));
            net.step();
        }
        net.runUntilHeight(8, 500);
        ValidatorNode live = net.nodes[0];

        Restored r = restoreAt(net, 0, 3);
        assertEquals(3, r.node().height());
        assertEquals(4, r.node().consensusHeight());
        for (NodeInput in : r.suffix()) {
            r.node().apply(in);
        }
        assertEquals(live.height(), r.node().height());
        assertEquals(live.lastBlockHash(), r.node().lastBlockHash());
        assertEquals(live.stateRoot(), r.node().stateRoot());
        assertEquals(live.consensusHeight(), r.node().consensusHeight());
        assertEquals(live.consensusRound(), r.node().consensusRound());
        long before = live.height();

        // The restored node takes node 0's place and goes on with its peers (Net checks every commit's hash per height).
        net.nodes[0] = r.node();
        net.runUntilHeight(before + 5, 500);
        net.assertAgreementUpTo(before + 5, 0, 1, 2, 3);
        net.submit(0, transfer("alice", "carol", 7, 12));
        net.runUntilHeight(before + 8, 500);
        net.assertAgreementUpTo(before + 8, 0, 1, 2, 3);
        assertEquals(1_000_000 + 7, net.nodes[0].ledger().balance(LocalnetTest.accountKey("carol").publicKey()));
        for (int i = 0; i < LocalnetTest.VALIDATORS; i++) {
            assertTrue(net.rejections.get(i).isEmpty(), "node " + i + " rejected " + net.rejections.get(i));
        }
    }

    /**
     * The restore is exact: restored (with the held messages and the mempool) right after any input that committed a
     * block, a node applies every later input with exactly the outputs of the node that never stopped: the same
     * messages with the same signatures, the same commits and rejections. Without the held messages and the mempool
     * it is not (the second half), which is what let a restored validator's sign guard refuse to sign again.
     */
    @Test
    void restoredWithHeldMessagesAndMempool_atEveryCommit_theSuffixGivesTheSameOutputs() {
        LocalnetTest.Net net = new LocalnetTest.Net();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        net.lose = d -> random.nextInt(10) == 0; // some loss, so that messages of the next height are held early
        for (int n = 0; n < 40; n++) {
            net.submit(n % LocalnetTest.VALIDATORS, transfer("alice", "bob", 1 + n, n));
            net.step();
            net.step();
        }
        net.runUntilHeight(12, 3_000);
        int exactRestores = 0;
        int inexact = 0;
        int restoreSent = 0;
        for (int i = 0; i < LocalnetTest.VALIDATORS; i++) {
            List<NodeInput> inputs = net.inputs.get(i);
            ValidatorNode live = new ValidatorNode(net.genesis, LocalnetTest.validatorKey(i));
            List<NodeOutput> liveOut = new ArrayList<>();
            for (NodeInput in : inputs) {
                liveOut.add(live.apply(in));
            }
            ValidatorNode replay = new ValidatorNode(net.genesis, LocalnetTest.validatorKey(i));
            for (int k = 0; k < inputs.size(); k++) {
                NodeOutput out = replay.apply(inputs.get(k));
                if (out.committed().isEmpty()) {
                    continue;
                }
                long h = replay.height();
                PeerWire.CommittedBlock last = replay.committedBlock(h).orElseThrow();
                ValidatorNode exact = ValidatorNode.restore(net.genesis, LocalnetTest.validatorKey(i), last,
                        replay.ledger(), replay.nowTick(), replay.heldMessages(), replay.pendingTransactions());
                ValidatorNode bare = ValidatorNode.restore(net.genesis, LocalnetTest.validatorKey(i), last,
                        replay.ledger(), replay.nowTick());
                // What the restore's own drive signed is what the live node sent in the committing input (so the
                // sign guard may know it as released: SignGuard#observing).
                for (NodeOutput.Outbound o : exact.restoreOutbound()) {
                    assertTrue(liveOut.get(k).outbound().stream().anyMatch(x -> java.util.Arrays.equals(x.bytes(),
                            o.bytes())), "node " + i + " restored at height " + h + " sent what the live node did not");
                    restoreSent++;
                }
                boolean bareSame = true;
                for (int j = k + 1; j < inputs.size(); j++) {
                    NodeOutput expected = liveOut.get(j);
                    NodeOutput got = exact.apply(inputs.get(j));
                    assertEquals(describe(expected), describe(got), "node " + i + " restored at height " + h
                            + " (input " + k + "), input " + j + ": " + inputs.get(j));
                    if (bareSame) {
                        try {
                            bareSame = describe(expected).equals(describe(bare.apply(inputs.get(j))));
                        } catch (dev.oasisj.core.Invariant.ViolationException e) {
                            bareSame = false; // e.g. its own earlier vote echoed back, then a different one signed
                        }
                    }
                }
                exactRestores++;
                inexact += bareSame ? 0 : 1;
            }
        }
        assertTrue(exactRestores >= 40, "restored at " + exactRestores + " commits");
        assertTrue(inexact > 0, "without held messages and mempool some restore should differ (it did before)");
        assertTrue(restoreSent > 0, "some restore re-signed a message of the next height (the case the guard observes)");
    }

    /**
     * The sign guard knows what an exact restore re-signed: a validator restored from a checkpoint taken right after a
     * commit re-signs the next height's messages the live node had released, and may later need to resend them. The
     * guard of the restarted process (its saved state at that step or later) lets the identical resend out only if
     * it observed the restore (SignGuard#observing); unobserved it refuses it as "at or below the saved" state.
     */
    @Test
    void theSignGuard_observesWhatAnExactRestoreReSigned(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        LocalnetTest.Net net = new LocalnetTest.Net();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        net.lose = d -> random.nextInt(10) == 0;
        for (int n = 0; n < 40; n++) {
            net.submit(n % LocalnetTest.VALIDATORS, transfer("alice", "bob", 1 + n, n));
            net.step();
            net.step();
        }
        net.runUntilHeight(12, 3_000);
        for (int i = 0; i < LocalnetTest.VALIDATORS; i++) {
            ValidatorNode replay = new ValidatorNode(net.genesis, LocalnetTest.validatorKey(i));
            long journaled = 0;
            try {
                java.nio.file.Files.createDirectories(dir.resolve("v" + i));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            dev.oasisj.node.SignGuard live = dev.oasisj.node.SignGuard.open(dir.resolve("v" + i),
                    LocalnetTest.validatorKey(i).publicKey(), x -> { });
            live.goLive(0);
            for (NodeInput in : net.inputs.get(i)) {
                NodeOutput out = replay.apply(in);
                live.admit(out.outbound(), ++journaled);
                if (out.committed().isEmpty()) {
                    continue;
                }
                long h = replay.height();
                ValidatorNode exact = ValidatorNode.restore(net.genesis, LocalnetTest.validatorKey(i),
                        replay.committedBlock(h).orElseThrow(), replay.ledger(), replay.nowTick(),
                        replay.heldMessages(), replay.pendingTransactions());
                List<NodeOutput.Outbound> resent = exact.restoreOutbound();
                if (resent.isEmpty()) {
                    continue;
                }
                // The process restarts: a fresh guard reads the saved state the live one wrote.
                dev.oasisj.node.SignGuard unobserved = dev.oasisj.node.SignGuard.open(dir.resolve("v" + i),
                        LocalnetTest.validatorKey(i).publicKey(), x -> { });
                unobserved.goLive(journaled);
                assertTrue(unobserved.admit(resent, journaled + 1).size() < resent.size(),
                        "unobserved, the resend is refused");
                dev.oasisj.node.SignGuard observed = dev.oasisj.node.SignGuard.open(dir.resolve("v" + i),
                        LocalnetTest.validatorKey(i).publicKey(), x -> { });
                observed.observing(exact);
                observed.goLive(journaled);
                assertEquals(resent.size(), observed.admit(resent, journaled + 1).size(),
                        "observed, the identical resend leaves");
                return;
            }
        }
        throw new AssertionError("no exact restore re-signed anything: the case under test did not occur");
    }

    /**
     * What a restore must reproduce: the consensus messages and gossiped transactions sent (signatures), the commits
     * and the rejections. Answers to block requests are left out: a restored node holds no block below its checkpoint
     * and offers a snapshot instead, by design; and block requests, whose timing depends on when the last one was sent.
     */
    private static String describe(NodeOutput o) {
        StringBuilder sb = new StringBuilder();
        for (NodeOutput.Outbound ob : o.outbound()) {
            int tag = ob.bytes().length == 0 ? -1 : ob.bytes()[0];
            if (tag == PeerWire.TAG_CONSENSUS || tag == PeerWire.TAG_TRANSACTION) {
                sb.append(ob.peer()).append(':').append(java.util.HexFormat.of().formatHex(ob.bytes())).append(';');
            }
        }
        sb.append(o.committed()).append(o.rejections());
        return sb.toString();
    }

    @Test
    void aCommitWithoutAQuorumOfValidPrecommits_isRefused() {
        LocalnetTest.Net net = new LocalnetTest.Net();
        net.runUntilHeight(3, 500);
        ValidatorNode n = net.nodes[1];
        PeerWire.CommittedBlock last = n.committedBlock(3).orElseThrow();
        Signer k = LocalnetTest.validatorKey(1);
        // Two of the four precommits only: half the power is not more than two thirds.
        Commit weak = new Commit(last.commit().round(), last.commit().signatures().subList(0, 2));
        assertThrows(IllegalArgumentException.class, () -> ValidatorNode.restore(net.genesis, k,
                new PeerWire.CommittedBlock(last.block(), weak), n.ledger(), n.nowTick()));
        // A forged signature on an otherwise full commit.
        List<Commit.Signature> forged = new ArrayList<>(last.commit().signatures());
        Commit.Signature s0 = forged.get(0);
        byte[] bad = s0.signature();
        bad[0] ^= 1;
        forged.set(0, new Commit.Signature(s0.validator(), bad));
        assertThrows(IllegalArgumentException.class, () -> ValidatorNode.restore(net.genesis, k,
                new PeerWire.CommittedBlock(last.block(), new Commit(last.commit().round(), forged)), n.ledger(),
                n.nowTick()));
        ValidatorNode ok = ValidatorNode.restore(net.genesis, k, last, n.ledger(), n.nowTick());
        assertEquals(n.stateRoot(), ok.stateRoot());
    }
}
