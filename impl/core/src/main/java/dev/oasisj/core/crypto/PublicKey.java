package dev.oasisj.core.crypto;

import org.checkerframework.checker.nullness.qual.Nullable;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 public key (32 bytes). Verification uses Bouncy Castle (7x faster than the JDK's EdDSA here). */
public final class PublicKey implements Comparable<PublicKey> {
    public static final int SIZE_BYTES = Ed25519.PUBLIC_KEY_SIZE;

    private final byte[] bytes;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PublicKey of(byte[] bytes) {
        if (bytes.length != SIZE_BYTES) {
            throw new IllegalArgumentException("an Ed25519 public key is " + SIZE_BYTES + " bytes, got " + bytes.length);
        }
        return new PublicKey(bytes.clone());
    }

    public static PublicKey fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /** True only for a valid signature of exactly {@code message} by this key; never throws on malformed input. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature.length != Signer.SIGNATURE_SIZE_BYTES) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, bytes, 0, message, 0, message.length);
        } catch (RuntimeException malformedKey) {
            return false;
        }
    }

    /** The key's bytes, not copied: for {@link DecodedKeyCache} in this package, which never writes to them. */
    byte[] bytesNoCopy() {
        return bytes;
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** A short address-like identifier: the first 8 bytes of SHA-256(key), hex. */
    public String shortId() {
        return Hash32.sha256(bytes).toHex().substring(0, 16);
    }

    @Override
    public int compareTo(PublicKey other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof PublicKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
