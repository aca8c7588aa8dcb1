package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.app.KeyValueApplication;
import dev.oasisj.core.app.Misbehaviour;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.BlockCodec;
import dev.oasisj.core.ledger.Commit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Evidence of equivocation (issue 9, point 0): found by a node in the votes it receives, gossiped, put in a block by
 * the next proposer, checked by every node, committed once, and handed to the application.
 */
class EvidenceInBlocksTest {
    private static final Signer BYZANTINE = LocalnetTest.validatorKey(3);

    private static SignedMessage prevote(Signer by, long height, int round, String value) {
        return SignedMessage.sign(LocalnetTest.CHAIN, new ConsensusMessage.Prevote(height, round,
                VoteValue.of(Hash32.sha256(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)))), by);
    }

    private static byte[] frame(SignedMessage m) {
        return PeerWire.encode(new PeerWire.Consensus(ConsensusMessageCodec.encode(m)));
    }

    private static DuplicateVote duplicate(long height) {
        EvidencePool.Equivocation e = new EvidencePool.Equivocation(BYZANTINE.publicKey(), height, 0,
                ConsensusMessage.Kind.PREVOTE, prevote(BYZANTINE, height, 0, "a"), prevote(BYZANTINE, height, 0, "b"));
        return DuplicateVote.of(e);
    }

    @Test
    void anEquivocationSeenByOneNode_isCommittedOnce_andEveryApplicationIsToldOfIt() {
        LocalnetTest.Net net = new LocalnetTest.Net(KeyValueApplication.factory());
        net.runUntilHeight(2, 500);
        long h = net.nodes[0].consensusHeight();
        // Validator 3 sends node 0 (only) two different prevotes for one (height, round).
        net.input(0, new NodeInput.PeerMessage(3, frame(prevote(BYZANTINE, h, 0, "x"))));
        net.input(0, new NodeInput.PeerMessage(3, frame(prevote(BYZANTINE, h, 0, "y"))));
        assertEquals(1, net.nodes[0].pendingEvidence().size(), "node 0 found the equivocation");
        net.pump();
        net.runUntilHeight(net.nodes[0].height() + 8, 1_000);
        for (int i = 0; i < LocalnetTest.VALIDATORS; i++) {
            ValidatorNode n = net.nodes[i];
            assertEquals(1, n.committedEvidenceCount(), "node " + i + " committed the evidence once");
            assertEquals(1, net.committed.get(i).values().stream().mapToInt(NodeOutput.CommittedBlock::evidenceCount)
                    .sum(), "node " + i + " reported one block carrying it");
            assertTrue(n.pendingEvidence().isEmpty(), "node " + i + " holds none after the commit");
            List<Misbehaviour> told = ((KeyValueApplication) n.application()).misbehaviour();
            assertEquals(List.of(new Misbehaviour(BYZANTINE.publicKey(), h, 0, "PREVOTE")), told, "node " + i);
            assertTrue(net.rejections.get(i).stream().noneMatch(r -> r.reason().contains("EVIDENCE")),
                    "node " + i + ": " + net.rejections.get(i));
        }
    }

    @Test
    void forgedOrStaleEvidenceFromAPeer_isRejected_andNotKept() {
        LocalnetTest.Net net = new LocalnetTest.Net(KeyValueApplication.factory());
        net.runUntilHeight(2, 500);
        long h = net.nodes[0].consensusHeight();
        // The second vote claims validator 3 but is signed by validator 2.
        SignedMessage honest = prevote(BYZANTINE, h, 0, "a");
        SignedMessage forgedBy2 = prevote(LocalnetTest.validatorKey(2), h, 0, "b");
        SignedMessage forged = new SignedMessage(forgedBy2.message(), BYZANTINE.publicKey(), forgedBy2.signature());
        byte[] a = ConsensusMessageCodec.encode(honest);
        byte[] b = ConsensusMessageCodec.encode(forged);
        DuplicateVote bad = java.util.Arrays.compareUnsigned(a, b) < 0 ? new DuplicateVote(honest, forged)
                : new DuplicateVote(forged, honest);
        NodeOutput out = net.nodes[0].apply(new NodeInput.PeerMessage(1, PeerWire.encode(new PeerWire.Evidence(
                bad.encode()))));
        assertEquals("BAD_EVIDENCE", out.rejections().get(0).reason());
        assertTrue(out.rejections().get(0).detail().contains("bad signature"), out.rejections().get(0).detail());
        // Evidence from a height above the next block's.
        out = net.nodes[0].apply(new NodeInput.PeerMessage(1, PeerWire.encode(new PeerWire.Evidence(
                duplicate(h + 5).encode()))));
        assertEquals("BAD_EVIDENCE", out.rejections().get(0).reason());
        assertTrue(net.nodes[0].pendingEvidence().isEmpty());
        // Bytes that are not evidence are junk before the journal.
        assertTrue(net.nodes[0].junk(new NodeInput.PeerMessage(1, PeerWire.encode(new PeerWire.Evidence(
                new byte[] {1, 2, 3})))) != null);
        assertNull(net.nodes[0].junk(new NodeInput.PeerMessage(1, PeerWire.encode(new PeerWire.Evidence(
                duplicate(h).encode())))));
        // Valid evidence from a peer is kept (and not forwarded).
        out = net.nodes[0].apply(new NodeInput.PeerMessage(1, PeerWire.encode(new PeerWire.Evidence(
                duplicate(h).encode()))));
        assertTrue(out.rejections().isEmpty(), out.rejections().toString());
        assertTrue(out.outbound().stream().noneMatch(o -> o.bytes()[0] == PeerWire.TAG_EVIDENCE));
        assertEquals(1, net.nodes[0].pendingEvidence().size());
    }

    /** Block validity: each rule on the evidence a block carries, on a chain at genesis. */
    @Test
    void aBlockIsInvalid_whenItsEvidenceIsForgedDuplicatedOrOutOfRange() {
        LocalnetTest.Net net = new LocalnetTest.Net(KeyValueApplication.factory());
        Chain chain = new Chain(net.genesis, KeyValueApplication.factory().genesis());
        Hash32 root = chain.app().stateRoot();
        Hash32 sets = EvidenceRecordingNode.validatorSetOf(net.genesis).hash();
        java.util.function.Function<List<byte[]>, Boolean> valid = evidence -> {
            Block b = new Block(1, net.genesis.hash(), LocalnetTest.validatorKey(0).publicKey(), List.of(),
                    Commit.GENESIS, root, evidence, sets, sets);
            byte[] payload = BlockCodec.encode(b);
            return chain.validate(Hash32.sha256(payload), payload).isPresent();
        };
        assertTrue(valid.apply(List.of()));
        assertTrue(valid.apply(List.of(duplicate(1).encode())), "evidence at the block's height");
        assertTrue(!valid.apply(List.of(duplicate(2).encode())), "evidence above the block's height");
        assertTrue(!valid.apply(List.of(duplicate(1).encode(), duplicate(1).encode())), "one slot twice");
        assertTrue(!valid.apply(List.of(new byte[] {9})), "not evidence");
        DuplicateVote d = duplicate(1);
        assertTrue(!valid.apply(List.of(new DuplicateVote(d.second(), d.first()).encode())), "not canonical");
        SignedMessage other = prevote(LocalnetTest.validatorKey(1), 1, 0, "c");
        assertTrue(!valid.apply(List.of(new DuplicateVote(d.first(), other).encode())), "two signers");
        Signer outsider = Signer.deterministic("not-a-validator", 5);
        SignedMessage o1 = prevote(outsider, 1, 0, "a");
        SignedMessage o2 = prevote(outsider, 1, 0, "b");
        byte[] e1 = ConsensusMessageCodec.encode(o1);
        byte[] e2 = ConsensusMessageCodec.encode(o2);
        DuplicateVote notValidator = java.util.Arrays.compareUnsigned(e1, e2) < 0 ? new DuplicateVote(o1, o2)
                : new DuplicateVote(o2, o1);
        assertTrue(!valid.apply(List.of(notValidator.encode())), "not a validator");
        // The age bound, at its edge: evidence exactly MAX_EVIDENCE_AGE_BLOCKS below the block is still valid.
        long h = 150;
        assertTrue(chain.isAcceptable(duplicate(h - NodeLimits.MAX_EVIDENCE_AGE_BLOCKS), h), "at the age bound");
        assertTrue(!chain.isAcceptable(duplicate(h - NodeLimits.MAX_EVIDENCE_AGE_BLOCKS - 1), h), "one height older");
        assertTrue(chain.isAcceptable(duplicate(h), h) && !chain.isAcceptable(duplicate(h + 1), h), "the upper edge");
    }

    /** Each evidence limit at exactly its value and one past it. */
    @Test
    void evidenceLimits_atTheLimitAndOnePast() throws Exception {
        int most = dev.oasisj.core.ledger.LedgerLimits.MAX_BLOCK_EVIDENCE;
        int size = dev.oasisj.core.ledger.LedgerLimits.MAX_EVIDENCE_BYTES;
        java.util.function.IntFunction<List<byte[]>> pieces = n -> {
            List<byte[]> l = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] e = new byte[size];
                e[0] = (byte) i;
                l.add(e);
            }
            return l;
        };
        Block full = new Block(1, Hash32.ZERO, BYZANTINE.publicKey(), List.of(), Commit.GENESIS, Hash32.ZERO,
                pieces.apply(most));
        byte[] encoded = BlockCodec.encode(full);
        assertTrue(encoded.length <= dev.oasisj.core.ledger.LedgerLimits.MAX_BLOCK_BYTES, "a full block fits its limit");
        assertEquals(full, BlockCodec.decode(encoded));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Block(1, Hash32.ZERO,
                BYZANTINE.publicKey(), List.of(), Commit.GENESIS, Hash32.ZERO, pieces.apply(most + 1)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Block(1, Hash32.ZERO,
                BYZANTINE.publicKey(), List.of(), Commit.GENESIS, Hash32.ZERO, List.of(new byte[size + 1])));
        // The decoder refuses one piece more (count raised, a copy of the last appended) and one byte more.
        int countAt = encoded.length - most * (4 + size) - 4;
        byte[] over = java.util.Arrays.copyOf(encoded, encoded.length + 4 + size);
        System.arraycopy(encoded, encoded.length - 4 - size, over, encoded.length, 4 + size);
        java.nio.ByteBuffer.wrap(over).putInt(countAt, most + 1);
        String why = org.junit.jupiter.api.Assertions.assertThrows(dev.oasisj.core.codec.DecodeException.class,
                () -> BlockCodec.decode(over)).getMessage();
        assertTrue(why.contains("block.evidence"), why);
        // A piece: the evidence decoder and the peer message refuse one byte past the limit, not at it.
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.oasisj.core.codec.DecodeException.class,
                () -> DuplicateVote.decode(new byte[size + 1])).getMessage().contains("exceeds"));
        assertTrue(!org.junit.jupiter.api.Assertions.assertThrows(dev.oasisj.core.codec.DecodeException.class,
                () -> DuplicateVote.decode(new byte[size])).getMessage().contains("exceeds"));
        assertEquals(size, ((PeerWire.Evidence) PeerWire.decode(PeerWire.encode(new PeerWire.Evidence(
                new byte[size])))).bytes().length);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.Evidence(new byte[size + 1]));
        byte[] frame = PeerWire.encode(new PeerWire.Evidence(new byte[size]));
        byte[] longer = java.util.Arrays.copyOf(frame, frame.length + 1);
        java.nio.ByteBuffer.wrap(longer).putInt(1, size + 1);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.oasisj.core.codec.DecodeException.class,
                () -> PeerWire.decode(longer)).getMessage().contains("evidence.bytes"));
    }

    /** A node holds at most MAX_PENDING_EVIDENCE pieces: the one past it is dropped (not kept, not gossiped). */
    @Test
    void pendingEvidence_isBoundedAtItsLimit() {
        LocalnetTest.Net net = new LocalnetTest.Net(KeyValueApplication.factory());
        long h = net.nodes[0].consensusHeight();
        int limit = NodeLimits.MAX_PENDING_EVIDENCE;
        for (int round = 0; round <= limit; round++) {
            SignedMessage a = SignedMessage.sign(LocalnetTest.CHAIN, new ConsensusMessage.Prevote(h, round,
                    VoteValue.of(Hash32.sha256(new byte[] {1}))), BYZANTINE);
            SignedMessage b = SignedMessage.sign(LocalnetTest.CHAIN, new ConsensusMessage.Prevote(h, round,
                    VoteValue.of(Hash32.sha256(new byte[] {2}))), BYZANTINE);
            DuplicateVote d = DuplicateVote.of(new EvidencePool.Equivocation(BYZANTINE.publicKey(), h, round,
                    ConsensusMessage.Kind.PREVOTE, a, b));
            NodeOutput out = net.nodes[0].apply(new NodeInput.PeerMessage(1, PeerWire.encode(new PeerWire.Evidence(
                    d.encode()))));
            assertTrue(out.rejections().isEmpty(), out.rejections().toString());
            assertEquals(Math.min(round + 1, limit), net.nodes[0].pendingEvidence().size(), "after " + (round + 1));
        }
    }
}
