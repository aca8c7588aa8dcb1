package dev.oasisj.core.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key with its public key. Ed25519 signing is deterministic, so signing is allowed inside the
 * deterministic cores. Keys come from a 32-byte seed: {@link #fromSeed} for keys on disk, {@link #deterministic} for
 * simulations and tests, where a key must be reproducible from a name.
 */
public final class Signer {
    public static final int SEED_SIZE_BYTES = Ed25519.SECRET_KEY_SIZE;
    public static final int SIGNATURE_SIZE_BYTES = Ed25519.SIGNATURE_SIZE;

    private final byte[] seed;
    private final PublicKey publicKey;

    private Signer(byte[] seed) {
        this.seed = seed;
        byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, pk, 0);
        this.publicKey = PublicKey.of(pk);
    }

    public static Signer fromSeed(byte[] seed) {
        if (seed.length != SEED_SIZE_BYTES) {
            throw new IllegalArgumentException("an Ed25519 seed is " + SEED_SIZE_BYTES + " bytes, got " + seed.length);
        }
        return new Signer(seed.clone());
    }

    /** A key derived from a name and a seed: SHA-256("oasisj-key" | seed | name). For simulations and tests only. */
    public static Signer deterministic(String name, long seed) {
        byte[] s = Hash32.sha256Parts("oasisj-key".getBytes(StandardCharsets.UTF_8),
                Long.toString(seed).getBytes(StandardCharsets.UTF_8), name.getBytes(StandardCharsets.UTF_8)).toBytes();
        return new Signer(s);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public byte[] sign(byte[] message) {
        byte[] sig = new byte[SIGNATURE_SIZE_BYTES];
        Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /**
     * An ECVRF proof ({@link EcVrf#prove}) for {@code alpha} under this key: the VRF key is the same Ed25519 key, so
     * {@code EcVrf.verify(publicKey().toBytes(), proof, alpha)} checks it.
     */
    public byte[] vrfProve(byte[] alpha) {
        return EcVrf.prove(seed, alpha);
    }

    /** The seed as hex, for writing a key file. */
    public String seedHex() {
        return HexFormat.of().formatHex(seed);
    }

    @Override
    public String toString() {
        return "Signer[" + publicKey.shortId() + "]";
    }
}
