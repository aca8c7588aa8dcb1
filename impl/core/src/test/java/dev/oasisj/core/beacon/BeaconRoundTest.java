package dev.oasisj.core.beacon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.EcVrf;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The beacon round with real keys: which proofs it accepts (and why it refuses the others), the 2/3 threshold at its
 * edge, the beacon's documented value, and the fallback.
 */
class BeaconRoundTest {
    private static final String CHAIN = "oasisj-test";
    private static final long EPOCH = 7;
    private static final Hash32 PREVIOUS = Hash32.sha256("beacon 7".getBytes(StandardCharsets.UTF_8));
    private static final Signer A = Signer.deterministic("A", 1);
    private static final Signer B = Signer.deterministic("B", 1);
    private static final Signer C = Signer.deterministic("C", 1);
    private static final Signer D = Signer.deterministic("D", 1);
    private static final Signer OUTSIDER = Signer.deterministic("outsider", 1);

    /** Powers A 3, B 3, C 2, D 1: total 9, and A + B = 6 is exactly 2/3. */
    private static BeaconRound round() {
        Map<PublicKey, Long> powers = new TreeMap<>();
        powers.put(A.publicKey(), 3L);
        powers.put(B.publicKey(), 3L);
        powers.put(C.publicKey(), 2L);
        powers.put(D.publicKey(), 1L);
        return BeaconRound.open(CHAIN, EPOCH, PREVIOUS, powers);
    }

    private static BeaconProof proof(Signer s, long epoch, Hash32 previous) {
        return new BeaconProof(s.publicKey(), epoch, s.vrfProve(BeaconRound.alpha(CHAIN, epoch, previous)));
    }

    private static BeaconProof proof(Signer s) {
        return proof(s, EPOCH, PREVIOUS);
    }

    private static BeaconRound accept(BeaconRound r, BeaconProof p) {
        return assertInstanceOf(BeaconSubmission.Accepted.class, r.submit(p), p.toString()).round();
    }

    private static void refused(BeaconRejectReason reason, BeaconRound r, BeaconProof p) {
        BeaconSubmission s = r.submit(p);
        assertEquals(reason, assertInstanceOf(BeaconSubmission.Rejected.class, s, s.toString()).reason());
    }

    @Test
    void theAlpha_isTheDocumentedEncoding() {
        byte[] domain = "oasisj/beacon/alpha/v1".getBytes(StandardCharsets.UTF_8);
        byte[] chain = CHAIN.getBytes(StandardCharsets.UTF_8);
        byte[] expected = ByteBuffer.allocate(4 + domain.length + 4 + chain.length + 8 + 32).putInt(domain.length)
                .put(domain).putInt(chain.length).put(chain).putLong(EPOCH).put(PREVIOUS.toBytes()).array();
        assertArrayEquals(expected, round().alpha());
    }

    @Test
    void aValidatorsProof_isAcceptedOnce_andItsOutputIsTheVrfOutput() {
        BeaconRound r = accept(round(), proof(A));
        assertEquals(List.of(A.publicKey()), r.contributors());
        assertEquals(3, r.contributedPower());
        assertArrayEquals(EcVrf.proofToHash(proof(A).proof()), r.betaOf(A.publicKey()).orElseThrow());
        refused(BeaconRejectReason.DUPLICATE, r, proof(A));
        assertEquals(List.of(A.publicKey()), r.contributors(), "a refusal leaves the round as it was");
    }

    @Test
    void aForgedProof_isRefused() {
        BeaconRound r = round();
        byte[] pi = proof(A).proof();
        pi[40] ^= 1;
        refused(BeaconRejectReason.INVALID_PROOF, r, new BeaconProof(A.publicKey(), EPOCH, pi));
        // B's valid proof presented as A's
        refused(BeaconRejectReason.INVALID_PROOF, r, new BeaconProof(A.publicKey(), EPOCH, proof(B).proof()));
        assertEquals(0, r.contributedPower());
    }

    @Test
    void aProofFromANonValidator_isRefused_evenThoughItVerifies() {
        BeaconProof p = proof(OUTSIDER);
        assertTrue(EcVrf.verify(OUTSIDER.publicKey().toBytes(), p.proof(), round().alpha()).isPresent());
        refused(BeaconRejectReason.NOT_A_VALIDATOR, round(), p);
    }

    @Test
    void aProofOfAnotherEpochsAlpha_isRefused() {
        // labelled with another epoch
        refused(BeaconRejectReason.WRONG_EPOCH, round(), proof(A, EPOCH + 1, PREVIOUS));
        // labelled with this epoch, but proving the alpha of the previous epoch, or of another previous beacon
        BeaconProof old = proof(A, EPOCH - 1, PREVIOUS);
        refused(BeaconRejectReason.INVALID_PROOF, round(), new BeaconProof(A.publicKey(), EPOCH, old.proof()));
        BeaconProof fork = proof(A, EPOCH, Hash32.ZERO);
        refused(BeaconRejectReason.INVALID_PROOF, round(), fork);
        // and for another chain
        BeaconProof otherChain = new BeaconProof(A.publicKey(), EPOCH,
                A.vrfProve(BeaconRound.alpha("other-chain", EPOCH, PREVIOUS)));
        refused(BeaconRejectReason.INVALID_PROOF, round(), otherChain);
    }

    @Test
    void exactlyTwoThirdsOfThePower_isNotEnough_oneMoreIs() {
        BeaconRound ab = accept(accept(round(), proof(A)), proof(B));
        assertEquals(6, ab.contributedPower());
        assertEquals(9, ab.totalPower());
        assertFalse(ab.thresholdReached());
        BeaconOutcome fallback = ab.close();
        assertTrue(fallback.fallback());
        BeaconRound abd = accept(ab, proof(D));
        assertTrue(abd.thresholdReached());
        BeaconOutcome o = abd.close();
        assertFalse(o.fallback());
        assertEquals(EPOCH + 1, o.epoch());
        assertEquals(7, o.contributedPower());
        assertEquals(List.of(A.publicKey(), B.publicKey(), D.publicKey()).stream().sorted().toList(),
                o.contributors());
    }

    @Test
    void theBeacon_isTheDocumentedHashOfTheOutputsByKey_whateverTheArrivalOrder() {
        BeaconRound dcba = accept(accept(accept(accept(round(), proof(D)), proof(C)), proof(B)), proof(A));
        BeaconRound abcd = accept(accept(accept(accept(round(), proof(A)), proof(B)), proof(C)), proof(D));
        BeaconOutcome o = dcba.close();
        assertFalse(o.fallback());
        assertEquals(o, abcd.close());
        List<Signer> byKey = new ArrayList<>(List.of(A, B, C, D));
        byKey.sort((x, y) -> x.publicKey().compareTo(y.publicKey()));
        List<byte[]> parts = new ArrayList<>();
        parts.add("oasisj/beacon/value/v1".getBytes(StandardCharsets.UTF_8));
        parts.add(CHAIN.getBytes(StandardCharsets.UTF_8));
        parts.add(ByteBuffer.allocate(8).putLong(EPOCH + 1).array());
        parts.add(PREVIOUS.toBytes());
        for (Signer s : byKey) {
            parts.add(s.publicKey().toBytes());
            parts.add(EcVrf.proofToHash(proof(s).proof()));
        }
        assertEquals(Hash32.sha256Parts(parts.toArray(new byte[0][])), o.beacon());
        // another contributing set gives another beacon
        BeaconOutcome abc = accept(accept(accept(round(), proof(A)), proof(B)), proof(C)).close();
        assertFalse(abc.fallback());
        assertNotEquals(o.beacon(), abc.beacon());
    }

    @Test
    void tooFewProofs_giveTheRecordedFallback_aHashOfThePreviousBeaconAndEpoch() {
        BeaconOutcome none = round().close();
        Hash32 expected = Hash32.sha256Parts("oasisj/beacon/fallback/v1".getBytes(StandardCharsets.UTF_8),
                CHAIN.getBytes(StandardCharsets.UTF_8), ByteBuffer.allocate(8).putLong(EPOCH + 1).array(),
                PREVIOUS.toBytes());
        assertTrue(none.fallback());
        assertEquals(expected, none.beacon());
        assertEquals(List.of(), none.contributors());
        BeaconOutcome some = accept(round(), proof(C)).close();
        assertTrue(some.fallback());
        assertEquals(expected, some.beacon(), "below the threshold, the outputs that did arrive are not used");
        assertEquals(List.of(C.publicKey()), some.contributors());
    }

    @Test
    void roundsAreOpenedOnlyForAValidSet() {
        assertThrows(IllegalArgumentException.class, () -> BeaconRound.open(CHAIN, EPOCH, PREVIOUS, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> BeaconRound.open(CHAIN, EPOCH, PREVIOUS, Map.of(A.publicKey(), 0L)));
        assertThrows(ArithmeticException.class, () -> BeaconRound.open(CHAIN, EPOCH, PREVIOUS,
                Map.of(A.publicKey(), Long.MAX_VALUE, B.publicKey(), 1L)));
        assertNotEquals(BeaconRound.genesisBeacon(CHAIN), BeaconRound.genesisBeacon("other-chain"));
    }

    @Test
    void theProofBody_roundTrips_andRefusesTruncationTrailingBytesAndANegativeEpoch() throws DecodeException {
        BeaconProof p = proof(A);
        byte[] bytes = BeaconProofCodec.INSTANCE.encode(p);
        assertEquals(BeaconProof.ENCODED_SIZE_BYTES, bytes.length);
        assertArrayEquals(ByteBuffer.allocate(120).put(A.publicKey().toBytes()).putLong(EPOCH).put(p.proof())
                .array(), bytes);
        assertEquals(p, BeaconProofCodec.INSTANCE.decode(bytes));
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            DecodeException e = assertThrows(DecodeException.class, () -> BeaconProofCodec.INSTANCE.decode(cut));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        assertThrows(DecodeException.class, () -> BeaconProofCodec.INSTANCE.decode(Arrays.copyOf(bytes, 121)));
        byte[] negative = bytes.clone();
        negative[32] = (byte) 0x80;
        DecodeException e = assertThrows(DecodeException.class, () -> BeaconProofCodec.INSTANCE.decode(negative));
        assertTrue(e.getMessage().startsWith("beaconProof.epoch: negative"), e.getMessage());
        assertEquals("beacon.SubmitProof", BeaconMethods.SUBMIT_PROOF.name());
        assertEquals(120, BeaconMethods.SUBMIT_PROOF.maxBodyBytes());
    }
}
