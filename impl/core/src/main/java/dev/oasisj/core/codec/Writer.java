package dev.oasisj.core.codec;

import java.nio.charset.StandardCharsets;

/**
 * Canonical big-endian binary encoding: fixed-width integers, length-prefixed byte strings. One value has exactly one
 * encoding, so hashes and signatures over encodings are well defined.
 */
public final class Writer {
    private byte[] buf;
    private int size;

    public Writer() {
        this(128);
    }

    /** A writer whose buffer starts at {@code capacity} bytes (it grows as needed). */
    public Writer(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        int needed = size + more;
        if (needed < 0) {
            throw new IllegalStateException("encoding larger than 2 GiB");
        }
        if (needed > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
        }
    }

    public Writer u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public Writer i32(int v) {
        ensure(4);
        buf[size] = (byte) (v >>> 24);
        buf[size + 1] = (byte) (v >>> 16);
        buf[size + 2] = (byte) (v >>> 8);
        buf[size + 3] = (byte) v;
        size += 4;
        return this;
    }

    public Writer i64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size + i] = (byte) (v >>> (56 - 8 * i));
        }
        size += 8;
        return this;
    }

    /** Exactly {@code b.length} bytes, no prefix (for fixed-size fields such as keys and hashes). */
    public Writer fixed(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    /** A 4-byte length, then the bytes. */
    public Writer bytes(byte[] b) {
        i32(b.length);
        return fixed(b);
    }

    public Writer string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes written so far (a copy). */
    public byte[] toBytes() {
        return java.util.Arrays.copyOf(buf, size);
    }
}
