package dev.oasisj.core.codec;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the encoding {@link Writer} produces. Every read is bounds-checked and every length prefix is checked against a
 * caller-given maximum before anything is allocated, so hostile input cannot make the decoder allocate or loop.
 */
public final class Reader {
    private final byte[] data;
    private int position;

    public Reader(byte[] data) {
        this.data = data;
    }

    private void need(int n, String field) throws DecodeException {
        if (n < 0 || data.length - position < n) {
            throw new DecodeException(field + ": truncated (need " + n + " bytes at offset " + position + ", have "
                    + (data.length - position) + ")");
        }
    }

    public int u8(String field) throws DecodeException {
        need(1, field);
        return data[position++] & 0xff;
    }

    public int i32(String field) throws DecodeException {
        need(4, field);
        int v = ((data[position] & 0xff) << 24) | ((data[position + 1] & 0xff) << 16)
                | ((data[position + 2] & 0xff) << 8) | (data[position + 3] & 0xff);
        position += 4;
        return v;
    }

    public long i64(String field) throws DecodeException {
        need(8, field);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[position + i] & 0xff);
        }
        position += 8;
        return v;
    }

    public byte[] fixed(int size, String field) throws DecodeException {
        need(size, field);
        byte[] b = new byte[size];
        System.arraycopy(data, position, b, 0, size);
        position += size;
        return b;
    }

    /** A length-prefixed byte string of at most {@code maxBytes}; the bound is checked before allocating. */
    public byte[] bytes(int maxBytes, String field) throws DecodeException {
        int n = i32(field + ".length");
        if (n < 0 || n > maxBytes) {
            throw new DecodeException(field + ": length " + n + " outside 0.." + maxBytes);
        }
        return fixed(n, field);
    }

    public String string(int maxBytes, String field) throws DecodeException {
        byte[] b = bytes(maxBytes, field);
        if (isAscii(b)) {
            // ASCII is valid UTF-8 that decodes byte for byte; a strict decoder per call costs more than the rest
            return new String(b, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new DecodeException(field + ": not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    /** Count prefix for a list, checked against {@code maxCount} before any element is read. */
    public int count(int maxCount, String field) throws DecodeException {
        int n = i32(field + ".count");
        if (n < 0 || n > maxCount) {
            throw new DecodeException(field + ": count " + n + " outside 0.." + maxCount);
        }
        return n;
    }

    /** Fails unless every byte was consumed: trailing bytes would give one value two encodings. */
    public void end(String what) throws DecodeException {
        if (position != data.length) {
            throw new DecodeException(what + ": " + (data.length - position) + " trailing bytes");
        }
    }
}
