package dev.oasisj.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WriterTest {
    @Test
    void everyFieldIsBigEndianAndLengthPrefixedWhereStated() {
        byte[] b = new Writer(1).u8(0x1ff).i32(0x01020304).i64(0x05060708090a0b0cL).fixed(new byte[] {(byte) 0xee})
                .bytes(new byte[] {7, 8}).string("é").i32(-1).i64(Long.MIN_VALUE).toBytes();
        assertArrayEquals(new byte[] {(byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, (byte) 0xee, 0, 0, 0, 2, 7, 8,
                0, 0, 0, 2, (byte) 0xc3, (byte) 0xa9, -1, -1, -1, -1, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0}, b);
    }

    @Test
    void growsPastItsInitialCapacity_andReadsBackWhatWasWritten() throws DecodeException {
        byte[] chunk = new byte[1000];
        new SplittableRandom(4).nextBytes(chunk);
        Writer w = new Writer(16);
        for (int i = 0; i < 50; i++) {
            w.i64(i).bytes(chunk);
        }
        byte[] all = w.toBytes();
        assertEquals(50 * (8 + 4 + chunk.length), all.length);
        Reader r = new Reader(all);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, r.i64("i"));
            assertArrayEquals(chunk, r.bytes(chunk.length, "chunk"));
        }
        r.end("all");
        assertArrayEquals(all, w.toBytes(), "toBytes is a copy and repeatable");
    }
    @Test
    void strings_asciiAndUtf8ReadBack_malformedUtf8IsRefused() throws DecodeException {
        for (String text : new String[] {"", "oasisj-bench", "\u007f\u0000", "é", "a€b", "\uD83D\uDE00"}) {
            assertEquals(text, new Reader(new Writer(8).string(text).toBytes()).string(64, "s"), text);
        }
        // a lone continuation byte, an overlong '/', a truncated two-byte sequence: not UTF-8, whatever their neighbours
        for (byte[] bad : new byte[][] {{(byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {'a', (byte) 0xc3}}) {
            byte[] encoded = new Writer(8).bytes(bad).toBytes();
            org.junit.jupiter.api.Assertions.assertThrows(DecodeException.class,
                    () -> new Reader(encoded).string(64, "s"));
        }
    }
}
