package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class TlsRecordGuardTest {
    private static byte[] record(int type, int length) {
        byte[] r = new byte[TlsRecordGuard.HEADER_BYTES + length];
        r[0] = (byte) type;
        r[1] = 0x03;
        r[2] = 0x03;
        r[3] = (byte) (length >> 8);
        r[4] = (byte) length;
        for (int i = TlsRecordGuard.HEADER_BYTES; i < r.length; i++) {
            r[i] = (byte) 0xff; // bodies are never read as headers
        }
        return r;
    }

    /** Feeds {@code bytes} in pieces of {@code piece} bytes; returns what passed through, or null if closed. */
    private static byte[] feed(byte[] bytes, int piece) {
        EmbeddedChannel ch = new EmbeddedChannel(new TlsRecordGuard());
        for (int i = 0; i < bytes.length && ch.isOpen(); i += piece) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(piece, bytes.length - i)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = ch.readInbound()) != null; b.release()) {
            byte[] chunk = new byte[b.readableBytes()];
            b.readBytes(chunk);
            out.writeBytes(chunk);
        }
        return ch.isOpen() ? out.toByteArray() : null;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void recordsUpToTheTls13Limit_passUnchanged_whateverTheReadBoundaries() {
        byte[] stream = concat(record(22, 300), record(20, 1), record(23, TlsRecordGuard.MAX_RECORD_BODY_BYTES),
                record(21, 2), record(23, 0));
        for (int piece : new int[] {1, 2, 4, 5, 7, 4096, stream.length}) {
            assertArrayEquals(stream, feed(stream, piece), "pieces of " + piece);
        }
    }

    @Test
    void aHeaderAnnouncingOneByteMore_closesAtTheHeader() {
        byte[] header = java.util.Arrays.copyOf(record(22, TlsRecordGuard.MAX_RECORD_BODY_BYTES + 1),
                TlsRecordGuard.HEADER_BYTES);
        assertEquals(null, feed(header, 1));
        assertEquals(null, feed(concat(record(22, 10), header), 3), "also after good records");
    }

    @Test
    void bytesThatAreNotATlsRecordHeader_closeAtOnce() {
        assertEquals(null, feed(new byte[] {0, 0, 0, 2, 4, 2}, 6), "a plain length-prefixed frame");
        assertEquals(null, feed(new byte[] {(byte) 0x80, 0x2e, 0x01}, 3), "an SSLv2-style hello");
        assertEquals(null, feed(new byte[] {24, 0x03, 0x03, 0, 1, 0}, 6), "content type 24 (heartbeat)");
        assertEquals(null, feed(new byte[] {22, 0x02, 0x00, 0, 1, 0}, 6), "version 2");
        assertEquals(null, feed(new byte[] {'G', 'E', 'T', ' '}, 4));
    }
}
