package dev.oasisj.core.crypto;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Ed25519 verification that keeps the decoded form of recently seen public keys, so that a sender's key is decompressed
 * (a field square root, about a tenth of a verification) once instead of once per signature.
 *
 * <p>Same answers as {@link PublicKey#verify}, bit for bit, whatever the cache holds. Bouncy Castle's verification from
 * an encoded key (Ed25519.verify with key bytes) first checks the key's encoding ({@code checkPointFullVar}: canonical,
 * not one of the small-order encodings), then decompresses it; {@code validatePublicKeyPartialExport} does exactly
 * these two steps and exports the point. Only such keys whose point re-encodes to exactly their bytes are cached, and
 * {@code Ed25519.verify} with the decoded point checks the same (cofactorless) equation over the same hash input
 * ({@code R || A || M}, with A re-encoded from the point). Keys that fail those checks are remembered as such and
 * always take the encoded-key path. A test compares both paths on valid, tampered and adversarial keys and
 * signatures, including keys that collide in a slot.
 *
 * <p>Direct-mapped and fixed in size ({@value #SLOTS} slots, at most about 3 MB): a slot is chosen by the key's first
 * bytes, a colliding key replaces the slot's entry. Nothing is iterated and nothing observable depends on what is
 * cached, so the deterministic cores may own one; a flood of distinct keys costs speed, never correctness.
 */
public final class DecodedKeyCache {
    static final int SLOTS = 16384;

    private final byte[] @Nullable [] keys = new byte[SLOTS][];
    private final Ed25519.@Nullable PublicPoint[] points = new Ed25519.PublicPoint[SLOTS];
    private long hits;
    private long misses;

    /** The same result as {@code key.verify(message, signature)}. */
    public boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature.length != Signer.SIGNATURE_SIZE_BYTES) {
            return false;
        }
        byte[] k = key.bytesNoCopy();
        int slot = slotOf(k);
        byte @Nullable [] held = keys[slot];
        Ed25519.@Nullable PublicPoint point;
        if (held != null && Arrays.equals(held, k)) {
            hits++;
            point = points[slot];
        } else {
            misses++;
            point = decode(k);
            keys[slot] = k.clone();
            points[slot] = point; // null: the key fails the checks and always takes the uncached path
        }
        if (point == null) {
            return key.verify(message, signature);
        }
        try {
            return Ed25519.verify(signature, 0, point, message, 0, message.length);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** Lookups that found their key in its slot. */
    public long hits() {
        return hits;
    }

    /** Lookups that had to decode (or re-validate) the key. */
    public long misses() {
        return misses;
    }

    static int slotOf(byte[] k) {
        // key bytes are uniformly distributed for honest keys; a crafted collision only evicts
        int h = (k[0] & 0xff) | (k[1] & 0xff) << 8 | (k[2] & 0xff) << 16 | (k[3] & 0xff) << 24;
        h ^= h >>> 13;
        return h & (SLOTS - 1);
    }

    /** The decoded key if it passes the encoded-key path's checks and re-encodes to exactly {@code k}; else null. */
    private static Ed25519.@Nullable PublicPoint decode(byte[] k) {
        Ed25519.@Nullable PublicPoint p;
        try {
            p = Ed25519.validatePublicKeyPartialExport(k, 0);
        } catch (RuntimeException malformed) {
            return null;
        }
        if (p == null) {
            return null;
        }
        byte[] again = new byte[PublicKey.SIZE_BYTES];
        Ed25519.encodePublicPoint(p, again, 0);
        return Arrays.equals(again, k) ? p : null;
    }
}
