package dev.oasisj.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits in front of netty's {@code SslHandler} and closes a connection at the first TLS record header that TLS 1.3 does
 * not allow (RFC 8446 section 5: content type change_cipher_spec, alert, handshake or application_data; legacy version
 * 0x03xx; length at most 2^14 + 256): {@code SslHandler} would otherwise wait for, and buffer, a record of up to the
 * 65,535 bytes its length field can announce, or wait out the handshake timeout on bytes that are not TLS at all. Bytes
 * pass through unchanged and are not copied: the guard only reads the 5-byte headers and skips the bodies.
 */
final class TlsRecordGuard extends ChannelInboundHandlerAdapter {
    static final int HEADER_BYTES = 5;
    /** The largest TLSCiphertext fragment in TLS 1.3 (RFC 8446 section 5.2). */
    static final int MAX_RECORD_BODY_BYTES = (1 << 14) + 256;

    private final byte[] header = new byte[HEADER_BYTES];
    private int headerFill;
    private int bodyRemaining;
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf buf && !acceptable(buf)) {
            refused = true;
            buf.release();
            ctx.close(); // SslHandler then fails its handshake (or the connection), which its owner counts
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Walks the record headers in {@code buf} (continuing from the previous read); false at a refused header. */
    private boolean acceptable(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            if (bodyRemaining > 0) {
                int skip = Math.min(bodyRemaining, end - i);
                i += skip;
                bodyRemaining -= skip;
                continue;
            }
            header[headerFill++] = buf.getByte(i++);
            if (headerFill == 1 && (header[0] < 20 || header[0] > 23)) {
                return false; // not change_cipher_spec (20), alert (21), handshake (22) or application_data (23)
            }
            if (headerFill == 2 && header[1] != 0x03) {
                return false; // legacy_record_version is 0x0301 or 0x0303
            }
            if (headerFill == HEADER_BYTES) {
                headerFill = 0;
                bodyRemaining = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                if (bodyRemaining > MAX_RECORD_BODY_BYTES) {
                    return false;
                }
            }
        }
        return true;
    }
}
