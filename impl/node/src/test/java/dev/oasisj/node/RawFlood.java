package dev.oasisj.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The unauthenticated-connection attack of issue point 2, from one test thread over raw non-blocking sockets: for each
 * target, {@code connectionsPerTarget} connections from 20 loopback addresses (127.0.1.1 .. 127.0.1.20; any 127.x.y.z
 * is loopback on Linux). Half announce a large frame and send it in 64 KiB pieces (half of those with the plain length
 * prefix of a {@link ShellLimits#MAX_FRAME_BYTES} frame, half with a TLS record header announcing 65,535 bytes), half
 * announce a {@value #TRICKLED_RECORD_BYTES}-byte TLS handshake record and trickle it one byte every 200 ms (so they
 * stay unauthenticated until the handshake timeout). A connection the node closes is opened again 50 ms later.
 */
public final class RawFlood implements AutoCloseable {
    /** The body length of the TLS handshake record a trickling connection announces (never completed). */
    static final int TRICKLED_RECORD_BYTES = 512;

    private static final class Raw {
        final InetSocketAddress target;
        final String from;
        final boolean bigFrame;
        /** For a big frame: announced by a plain 4-byte length prefix, else by a TLS record header. */
        final boolean plainPrefix;
        SocketChannel channel;
        long sent;
        long nextStepNanos;

        Raw(InetSocketAddress target, String from, boolean bigFrame, boolean plainPrefix) {
            this.target = target;
            this.from = from;
            this.bigFrame = bigFrame;
            this.plainPrefix = plainPrefix;
        }
    }

    private final List<Raw> raws = new ArrayList<>();
    private final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer drain = ByteBuffer.allocate(4096);
    private long connectionsOpened;

    public RawFlood(List<InetSocketAddress> targets, int connectionsPerTarget) {
        for (InetSocketAddress target : targets) {
            for (int c = 0; c < connectionsPerTarget; c++) {
                raws.add(new Raw(target, "127.0.1." + (1 + c % 20), c % 2 == 0, c % 4 == 0));
            }
        }
    }

    /** Attacks for {@code millis} (or until {@code stop} says so), calling {@code eachPass} after every pass. */
    public void run(long millis, Runnable eachPass, java.util.function.BooleanSupplier stop)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end && !stop.getAsBoolean()) {
            long now = System.nanoTime();
            for (Raw r : raws) {
                step(r, now);
            }
            eachPass.run();
            Thread.sleep(2);
        }
    }

    public long connectionsOpened() {
        return connectionsOpened;
    }

    private void step(Raw r, long now) {
        if (now < r.nextStepNanos) {
            return;
        }
        try {
            if (r.channel == null) {
                SocketChannel ch = SocketChannel.open();
                r.channel = ch;
                ch.bind(new InetSocketAddress(r.from, 0));
                ch.connect(r.target); // blocking connect on loopback: immediate
                ch.configureBlocking(false);
                r.sent = 0;
                connectionsOpened++;
                int announced = r.bigFrame ? 0xffff : TRICKLED_RECORD_BYTES;
                ch.write(r.bigFrame && r.plainPrefix ? ByteBuffer.allocate(4).putInt(ShellLimits.MAX_FRAME_BYTES).flip()
                        : ByteBuffer.wrap(new byte[] {0x16, 0x03, 0x01, (byte) (announced >> 8), (byte) announced}));
                return;
            }
            drain.clear();
            if (r.channel.read(drain) < 0) {
                throw new IOException("closed by the node");
            }
            if (r.bigFrame) {
                if (r.sent < ShellLimits.MAX_FRAME_BYTES) {
                    chunk.clear();
                    chunk.limit((int) Math.min(chunk.capacity(), ShellLimits.MAX_FRAME_BYTES - r.sent));
                    r.sent += r.channel.write(chunk);
                }
            } else if (r.sent < TRICKLED_RECORD_BYTES - 1) {
                r.sent += r.channel.write(ByteBuffer.wrap(new byte[] {7}));
                r.nextStepNanos = now + TimeUnit.MILLISECONDS.toNanos(200);
            }
        } catch (IOException closed) {
            closeQuietly(r.channel);
            r.channel = null;
            r.nextStepNanos = now + TimeUnit.MILLISECONDS.toNanos(50);
        }
    }

    @Override
    public void close() {
        for (Raw r : raws) {
            closeQuietly(r.channel);
            r.channel = null;
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // test cleanup
        }
    }
}
