package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.BlockCodec;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.ByzantineValidator;
import dev.oasisj.core.node.EvidencePool;
import dev.oasisj.core.node.EvidenceRecordingNode;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.PeerWire;
import dev.oasisj.core.node.ValidatorNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The Byzantine validator misbehaves deterministically and provably; honest nodes' evidence pools prove it. */
class ByzantineValidatorTest {
    private static final Signer[] KEYS = new Signer[4];
    private static final Genesis GENESIS;

    static {
        List<Genesis.Validator> vs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            KEYS[i] = Signer.deterministic("byzantine-test-validator-" + i, 7);
            vs.add(new Genesis.Validator("validator-" + i, KEYS[i].publicKey(), 1));
        }
        GENESIS = new Genesis("byzantine-test", vs, List.of(new Genesis.InitialAccount(
                Signer.deterministic("byzantine-test-account", 7).publicKey(), 1_000_000)),
                Genesis.ConsensusParams.DEFAULT);
    }

    private static SignedMessage decodeConsensus(byte[] peerBytes) throws Exception {
        return ConsensusMessageCodec.decode(((PeerWire.Consensus) PeerWire.decode(peerBytes)).bytes());
    }

    /**
     * Validator 3 proposes height 1, round 0 (power 1 each: rotation length 4, stride 3: position h + r = 1 is slot 3).
     */
    private static ByzantineValidator validator3(ByzantineValidator.Profile profile, long seed) {
        assertEquals(KEYS[3].publicKey(), EvidenceRecordingNode.validatorSetOf(GENESIS).proposer(1, 0).key());
        return new ByzantineValidator(GENESIS, KEYS[3], seed, new TreeSet<>(List.of(3)), profile);
    }

    @Test
    void asProposer_itSendsTwoDifferentValidBlocksForOneHeightAndRound_toTheTwoHonestHalves() throws Exception {
        ByzantineValidator b = validator3(ByzantineValidator.Profile.SPLIT_BRAIN, 1);
        NodeOutput out = b.apply(new NodeInput.Tick(1));
        // Honest validators 0, 1, 2: halves {0, 2} and {1}.
        TreeMap<Integer, List<ConsensusMessage.Proposal>> byPeer = new TreeMap<>();
        for (NodeOutput.Outbound o : out.outbound()) {
            SignedMessage m = decodeConsensus(o.bytes());
            assertTrue(m.verify(GENESIS.chainId()), "signed with its real key");
            assertEquals(KEYS[3].publicKey(), m.signer());
            if (m.message() instanceof ConsensusMessage.Proposal p) {
                byPeer.computeIfAbsent(o.peer(), k -> new ArrayList<>()).add(p);
            }
        }
        assertEquals(List.of(0, 1, 2), List.copyOf(byPeer.keySet()), "one proposal per honest peer: " + byPeer);
        ConsensusMessage.Proposal to0 = byPeer.get(0).get(0);
        ConsensusMessage.Proposal to1 = byPeer.get(1).get(0);
        ConsensusMessage.Proposal to2 = byPeer.get(2).get(0);
        assertEquals(to0, to2, "one half gets one block");
        assertNotEquals(to0.value(), to1.value(), "the other half gets another");
        assertEquals(to0.height(), to1.height());
        assertEquals(to0.round(), to1.round());
        // Both blocks are valid for an honest validator at height 1 (same transactions, other fee recipient).
        for (ConsensusMessage.Proposal p : List.of(to0, to1)) {
            ValidatorNode honest = new ValidatorNode(GENESIS, KEYS[0]);
            Block block = BlockCodec.decode(p.payload());
            assertEquals(1, block.height());
            honest.apply(new NodeInput.Tick(1));
            NodeOutput reaction = honest.apply(new NodeInput.PeerMessage(3,
                    PeerWire.encode(new PeerWire.Consensus(ConsensusMessageCodec.encode(
                            SignedMessage.sign(GENESIS.chainId(), p, KEYS[3]))))));
            boolean prevotedIt = false;
            for (NodeOutput.Outbound o : reaction.outbound()) {
                SignedMessage m = decodeConsensus(o.bytes());
                prevotedIt |= m.message() instanceof ConsensusMessage.Prevote v && v.value().equals(VoteValue.of(p.value()));
            }
            assertTrue(prevotedIt, "an honest validator prevotes " + p);
        }
        assertTrue(b.misbehaviour().equivocatedProposals() > 0, b.misbehaviour().toString());
    }

    @Test
    void sameSeedSameInputs_sameOutputsByteForByte_andAnotherSeedDiffers() {
        ByzantineValidator.Profile profile = ByzantineValidator.Profile.random(new SplittableRandom(3));
        List<byte[]> a = run(validator3(profile, 42));
        List<byte[]> b = run(validator3(profile, 42));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "output " + i);
        }
        ByzantineValidator.Profile noisy = new ByzantineValidator.Profile(500, 300, 300, 500, 200, 1000, 500, 5, 20);
        List<byte[]> c = run(validator3(noisy, 1));
        List<byte[]> d = run(validator3(noisy, 2));
        boolean differ = c.size() != d.size();
        for (int i = 0; !differ && i < c.size(); i++) {
            differ = !java.util.Arrays.equals(c.get(i), d.get(i));
        }
        assertTrue(differ, "the seed chooses the behaviour");
    }

    /** Ticks plus the honest validators' prevotes for whatever validator 3 proposed, for three rounds of timeouts. */
    private static List<byte[]> run(ByzantineValidator b) {
        List<byte[]> outputs = new ArrayList<>();
        for (long t = 1; t <= 1500; t += 7) {
            for (NodeOutput.Outbound o : b.apply(new NodeInput.Tick(t)).outbound()) {
                outputs.add(o.bytes());
                try {
                    SignedMessage m = decodeConsensus(o.bytes());
                    if (m.message() instanceof ConsensusMessage.Proposal p && o.peer() == 0) {
                        for (int i : new int[] {0, 2}) {
                            SignedMessage vote = SignedMessage.sign(GENESIS.chainId(),
                                    new ConsensusMessage.Prevote(p.height(), p.round(), VoteValue.of(p.value())), KEYS[i]);
                            for (NodeOutput.Outbound r : b.apply(new NodeInput.PeerMessage(i, PeerWire.encode(
                                    new PeerWire.Consensus(ConsensusMessageCodec.encode(vote))))).outbound()) {
                                outputs.add(r.bytes());
                            }
                        }
                    }
                } catch (Exception e) {
                    // not a consensus message
                }
            }
        }
        return outputs;
    }

    @Test
    void evidencePool_provesAnEquivocationOnce_andNeverFromDuplicatesForgeriesOrStaleMessages() {
        EvidencePool pool = new EvidencePool(EvidenceRecordingNode.validatorSetOf(GENESIS), GENESIS.chainId());
        Hash32 a = Hash32.sha256(new byte[] {1});
        Hash32 b = Hash32.sha256(new byte[] {2});
        SignedMessage voteA = SignedMessage.sign(GENESIS.chainId(), new ConsensusMessage.Prevote(5, 1, VoteValue.of(a)),
                KEYS[3]);
        SignedMessage voteB = SignedMessage.sign(GENESIS.chainId(), new ConsensusMessage.Prevote(5, 1, VoteValue.of(b)),
                KEYS[3]);
        SignedMessage nilOtherRound = SignedMessage.sign(GENESIS.chainId(),
                new ConsensusMessage.Prevote(5, 2, VoteValue.NIL), KEYS[3]);
        SignedMessage forgedNil = new SignedMessage(new ConsensusMessage.Prevote(5, 1, VoteValue.NIL),
                KEYS[2].publicKey(), voteA.signature());
        SignedMessage honest2 = SignedMessage.sign(GENESIS.chainId(), new ConsensusMessage.Prevote(5, 1, VoteValue.of(a)),
                KEYS[2]);

        assertNull(pool.observe(voteA, 4));
        assertNull(pool.observe(voteA, 4), "a duplicate proves nothing");
        assertNull(pool.observe(nilOtherRound, 4), "another round is another slot");
        assertNull(pool.observe(honest2, 4));
        assertNull(pool.observe(forgedNil, 4), "a forged signature proves nothing against validator 2");
        EvidencePool.Equivocation e = pool.observe(voteB, 4);
        assertNotNull(e);
        assertEquals(KEYS[3].publicKey(), e.validator());
        assertEquals(5, e.height());
        assertEquals(1, e.round());
        assertEquals(ConsensusMessage.Kind.PREVOTE, e.kind());
        assertTrue(e.first().verify(GENESIS.chainId()) && e.second().verify(GENESIS.chainId()));
        assertNull(pool.observe(SignedMessage.sign(GENESIS.chainId(), new ConsensusMessage.Prevote(5, 1, VoteValue.NIL),
                KEYS[3]), 4), "one slot is proven once");
        assertEquals(1, pool.count());
        assertEquals(new TreeSet<>(List.of(KEYS[3].publicKey())), pool.accused());

        SignedMessage oldA = SignedMessage.sign(GENESIS.chainId(), new ConsensusMessage.Precommit(1, 0, VoteValue.of(a)),
                KEYS[0]);
        SignedMessage oldB = SignedMessage.sign(GENESIS.chainId(), new ConsensusMessage.Precommit(1, 0, VoteValue.of(b)),
                KEYS[0]);
        assertNull(pool.observe(oldA, 10));
        assertNull(pool.observe(oldB, 10), "heights long committed are not kept");
        assertEquals(1, pool.count());
    }
}
