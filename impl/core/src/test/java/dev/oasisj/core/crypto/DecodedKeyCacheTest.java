package dev.oasisj.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cache must never change an answer: every (key, message, signature) gets the same verdict from
 * {@link DecodedKeyCache#verify} as from {@link PublicKey#verify}, whether the key is cached, evicted, or uncacheable.
 * A node whose cache held different keys would otherwise accept a different set of transactions.
 */
class DecodedKeyCacheTest {
    /** Encodings of the eight small-order points, their non-canonical twins, and other edge encodings. */
    private static final List<String> EDGE_KEYS = SmallOrderPoints.plus(
            "0100000000000000000000000000000000000000000000000000000000000080", // identity, x sign set
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1 (non-canonical 1)
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p (non-canonical 0)
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

    private static void assertSameVerdict(DecodedKeyCache cache, PublicKey key, byte[] message, byte[] signature) {
        boolean plain = key.verify(message, signature);
        assertEquals(plain, cache.verify(key, message, signature), "verdicts differ for key " + key.toHex());
        // the second lookup takes the other branch (hit instead of miss): still the same verdict
        assertEquals(plain, cache.verify(key, message, signature), "verdicts differ on a hit for key " + key.toHex());
    }

    @Test
    void validKeys_verifyTheSameCachedOrNot_andTamperingIsRejected() {
        DecodedKeyCache cache = new DecodedKeyCache();
        Random rnd = new Random(7);
        int accepted = 0;
        for (int i = 0; i < 300; i++) {
            Signer s = Signer.deterministic("key-cache", i);
            byte[] message = new byte[1 + rnd.nextInt(200)];
            rnd.nextBytes(message);
            byte[] sig = s.sign(message);
            assertTrue(cache.verify(s.publicKey(), message, sig), "a valid signature must verify");
            accepted++;
            assertSameVerdict(cache, s.publicKey(), message, sig);
            byte[] otherMessage = message.clone();
            otherMessage[rnd.nextInt(otherMessage.length)] ^= (byte) (1 + rnd.nextInt(255));
            assertFalse(cache.verify(s.publicKey(), otherMessage, sig));
            assertSameVerdict(cache, s.publicKey(), otherMessage, sig);
            byte[] otherSig = sig.clone();
            otherSig[rnd.nextInt(otherSig.length)] ^= (byte) (1 + rnd.nextInt(255));
            assertSameVerdict(cache, s.publicKey(), message, otherSig);
            // the signature of another key
            Signer t = Signer.deterministic("key-cache-other", i);
            assertFalse(cache.verify(s.publicKey(), message, t.sign(message)));
            assertSameVerdict(cache, s.publicKey(), message, t.sign(message));
            assertFalse(cache.verify(s.publicKey(), message, new byte[10]), "a short signature is rejected");
        }
        assertEquals(300, accepted);
        assertTrue(cache.hits() > 0 && cache.misses() > 0, "both branches ran: " + cache.hits() + "/" + cache.misses());
    }

    @Test
    void keysOutsideThePrimeOrderSubgroupOrNonCanonical_giveTheUncachedVerdict() {
        DecodedKeyCache cache = new DecodedKeyCache();
        byte[] message = "edge".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<byte[]> signatures = new ArrayList<>();
        // R = identity, S = 0: valid for the identity key under the cofactorless equation if small order is allowed
        byte[] trivial = new byte[64];
        trivial[0] = 1;
        signatures.add(trivial);
        signatures.add(new byte[64]);
        Random rnd = new Random(11);
        for (int i = 0; i < 4; i++) {
            byte[] sig = new byte[64];
            rnd.nextBytes(sig);
            sig[63] &= 0x0f;
            signatures.add(sig);
        }
        for (String hex : EDGE_KEYS) {
            PublicKey key = PublicKey.fromHex(hex);
            for (byte[] sig : signatures) {
                assertSameVerdict(cache, key, message, sig);
            }
        }
        // random byte strings: about half decode to a curve point, and most of those are of mixed order
        for (int i = 0; i < 2000; i++) {
            byte[] k = new byte[32];
            rnd.nextBytes(k);
            PublicKey key = PublicKey.of(k);
            byte[] sig = signatures.get(i % signatures.size());
            assertSameVerdict(cache, key, message, sig);
        }
    }

    @Test
    void keysThatShareASlot_evictEachOther_withoutChangingVerdicts() {
        byte[] message = HexFormat.of().parseHex("00112233");
        // find two keys that map to the same slot (birthday bound: a few hundred keys suffice for 16384 slots)
        java.util.Map<Integer, Signer> bySlot = new java.util.TreeMap<>();
        Signer a = null;
        Signer b = null;
        for (int i = 0; i < 5000 && a == null; i++) {
            Signer s = Signer.deterministic("evict", i);
            Signer earlier = bySlot.putIfAbsent(DecodedKeyCache.slotOf(s.publicKey().toBytes()), s);
            if (earlier != null) {
                a = earlier;
                b = s;
            }
        }
        assertTrue(a != null && b != null, "no two keys share a slot");
        DecodedKeyCache cache = new DecodedKeyCache();
        for (int round = 0; round < 4; round++) {
            for (Signer s : List.of(a, b)) {
                byte[] sig = s.sign(message);
                assertTrue(cache.verify(s.publicKey(), message, sig));
                byte[] bad = sig.clone();
                bad[5] ^= 1;
                assertFalse(cache.verify(s.publicKey(), message, bad));
                // a's signature under b's key (and the reverse) while the slot holds the other key's point
                Signer other = s == a ? b : a;
                assertFalse(cache.verify(other.publicKey(), message, sig));
            }
        }
        // every switch between a and b evicted the other: far more decodes than the two keys
        assertTrue(cache.misses() >= 8, "misses " + cache.misses());
    }
}
