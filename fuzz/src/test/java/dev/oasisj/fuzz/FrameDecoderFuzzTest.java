package dev.oasisj.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeInputCodec;
import dev.oasisj.node.ShellLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The TCP transport's inbound framing (4-byte big-endian length, then the frame) at its real limit,
 * {@link ShellLimits#MAX_FRAME_BYTES}: the fuzzer's bytes are a peer's stream, fed to the frame decoder in an
 * {@link EmbeddedChannel} in chunks (their size taken from the stream's last byte). Checked against an independent
 * parse of the same bytes: exactly the whole frames before the first bad length come out, in order and byte for byte;
 * a negative or oversized length closes the channel and is reported once; a partial frame at the end
 * yields nothing. Every frame that comes out fits the journal as a peer message with the largest header (issue
 * point 1: the transport admits nothing the journal cannot hold). Committed inputs include a frame of exactly the
 * limit and lengths one byte over, 4,194,288 and 4,194,304 (the report's range); {@code fuzz.sh} passes
 * {@code -max_len} so that fuzzing reaches them too.
 *
 * <p>Retargeting: {@link #newDecoder} is the one place that names the decoder (by reflection, as it is
 * package-private in {@code dev.oasisj.node}); when the transport's decoder is replaced (e.g. by Netty's
 * {@code LengthFieldBasedFrameDecoder} with the same limit), point it there; the oracle stays.
 */
class FrameDecoderFuzzTest {
    private static final int LENGTH_BYTES = 4;

    /**
     * The transport's inbound frame decoder with its limit ({@code TcpTransport.frameDecoder}, Netty's
     * {@code LengthFieldBasedFrameDecoder}, failing fast), followed by what the transport does with its output: a
     * frame's bytes are taken, and a refused length (too long, or negative) is reported to {@code onRefused} once and
     * closes the connection.
     */
    static ChannelHandler[] newDecoder(int maxFrameBytes, IntConsumer onRefused) {
        ChannelHandler decoder;
        try {
            Method factory = Class.forName("dev.oasisj.node.TcpTransport").getDeclaredMethod("frameDecoder", int.class);
            factory.setAccessible(true);
            decoder = (ChannelHandler) factory.invoke(null, maxFrameBytes);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the transport's frame decoder moved: retarget FrameDecoderFuzzTest.newDecoder",
                    e);
        }
        ChannelHandler taker = new ChannelInboundHandlerAdapter() {
            private boolean refused;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                try {
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.readBytes(bytes);
                    ctx.fireChannelRead(bytes);
                } finally {
                    buf.release();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (!refused) {
                    refused = true;
                    onRefused.accept(-1);
                }
                ctx.close();
            }
        };
        return new ChannelHandler[] {decoder, taker};
    }

    @FuzzTest
    void frames(byte[] stream) {
        // the oracle: split the stream as the wire format says
        List<byte[]> expected = new ArrayList<>();
        Integer refusedLength = null;
        ByteBuffer in = ByteBuffer.wrap(stream);
        while (in.remaining() >= LENGTH_BYTES) {
            int length = in.getInt();
            if (length < 0 || length > ShellLimits.MAX_FRAME_BYTES) {
                refusedLength = length;
                break;
            }
            if (in.remaining() < length) {
                break;
            }
            byte[] frame = new byte[length];
            in.get(frame);
            expected.add(frame);
        }

        List<Integer> reported = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(newDecoder(ShellLimits.MAX_FRAME_BYTES, reported::add));
        int chunk = stream.length == 0 ? 1 : 1 + ((stream[stream.length - 1] & 0xff) << 10);
        for (int from = 0; from < stream.length && channel.isOpen(); from += chunk) {
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, from,
                    Math.min(stream.length, from + chunk))));
        }
        List<byte[]> actual = new ArrayList<>();
        for (Object frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
            actual.add((byte[]) frame);
        }
        channel.finishAndReleaseAll();

        assertEquals(expected.size(), actual.size(), "frames decoded");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "frame " + i);
            NodeInput asJournaled = new NodeInput.PeerMessage(0, actual.get(i), SignatureVerdict.INVALID);
            assertTrue(NodeInputCodec.fitsBounds(asJournaled), "an admitted frame does not fit the journal");
            assertTrue(NodeInputCodec.encode(asJournaled).length <= ShellLimits.MAX_JOURNAL_RECORD_BYTES,
                    "an admitted frame encodes above the journal record limit");
        }
        if (refusedLength == null) {
            assertTrue(reported.isEmpty(), "a length was refused that the wire format allows: " + reported);
        } else {
            assertEquals(1, reported.size(), "the refused length " + refusedLength + " is reported once: " + reported);
            assertTrue(!channel.isOpen(), "a bad length closes the connection");
        }
        assertNull(channel.readInbound());
    }
}
