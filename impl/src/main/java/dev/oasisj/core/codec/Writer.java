package dev.oasisj.core.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Canonical big-endian binary encoding: fixed-width integers, length-prefixed byte strings. One value has exactly one
 * encoding, so hashes and signatures over encodings are well defined.
 */
public final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    public Writer u8(int v) {
        out.write(v & 0xff);
        return this;
    }

    public Writer i32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public Writer i64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    /** Exactly {@code b.length} bytes, no prefix (for fixed-size fields such as keys and hashes). */
    public Writer fixed(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** A 4-byte length, then the bytes. */
    public Writer bytes(byte[] b) {
        i32(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    public Writer string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }
}
