package dev.oasisj.core.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import net.i2p.crypto.eddsa.math.Curve;
import net.i2p.crypto.eddsa.math.GroupElement;
import net.i2p.crypto.eddsa.math.ScalarOps;
import net.i2p.crypto.eddsa.spec.EdDSANamedCurveSpec;
import net.i2p.crypto.eddsa.spec.EdDSANamedCurveTable;

/**
 * The verifiable random function ECVRF-EDWARDS25519-SHA512-TAI of RFC 9381 (suite string 0x03): a proof that the
 * 64-byte output {@code beta} was computed from the input {@code alpha} with the secret key behind a public key, and
 * is the only output that key can prove for that input. It is the building block of the per-epoch random beacon
 * ({@code spec/committee/README.md}, "The VRF").
 *
 * <p>The key is an Ed25519 key: the same 32-byte seed as {@link Signer}, expanded as RFC 8032 section 5.1.5 (SHA-512,
 * the low half clamped into the secret scalar {@code x}, the high half kept for nonces), and the same 32-byte public
 * key {@code Y = x*B}. A proof {@code pi} is 80 bytes: {@code Gamma} (a point, 32) || {@code c} (the challenge, 16,
 * little-endian) || {@code s} (a scalar below the group order q, 32, little-endian).
 *
 * <p>Pure and deterministic: no randomness (the nonce is derived from the key and the input, RFC 9381 section
 * 5.4.2.2), no clock, no state. Group arithmetic comes from the {@code net.i2p.crypto:eddsa} library (a Java port of
 * the ref10 edwards25519 code); this class adds only what the RFC defines on top of it, plus the canonical-encoding
 * check that RFC 8032 decoding requires and the library does not make. Multiplications by the secret scalars {@code x}
 * and {@code k} use a fixed sequence of doublings, additions and conditional moves (no branch or table index depends
 * on a secret bit); the JVM gives no hard guarantee of constant time, so treat this as best effort.
 * {@link #verify} works only on public data and uses the library's faster variable-time double multiplication.
 */
public final class EcVrf {
    public static final int SEED_SIZE_BYTES = 32;
    public static final int PUBLIC_KEY_SIZE_BYTES = 32;
    public static final int PROOF_SIZE_BYTES = 80;
    public static final int OUTPUT_SIZE_BYTES = 64;

    static final int POINT_SIZE_BYTES = 32;
    static final int CHALLENGE_SIZE_BYTES = 16;
    static final int SCALAR_SIZE_BYTES = 32;

    /** RFC 9381 section 5.5: suite_string of ECVRF-EDWARDS25519-SHA512-TAI. */
    private static final byte SUITE = 0x03;
    /** The domain separators of RFC 9381 sections 5.4.1.1, 5.4.3 and 5.2. */
    private static final byte ENCODE_TO_CURVE_FRONT = 0x01;
    private static final byte CHALLENGE_FRONT = 0x02;
    private static final byte PROOF_TO_HASH_FRONT = 0x03;
    private static final byte BACK = 0x00;
    /** The try-and-increment counter is one octet (int_to_string(ctr, 1)); each try succeeds with probability ~1/2. */
    private static final int LAST_COUNTER = 255;

    private static final EdDSANamedCurveSpec ED25519 = EdDSANamedCurveTable.ED_25519_CURVE_SPEC;
    private static final Curve CURVE = ED25519.getCurve();
    /** The base point B, with the library's precomputed tables for fixed-base and double-scalar multiplication. */
    private static final GroupElement BASE = ED25519.getB();
    private static final ScalarOps SCALARS = ED25519.getScalarOps();
    /** q = 2^252 + 27742317777372353535851937790883648493, the order of B. */
    static final BigInteger GROUP_ORDER =
            BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
    /** The encoding of the identity point (x = 0, y = 1). */
    private static final byte[] IDENTITY = identityEncoding();

    /** Never updated: each digest is a clone of it (as {@link Hash32} does for SHA-256). */
    private static final MessageDigest SHA512_PROTOTYPE = lookupSha512();

    private EcVrf() {
    }

    /** The public key {@code Y = x*B} of a seed: the same bytes as the seed's Ed25519 public key. */
    public static byte[] publicKey(byte[] secretKeySeed) {
        return BASE.scalarMultiply(ExpandedKey.of(secretKeySeed).secretScalar()).toByteArray();
    }

    /**
     * ECVRF_prove (RFC 9381 section 5.1): the 80-byte proof for {@code alpha} under the key of the 32-byte seed.
     * Deterministic: the same seed and alpha always give the same proof.
     *
     * @throws IllegalArgumentException if the seed is not 32 bytes
     */
    public static byte[] prove(byte[] secretKeySeed, byte[] alpha) {
        return proveWithTranscript(secretKeySeed, alpha).pi();
    }

    /**
     * ECVRF_verify (RFC 9381 section 5.3) with key validation (section 5.4.5): the 64-byte output {@code beta} if
     * {@code pi} is a valid proof for {@code alpha} under {@code publicKey}, empty otherwise. Never throws: a key or
     * proof of the wrong length, a point encoding that is not canonical or not on the curve, a key of small order
     * (whose outputs would be predictable), a scalar {@code s >= q}, or a failed challenge all give empty.
     */
    public static Optional<byte[]> verify(byte[] publicKey, byte[] pi, byte[] alpha) {
        // decodePoint and decodeProof refuse wrong lengths
        Optional<GroupElement> decodedKey = decodePoint(publicKey);
        if (decodedKey.isEmpty() || isSmallOrder(decodedKey.get())) {
            return Optional.empty();
        }
        Optional<DecodedProof> decodedProof = decodeProof(pi);
        if (decodedProof.isEmpty()) {
            return Optional.empty();
        }
        Optional<GroupElement> encodedAlpha = encodeToCurve(publicKey, alpha);
        if (encodedAlpha.isEmpty()) {
            return Optional.empty();
        }
        GroupElement y = decodedKey.get();
        DecodedProof proof = decodedProof.get();
        GroupElement h = encodedAlpha.get();
        byte[] c = Arrays.copyOf(proof.challenge(), SCALAR_SIZE_BYTES);
        // U = s*B - c*Y and V = s*H - c*Gamma; the library computes a*A + b*this with A and this precomputed.
        byte[] u = BASE.doubleScalarMultiplyVariableTime(y.negate(), c, proof.response()).toByteArray();
        byte[] v = h.doubleScalarMultiplyVariableTime(proof.gamma().negate(), c, proof.response()).toByteArray();
        byte[] expected = challenge(publicKey, h.toByteArray(), proof.gammaEncoding(), u, v);
        if (!MessageDigest.isEqual(expected, proof.challenge())) {
            return Optional.empty();
        }
        return Optional.of(gammaToHash(proof.gamma()));
    }

    /**
     * ECVRF_proof_to_hash (RFC 9381 section 5.2): the output of a proof, without checking that the proof is valid.
     * Use it only for a proof this node made or one {@link #verify} accepted; {@code verify} returns the same bytes.
     *
     * @throws IllegalArgumentException if {@code pi} does not decode (length, Gamma's encoding, or s >= q)
     */
    public static byte[] proofToHash(byte[] pi) {
        return gammaToHash(decodeProof(pi)
                .orElseThrow(() -> new IllegalArgumentException("not a decodable ECVRF proof")).gamma());
    }

    /**
     * Every value RFC 9381 Appendix B.3 lists for an example, for tests in this package: the clamped secret scalar
     * {@code x}, the public key, {@code H = encode_to_curve(Y, alpha)}, the 64-byte nonce string before reduction,
     * {@code U = k*B}, {@code V = k*H}, and the proof. Arrays are not copied.
     */
    record Transcript(byte[] secretScalar, byte[] publicKey, byte[] h, byte[] nonceString, byte[] u, byte[] v,
            byte[] pi) {
    }

    /** ECVRF_prove, RFC 9381 section 5.1, step by step; {@link #prove} keeps only the proof. */
    static Transcript proveWithTranscript(byte[] secretKeySeed, byte[] alpha) {
        // 1. x and Y = x*B from the seed (section 5.5: as an Ed25519 key, RFC 8032 section 5.1.5)
        ExpandedKey key = ExpandedKey.of(secretKeySeed);
        byte[] publicKey = BASE.scalarMultiply(key.secretScalar()).toByteArray();
        // 2-3. H = encode_to_curve(encode_to_curve_salt = PK_string, alpha); h_string = point_to_string(H)
        GroupElement h = encodeToCurve(publicKey, alpha).orElseThrow(() -> new IllegalStateException(
                "try-and-increment found no point in 256 tries (probability about 2^-256)"));
        byte[] hEncoding = h.toByteArray();
        // 4. Gamma = x*H
        byte[] gammaEncoding = multiplyFixedSequence(h, key.secretScalar()).toByteArray();
        // 5. k = nonce_generation(SK, h_string), section 5.4.2.2: SHA-512(high half of SHA-512(SK) || h_string) mod q
        byte[] nonceString = sha512(key.nonceKey(), hEncoding);
        byte[] k = SCALARS.reduce(nonceString);
        // 6. c = challenge_generation(Y, H, Gamma, k*B, k*H)
        byte[] u = BASE.scalarMultiply(k).toByteArray();
        byte[] v = multiplyFixedSequence(h, k).toByteArray();
        byte[] c = challenge(publicKey, hEncoding, gammaEncoding, u, v);
        // 7. s = (k + c*x) mod q
        byte[] s = SCALARS.multiplyAndAdd(Arrays.copyOf(c, SCALAR_SIZE_BYTES), key.secretScalar(), k);
        // 8. pi_string = point_to_string(Gamma) || int_to_string(c, cLen) || int_to_string(s, qLen)
        byte[] pi = new byte[PROOF_SIZE_BYTES];
        System.arraycopy(gammaEncoding, 0, pi, 0, POINT_SIZE_BYTES);
        System.arraycopy(c, 0, pi, POINT_SIZE_BYTES, CHALLENGE_SIZE_BYTES);
        System.arraycopy(s, 0, pi, POINT_SIZE_BYTES + CHALLENGE_SIZE_BYTES, SCALAR_SIZE_BYTES);
        return new Transcript(key.secretScalar(), publicKey, hEncoding, nonceString, u, v, pi);
    }

    /** The seed expanded as RFC 8032 section 5.1.5: the clamped scalar x and the nonce key (SHA-512's high half). */
    private record ExpandedKey(byte[] secretScalar, byte[] nonceKey) {
        static ExpandedKey of(byte[] seed) {
            if (seed.length != SEED_SIZE_BYTES) {
                throw new IllegalArgumentException("an ECVRF key seed is " + SEED_SIZE_BYTES + " bytes, got "
                        + seed.length);
            }
            byte[] digest = sha512(seed);
            byte[] x = Arrays.copyOf(digest, SCALAR_SIZE_BYTES);
            x[0] &= (byte) 0xf8;
            x[31] &= (byte) 0x7f;
            x[31] |= (byte) 0x40;
            return new ExpandedKey(x, Arrays.copyOfRange(digest, SCALAR_SIZE_BYTES, digest.length));
        }
    }

    /** A decoded proof: Gamma (with its encoding as received), the 16-byte challenge c, and s (32 bytes, s < q). */
    private record DecodedProof(GroupElement gamma, byte[] gammaEncoding, byte[] challenge, byte[] response) {
    }

    /** ECVRF_decode_proof, RFC 9381 section 5.4.4. */
    private static Optional<DecodedProof> decodeProof(byte[] pi) {
        if (pi.length != PROOF_SIZE_BYTES) {
            return Optional.empty();
        }
        byte[] gammaEncoding = Arrays.copyOf(pi, POINT_SIZE_BYTES);
        byte[] c = Arrays.copyOfRange(pi, POINT_SIZE_BYTES, POINT_SIZE_BYTES + CHALLENGE_SIZE_BYTES);
        byte[] s = Arrays.copyOfRange(pi, POINT_SIZE_BYTES + CHALLENGE_SIZE_BYTES, PROOF_SIZE_BYTES);
        Optional<GroupElement> gamma = decodePoint(gammaEncoding);
        if (gamma.isEmpty() || !isBelowGroupOrder(s)) {
            return Optional.empty();
        }
        return Optional.of(new DecodedProof(gamma.get(), gammaEncoding, c, s));
    }

    /**
     * string_to_point (RFC 9381 section 5.5, RFC 8032 section 5.1.3): the point of a 32-byte encoding, or empty if it
     * is not on the curve or not canonical. The library's decoder reduces y modulo p and accepts x = 0 with the sign
     * bit set; re-encoding gives back the input exactly when neither happened, which is RFC 8032's rule.
     */
    static Optional<GroupElement> decodePoint(byte[] encoding) {
        if (encoding.length != POINT_SIZE_BYTES) {
            return Optional.empty();
        }
        GroupElement point;
        try {
            point = new GroupElement(CURVE, encoding);
        } catch (IllegalArgumentException notOnTheCurve) {
            return Optional.empty();
        }
        if (!Arrays.equals(point.toByteArray(), encoding)) {
            return Optional.empty();
        }
        return Optional.of(point);
    }

    /**
     * ECVRF_encode_to_curve_try_and_increment, RFC 9381 section 5.4.1.1: the first counter whose
     * SHA-512(suite || 0x01 || salt || alpha || counter || 0x00) has a first half that decodes to a point, multiplied
     * by the cofactor 8 (skipping the identity). The result carries the precomputation that
     * {@link GroupElement#doubleScalarMultiplyVariableTime} needs. Empty only if all 256 counters fail.
     */
    static Optional<GroupElement> encodeToCurve(byte[] salt, byte[] alpha) {
        MessageDigest digest = newSha512();
        for (int counter = 0; counter <= LAST_COUNTER; counter++) {
            digest.update(SUITE);
            digest.update(ENCODE_TO_CURVE_FRONT);
            digest.update(salt);
            digest.update(alpha);
            digest.update((byte) counter);
            digest.update(BACK);
            Optional<GroupElement> candidate = decodePoint(Arrays.copyOf(digest.digest(), POINT_SIZE_BYTES));
            if (candidate.isPresent()) {
                GroupElement h = timesCofactor(candidate.get()).toP3PrecomputeDouble();
                if (!Arrays.equals(h.toByteArray(), IDENTITY)) {
                    return Optional.of(h);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * ECVRF_challenge_generation, RFC 9381 section 5.4.3: the first 16 bytes of
     * SHA-512(suite || 0x02 || Y || H || Gamma || U || V || 0x00), points as encoded.
     */
    static byte[] challenge(byte[] y, byte[] h, byte[] gamma, byte[] u, byte[] v) {
        byte[] digest = sha512(new byte[] {SUITE, CHALLENGE_FRONT}, y, h, gamma, u, v, new byte[] {BACK});
        return Arrays.copyOf(digest, CHALLENGE_SIZE_BYTES);
    }

    /** RFC 9381 section 5.2 steps 4-7: SHA-512(suite || 0x03 || point_to_string(8*Gamma) || 0x00). */
    private static byte[] gammaToHash(GroupElement gamma) {
        return sha512(new byte[] {SUITE, PROOF_TO_HASH_FRONT}, timesCofactor(gamma).toByteArray(), new byte[] {BACK});
    }

    /** ECVRF_validate_key's test, RFC 9381 section 5.4.5: 8*Y is the identity. */
    private static boolean isSmallOrder(GroupElement point) {
        return Arrays.equals(timesCofactor(point).toByteArray(), IDENTITY);
    }

    /** 8*P by three doublings, in the library's completed (P1P1) representation. */
    private static GroupElement timesCofactor(GroupElement point) {
        return point.dbl().toP3().dbl().toP3().dbl();
    }

    /**
     * scalar*P for a secret 32-byte little-endian scalar, in a sequence of operations that does not depend on the
     * scalar: for each of the 256 bits, from the top, double, add P, and keep the sum or the double by a conditional
     * move. The library's addition is complete on edwards25519, so the identity and equal inputs need no branch.
     */
    private static GroupElement multiplyFixedSequence(GroupElement point, byte[] scalar) {
        GroupElement addend = point.toCached();
        GroupElement accumulator = CURVE.getZero(GroupElement.Representation.P3);
        for (int bitIndex = 8 * SCALAR_SIZE_BYTES - 1; bitIndex >= 0; bitIndex--) {
            GroupElement doubled = accumulator.dbl().toP3();
            GroupElement sum = doubled.add(addend).toP3();
            int bit = (scalar[bitIndex >>> 3] >>> (bitIndex & 7)) & 1;
            accumulator = GroupElement.p3(CURVE,
                    doubled.getX().cmov(sum.getX(), bit),
                    doubled.getY().cmov(sum.getY(), bit),
                    doubled.getZ().cmov(sum.getZ(), bit),
                    doubled.getT().cmov(sum.getT(), bit));
        }
        return accumulator;
    }

    /** True if the 32-byte little-endian scalar is below q (RFC 9381 section 5.4.4 step 8 rejects s >= q). */
    static boolean isBelowGroupOrder(byte[] littleEndian) {
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return new BigInteger(1, bigEndian).compareTo(GROUP_ORDER) < 0;
    }

    private static byte[] identityEncoding() {
        byte[] identity = new byte[POINT_SIZE_BYTES];
        identity[0] = 1;
        return identity;
    }

    private static MessageDigest lookupSha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required by every Java platform", e);
        }
    }

    private static MessageDigest newSha512() {
        try {
            return (MessageDigest) SHA512_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookupSha512();
        }
    }

    private static byte[] sha512(byte[]... parts) {
        MessageDigest digest = newSha512();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }
}
