package dev.oasisj.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Splits a TCP byte stream into frames: a 4-byte big-endian length, then that many bytes. The length is checked against
 * {@code maxFrameBytes} before anything is allocated or buffered for the frame body; a negative or oversized length
 * closes the connection (the stream cannot be resynchronised, and the peer is misbehaving) and is reported to
 * {@code onOversized}. Emits {@code byte[]}s.
 */
final class LengthPrefixedFrameDecoder extends ByteToMessageDecoder {
    static final int LENGTH_BYTES = 4;

    private final int maxFrameBytes;
    private final IntConsumer onOversized;
    private boolean failed;

    LengthPrefixedFrameDecoder(int maxFrameBytes, IntConsumer onOversized) {
        this.maxFrameBytes = maxFrameBytes;
        this.onOversized = onOversized;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= LENGTH_BYTES) {
            int length = in.getInt(in.readerIndex());
            if (length < 0 || length > maxFrameBytes) {
                failed = true;
                in.skipBytes(in.readableBytes());
                onOversized.accept(length);
                ctx.close();
                return;
            }
            if (in.readableBytes() < LENGTH_BYTES + length) {
                return;
            }
            in.skipBytes(LENGTH_BYTES);
            byte[] frame = new byte[length];
            in.readBytes(frame);
            out.add(frame);
        }
    }
}
