package dev.oasisj.core.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.DecodeException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsensusMessageCodecTest {
    private final TestNet net = TestNet.equalPowers(4);

    private List<SignedMessage> samples() {
        return List.of(net.sign(1, TestNet.proposal(1, 0, "a", -1)), net.sign(2, TestNet.proposal(3, 5, "b", 2)),
                net.sign(0, TestNet.prevote(1, 0, VoteValue.NIL)), net.sign(0, TestNet.prevote(2, 7, TestNet.vv("a"))),
                net.sign(3, TestNet.precommit(9, 1, TestNet.vv("b"))),
                net.sign(3, TestNet.precommit(9, 1, VoteValue.NIL)));
    }

    @Test
    void decodeOfEncodeIsTheSameMessage_andItsSignatureVerifies() throws DecodeException {
        for (SignedMessage m : samples()) {
            SignedMessage back = ConsensusMessageCodec.decodeVerified(ConsensusMessageCodec.encode(m), TestNet.CHAIN);
            assertEquals(m, back);
            assertTrue(Arrays.equals(ConsensusMessageCodec.encode(m), ConsensusMessageCodec.encode(back)));
        }
    }

    @Test
    void everyTruncationIsRejected() {
        for (SignedMessage m : samples()) {
            byte[] bytes = ConsensusMessageCodec.encode(m);
            for (int n = 0; n < bytes.length; n++) {
                byte[] cut = Arrays.copyOf(bytes, n);
                assertThrows(DecodeException.class, () -> ConsensusMessageCodec.decode(cut), "prefix " + n);
            }
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = ConsensusMessageCodec.encode(samples().get(2));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        DecodeException e = assertThrows(DecodeException.class, () -> ConsensusMessageCodec.decode(longer));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void oversizedInputIsRejectedBeforeDecoding() {
        byte[] huge = new byte[ConsensusMessageCodec.MAX_MESSAGE_BYTES + 1];
        huge[0] = 1;
        DecodeException e = assertThrows(DecodeException.class, () -> ConsensusMessageCodec.decode(huge));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    @Test
    void aPayloadOverTheLimitCannotBeBuilt() {
        byte[] big = new byte[ConsensusMessageCodec.MAX_PAYLOAD_BYTES + 1];
        assertThrows(IllegalArgumentException.class, () -> ConsensusMessage.Proposal.of(1, 0, big, -1));
    }

    @Test
    void aFlippedSignatureBitOrAnotherChainFailsVerification() throws DecodeException {
        SignedMessage m = samples().get(3);
        byte[] bytes = ConsensusMessageCodec.encode(m);
        bytes[bytes.length - 1] ^= 1;
        SignedMessage tampered = ConsensusMessageCodec.decode(bytes);
        assertFalse(tampered.verify(TestNet.CHAIN));
        DecodeException e = assertThrows(DecodeException.class,
                () -> ConsensusMessageCodec.decodeVerified(bytes, TestNet.CHAIN));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
        assertFalse(m.verify("other-chain"));
        assertEquals(DeliverResult.Reason.BAD_SIGNATURE,
                ((DeliverResult.Rejected) net.core(0).deliver(tampered)).reason());
    }

    @Test
    void aProposalWhoseValueIsNotTheHashOfItsPayloadIsRejected() {
        byte[] bytes = ConsensusMessageCodec.encode(samples().get(0));
        bytes[1 + 8 + 4 + 32 + 4 + 4] ^= 1; // first payload byte
        DecodeException e = assertThrows(DecodeException.class, () -> ConsensusMessageCodec.decode(bytes));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void malformedFieldsAreRejectedWithTheirName() {
        byte[] bytes = ConsensusMessageCodec.encode(samples().get(1)); // round 5, validRound 2
        bytes[1 + 8 + 4 + 32 + 3] = 5; // validRound := 5, not below round 5
        DecodeException e = assertThrows(DecodeException.class, () -> ConsensusMessageCodec.decode(bytes));
        assertTrue(e.getMessage().contains("validRound"), e.getMessage());
        byte[] vote = ConsensusMessageCodec.encode(samples().get(2));
        vote[0] = 9;
        e = assertThrows(DecodeException.class, () -> ConsensusMessageCodec.decode(vote));
        assertTrue(e.getMessage().contains("kind"), e.getMessage());
        byte[] vote2 = ConsensusMessageCodec.encode(samples().get(2));
        vote2[1 + 8 + 4] = 2; // hasValue must be 0 or 1
        e = assertThrows(DecodeException.class, () -> ConsensusMessageCodec.decode(vote2));
        assertTrue(e.getMessage().contains("hasValue"), e.getMessage());
    }
}
