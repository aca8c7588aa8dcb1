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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link Transport} between OS processes over TCP (netty, one event-loop thread).
 *
 * <p><b>Peer links are TLS 1.3, mutually authenticated by node keys</b> ({@link PeerTls}, netty's {@link SslHandler}
 * over the JDK's SunJSSE): each node presents a self-signed certificate whose subject key is its Ed25519 node key and
 * which names the network (the genesis hash); the TLS handshake (CertificateVerify with signature scheme ed25519 over
 * the transcript, fresh randoms and key shares on both sides) proves that each side holds its key now. The dialler
 * accepts only the key of the validator it dials, so whoever holds a down validator's address learns nothing and
 * receives nothing; the acceptor accepts any other key of the validator set and attributes the connection's frames to
 * that key's index (key to index, never an index claimed by the peer). A node of another network, even with the same
 * key, is refused both ways; a recorded handshake cannot be replayed (the acceptor's fresh random and key share change
 * the transcript); a relay sees only ciphertext (the certificates included). Every dial is a full handshake (the
 * dialler's engine has no peer host, so no session is resumed). A failed handshake, on either side, closes the
 * connection and is counted in {@link #badHandshakes()}. In TLS 1.3 the dialler's side of the handshake completes before
 * the acceptor has checked the dialler's certificate: an acceptor that refuses it closes the connection, and what the
 * dialler sent meanwhile reaches only that (authenticated) acceptor's TLS engine. Acceptors send nothing on an accepted
 * connection; application data from an acceptor closes the dialler's connection.
 *
 * <p>Wire format inside TLS: every frame is a 4-byte big-endian length and that many bytes (Netty's
 * {@link LengthFieldBasedFrameDecoder}); a length above {@link Settings#maxFrameBytes} closes the connection as soon as
 * the prefix is read, before anything is buffered for the body (and is counted in {@link #oversizedFrames()}). Each node
 * dials every other node and uses that outbound connection only to send.
 *
 * <p><b>Unauthenticated connections cost a bounded amount</b>: before its handshake completes an inbound connection
 * can make this node buffer at most one TLS record ({@link TlsRecordGuard} closes the connection at a record header
 * announcing more than TLS 1.3's 16 KiB + 256 bytes, or at bytes that are not a TLS record header) and the engine's
 * handshake state (SunJSSE refuses handshake messages over {@code jdk.tls.maxHandshakeMessageSize}, 32 KiB by default);
 * nothing reaches the frame decoder before the handshake. At most
 * {@link Settings#maxUnauthenticatedConnections} such connections exist at once, at most
 * {@link Settings#maxUnauthenticatedPerAddress} from one IP address (more are closed on accept and counted in
 * {@link #refusedConnections()}; a refused connection costs no TLS engine: the engine is made on admission); a
 * handshake not completed within {@link Settings#handshakeTimeoutMillis} closes the
 * connection (SslHandler's timeout, an event-loop task, never held up behind memory). The acceptor's side of a
 * handshake (X25519, an Ed25519 signature, checking the dialler's) is the one costly step, paid for any ClientHello: an
 * address whose handshake fails has its new connections refused for {@link ShellLimits#FAILED_HANDSHAKE_PENALTY_MILLIS},
 * so one address costs at most about one failed handshake per that time. A validator {@link #ban banned} by the agent
 * is disconnected and its handshakes are refused until the ban ends.
 *
 * <p>Threads: the event-loop thread puts received frames into a bounded queue ({@link Settings#inboundQueueFrames});
 * when it is full, frames are dropped and counted. Reading is back-pressured per peer: once a peer's frames waiting in
 * that queue reach {@link ShellLimits#PEER_QUEUED_BYTES_PAUSE} bytes, its connection stops reading (auto-read off;
 * TCP flow control then holds the sender back) until the agent has taken them down to
 * {@link ShellLimits#PEER_QUEUED_BYTES_RESUME}, so one peer can make this node hold at most about that much plus a
 * frame being decoded, whatever the agent is doing. The agent thread {@link #poll polls} that queue and {@link #send
 * sends}; sending never blocks: a frame for a peer that is not connected, or whose socket buffer is above the high water
 * mark, is dropped and counted. Lost connections are redialled with exponential backoff, which starts again from
 * its minimum only after a link that stayed up for {@link Settings#reconnectMaxMillis} (not after a TCP connect or a
 * completed handshake alone: a refused TLS 1.3 dialler completes its side first).
 */
public final class TcpTransport implements Transport {

    /**
     * Bounds and timings; validated at construction. {@code maxUnauthenticatedConnections} and
     * {@code maxUnauthenticatedPerAddress} cap the inbound connections that have not yet completed the TLS handshake
     * (in total, and per remote IP address); a connection beyond either cap is closed as soon as it is accepted, before
     * any TLS record is read, and counted in {@link #refusedConnections()}.
     */
    public record Settings(int maxFrameBytes, int inboundQueueFrames, long reconnectMinMillis, long reconnectMaxMillis,
            int sendHighWaterMarkBytes, long handshakeTimeoutMillis, int maxUnauthenticatedConnections,
            int maxUnauthenticatedPerAddress) {
        public Settings {
            if (maxFrameBytes < 1 || inboundQueueFrames < 1 || reconnectMinMillis < 1
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
     * Who this node is and whom it accepts: the network id (the genesis hash), the node key of every peer it talks to
     * (distinct keys; by default the genesis validators in order, or any nodes its configuration lists: peers are
     * identified by node key, their index is only this node's handle for them), this node's index and its key (which
     * must be the key at that index).
     */
    public record Identity(Hash32 network, List<PublicKey> validators, int self, Signer key) {
        public Identity {
            validators = List.copyOf(validators);
            if (validators.isEmpty() || self < 0 || self >= validators.size()) {
                throw new IllegalArgumentException("self index " + self + " outside 0.." + (validators.size() - 1));
            }
            if (!validators.get(self).equals(key.publicKey())) {
                throw new IllegalArgumentException("the key is not peer " + self + "'s key");
            }
            if (new java.util.HashSet<>(validators).size() != validators.size()) {
                throw new IllegalArgumentException("two peers have the same key");
            }
        }

        /** Peers by node key: how an acceptor learns who connected (from the certificate the handshake proved). */
        Map<PublicKey, Integer> indexByKey() {
            Map<PublicKey, Integer> byKey = new HashMap<>();
            for (int i = 0; i < validators.size(); i++) {
                byKey.put(validators.get(i), i);
            }
            return Map.copyOf(byKey);
        }
    }

    static final int LENGTH_BYTES = 4;

    private record Received(int peer, byte[] bytes) {}

    private final int self;
    private final int validatorCount;
    private final Identity identity;
    private final Map<PublicKey, Integer> indexByKey;
    private final PeerTls tls;
    private final SslContext serverTls;
    /** Per peer: the dialler's context, which accepts only that peer's key; set by {@link #connectTo}. */
    private final @Nullable SslContext[] clientTls;
    private final Settings settings;
    private final EventLoopGroup group;
    private final ArrayBlockingQueue<Received> inbound;
    private final AtomicReferenceArray<@Nullable Channel> outbound;
    private final @Nullable PeerAddress[] peerAddresses;
    private final long[] backoffMillis;
    /** The authenticated inbound connection of each peer (at most one: a newer one replaces it). */
    private final AtomicReferenceArray<@Nullable Channel> inboundFrom;
    /** Bytes of each peer's frames in {@link #inbound}: added by the event loop, subtracted by {@link #poll}. */
    private final AtomicLongArray queuedBytes;
    /** The inbound channel of each peer whose reading is paused (auto-read off) because its queue is full, or null. */
    private final AtomicReferenceArray<@Nullable Channel> pausedFrom;
    private final AtomicLong queuedBytesHighWater = new AtomicLong();
    private final AtomicLong readPauses = new AtomicLong();
    /** Per peer: until when (System.nanoTime) its handshakes are refused; 0 = not banned. Event-loop thread only. */
    private final long[] bannedUntilNanos;
    private final boolean[] banned;
    /** Unauthenticated inbound connections per remote address, and in total. Event-loop thread only. */
    private final HashMap<InetAddress, Integer> unauthenticatedByAddress = new HashMap<>();
    private int unauthenticated;
    /**
     * Remote addresses whose TLS handshake failed, and until when (System.nanoTime) their new connections are refused.
     * At most {@link ShellLimits#MAX_PENALIZED_ADDRESSES} entries. Event-loop thread only.
     */
    private final HashMap<InetAddress, Long> penalizedUntilNanos = new HashMap<>();
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
        this.indexByKey = identity.indexByKey();
        this.tls = new PeerTls(identity.network(), identity.key());
        this.serverTls = tls.serverContext(indexByKey::containsKey);
        this.clientTls = new SslContext[validatorCount];
        this.settings = settings;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.inbound = new ArrayBlockingQueue<>(settings.inboundQueueFrames());
        this.outbound = new AtomicReferenceArray<>(validatorCount);
        this.peerAddresses = new PeerAddress[validatorCount];
        this.backoffMillis = new long[validatorCount];
        this.inboundFrom = new AtomicReferenceArray<>(validatorCount);
        this.queuedBytes = new AtomicLongArray(validatorCount);
        this.pausedFrom = new AtomicReferenceArray<>(validatorCount);
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
                        // only the admission check: TLS is added once the connection is admitted (InboundHandler)
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
        if (clientTls[peer] == null) {
            clientTls[peer] = tls.clientContext(identity.validators().get(peer));
        }
        peerAddresses[peer] = address;
        group.execute(() -> dial(peer));
    }

    /** Event-loop thread only. */
    private void dial(int peer) {
        PeerAddress address = peerAddresses[peer];
        SslContext peerTls = clientTls[peer];
        if (closed || address == null || peerTls == null) {
            return;
        }
        reconnectAttempts.incrementAndGet();
        OutboundHandler handler = new OutboundHandler(peer);
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
                        // no peer host given: the engine resumes no session, every dial is a full handshake
                        SslHandler ssl = peerTls.newHandler(ch.alloc());
                        ssl.setHandshakeTimeoutMillis(settings.handshakeTimeoutMillis());
                        ch.pipeline().addLast(new TlsRecordGuard());
                        ch.pipeline().addLast(ssl);
                        ch.pipeline().addLast(handler);
                    }
                });
        ChannelFuture connect = bootstrap.connect(address.host(), address.port());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                scheduleRedial(peer);
                return;
            }
            Channel ch = connect.channel();
            ch.closeFuture().addListener(closedFuture -> {
                outbound.compareAndSet(peer, ch, null);
                if (handler.authenticatedAtNanos != 0
                        && System.nanoTime() - handler.authenticatedAtNanos >= settings.reconnectMaxMillis() * 1_000_000L) {
                    // a link that worked for a while: redial at once. Not after a TCP connect or a handshake alone: an
                    // acceptor that refuses this node's certificate closes right after the (TLS 1.3) handshake
                    backoffMillis[peer] = 0;
                }
                scheduleRedial(peer);
            });
            // the channel becomes usable for sending once the TLS handshake completes (OutboundHandler); SslHandler
            // closes it if that takes longer than the handshake timeout
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

    /**
     * Per outbound connection: usable for sending once the TLS handshake has authenticated the peer's key; the acceptor
     * sends nothing, so any application data from it closes the connection.
     */
    private final class OutboundHandler extends ChannelInboundHandlerAdapter {
        private final int peer;
        /** When the handshake completed (System.nanoTime), 0 before; event-loop thread only. */
        long authenticatedAtNanos;

        OutboundHandler(int peer) {
            this.peer = peer;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    badHandshakes.incrementAndGet();
                    ctx.close();
                } else if (!closed) {
                    authenticatedAtNanos = System.nanoTime() | 1; // never 0
                    outbound.set(peer, ctx.channel());
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
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

    private static ByteBuf frame(Channel ch, byte[] payload) {
        ByteBuf buf = ch.alloc().buffer(LENGTH_BYTES + payload.length);
        buf.writeInt(payload.length).writeBytes(payload);
        return buf;
    }

    /**
     * Per inbound connection: admits it if the unauthenticated caps allow; once the TLS handshake completes, the peer is
     * the index of the key its certificate proved ({@link PeerTls.NodeKeyTrust} already refused keys outside the
     * validator set and this node's own), unless that peer is banned; frames are queued as that peer's.
     */
    private final class InboundHandler extends ChannelInboundHandlerAdapter {
        private @Nullable SslHandler ssl;
        private int peer = -1;
        /** Set on a refused connection: nothing more is counted or delivered for it. */
        private boolean rejected;
        /** The remote address this connection counts against while unauthenticated; null once it no longer counts. */
        private @Nullable InetAddress counted;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            InetAddress address = remoteAddress(ctx.channel().remoteAddress());
            int fromAddress = unauthenticatedByAddress.getOrDefault(address, 0);
            if (closed || unauthenticated >= settings.maxUnauthenticatedConnections()
                    || fromAddress >= settings.maxUnauthenticatedPerAddress() || penalized(address)) {
                rejected = true;
                refusedConnections.incrementAndGet();
                ctx.close();
                return;
            }
            counted = address;
            unauthenticatedByAddress.put(address, fromAddress + 1);
            unauthenticated++;
            unauthenticatedHighWater.accumulateAndGet(unauthenticated, Math::max);
            // Admitted: only now the TLS engine is made (a refused connection costs no engine). In front of this
            // handler: the record guard, TLS, and the frame decoder, which, behind TLS, only ever sees an
            // authenticated peer's bytes. The handshake timeout is SslHandler's: it fails the handshake, which
            // userEventTriggered refuses.
            SslHandler tlsHandler = serverTls.newHandler(ctx.alloc());
            tlsHandler.setHandshakeTimeoutMillis(settings.handshakeTimeoutMillis());
            ssl = tlsHandler;
            ctx.pipeline().addBefore(ctx.name(), "tls-guard", new TlsRecordGuard());
            ctx.pipeline().addBefore(ctx.name(), "tls", tlsHandler);
            ctx.pipeline().addBefore(ctx.name(), "frames", frameDecoder(settings.maxFrameBytes()));
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
            if (!rejected) {
                rejected = true;
                badHandshakes.incrementAndGet();
            }
            uncount();
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent done && !rejected) {
                SslHandler tlsHandler = ssl;
                int sender = done.isSuccess() && tlsHandler != null ? authenticatedPeer(tlsHandler) : -1;
                if (sender < 0) {
                    penalize(remoteAddress(ctx.channel().remoteAddress()));
                    refuse(ctx);
                } else if (banned[sender] && System.nanoTime() - bannedUntilNanos[sender] < 0) {
                    rejected = true;
                    refusedBannedPeers.incrementAndGet();
                    uncount();
                    ctx.close();
                } else {
                    peer = sender;
                    uncount();
                    Channel previous = inboundFrom.getAndSet(sender, ctx.channel());
                    if (previous != null) {
                        previous.close(); // one inbound connection per peer: the newest wins
                    }
                }
            }
            ctx.fireUserEventTriggered(evt);
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
            if (rejected || peer < 0) {
                return; // TLS delivers data only after the handshake; never attributed to a refused connection
            }
            framesReceived.incrementAndGet();
            if (!inbound.offer(new Received(peer, bytes))) {
                droppedInboundFull.incrementAndGet();
                return;
            }
            long queued = queuedBytes.addAndGet(peer, bytes.length);
            queuedBytesHighWater.accumulateAndGet(queued, Math::max);
            if (queued >= ShellLimits.PEER_QUEUED_BYTES_PAUSE && ctx.channel().config().isAutoRead()) {
                // Read back-pressure: stop reading this peer's socket until the agent has taken its frames (TCP then
                // holds the sender back), so a peer cannot make this node buffer more than its share.
                ctx.channel().config().setAutoRead(false);
                pausedFrom.set(peer, ctx.channel());
                readPauses.incrementAndGet();
                if (queuedBytes.get(peer) < ShellLimits.PEER_QUEUED_BYTES_RESUME) {
                    resumeReading(peer); // the agent drained it meanwhile, and saw no paused channel
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException && !rejected) {
                oversizedFrames.incrementAndGet(); // only after the handshake: nothing is decoded before it
                rejected = true;
            }
            ctx.close(); // a failed handshake is counted by userEventTriggered (SslHandler fires both)
        }
    }

    /** The index of the key that {@code ssl}'s completed handshake authenticated, or -1. */
    private int authenticatedPeer(SslHandler ssl) {
        try {
            Integer index = indexByKey.get(PeerTls.peerKey(ssl.engine().getSession()));
            return index == null || index == self ? -1 : index;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return -1;
        }
    }

    /** True while {@code address} is refused for a failed handshake; forgets it once its time is over. */
    private boolean penalized(InetAddress address) {
        Long until = penalizedUntilNanos.get(address);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until < 0) {
            return true;
        }
        penalizedUntilNanos.remove(address);
        return false;
    }

    private void penalize(InetAddress address) {
        if (closed) {
            return; // handshakes cut by this transport's own close are nobody's fault
        }
        if (penalizedUntilNanos.size() >= ShellLimits.MAX_PENALIZED_ADDRESSES) {
            long now = System.nanoTime();
            penalizedUntilNanos.values().removeIf(until -> now - until >= 0);
            if (penalizedUntilNanos.size() >= ShellLimits.MAX_PENALIZED_ADDRESSES) {
                return; // full of live penalties: this address goes unpenalized rather than the map growing
            }
        }
        penalizedUntilNanos.put(address,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ShellLimits.FAILED_HANDSHAKE_PENALTY_MILLIS));
    }

    private static InetAddress remoteAddress(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress()
                : InetAddress.getLoopbackAddress();
    }

    /**
     * Closes the authenticated inbound connection of {@code peer} (if any) and refuses its handshakes for
     * {@code durationMillis}: frames it sends are not read, and its redials are closed right after their handshake. Callable
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
            if (queuedBytes.addAndGet(r.peer(), -r.bytes().length) < ShellLimits.PEER_QUEUED_BYTES_RESUME) {
                resumeReading(r.peer());
            }
            handler.onFrame(r.peer(), r.bytes());
        }
        return n;
    }

    private void resumeReading(int peer) {
        Channel ch = pausedFrom.getAndSet(peer, null);
        if (ch != null) {
            ch.config().setAutoRead(true);
        }
    }

    /** The most bytes of one peer's frames that were ever queued for the agent at once. */
    public long queuedBytesHighWater() {
        return queuedBytesHighWater.get();
    }

    /** How many times reading from a peer was paused because its queued frames reached the limit. */
    public long readPauses() {
        return readPauses.get();
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

    /** True once the outbound connection to {@code peer} is up (TLS handshake complete, the peer's key verified). */
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

    /** Valid handshakes refused because their validator was banned ({@link #ban}). */
    public long refusedBannedPeers() {
        return refusedBannedPeers.get();
    }

    /** The most unauthenticated inbound connections this transport ever held at once. */
    public long unauthenticatedHighWater() {
        return unauthenticatedHighWater.get();
    }
}
