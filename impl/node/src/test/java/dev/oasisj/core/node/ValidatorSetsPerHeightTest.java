package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.app.ValidatorPowerApplication;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.consensus.ValuePayload;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.BlockCodec;
import dev.oasisj.core.ledger.Commit;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.node.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validator sets per height (issue 9, point 0): an update the application returns when it finalizes block H takes
 * effect at H + 2; blocks name the sets of their height and the next; commits, proposers and evidence are judged
 * against the set of their own height; checkpoints carry the sets; state sync refuses a snapshot past a set change.
 */
class ValidatorSetsPerHeightTest {
    /** Keys 0..3 are the genesis validators; key 4 is a node that is not one. */
    private static final int NODES = 5;
    private static final Genesis GENESIS = LocalnetTest.genesis();

    @TempDir
    Path dir;

    private static Signer key(int i) {
        return LocalnetTest.validatorKey(i);
    }

    private static ApplicationFactory factory() {
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            keys.add(key(i).publicKey());
        }
        return ValidatorPowerApplication.factory(keys);
    }

    private static Commit sign(Block b, int... signers) {
        ConsensusMessage.Precommit p = new ConsensusMessage.Precommit(b.height(), 0, VoteValue.of(Chain.valueOf(b)));
        List<Commit.Signature> sigs = new ArrayList<>();
        for (int i : signers) {
            sigs.add(new Commit.Signature(key(i).publicKey(), SignedMessage.sign(GENESIS.chainId(), p, key(i))
                    .signature()));
        }
        return new Commit(0, sigs);
    }

    private static Optional<Chain.ValidatedBlock> build(Chain c, int proposer) {
        ValuePayload p = c.buildProposal(key(proposer).publicKey(), List.of());
        return c.validate(p.value(), p.payload());
    }

    private static boolean valid(Chain c, Block b) {
        byte[] payload = BlockCodec.encode(b);
        return c.validate(Hash32.sha256(payload), payload).isPresent();
    }

    private static DuplicateVote duplicate(int by, long height) {
        SignedMessage a = SignedMessage.sign(GENESIS.chainId(), new ConsensusMessage.Prevote(height, 0,
                VoteValue.of(Hash32.sha256("a".getBytes(StandardCharsets.UTF_8)))), key(by));
        SignedMessage b = SignedMessage.sign(GENESIS.chainId(), new ConsensusMessage.Prevote(height, 0,
                VoteValue.of(Hash32.sha256("b".getBytes(StandardCharsets.UTF_8)))), key(by));
        return DuplicateVote.of(new EvidencePool.Equivocation(key(by).publicKey(), height, 0,
                ConsensusMessage.Kind.PREVOTE, a, b));
    }

    private static List<PublicKey> keys(int... indexes) {
        List<PublicKey> out = new ArrayList<>();
        for (int i : indexes) {
            out.add(key(i).publicKey());
        }
        return out;
    }

    /** Block by block on one chain: key 4 added and key 3 removed by block 1, so the set changes at height 3. */
    @Test
    void anUpdateAtH_hasNoEffectAtHPlus1_takesEffectExactlyAtHPlus2_andEverythingIsJudgedByTheSetOfItsHeight() {
        Chain c = new Chain(GENESIS, factory().genesis());
        ValidatorSet old = c.validatorsAt(1).orElseThrow();
        c.app().checkTx(ValidatorPowerApplication.setPower(4, 1), SignatureVerdict.NOT_CHECKED);
        c.app().checkTx(ValidatorPowerApplication.setPower(3, 0), SignatureVerdict.NOT_CHECKED);

        Chain.ValidatedBlock b1 = build(c, 0).orElseThrow();
        assertEquals(2, b1.block().transactionCount());
        assertEquals(old.hash(), b1.block().validatorsHash());
        assertEquals(old.hash(), b1.block().nextValidatorsHash());
        c.commit(b1, sign(b1.block(), 0, 1, 2));

        ValidatorSet s2 = c.validatorsAt(2).orElseThrow();
        ValidatorSet s3 = c.validatorsAt(3).orElseThrow();
        assertEquals(old.hash(), s2.hash(), "an update at H has no effect at H + 1");
        assertEquals(keys(0, 1, 2, 4), s3.keys(), "members keep their order, the new one is appended");
        assertEquals(key(4).publicKey().shortId(), s3.validators().get(3).name(), "a new validator's name");
        assertTrue(c.validatorsAt(4).isEmpty(), "a set beyond committed + 2 is not known yet");

        // Block 2 names the old set as its own and the new one as the next; each other pair is refused.
        Chain.ValidatedBlock b2 = build(c, 1).orElseThrow();
        assertEquals(old.hash(), b2.block().validatorsHash());
        assertEquals(s3.hash(), b2.block().nextValidatorsHash());
        assertFalse(valid(c, b2.block().withValidatorsHashes(old.hash(), old.hash())), "wrong nextValidatorsHash");
        assertFalse(valid(c, b2.block().withValidatorsHashes(s3.hash(), s3.hash())), "wrong validatorsHash");
        assertTrue(build(c, 4).isEmpty(), "key 4 is not a validator of height 2: its block is refused");
        b2 = build(c, 3).orElseThrow(); // key 3 still is
        c.commit(b2, sign(b2.block(), 0, 1, 2));

        // The commit of block 2 is judged by the set of height 2.
        assertTrue(c.isValidCommit(b2.block(), sign(b2.block(), 0, 1, 3)));
        assertFalse(c.isValidCommit(b2.block(), sign(b2.block(), 0, 1, 4)), "key 4 does not count at height 2");

        // Height 3: the new set.
        assertTrue(build(c, 3).isEmpty(), "key 3 was removed at height 3: its block is refused");
        Chain.ValidatedBlock b3 = build(c, 4).orElseThrow();
        assertEquals(s3.hash(), b3.block().validatorsHash());
        assertEquals(s3.hash(), b3.block().nextValidatorsHash());
        assertFalse(c.isValidCommit(b3.block(), sign(b3.block(), 0, 1, 3)), "a commit by the old set is refused");
        assertTrue(c.isValidCommit(b3.block(), sign(b3.block(), 0, 1, 4)));
        c.commit(b3, sign(b3.block(), 0, 1, 4));

        // Evidence is judged against the set of its own height.
        assertTrue(c.isAcceptable(duplicate(3, 2), 4), "a removed validator is accountable where it was one");
        assertFalse(c.isAcceptable(duplicate(3, 3), 4), "and not where it was not");
        assertFalse(c.isAcceptable(duplicate(4, 2), 4), "nor is an added one before it was added");
        assertTrue(c.isAcceptable(duplicate(4, 3), 4));
    }

    @Test
    void anApplicationThatRemovesANonMember_stopsTheNodeWithANamedInvariant() {
        Chain c = new Chain(GENESIS, factory().genesis());
        c.app().checkTx(ValidatorPowerApplication.setPower(4, 0), SignatureVerdict.NOT_CHECKED);
        Chain.ValidatedBlock b1 = build(c, 0).orElseThrow();
        String message = org.junit.jupiter.api.Assertions.assertThrows(
                dev.oasisj.core.Invariant.ViolationException.class, () -> c.commit(b1, sign(b1.block(), 0, 1, 2)))
                .getMessage();
        assertTrue(message.contains("ValidatorUpdateValidInv"), message);
    }

    @Test
    void updatesThatLeaveNoValidator_stopTheNodeWithANamedInvariant() {
        ValidatorSet old = ValidatorSets.genesisSet(GENESIS);
        List<dev.oasisj.core.app.Application.ValidatorUpdate> removeAll = new ArrayList<>();
        for (int i = 0; i < LocalnetTest.VALIDATORS; i++) {
            removeAll.add(new dev.oasisj.core.app.Application.ValidatorUpdate(key(i).publicKey(), 0));
        }
        String message = org.junit.jupiter.api.Assertions.assertThrows(
                dev.oasisj.core.Invariant.ViolationException.class, () -> ValidatorSets.apply(old, removeAll, 3,
                        GENESIS)).getMessage();
        assertTrue(message.contains("ValidatorSetUsableInv"), message);
        // Total power: at exactly the bound the set is usable, one past it is not.
        long rest = ValidatorSet.MAX_TOTAL_POWER - old.totalPower();
        ValidatorSet atBound = ValidatorSets.apply(old, List.of(
                new dev.oasisj.core.app.Application.ValidatorUpdate(key(4).publicKey(), rest - 1)), 3, GENESIS);
        assertEquals(ValidatorSet.MAX_TOTAL_POWER - 1, atBound.totalPower());
        ValidatorSet exactly = ValidatorSets.apply(old, List.of(
                new dev.oasisj.core.app.Application.ValidatorUpdate(key(4).publicKey(), rest)), 3, GENESIS);
        assertEquals(ValidatorSet.MAX_TOTAL_POWER, exactly.totalPower());
        message = org.junit.jupiter.api.Assertions.assertThrows(dev.oasisj.core.Invariant.ViolationException.class,
                () -> ValidatorSets.apply(old, List.of(new dev.oasisj.core.app.Application.ValidatorUpdate(
                        key(4).publicKey(), rest + 1)), 3, GENESIS)).getMessage();
        assertTrue(message.contains("ValidatorSetUsableInv"), message);
    }

    @Test
    void theKeptHistory_isBoundedByTheEvidenceAge() {
        ValidatorSets sets = new ValidatorSets(GENESIS);
        // A change at every height: after pruning, only the heights the node still judges are kept.
        for (long h = 3; h < 400; h++) {
            sets.recordUpdates(h, List.of(new dev.oasisj.core.app.Application.ValidatorUpdate(key(0).publicKey(),
                    h)));
            sets.prune(h - 1 - NodeLimits.MAX_EVIDENCE_AGE_BLOCKS);
            assertTrue(sets.size() <= NodeLimits.MAX_KEPT_VALIDATOR_SETS, "kept " + sets.size() + " at " + h);
        }
        assertEquals(NodeLimits.MAX_KEPT_VALIDATOR_SETS, sets.size(), "the bound is reached, not exceeded");
        assertTrue(sets.at(399 - 1 - NodeLimits.MAX_EVIDENCE_AGE_BLOCKS).isPresent(), "the oldest judged height");
        assertTrue(sets.at(399 - 2 - NodeLimits.MAX_EVIDENCE_AGE_BLOCKS).isEmpty(), "one below it is dropped");
        // Restoring: exactly the bound is accepted, one past it is refused.
        TreeMap<Long, ValidatorSet> known = new TreeMap<>();
        for (long h = 1; h <= NodeLimits.MAX_KEPT_VALIDATOR_SETS; h++) {
            known.put(h, ValidatorSets.genesisSet(GENESIS));
        }
        assertEquals(NodeLimits.MAX_KEPT_VALIDATOR_SETS, new ValidatorSets(GENESIS, known).size());
        known.put((long) NodeLimits.MAX_KEPT_VALIDATOR_SETS + 1, ValidatorSets.genesisSet(GENESIS));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ValidatorSets(GENESIS, known));
    }

    private static long heightOf(ValidatorNode n, byte[] tx) {
        for (long h = 1; h <= n.height(); h++) {
            for (byte[] t : n.committedBlock(h).orElseThrow().block().transactions()) {
                if (java.util.Arrays.equals(t, tx)) {
                    return h;
                }
            }
        }
        return -1;
    }

    /** A node's kept validator sets as height -> set hash. */
    private static TreeMap<Long, Hash32> hashes(ValidatorNode n) {
        TreeMap<Long, Hash32> out = new TreeMap<>();
        n.validatorSetChanges().forEach((h, set) -> out.put(h, set.hash()));
        return out;
    }

    private static TreeSet<PublicKey> signers(ValidatorNode n, long h) {
        TreeSet<PublicKey> out = new TreeSet<>();
        for (Commit.Signature s : n.committedBlock(h).orElseThrow().commit().signatures()) {
            out.add(s.validator());
        }
        return out;
    }

    /**
     * Four genesis validators and a fifth node that is not one. One block adds node 4 and removes validator 3. From
     * H + 2 on, node 4 signs precommits that count: with validator 1 crashed, the live members of the new set are
     * exactly a quorum (0, 2, 4), and the chain goes on; validator 3 follows as an observer. A checkpoint taken at H + 1
     * restores a node that syncs across the change; state sync refuses a snapshot past it.
     */
    @Test
    void anObserverBecomesAValidatorAtHPlus2_aRemovedOneStopsCounting_andCheckpointsAndStateSyncHandleTheChange() {
        LocalnetTest.Net net = new LocalnetTest.Net(factory(), NODES);
        TreeMap<Long, Checkpoint> checkpoints = new TreeMap<>();
        net.runUntilHeight(3, 500);
        checkpoints.put(net.nodes[0].height(), Checkpoint.of(net.nodes[0]));
        byte[] add = ValidatorPowerApplication.setPower(4, 1);
        byte[] remove = ValidatorPowerApplication.setPower(3, 0);
        net.input(0, new NodeInput.ClientTransaction(add));
        net.input(0, new NodeInput.ClientTransaction(remove));
        net.pump();
        long change = -1;
        for (int s = 0; s < 500 && (change < 0 || net.nodes[0].height() < change + 3); s++) {
            net.step();
            checkpoints.putIfAbsent(net.nodes[0].height(), Checkpoint.of(net.nodes[0]));
            change = heightOf(net.nodes[0], add);
        }
        final long h = change;
        assertTrue(h > 3, "the update committed at " + h);
        assertEquals(h, heightOf(net.nodes[0], remove), "both updates in one block");
        ValidatorSet old = ValidatorSets.genesisSet(GENESIS);
        ValidatorSet next = net.nodes[0].validatorsAt(h + 2).orElseThrow();
        assertEquals(keys(0, 1, 2, 4), next.keys());
        assertEquals(old.hash(), net.nodes[0].validatorsAt(h + 1).orElseThrow().hash());

        net.crashed[1] = true;
        long target = net.nodes[0].height() + 6;
        net.runUntilHeight(target, 3_000);
        net.assertAgreementUpTo(target, 0, 2, 3, 4);
        for (int i : new int[] {2, 3, 4}) {
            assertEquals(hashes(net.nodes[0]), hashes(net.nodes[i]), "sets of node " + i);
        }
        ValidatorNode n0 = net.nodes[0];
        for (long x = 1; x <= target; x++) {
            Block b = n0.committedBlock(x).orElseThrow().block();
            Hash32 expected = x < h + 2 ? old.hash() : next.hash();
            Hash32 expectedNext = x < h + 1 ? old.hash() : next.hash();
            assertEquals(expected, b.validatorsHash(), "validatorsHash at " + x);
            assertEquals(expectedNext, b.nextValidatorsHash(), "nextValidatorsHash at " + x);
            TreeSet<PublicKey> signed = signers(n0, x);
            assertTrue((x < h + 2 ? old : next).isQuorum(signed), "commit of " + x);
            if (x < h + 2) {
                assertFalse(signed.contains(key(4).publicKey()), "node 4 does not sign before H + 2 (" + x + ")");
            } else {
                assertFalse(signed.contains(key(3).publicKey()), "removed validator 3 does not count at " + x);
            }
            if (x > target - 5) {
                assertTrue(signed.contains(key(4).publicKey()), "node 4's precommit counts at " + x);
            }
        }

        // A checkpoint at H + 1 carries the set of H + 2, which no block below H + 2 holds: the restored node takes the
        // blocks after it, committed by the new set.
        Checkpoint cp = Checkpoint.read(checkpoints.get(h + 1).write(dir), GENESIS.chainId());
        ValidatorNode restored = cp.restore(GENESIS, key(0), factory());
        assertEquals(next.hash(), restored.validatorsAt(h + 2).orElseThrow().hash());
        List<PeerWire.CommittedBlock> blocks = new ArrayList<>();
        for (long x = h + 2; x < h + 2 + NodeLimits.MAX_BLOCKS_PER_RESPONSE && x <= target; x++) {
            blocks.add(n0.committedBlock(x).orElseThrow());
        }
        NodeOutput out = restored.apply(new NodeInput.PeerMessage(2, PeerWire.encode(new PeerWire.BlockResponse(
                blocks))));
        assertTrue(out.rejections().isEmpty(), out.rejections().toString());
        long last = blocks.get(blocks.size() - 1).block().height();
        assertEquals(last, restored.height());
        assertEquals(n0.committedBlock(last).orElseThrow().block().hash(), restored.lastBlockHash());

        // State sync: a fresh node trusts the genesis set only.
        assertEquals(List.of("SNAPSHOT_PAST_SET_CHANGE"), offer(checkpoints.get(h + 1)), "next set changed");
        assertEquals(List.of("SNAPSHOT_PAST_SET_CHANGE"), offer(checkpoints.get(h + 2)), "set changed");
        // Below the change it installs the snapshot, then follows the change block by block.
        ValidatorNode fresh = new ValidatorNode(GENESIS, key(4), factory());
        Checkpoint before = checkpoints.get(h - 1);
        assertTrue(deliver(fresh, before).rejections().isEmpty());
        assertEquals(h - 1, fresh.height());
        List<PeerWire.CommittedBlock> after = new ArrayList<>();
        for (long x = h; x < h + NodeLimits.MAX_BLOCKS_PER_RESPONSE; x++) {
            after.add(n0.committedBlock(x).orElseThrow());
        }
        out = fresh.apply(new NodeInput.PeerMessage(2, PeerWire.encode(new PeerWire.BlockResponse(after))));
        assertTrue(out.rejections().isEmpty(), out.rejections().toString());
        assertEquals(h + NodeLimits.MAX_BLOCKS_PER_RESPONSE - 1, fresh.height());
        assertEquals(next.hash(), fresh.validatorsAt(h + 2).orElseThrow().hash());
        // At H itself the head names the old set twice and is taken, but the set of H + 2 cannot be known from it:
        // block H + 1 names another next set and is refused. The node fails safe (it installs nothing unproven).
        ValidatorNode atChange = new ValidatorNode(GENESIS, key(4), factory());
        assertTrue(deliver(atChange, checkpoints.get(h)).rejections().isEmpty());
        out = atChange.apply(new NodeInput.PeerMessage(2, PeerWire.encode(new PeerWire.BlockResponse(
                List.of(n0.committedBlock(h + 1).orElseThrow())))));
        assertEquals(List.of("SYNC_INVALID_BLOCK"), out.rejections().stream().map(NodeOutput.Rejection::reason)
                .toList());
        assertEquals(h, atChange.height());
        assertNotEquals(next.hash(), old.hash());
    }

    /** The snapshot of {@code cp} offered in one chunk to a node at genesis; the reasons of its rejections. */
    private static List<String> offer(Checkpoint cp) {
        return deliver(new ValidatorNode(GENESIS, key(4), factory()), cp).rejections().stream()
                .map(NodeOutput.Rejection::reason).toList();
    }

    private static NodeOutput deliver(ValidatorNode node, Checkpoint cp) {
        PeerWire.CommittedBlock committed = cp.committed();
        PeerWire.SnapshotChunk chunk = new PeerWire.SnapshotChunk(cp.height(), committed.block().hash(), 0,
                PeerWire.chunkCountFor(cp.state().size()), new PeerWire.SnapshotHead(committed, cp.state().size()),
                cp.state());
        return node.apply(new NodeInput.PeerMessage(0, PeerWire.encode(chunk)));
    }
}
