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
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link Transport} between OS processes over TCP (netty, one event-loop thread).
 *
 * <p>Wire format: every frame is a 4-byte big-endian length and that many bytes (Netty's
 * {@link LengthFieldBasedFrameDecoder}); a length above the connection's current limit closes the connection as soon
 * as the prefix is read, before anything is buffered for the body (and is counted in {@link #oversizedFrames()}). The
 * limit is a hello's size until the handshake completes and {@link Settings#maxFrameBytes} after it. Each node dials
 * every other node and uses that outbound connection only to send.
 *
 * <p><b>Unauthenticated connections cost almost nothing</b>: before its hello an inbound connection may send only the
 * hello, of exactly {@link #HELLO_BYTES} (anything else is a bad handshake: closed and counted); at most
 * {@link Settings#maxUnauthenticatedConnections} such connections exist at once, at most
 * {@link Settings#maxUnauthenticatedPerAddress} from one IP address (more are closed on accept and counted in
 * {@link #refusedConnections()}), so the bytes buffered for unauthenticated connections are bounded by the cap times a
 * hello, and the handshake timeout, an event-loop task, is never held up behind memory. A validator {@link #ban banned}
 * by the agent is disconnected and its hellos are refused until the ban ends.
 *
 * <p><b>Handshake</b> (authenticates the dialling validator, so that every frame on a connection is attributed to the
 * validator that holds the key, not to whoever claims an index): the accepting side first sends a challenge
 * ({@code "OASC"}, version, 32 random bytes, fresh per connection); the dialling side answers with a hello
 * ({@code "OASJ"}, version 2, sender index, validator count, and the sender's Ed25519 signature over
 * {@link #helloSigningBytes}: a domain, the network id (the genesis hash), the challenge, sender, receiver and
 * validator count). The acceptor checks the signature with the sender's genesis key; a connection whose first frame is
 * not a valid hello for its challenge, or that sends none within {@link Settings#handshakeTimeoutMillis}, is closed and
 * counted in {@link #badHandshakes()}. Because the challenge is fresh, a recorded hello cannot be replayed; because the
 * receiver's index and the network are signed, a hello cannot be forwarded to another node or network. The dialler
 * sends nothing but the hello until it has answered the challenge. The acceptor is not authenticated to the dialler
 * (what the dialler sends is consensus messages, signed by the core, and transactions, public anyway); a deployment on
 * an open network would add encryption (TLS) on top.
 *
 * <p>Threads: the event-loop thread puts received frames into a bounded queue ({@link Settings#inboundQueueFrames});
 * when it is full, frames are dropped and counted. The agent thread {@link #poll polls} that queue and {@link #send
 * sends}; sending never blocks: a frame for a peer that is not connected, or whose socket buffer is above the high water
 * mark, is dropped and counted. Lost connections are redialled with exponential backoff.
 */
public final class TcpTransport implements Transport {

    /**
     * Bounds and timings; validated at construction. {@code maxUnauthenticatedConnections} and
     * {@code maxUnauthenticatedPerAddress} cap the inbound connections that have not yet completed the handshake (in
     * total, and per remote IP address); a connection beyond either cap is closed as soon as it is accepted, before
     * the challenge is sent, and counted in {@link #refusedConnections()}.
     */
    public record Settings(int maxFrameBytes, int inboundQueueFrames, long reconnectMinMillis, long reconnectMaxMillis,
            int sendHighWaterMarkBytes, long handshakeTimeoutMillis, int maxUnauthenticatedConnections,
            int maxUnauthenticatedPerAddress) {
        public Settings {
            if (maxFrameBytes < HELLO_BYTES || inboundQueueFrames < 1 || reconnectMinMillis < 1
                    || reconnectMaxMillis < reconnectMinMillis || sendHighWaterMarkBytes < 1
                    || handshakeTimeoutMillis < 1 || maxUnauthenticatedConnections < 1
                    || maxUnauthenticatedPerAddress < 1 || maxUnauthenticatedPerAddress > maxUnauthenticatedConnections) {
                throw new IllegalArgumentException("invalid TCP transport settings " + this);
            }
        }

        /** With the unauthenticated-connection caps of {@link ShellLimits}. */
        public Settings(int maxFrameBytes, int inboundQueueFrames, long reconnectMinMillis, long reconnectMaxMillis,
                int sendHighWaterMarkBytes, long handshakeTimeoutMillis) {
            this(maxFrameBytes, inboundQueueFrames, reconnectMinMillis, reconnectMaxMillis, sendHighWaterMarkBytes,
                    handshakeTimeoutMillis, ShellLimits.MAX_UNAUTHENTICATED_CONNECTIONS,
                    ShellLimits.MAX_UNAUTHENTICATED_CONNECTIONS_PER_ADDRESS);
        }

        public static Settings defaults() {
            return new Settings(ShellLimits.MAX_FRAME_BYTES, ShellLimits.INBOUND_QUEUE_FRAMES, 50, 2_000, 8 << 20,
                    ShellLimits.HANDSHAKE_TIMEOUT_MILLIS);
        }
    }

    /**
     * Who this node is and whom it accepts: the network id (the genesis hash), every validator's key in genesis order,
     * this node's index and its key (which must be the key at that index).
     */
    public record Identity(Hash32 network, List<PublicKey> validators, int self, Signer key) {
        public Identity {
            validators = List.copyOf(validators);
            if (validators.isEmpty() || self < 0 || self >= validators.size()) {
                throw new IllegalArgumentException("self index " + self + " outside 0.." + (validators.size() - 1));
            }
            if (!validators.get(self).equals(key.publicKey())) {
                throw new IllegalArgumentException("the key is not validator " + self + "'s key");
            }
        }
    }

    static final int CHALLENGE_MAGIC = 0x4F415343; // "OASC"
    static final int HELLO_MAGIC = 0x4F41534A; // "OASJ"
    static final int HELLO_VERSION = 2;
    static final int CHALLENGE_RANDOM_BYTES = 32;
    static final int CHALLENGE_BYTES = 4 + 1 + CHALLENGE_RANDOM_BYTES;
    static final int HELLO_BYTES = 4 + 1 + 4 + 4 + Signer.SIGNATURE_SIZE_BYTES;
    static final String HELLO_DOMAIN = "oasisj/tcp-hello/v2";
    static final int LENGTH_BYTES = 4;
    /** The name of the frame decoder in every pipeline (replaced by the authenticated one after a valid hello). */
    static final String FRAME_DECODER = "frames";

    private record Received(int peer, byte[] bytes) {}

    private final int self;
    private final int validatorCount;
    private final Identity identity;
    private final SecureRandom challenges = new SecureRandom();
    private final Settings settings;
    private final EventLoopGroup group;
    private final ArrayBlockingQueue<Received> inbound;
    private final AtomicReferenceArray<@Nullable Channel> outbound;
    private final @Nullable PeerAddress[] peerAddresses;
    private final long[] backoffMillis;
    /** The authenticated inbound connection of each peer (at most one: a newer one replaces it). */
    private final AtomicReferenceArray<@Nullable Channel> inboundFrom;
    /** Per peer: until when (System.nanoTime) its hellos are refused; 0 = not banned. Event-loop thread only. */
    private final long[] bannedUntilNanos;
    private final boolean[] banned;
    /** Unauthenticated inbound connections per remote address, and in total. Event-loop thread only. */
    private final HashMap<InetAddress, Integer> unauthenticatedByAddress = new HashMap<>();
    private int unauthenticated;
    private volatile boolean closed;
    private @Nullable Channel serverChannel;

    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong droppedInboundFull = new AtomicLong();
    private final AtomicLong droppedNotConnected = new AtomicLong();
    private final AtomicLong oversizedFrames = new AtomicLong();
    private final AtomicLong badHandshakes = new AtomicLong();
    private final AtomicLong reconnectAttempts = new AtomicLong();
    private final AtomicLong refusedConnections = new AtomicLong();
    private final AtomicLong refusedBannedPeers = new AtomicLong();
    private final AtomicLong unauthenticatedHighWater = new AtomicLong();

    public TcpTransport(Identity identity, Settings settings) {
        this.identity = identity;
        this.self = identity.self();
        this.validatorCount = identity.validators().size();
        this.settings = settings;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.inbound = new ArrayBlockingQueue<>(settings.inboundQueueFrames());
        this.outbound = new AtomicReferenceArray<>(validatorCount);
        this.peerAddresses = new PeerAddress[validatorCount];
        this.backoffMillis = new long[validatorCount];
        this.inboundFrom = new AtomicReferenceArray<>(validatorCount);
        this.bannedUntilNanos = new long[validatorCount];
        this.banned = new boolean[validatorCount];
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
                        // Before the handshake a connection may send one frame of at most a hello's size (InboundHandler
                        // then requires exactly that size): an announced larger frame fails at its length prefix, so
                        // an unauthenticated connection never makes this node buffer more than one hello.
                        ch.pipeline().addLast(FRAME_DECODER, frameDecoder(HELLO_BYTES));
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
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(FRAME_DECODER, frameDecoder(CHALLENGE_BYTES));
                        ch.pipeline().addLast(new OutboundHandler(peer));
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
            ch.closeFuture().addListener(closedFuture -> {
                outbound.compareAndSet(peer, ch, null);
                scheduleRedial(peer);
            });
            // the channel becomes usable for sending once the challenge is answered (OutboundHandler)
            ch.eventLoop().schedule(() -> {
                if (outbound.get(peer) != ch) {
                    ch.close(); // no valid challenge in time
                }
            }, settings.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
            if (closed) {
                ch.close();
            }
        });
    }

    /**
     * Netty's decoder for the wire format (a 4-byte big-endian length, then that many bytes; emits the body as a
     * {@link ByteBuf}), failing fast: a length above {@code maxFrameBytes} raises {@link TooLongFrameException} as soon as
     * the prefix is read, before anything is buffered for the body.
     */
    static LengthFieldBasedFrameDecoder frameDecoder(int maxFrameBytes) {
        return new LengthFieldBasedFrameDecoder(LENGTH_BYTES + maxFrameBytes, 0, LENGTH_BYTES, 0, LENGTH_BYTES, true);
    }

    /** The bytes of a decoded frame, released. */
    private static byte[] take(Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** Per outbound connection: answers the acceptor's challenge with a signed hello, then only sends. */
    private final class OutboundHandler extends ChannelInboundHandlerAdapter {
        private final int peer;
        private boolean answered;

        OutboundHandler(int peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            byte[] bytes = take(msg);
            if (answered) {
                return; // peers send nothing after the challenge; ignore it
            }
            byte @Nullable [] challenge = parseChallenge(bytes);
            if (challenge == null) {
                badHandshakes.incrementAndGet();
                ctx.close();
                return;
            }
            answered = true;
            Channel ch = ctx.channel();
            ch.writeAndFlush(frame(ch, hello(challenge, peer)));
            if (!closed) {
                outbound.set(peer, ch);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
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

    /** The bytes a hello's signature covers (see the class comment). */
    static byte[] helloSigningBytes(Hash32 network, byte[] challenge, int sender, int receiver, int validatorCount) {
        return new Writer().string(HELLO_DOMAIN).fixed(network.toBytes()).fixed(challenge).i32(sender).i32(receiver)
                .i32(validatorCount).toBytes();
    }

    private byte[] hello(byte[] challenge, int receiver) {
        byte[] signature = identity.key().sign(helloSigningBytes(identity.network(), challenge, self, receiver,
                validatorCount));
        byte[] b = new byte[HELLO_BYTES];
        java.nio.ByteBuffer.wrap(b).putInt(HELLO_MAGIC).put((byte) HELLO_VERSION).putInt(self).putInt(validatorCount)
                .put(signature);
        return b;
    }

    /** The challenge's random bytes, or null if {@code b} is not a challenge. */
    private static byte @Nullable [] parseChallenge(byte[] b) {
        if (b.length != CHALLENGE_BYTES) {
            return null;
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        if (buf.getInt() != CHALLENGE_MAGIC || (buf.get() & 0xff) != HELLO_VERSION) {
            return null;
        }
        byte[] random = new byte[CHALLENGE_RANDOM_BYTES];
        buf.get(random);
        return random;
    }

    private static ByteBuf frame(Channel ch, byte[] payload) {
        ByteBuf buf = ch.alloc().buffer(LENGTH_BYTES + payload.length);
        buf.writeInt(payload.length).writeBytes(payload);
        return buf;
    }

    /**
     * Per inbound connection: admits it if the unauthenticated caps allow, sends the challenge; the first frame must be
     * a hello signed over it, of exactly {@link #HELLO_BYTES}; then the frame decoder is replaced by one allowing
     * {@link Settings#maxFrameBytes}, and later frames are queued as the hello's peer's.
     */
    private final class InboundHandler extends ChannelInboundHandlerAdapter {
        private final byte[] challenge = new byte[CHALLENGE_RANDOM_BYTES];
        private int peer = -1;
        /** Set on a bad hello: frames already decoded in the same read are dropped, not taken for more hellos. */
        private boolean rejected;
        /** The remote address this connection counts against while unauthenticated; null once it no longer counts. */
        private @Nullable InetAddress counted;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            InetAddress address = remoteAddress(ctx.channel().remoteAddress());
            int fromAddress = unauthenticatedByAddress.getOrDefault(address, 0);
            if (closed || unauthenticated >= settings.maxUnauthenticatedConnections()
                    || fromAddress >= settings.maxUnauthenticatedPerAddress()) {
                rejected = true;
                refusedConnections.incrementAndGet();
                ctx.close();
                return;
            }
            counted = address;
            unauthenticatedByAddress.put(address, fromAddress + 1);
            unauthenticated++;
            unauthenticatedHighWater.accumulateAndGet(unauthenticated, Math::max);
            challenges.nextBytes(challenge);
            byte[] b = new byte[CHALLENGE_BYTES];
            java.nio.ByteBuffer.wrap(b).putInt(CHALLENGE_MAGIC).put((byte) HELLO_VERSION).put(challenge);
            Channel ch = ctx.channel();
            ch.writeAndFlush(frame(ch, b));
            // Scheduled on the event loop, which never waits on memory: no frame larger than a hello is buffered
            // before this fires.
            ctx.executor().schedule(() -> {
                if (peer < 0 && !rejected) {
                    refuse(ctx);
                }
            }, settings.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        /** Stops counting this connection as unauthenticated (idempotent). */
        private void uncount() {
            InetAddress address = counted;
            if (address == null) {
                return;
            }
            counted = null;
            unauthenticated--;
            unauthenticatedByAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
        }

        private void refuse(ChannelHandlerContext ctx) {
            rejected = true;
            badHandshakes.incrementAndGet();
            uncount();
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            uncount();
            int p = peer;
            if (p >= 0) {
                inboundFrom.compareAndSet(p, ctx.channel(), null);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            byte[] bytes = take(msg);
            if (rejected) {
                return;
            }
            if (peer < 0) {
                int sender = parseHello(bytes, challenge);
                if (sender < 0) {
                    refuse(ctx);
                    return;
                }
                if (banned[sender] && System.nanoTime() - bannedUntilNanos[sender] < 0) {
                    rejected = true;
                    refusedBannedPeers.incrementAndGet();
                    uncount();
                    ctx.close();
                    return;
                }
                peer = sender;
                uncount();
                // Bytes already buffered behind the hello move to the new decoder (Netty forwards a removed
                // decoder's leftovers to the handler that replaces it).
                ctx.pipeline().replace(FRAME_DECODER, FRAME_DECODER, frameDecoder(settings.maxFrameBytes()));
                Channel previous = inboundFrom.getAndSet(sender, ctx.channel());
                if (previous != null) {
                    previous.close(); // one inbound connection per peer: the newest wins
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
            if (cause instanceof TooLongFrameException && !rejected) {
                oversizedFrames.incrementAndGet();
                if (peer < 0) {
                    refuse(ctx); // before the handshake, anything but a hello is a bad handshake
                    return;
                }
                rejected = true;
            }
            ctx.close();
        }
    }

    private static InetAddress remoteAddress(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress()
                : InetAddress.getLoopbackAddress();
    }

    /**
     * Closes the authenticated inbound connection of {@code peer} (if any) and refuses its hellos for
     * {@code durationMillis}: frames it sends are not read, and its redials are closed right after their hello. Callable
     * from any thread; runs on the event loop.
     */
    @Override
    public void ban(int peer, long durationMillis) {
        checkPeer(peer);
        if (closed || peer == self) {
            return;
        }
        try {
            group.execute(() -> {
                banned[peer] = true;
                bannedUntilNanos[peer] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, durationMillis));
                Channel ch = inboundFrom.getAndSet(peer, null);
                if (ch != null) {
                    ch.close();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // closing: nothing to ban
        }
    }

    /**
     * The sender's index, or -1 if {@code b} is not a hello from another validator of this network, signed with its
     * genesis key over {@code challenge} and this node's index.
     */
    private int parseHello(byte[] b, byte[] challenge) {
        if (b.length != HELLO_BYTES) {
            return -1;
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        int magic = buf.getInt();
        int version = buf.get() & 0xff;
        int sender = buf.getInt();
        int count = buf.getInt();
        byte[] signature = new byte[Signer.SIGNATURE_SIZE_BYTES];
        buf.get(signature);
        if (magic != HELLO_MAGIC || version != HELLO_VERSION || count != validatorCount || sender < 0
                || sender >= validatorCount || sender == self) {
            return -1;
        }
        byte[] signed = helloSigningBytes(identity.network(), challenge, sender, self, validatorCount);
        return identity.validators().get(sender).verify(signed, signature) ? sender : -1;
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

    /** True once the outbound connection to {@code peer} is up (challenge answered). */
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

    /** Inbound connections closed on accept because an unauthenticated-connection cap was reached. */
    public long refusedConnections() {
        return refusedConnections.get();
    }

    /** Valid hellos refused because their validator was banned ({@link #ban}). */
    public long refusedBannedPeers() {
        return refusedBannedPeers.get();
    }

    /** The most unauthenticated inbound connections this transport ever held at once. */
    public long unauthenticatedHighWater() {
        return unauthenticatedHighWater.get();
    }
}
