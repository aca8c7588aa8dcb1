package dev.oasisj.node;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link Transport} between OS processes over TCP (netty, one event-loop thread).
 *
 * <p>Wire format: every frame is a 4-byte big-endian length and that many bytes; a length above
 * {@link Settings#maxFrameBytes} closes the connection before anything is allocated for it (and is counted in
 * {@link #oversizedFrames()}). Each node dials every other node and uses that outbound connection only to send; the first
 * frame it sends is a hello ({@code "OASJ"}, version 1, sender index, validator count) so that the receiver attributes
 * every later frame on that connection to the sender. A connection whose first frame is not a valid hello is closed and
 * counted. The hello is not authenticated: peers are trusted to state their own index (a deployment on an open network
 * would sign it, or run over mutually authenticated TLS; consensus messages themselves are signed by the core).
 *
 * <p>Threads: the event-loop thread puts received frames into a bounded queue ({@link Settings#inboundQueueFrames});
 * when it is full, frames are dropped and counted. The agent thread {@link #poll polls} that queue and {@link #send
 * sends}; sending never blocks: a frame for a peer that is not connected, or whose socket buffer is above the high water
 * mark, is dropped and counted. Lost connections are redialled with exponential backoff.
 */
public final class TcpTransport implements Transport {

    /** Bounds and timings; validated at construction. */
    public record Settings(int maxFrameBytes, int inboundQueueFrames, long reconnectMinMillis, long reconnectMaxMillis,
            int sendHighWaterMarkBytes) {
        public Settings {
            if (maxFrameBytes < HELLO_BYTES || inboundQueueFrames < 1 || reconnectMinMillis < 1
                    || reconnectMaxMillis < reconnectMinMillis || sendHighWaterMarkBytes < 1) {
                throw new IllegalArgumentException("invalid TCP transport settings " + this);
            }
        }

        public static Settings defaults() {
            return new Settings(ShellLimits.MAX_FRAME_BYTES, ShellLimits.INBOUND_QUEUE_FRAMES, 50, 2_000, 8 << 20);
        }
    }

    static final int HELLO_MAGIC = 0x4F41534A; // "OASJ"
    static final int HELLO_VERSION = 1;
    static final int HELLO_BYTES = 4 + 1 + 4 + 4;

    private record Received(int peer, byte[] bytes) {}

    private final int self;
    private final int validatorCount;
    private final Settings settings;
    private final EventLoopGroup group;
    private final ArrayBlockingQueue<Received> inbound;
    private final AtomicReferenceArray<@Nullable Channel> outbound;
    private final @Nullable PeerAddress[] peerAddresses;
    private final long[] backoffMillis;
    private volatile boolean closed;
    private @Nullable Channel serverChannel;

    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong droppedInboundFull = new AtomicLong();
    private final AtomicLong droppedNotConnected = new AtomicLong();
    private final AtomicLong oversizedFrames = new AtomicLong();
    private final AtomicLong badHandshakes = new AtomicLong();
    private final AtomicLong reconnectAttempts = new AtomicLong();

    public TcpTransport(int selfIndex, int validatorCount, Settings settings) {
        if (validatorCount < 1 || selfIndex < 0 || selfIndex >= validatorCount) {
            throw new IllegalArgumentException("self index " + selfIndex + " outside 0.." + (validatorCount - 1));
        }
        this.self = selfIndex;
        this.validatorCount = validatorCount;
        this.settings = settings;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.inbound = new ArrayBlockingQueue<>(settings.inboundQueueFrames());
        this.outbound = new AtomicReferenceArray<>(validatorCount);
        this.peerAddresses = new PeerAddress[validatorCount];
        this.backoffMillis = new long[validatorCount];
    }

    /** Starts listening on {@code address} (port 0 = any free port); returns the bound port. Blocks until bound. */
    public int bind(PeerAddress address) throws InterruptedException {
        ServerBootstrap server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthPrefixedFrameDecoder(settings.maxFrameBytes(),
                                length -> oversizedFrames.incrementAndGet()));
                        ch.pipeline().addLast(new InboundHandler());
                    }
                });
        Channel ch = server.bind(address.host(), address.port()).sync().channel();
        serverChannel = ch;
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** Starts dialling peer {@code peer} at {@code address}, and redialling it whenever the connection is lost. */
    public void connectTo(int peer, PeerAddress address) {
        checkPeer(peer);
        if (peer == self) {
            throw new IllegalArgumentException("a node does not connect to itself");
        }
        peerAddresses[peer] = address;
        group.execute(() -> dial(peer));
    }

    /** Event-loop thread only. */
    private void dial(int peer) {
        PeerAddress address = peerAddresses[peer];
        if (closed || address == null) {
            return;
        }
        reconnectAttempts.incrementAndGet();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.sendHighWaterMarkBytes() / 2, settings.sendHighWaterMarkBytes()))
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        // Peers never answer on our outbound connection; discard anything that arrives.
                        io.netty.util.ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                });
        ChannelFuture connect = bootstrap.connect(address.host(), address.port());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                scheduleRedial(peer);
                return;
            }
            Channel ch = connect.channel();
            backoffMillis[peer] = 0;
            ch.writeAndFlush(frame(ch, hello()));
            outbound.set(peer, ch);
            ch.closeFuture().addListener(closedFuture -> {
                outbound.compareAndSet(peer, ch, null);
                scheduleRedial(peer);
            });
            if (closed) {
                ch.close();
            }
        });
    }

    private void scheduleRedial(int peer) {
        if (closed) {
            return;
        }
        long previous = backoffMillis[peer];
        long next = previous == 0 ? settings.reconnectMinMillis() : Math.min(previous * 2, settings.reconnectMaxMillis());
        backoffMillis[peer] = next;
        try {
            group.schedule(() -> dial(peer), next, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // The transport is closing; nothing to redial.
        }
    }

    private byte[] hello() {
        byte[] b = new byte[HELLO_BYTES];
        java.nio.ByteBuffer.wrap(b).putInt(HELLO_MAGIC).put((byte) HELLO_VERSION).putInt(self).putInt(validatorCount);
        return b;
    }

    private static ByteBuf frame(Channel ch, byte[] payload) {
        ByteBuf buf = ch.alloc().buffer(LengthPrefixedFrameDecoder.LENGTH_BYTES + payload.length);
        buf.writeInt(payload.length).writeBytes(payload);
        return buf;
    }

    /** Per inbound connection: the first frame must be a hello; later frames are queued as the hello's peer's. */
    private final class InboundHandler extends ChannelInboundHandlerAdapter {
        private int peer = -1;
        /** Set on a bad hello: frames already decoded in the same read are dropped, not taken for more hellos. */
        private boolean rejected;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            byte[] bytes = (byte[]) msg;
            if (rejected) {
                return;
            }
            if (peer < 0) {
                peer = parseHello(bytes);
                if (peer < 0) {
                    rejected = true;
                    badHandshakes.incrementAndGet();
                    ctx.close();
                }
                return;
            }
            framesReceived.incrementAndGet();
            if (!inbound.offer(new Received(peer, bytes))) {
                droppedInboundFull.incrementAndGet();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The sender's index, or -1 if {@code b} is not a hello from another validator of a network of our size. */
    private int parseHello(byte[] b) {
        if (b.length != HELLO_BYTES) {
            return -1;
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        int magic = buf.getInt();
        int version = buf.get() & 0xff;
        int sender = buf.getInt();
        int count = buf.getInt();
        if (magic != HELLO_MAGIC || version != HELLO_VERSION || count != validatorCount || sender < 0
                || sender >= validatorCount || sender == self) {
            return -1;
        }
        return sender;
    }

    private void checkPeer(int peer) {
        if (peer < 0 || peer >= validatorCount) {
            throw new IllegalArgumentException("peer index " + peer + " outside 0.." + (validatorCount - 1));
        }
    }

    @Override
    public int selfIndex() {
        return self;
    }

    @Override
    public int validatorCount() {
        return validatorCount;
    }

    @Override
    public boolean send(int peer, byte[] bytes) {
        checkPeer(peer);
        if (peer == self || bytes.length > settings.maxFrameBytes()) {
            droppedNotConnected.incrementAndGet();
            return false;
        }
        Channel ch = outbound.get(peer);
        if (ch == null || !ch.isActive() || !ch.isWritable()) {
            droppedNotConnected.incrementAndGet();
            return false;
        }
        ch.writeAndFlush(frame(ch, bytes), ch.voidPromise());
        framesSent.incrementAndGet();
        return true;
    }

    @Override
    public int broadcast(byte[] bytes) {
        int n = 0;
        for (int peer = 0; peer < validatorCount; peer++) {
            if (peer != self && send(peer, bytes)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int poll(FrameHandler handler, int maxFrames) {
        int n = 0;
        while (n < maxFrames) {
            Received r = inbound.poll();
            if (r == null) {
                break;
            }
            n++;
            handler.onFrame(r.peer(), r.bytes());
        }
        return n;
    }

    @Override
    public int connectedPeerCount() {
        int n = 0;
        for (int i = 0; i < validatorCount; i++) {
            Channel ch = outbound.get(i);
            if (ch != null && ch.isActive()) {
                n++;
            }
        }
        return n;
    }

    /** True once the outbound connection to {@code peer} is up (hello sent). */
    public boolean isConnected(int peer) {
        checkPeer(peer);
        Channel ch = outbound.get(peer);
        return ch != null && ch.isActive();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Channel server = serverChannel;
        if (server != null) {
            server.close();
        }
        for (int i = 0; i < validatorCount; i++) {
            Channel ch = outbound.get(i);
            if (ch != null) {
                ch.close();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    public long framesReceived() {
        return framesReceived.get();
    }

    public long framesSent() {
        return framesSent.get();
    }

    public long droppedInboundFull() {
        return droppedInboundFull.get();
    }

    public long droppedNotConnected() {
        return droppedNotConnected.get();
    }

    public long oversizedFrames() {
        return oversizedFrames.get();
    }

    public long badHandshakes() {
        return badHandshakes.get();
    }

    public long reconnectAttempts() {
        return reconnectAttempts.get();
    }
}
