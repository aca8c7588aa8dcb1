package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.app.ValidatorPowerApplication;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.Commit;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.LedgerLimits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The set-change proof of {@link StateSync} (state sync across validator-set changes): each link rule a hostile peer
 * meets, with its reason and the penalty, the chain of links that ends in the snapshot session, what a server answers,
 * and the wire's bounds.
 */
class SetChangeProofTest {
    private static final Genesis GENESIS = LocalnetTest.genesis();
    private static final long SILENCE = 200;
    private static final long RETRY = 30;
    private static final long SNAPSHOT_HEIGHT = 50;
    private static final int PEER = 1;

    private static final ValidatorSet S0 = ValidatorSets.genesisSet(GENESIS);
    /** Validator 0's power 1 -> 2. */
    private static final ValidatorSet S1 = withPower(S0, 0, 2);
    /** Then validator 1's power 1 -> 2. */
    private static final ValidatorSet S2 = withPower(S1, 1, 2);

    private static ValidatorSet withPower(ValidatorSet s, int index, long power) {
        List<ValidatorSet.Validator> vs = new ArrayList<>(s.validators());
        ValidatorSet.Validator v = vs.get(index);
        vs.set(index, new ValidatorSet.Validator(v.name(), v.key(), power));
        return new ValidatorSet(vs);
    }

    private static ApplicationFactory factory() {
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < LocalnetTest.VALIDATORS; i++) {
            keys.add(LocalnetTest.validatorKey(i).publicKey());
        }
        return ValidatorPowerApplication.factory(keys);
    }

    private static Block block(long height, ValidatorSet set, ValidatorSet next, Hash32 root) {
        return new Block(height, Hash32.sha256(new byte[] {(byte) height}), LocalnetTest.validatorKey(0).publicKey(),
                List.of(), new Commit(0, List.of()), root, List.of(), set.hash(), next.hash());
    }

    /** The precommits of validators {@code signers} (keys of {@link LocalnetTest#validatorKey}) for {@code b}. */
    private static Commit sign(Block b, int... signers) {
        ConsensusMessage.Precommit p = new ConsensusMessage.Precommit(b.height(), 0, VoteValue.of(Chain.valueOf(b)));
        List<Commit.Signature> sigs = new ArrayList<>();
        for (int i : signers) {
            sigs.add(new Commit.Signature(LocalnetTest.validatorKey(i).publicKey(),
                    SignedMessage.sign(GENESIS.chainId(), p, LocalnetTest.validatorKey(i)).signature()));
        }
        return new Commit(0, sigs);
    }

    /** Chunk 0 (the only one) of the snapshot at {@link #SNAPSHOT_HEIGHT}, whose head names {@code set} twice. */
    private static PeerWire.SnapshotChunk offer(ValidatorSet set) {
        return offer(set, SNAPSHOT_HEIGHT);
    }

    /** As {@link #offer(ValidatorSet)}, at {@code height}. */
    private static PeerWire.SnapshotChunk offer(ValidatorSet set, long height) {
        Application app = factory().genesis();
        List<dev.oasisj.core.app.StateEntry> entries = app.snapshot().entries();
        Block head = block(height, set, set, app.stateRoot());
        return wire(new PeerWire.SnapshotChunk(height, head.hash(), 0, PeerWire.chunkCountFor(entries.size()),
                new PeerWire.SnapshotHead(new PeerWire.CommittedBlock(head, sign(head, 0, 1, 2)), entries.size()),
                entries));
    }

    private static PeerWire.SetChangeLink link(long from, ValidatorSet fromSet, Block b, Commit c,
            ValidatorSet carried) {
        return wire(new PeerWire.SetChangeLink(from, fromSet.hash(), new PeerWire.CommittedBlock(b, c),
                StateSync.membersOf(carried)));
    }

    /** The first link: block 10 of set S0 names S1, committed by S0. */
    private static PeerWire.SetChangeLink first() {
        Block b = block(10, S0, S1, Hash32.ZERO);
        return link(2, S0, b, sign(b, 0, 1, 2), S1);
    }

    /** The second link: block 20 of set S1 names S2, committed by S1. */
    private static PeerWire.SetChangeLink second() {
        Block b = block(20, S1, S2, Hash32.ZERO);
        return link(11, S1, b, sign(b, 0, 1, 2), S2);
    }

    @SuppressWarnings("unchecked")
    private static <T extends PeerWire.Message> T wire(T m) {
        try {
            return (T) PeerWire.decode(PeerWire.encode(m));
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }

    private static StateSync client() {
        return new StateSync(factory(), GENESIS);
    }

    /** A client at genesis (trusting S0) that took the offer of S2 from {@link #PEER}: it asks for the first link. */
    private static StateSync proving() {
        StateSync c = client();
        StateSync.Outcome.ProveSetChange q = assertInstanceOf(StateSync.Outcome.ProveSetChange.class,
                c.accept(PEER, offer(S2), 0, 100, SILENCE, S0));
        assertEquals("SNAPSHOT_PAST_SET_CHANGE", q.reason(), "the offer is not taken as it came");
        assertEquals(PEER, q.peer());
        assertEquals(new PeerWire.SetChangeRequest(2, S0.hash()), q.request(), "from the trusted height, set S0");
        assertTrue(c.inProgress());
        return c;
    }

    /** {@code link} is refused with {@code reason}, the proof ends and the peer's offers are ignored for a while. */
    private static void assertRefused(StateSync c, PeerWire.SetChangeLink link, String reason) {
        StateSync.Outcome.Failed f = assertInstanceOf(StateSync.Outcome.Failed.class,
                c.acceptLink(PEER, link, 0, 101, SILENCE));
        assertEquals(reason, f.reason(), f.detail());
        assertTrue(!c.inProgress());
        assertEquals(StateSync.NONE, c.accept(PEER, offer(S2), 0, 102, SILENCE, S0), "the peer is penalized");
        assertInstanceOf(StateSync.Outcome.ProveSetChange.class, c.accept(PEER + 1, offer(S2), 0, 102, SILENCE, S0),
                "another peer's offer is taken up");
        long after = 101 + NodeLimits.SNAPSHOT_PEER_PENALTY_SILENCES * SILENCE;
        StateSync fresh = proving();
        fresh.acceptLink(PEER, link, 0, 101, SILENCE);
        assertInstanceOf(StateSync.Outcome.ProveSetChange.class, fresh.accept(PEER, offer(S2), 0, after, SILENCE, S0),
                "the penalty ends");
    }

    @Test
    void validLinks_extendTheTrustedChain_untilTheOfferedSet_thenTheSnapshotIsTakenWithThatSet() {
        StateSync c = proving();
        StateSync.Outcome.ProveSetChange next = assertInstanceOf(StateSync.Outcome.ProveSetChange.class,
                c.acceptLink(PEER, first(), 0, 101, SILENCE));
        assertNull(next.reason());
        assertEquals(new PeerWire.SetChangeRequest(11, S1.hash()), next.request(), "S1 is trusted from height 11");
        StateSync.Outcome.Complete done = assertInstanceOf(StateSync.Outcome.Complete.class,
                c.acceptLink(PEER, second(), 0, 102, SILENCE));
        assertEquals(S2.hash(), done.set().hash(), "the proved set is the one installed");
        assertEquals(SNAPSHOT_HEIGHT, done.committed().block().height());
        assertTrue(!c.inProgress());
    }

    @Test
    void aProofOfExactlyTheMostLinks_goesOn_andOneLinkMoreIsRefusedAsTooLong() {
        int max = NodeLimits.MAX_SET_CHANGE_LINKS;
        StateSync c = client();
        // the head names S2, which the links (S0 -> S1 -> S0 -> ...) never reach: the proof runs into its bound
        assertInstanceOf(StateSync.Outcome.ProveSetChange.class,
                c.accept(PEER, offer(S2, max + 100L), 0, 100, SILENCE, S0));
        long anchor = 2;
        for (int i = 0; i <= max; i++) {
            ValidatorSet from = i % 2 == 0 ? S0 : S1;
            ValidatorSet to = i % 2 == 0 ? S1 : S0;
            Block b = block(10 + i, from, to, Hash32.ZERO);
            StateSync.Outcome o = c.acceptLink(PEER, link(anchor, from, b, sign(b, 0, 1, 2), to), 0, 101 + i,
                    SILENCE);
            if (i < max) {
                assertInstanceOf(StateSync.Outcome.ProveSetChange.class, o, "link " + (i + 1) + " of at most " + max);
            } else {
                assertEquals("SET_CHANGE_TOO_LONG", assertInstanceOf(StateSync.Outcome.Failed.class, o).reason(),
                        "link " + (max + 1));
            }
            anchor = b.height() + 1;
        }
        assertTrue(!c.inProgress());
    }

    @Test
    void theSameSetCase_isUnchanged_andAHeadAtASetChange_isRefused() {
        StateSync c = client();
        assertInstanceOf(StateSync.Outcome.Complete.class, c.accept(PEER, offer(S0), 0, 100, SILENCE, S0),
                "a head naming the trusted set twice is taken with no proof");
        Application app = factory().genesis();
        Block head = block(SNAPSHOT_HEIGHT, S0, S1, app.stateRoot());
        PeerWire.SnapshotChunk atChange = new PeerWire.SnapshotChunk(SNAPSHOT_HEIGHT, head.hash(), 0, 1,
                new PeerWire.SnapshotHead(new PeerWire.CommittedBlock(head, sign(head, 0, 1, 2)), 0), List.of());
        assertEquals("SNAPSHOT_PAST_SET_CHANGE", assertInstanceOf(StateSync.Outcome.Failed.class,
                client().accept(PEER, atChange, 0, 100, SILENCE, S0)).reason());
        // Without a genesis (no proofs) an offer of another set is refused as before.
        assertEquals("SNAPSHOT_PAST_SET_CHANGE", assertInstanceOf(StateSync.Outcome.Failed.class,
                new StateSync(factory()).accept(PEER, offer(S2), 0, 100, SILENCE, S0.hash(), (b, k) -> true))
                .reason());
        // A snapshot so close that no change can lie between the trusted height and it.
        assertEquals("SNAPSHOT_PAST_SET_CHANGE", assertInstanceOf(StateSync.Outcome.Failed.class,
                client().accept(PEER, offer(S2), SNAPSHOT_HEIGHT - 2, 100, SILENCE, S0)).reason());
    }

    @Test
    void aCommitByTheWrongSet_orLackingTwoThirds_isRefused() {
        Block b = block(10, S0, S1, Hash32.ZERO);
        assertRefused(proving(), link(2, S0, b, sign(b, 4, 5, 6), S1), "SET_CHANGE_BAD_COMMIT");
        assertRefused(proving(), link(2, S0, b, sign(b, 0, 1), S1), "SET_CHANGE_BAD_COMMIT");
        assertRefused(proving(), link(2, S0, b, sign(block(11, S0, S1, Hash32.ZERO), 0, 1, 2), S1),
                "SET_CHANGE_BAD_COMMIT");
        // At the second link the trusted set is S1 (total power 5): validators 1 and 2 hold 2 of it, not enough.
        StateSync c = proving();
        c.acceptLink(PEER, first(), 0, 101, SILENCE);
        Block b2 = block(20, S1, S2, Hash32.ZERO);
        assertEquals("SET_CHANGE_BAD_COMMIT", assertInstanceOf(StateSync.Outcome.Failed.class,
                c.acceptLink(PEER, link(11, S1, b2, sign(b2, 1, 2), S2), 0, 102, SILENCE)).reason());
    }

    @Test
    void aCarriedSetThatDoesNotHashToTheNamedOne_isRefused() {
        Block b = block(10, S0, S1, Hash32.ZERO);
        assertRefused(proving(), link(2, S0, b, sign(b, 0, 1, 2), S2), "SET_CHANGE_SET_MISMATCH");
        // Same keys and powers in another order: another hash (the order is consensus: proposer rotation).
        List<ValidatorSet.Validator> reversed = new ArrayList<>(S1.validators());
        java.util.Collections.reverse(reversed);
        assertRefused(proving(), link(2, S0, b, sign(b, 0, 1, 2), new ValidatorSet(reversed)),
                "SET_CHANGE_SET_MISMATCH");
    }

    @Test
    void aSetTheEngineCannotHold_orRenamedValidators_areRefused() {
        Block b = block(10, S0, S1, Hash32.ZERO);
        List<PeerWire.SetMember> members = new ArrayList<>(StateSync.membersOf(S1));
        PeerWire.SetMember m0 = members.get(0);
        List<PeerWire.SetMember> renamed = new ArrayList<>(members);
        renamed.set(0, new PeerWire.SetMember("mallory", m0.key(), m0.power()));
        List<PeerWire.SetMember> duplicate = new ArrayList<>(members);
        duplicate.set(1, m0);
        List<PeerWire.SetMember> zeroPower = new ArrayList<>(members);
        zeroPower.set(0, new PeerWire.SetMember(m0.name(), m0.key(), 0));
        for (List<PeerWire.SetMember> bad : List.of(renamed, duplicate, zeroPower)) {
            assertRefused(proving(), wire(new PeerWire.SetChangeLink(2, S0.hash(), new PeerWire.CommittedBlock(b,
                    sign(b, 0, 1, 2)), bad)), "SET_CHANGE_BAD_SET");
        }
    }

    @Test
    void linksOutOfOrder_orThatDoNotChangeTheSet_orNameAnotherSet_areRefused() {
        Block low = block(1, S0, S1, Hash32.ZERO);
        assertRefused(proving(), link(2, S0, low, sign(low, 0, 1, 2), S1), "SET_CHANGE_OUT_OF_ORDER");
        Block past = block(SNAPSHOT_HEIGHT, S0, S1, Hash32.ZERO);
        assertRefused(proving(), link(2, S0, past, sign(past, 0, 1, 2), S1), "SET_CHANGE_OUT_OF_ORDER");
        // After the link at 10 the chain is trusted from 11: a link at 10 again goes back.
        StateSync c = proving();
        c.acceptLink(PEER, first(), 0, 101, SILENCE);
        Block back = block(10, S1, S2, Hash32.ZERO);
        assertEquals("SET_CHANGE_OUT_OF_ORDER", assertInstanceOf(StateSync.Outcome.Failed.class,
                c.acceptLink(PEER, link(11, S1, back, sign(back, 0, 1, 2), S2), 0, 102, SILENCE)).reason());

        Block same = block(10, S0, S0, Hash32.ZERO);
        assertRefused(proving(), link(2, S0, same, sign(same, 0, 1, 2), S0), "SET_CHANGE_NOT_A_CHANGE");
        Block other = block(10, S1, S2, Hash32.ZERO);
        assertRefused(proving(), link(2, S0, other, sign(other, 0, 1, 2), S2), "SET_CHANGE_WRONG_SET");
        // A last link whose set is not the one the head names, at the head's height: the head is not proved.
        StateSync d = proving();
        Block toOther = block(SNAPSHOT_HEIGHT - 1, S0, S1, Hash32.ZERO);
        assertEquals("SET_CHANGE_HEAD_MISMATCH", assertInstanceOf(StateSync.Outcome.Failed.class,
                d.acceptLink(PEER, link(2, S0, toOther, sign(toOther, 0, 1, 2), S1), 0, 101, SILENCE)).reason());
    }

    @Test
    void aRefusalEndsTheProof_unsolicitedLinksAreIgnored_andAnUnansweredRequestTimesOut() {
        assertRefused(proving(), wire(new PeerWire.SetChangeLink(2, S0.hash(), null, List.of())),
                "SET_CHANGE_UNAVAILABLE");
        StateSync c = proving();
        assertSame(StateSync.NONE, c.acceptLink(PEER + 1, first(), 0, 101, SILENCE), "from another peer");
        Block b = block(10, S0, S1, Hash32.ZERO);
        assertSame(StateSync.NONE, c.acceptLink(PEER, link(3, S0, b, sign(b, 0, 1, 2), S1), 0, 101, SILENCE),
                "for another request");
        assertSame(StateSync.NONE, c.accept(PEER + 1, offer(S2), 0, 101, SILENCE, S0), "one proof at a time");
        assertSame(StateSync.NONE, c.tick(100 + RETRY - 1, RETRY, SILENCE), "not yet");
        long t = 100;
        for (int i = 0; i < StateSync.MAX_RETRIES; i++) {
            t += RETRY;
            assertEquals(new PeerWire.SetChangeRequest(2, S0.hash()), assertInstanceOf(
                    StateSync.Outcome.ProveSetChange.class, c.tick(t, RETRY, SILENCE)).request());
        }
        t += RETRY;
        assertEquals("SET_CHANGE_TIMEOUT", assertInstanceOf(StateSync.Outcome.Failed.class,
                c.tick(t, RETRY, SILENCE)).reason());
        assertSame(StateSync.NONE, c.accept(PEER, offer(S2), 0, t + 1, SILENCE, S0), "penalized");
        // A proof made useless by block sync is dropped.
        StateSync d = proving();
        d.abandonIfReached(SNAPSHOT_HEIGHT);
        assertTrue(!d.inProgress());
    }

    // ------------------------------------------------------------------------------------------ serving

    @Test
    void theServerAnswersTheFirstKeptChangeOutOfTheAskedSet_keepsTheNewestFew_andRefusesWhatItLacks() {
        StateSync server = client();
        server.retainSetChange(10, S0.hash(), S1);
        server.retainSetChange(20, S1.hash(), S2);
        assertEquals(10L, server.setChangeFrom(2, S0.hash()).orElseThrow().getKey());
        assertEquals(S1.hash(), server.setChangeFrom(2, S0.hash()).orElseThrow().getValue().hash());
        assertEquals(20L, server.setChangeFrom(2, S1.hash()).orElseThrow().getKey(), "out of the set asked for");
        assertTrue(server.setChangeFrom(11, S0.hash()).isEmpty(), "none at or above the height asked for");
        // exactly the bound kept: the oldest (S0 -> S1 at 10) is still served; one more drops it
        for (long h = 100; h < 100 + NodeLimits.MAX_SERVED_SET_CHANGES - 2; h++) {
            server.retainSetChange(h, S2.hash(), S1);
        }
        assertEquals(10L, server.setChangeFrom(2, S0.hash()).orElseThrow().getKey(), "at the bound");
        server.retainSetChange(100 + NodeLimits.MAX_SERVED_SET_CHANGES - 2, S2.hash(), S1);
        assertTrue(server.setChangeFrom(2, S0.hash()).isEmpty(), "the oldest dropped one past the bound");
        assertEquals(20L, server.setChangeFrom(2, S1.hash()).orElseThrow().getKey(), "the next oldest kept");
        assertEquals(100L, server.setChangeFrom(2, S2.hash()).orElseThrow().getKey());

        // A node that does not hold the block (here: a fresh node) answers with a refusal.
        ValidatorNode node = new ValidatorNode(GENESIS, LocalnetTest.validatorKey(0), factory());
        NodeOutput out = node.apply(new NodeInput.PeerMessage(3, PeerWire.encode(
                new PeerWire.SetChangeRequest(2, S0.hash()))));
        assertEquals(1, out.outbound().size());
        assertEquals(3, out.outbound().get(0).peer());
        PeerWire.SetChangeLink answer = assertInstanceOf(PeerWire.SetChangeLink.class, decode(out.outbound().get(0)
                .bytes()));
        assertNull(answer.committed());
        assertEquals(2, answer.fromHeight());
    }

    // ------------------------------------------------------------------------------------------ the wire

    private static PeerWire.Message decode(byte[] bytes) {
        try {
            return PeerWire.decode(bytes);
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theLargestLink_fitsAPeerMessage_andTheWireBoundsHold() throws DecodeException {
        long bound = 1L + 8 + 32 + 1 + 4 + LedgerLimits.MAX_BLOCK_BYTES + 4 + 4
                + LedgerLimits.MAX_VALIDATORS * (32L + 64 + 8) + 4
                + (long) ValidatorSet.MAX_VALIDATORS * (4 + PeerWire.MAX_SET_MEMBER_NAME_BYTES + 32 + 8);
        assertTrue(bound < NodeLimits.MAX_PEER_MESSAGE_BYTES, bound + " < " + NodeLimits.MAX_PEER_MESSAGE_BYTES);
        // The most members, each with the longest name (a key's hex): decodes, within the bound.
        List<PeerWire.SetMember> most = new ArrayList<>();
        for (int i = 0; i < ValidatorSet.MAX_VALIDATORS; i++) {
            PublicKey k = dev.oasisj.core.crypto.Signer.fromSeed(Hash32.sha256(new byte[] {(byte) i, (byte) (i >> 8)})
                    .toBytes()).publicKey();
            most.add(new PeerWire.SetMember(k.toHex(), k, 1));
        }
        PeerWire.SetChangeLink largest = first();
        byte[] bytes = PeerWire.encode(new PeerWire.SetChangeLink(2, S0.hash(), largest.committed(), most));
        assertTrue(bytes.length <= bound);
        assertEquals(most, ((PeerWire.SetChangeLink) PeerWire.decode(bytes)).nextSet());
        // One member more, a name a byte longer, a presence byte that is neither 0 nor 1, members without a block:
        // none decodes.
        List<PeerWire.SetMember> tooMany = new ArrayList<>(most);
        tooMany.add(most.get(0));
        assertThrows(IllegalArgumentException.class, () -> new PeerWire.SetChangeLink(2, S0.hash(),
                largest.committed(), tooMany));
        byte[] withCount = PeerWire.encode(new PeerWire.SetChangeLink(2, S0.hash(), largest.committed(), most));
        int countAt = withCount.length - most.size() * (4 + 64 + 32 + 8) - 4;
        java.nio.ByteBuffer.wrap(withCount, countAt, 4).putInt(ValidatorSet.MAX_VALIDATORS + 1);
        assertThrows(DecodeException.class, () -> PeerWire.decode(withCount));
        String longName = "n".repeat(PeerWire.MAX_SET_MEMBER_NAME_BYTES + 1);
        assertThrows(IllegalArgumentException.class, () -> new PeerWire.SetChangeLink(2, S0.hash(),
                largest.committed(), List.of(new PeerWire.SetMember(longName, most.get(0).key(), 1))));
        byte[] refusal = PeerWire.encode(new PeerWire.SetChangeLink(2, S0.hash(), null, List.of()));
        refusal[1 + 8 + 32] = 2;
        assertThrows(DecodeException.class, () -> PeerWire.decode(refusal));
        assertThrows(IllegalArgumentException.class, () -> new PeerWire.SetChangeLink(2, S0.hash(), null,
                List.of(most.get(0))));
        assertThrows(DecodeException.class, () -> PeerWire.decode(java.util.Arrays.copyOf(
                PeerWire.encode(new PeerWire.SetChangeRequest(2, S0.hash())), 1 + 8 + 32 + 1)), "trailing byte");
        assertEquals(new PeerWire.SetChangeRequest(1, S0.hash()), PeerWire.decode(PeerWire.encode(
                new PeerWire.SetChangeRequest(1, S0.hash()))));
    }
}
