package dev.oasisj.node;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The client port: a line-based TCP protocol, one JSON line answered per request line, in request order.
 * <pre>
 *   submit &lt;hex transaction&gt;   -&gt; {"accepted":true|false,"rejections":[{"reason":..,"detail":..}]}
 *   status                       -&gt; {"validator":..,"height":..,"lastBlockHash":..,"stateRoot":..,"peers":..,...}
 *   query &lt;path&gt; [&lt;hex&gt;]        -&gt; {"height":..,"path":..,"found":true|false,"value":"&lt;hex&gt;","detail":..}
 *   anything else                -&gt; {"error":"..."}
 * </pre>
 * Requests are parsed on the port's own event-loop thread (never the agent's, never the peer transport's) and handed
 * to the agent through {@code sink} (the agent's bounded queue); the agent answers on its own thread.
 *
 * <p>Hostile clients get back-pressure, not memory ({@link Limits}, defaults in {@link ShellLimits}):
 * <ul>
 *   <li>a connection over the total or the per-address limit is answered an error and closed;</li>
 *   <li>a request line longer than {@link Limits#maxLineBytes()} (the largest legal request) is answered an error and
 *       the connection closed;</li>
 *   <li>while a connection's queued answers are above the write high-water mark (its client does not read them), or
 *       it has {@link Limits#maxOutstandingRequests()} requests unanswered, the port takes no more of its requests and
 *       stops reading from it (autoRead off), until the answers drain below the low-water mark;</li>
 *   <li>request bytes buffered over all connections (partial lines) are bounded: a connection whose bytes would go over
 *       {@link Limits#maxBufferedRequestBytes()} is answered an error and closed;</li>
 *   <li>a connection idle (no byte in or out) for {@link Limits#idleTimeoutMillis()} is closed;</li>
 *   <li>the kernel's socket buffers of a connection are fixed ({@link ShellLimits#CLIENT_SOCKET_BUFFER_BYTES}), not
 *       autotuned to megabytes of unread answers.</li>
 * </ul>
 */
public final class ClientPort implements AutoCloseable {

    /** The port's bounds; {@link #defaults()} are {@link ShellLimits}'. */
    public record Limits(int maxConnections, int maxConnectionsPerAddress, long idleTimeoutMillis, int maxLineBytes,
            int maxOutstandingRequests, int writeLowWaterBytes, int writeHighWaterBytes, int readBytes,
            int maxBufferedRequestBytes, long closeLingerMillis) {
        public Limits {
            if (maxConnections < 1 || maxConnectionsPerAddress < 1 || idleTimeoutMillis < 1 || maxLineBytes < 1
                    || maxOutstandingRequests < 1 || writeLowWaterBytes < 1 || writeHighWaterBytes < writeLowWaterBytes
                    || readBytes < 64 || maxBufferedRequestBytes < 1 || closeLingerMillis < 0) {
                throw new IllegalArgumentException("client port limits out of range");
            }
        }

        public static Limits defaults() {
            return new Limits(ShellLimits.MAX_CLIENT_CONNECTIONS, ShellLimits.MAX_CLIENT_CONNECTIONS_PER_ADDRESS,
                    ShellLimits.CLIENT_IDLE_TIMEOUT_MILLIS, ShellLimits.MAX_CLIENT_LINE_BYTES,
                    ShellLimits.MAX_CLIENT_OUTSTANDING_REQUESTS, ShellLimits.CLIENT_WRITE_LOW_WATER_BYTES,
                    ShellLimits.CLIENT_WRITE_HIGH_WATER_BYTES, ShellLimits.CLIENT_READ_BYTES,
                    ShellLimits.MAX_CLIENT_BUFFERED_REQUEST_BYTES, ShellLimits.CLIENT_CLOSE_LINGER_MILLIS);
        }

        public Limits withConnections(int total, int perAddress) {
            return new Limits(total, perAddress, idleTimeoutMillis, maxLineBytes, maxOutstandingRequests,
                    writeLowWaterBytes, writeHighWaterBytes, readBytes, maxBufferedRequestBytes, closeLingerMillis);
        }

        public Limits withIdleTimeoutMillis(long millis) {
            return new Limits(maxConnections, maxConnectionsPerAddress, millis, maxLineBytes, maxOutstandingRequests,
                    writeLowWaterBytes, writeHighWaterBytes, readBytes, maxBufferedRequestBytes, closeLingerMillis);
        }

        public Limits withMaxBufferedRequestBytes(int bytes) {
            return new Limits(maxConnections, maxConnectionsPerAddress, idleTimeoutMillis, maxLineBytes,
                    maxOutstandingRequests, writeLowWaterBytes, writeHighWaterBytes, readBytes, bytes, closeLingerMillis);
        }
    }

    /** The name of the port's one event-loop thread (accepts, reads, parses, writes answers). */
    public static final String THREAD_NAME = "oasis-client-port";

    private final EventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(THREAD_NAME, true), NioIoHandler.newFactory());
    private final Predicate<ClientRequest> sink;
    private final Limits limits;
    private @Nullable Channel serverChannel;

    // Event-loop thread only (the group has one thread, which serves the server channel and every connection).
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();

    // Written on the event loop, read by anyone (metrics).
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong closedIdle = new AtomicLong();
    private final AtomicLong closedLineTooLong = new AtomicLong();
    private final AtomicLong closedOverBufferBudget = new AtomicLong();
    private final AtomicLong bufferedRequestBytes = new AtomicLong();
    private final AtomicLong readPausesForWrites = new AtomicLong();
    private final AtomicInteger connectionsBlockedOnWrites = new AtomicInteger();
    private final AtomicLong peakPendingWriteBytes = new AtomicLong();
    private final AtomicLong requestsHandedOn = new AtomicLong();

    /** {@code sink} is typically {@link NodeAgent#offerClientRequest}; it must not block. */
    public ClientPort(Predicate<ClientRequest> sink) {
        this(sink, Limits.defaults());
    }

    public ClientPort(Predicate<ClientRequest> sink, Limits limits) {
        this.sink = sink;
        this.limits = limits;
    }

    /** Listens on {@code address} (port 0 = any free port); returns the bound port. */
    public int bind(PeerAddress address) throws InterruptedException {
        ServerBootstrap server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                // The kernel's part of a connection's memory, bounded too (the receive buffer is inherited).
                .option(ChannelOption.SO_RCVBUF, ShellLimits.CLIENT_SOCKET_BUFFER_BYTES)
                .childOption(ChannelOption.SO_SNDBUF, ShellLimits.CLIENT_SOCKET_BUFFER_BYTES)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(limits.writeLowWaterBytes(), limits.writeHighWaterBytes()))
                // One bounded read at a time: what a connection can add before it is paused is known.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(limits.readBytes()).maxMessagesPerRead(1))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        admit(ch);
                    }
                });
        Channel ch = server.bind(address.host(), address.port()).sync().channel();
        serverChannel = ch;
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** Counts the connection in, or answers an error and closes it when a connection limit is reached. */
    private void admit(SocketChannel ch) {
        InetAddress address = ch.remoteAddress().getAddress();
        int fromAddress = perAddress.getOrDefault(address, 0);
        if (open.get() >= limits.maxConnections() || fromAddress >= limits.maxConnectionsPerAddress()) {
            refused.incrementAndGet();
            ch.config().setAutoRead(false);
            String why = open.get() >= limits.maxConnections() ? "too many client connections"
                    : "too many client connections from " + address.getHostAddress();
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    ctx.writeAndFlush(line(ctx, ClientJson.error(why))).addListener(ChannelFutureListener.CLOSE);
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    ctx.close();
                }
            });
            return;
        }
        open.incrementAndGet();
        perAddress.put(address, fromAddress + 1);
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            perAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
        });
        ch.pipeline().addLast(new IdleStateHandler(false, 0, 0, limits.idleTimeoutMillis(), TimeUnit.MILLISECONDS));
        ch.pipeline().addLast(new Connection());
    }

    /** Parses one request line; returns null and sets nothing if it is not a request (the caller answers an error). */
    static @Nullable ClientRequest parse(String line, StringBuilder error) {
        String trimmed = line.strip();
        if (trimmed.equals("status")) {
            return new ClientRequest.Status(new CompletableFuture<>());
        }
        if (trimmed.startsWith("submit ")) {
            String hex = trimmed.substring("submit ".length()).strip();
            if (hex.isEmpty() || hex.length() % 2 != 0 || hex.length() / 2 > ShellLimits.MAX_CLIENT_TRANSACTION_BYTES) {
                error.append("submit needs an even number of hex digits, at most ")
                        .append(2 * ShellLimits.MAX_CLIENT_TRANSACTION_BYTES);
                return null;
            }
            try {
                return new ClientRequest.Submit(HexFormat.of().parseHex(hex), new CompletableFuture<>());
            } catch (IllegalArgumentException e) {
                error.append("submit: not hex");
                return null;
            }
        }
        if (trimmed.equals("query") || trimmed.startsWith("query ")) {
            String[] parts = trimmed.split("\\s+");
            if (parts.length < 2 || parts.length > 3 || !parts[1].matches("[a-z][a-z0-9.]{0,31}")) {
                error.append("query needs a path (a lower-case letter, then up to 31 of a-z, 0-9 and '.') and "
                        + "optionally hex data");
                return null;
            }
            String hex = parts.length == 3 ? parts[2] : "";
            if (hex.length() % 2 != 0 || hex.length() / 2 > ShellLimits.MAX_QUERY_DATA_BYTES) {
                error.append("query data needs an even number of hex digits, at most ")
                        .append(2 * ShellLimits.MAX_QUERY_DATA_BYTES);
                return null;
            }
            try {
                return new ClientRequest.Query(parts[1], HexFormat.of().parseHex(hex), new CompletableFuture<>());
            } catch (IllegalArgumentException e) {
                error.append("query: data is not hex");
                return null;
            }
        }
        error.append("unknown request; expected 'submit <hex>', 'status' or 'query <path> [<hex>]'");
        return null;
    }

    private static ByteBuf line(ChannelHandlerContext ctx, String json) {
        return ByteBufUtil.writeUtf8(ctx.alloc(), json + "\n");
    }

    /**
     * One client connection. Received bytes wait in {@code buffered} until a whole line is there and the connection
     * may take another request; answers wait in {@code answers}, in request order, until they are complete, then are
     * written. Everything runs on the event loop, except the agent completing an answer, which schedules
     * {@link #pump} back onto it.
     */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private final ArrayDeque<CompletableFuture<String>> answers = new ArrayDeque<>();
        private ByteBuf buffered = Unpooled.EMPTY_BUFFER;
        /** Bytes of {@code buffered} counted in {@link #bufferedRequestBytes}. */
        private long accounted;
        private boolean closing;
        private boolean lingering;
        private boolean closed;
        private boolean blockedOnWrites;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (closing || closed) {
                    return;
                }
                if (buffered.readableBytes() == 0) {
                    buffered.release();
                    buffered = ctx.alloc().heapBuffer(in.readableBytes());
                } else {
                    buffered.discardReadBytes();
                }
                buffered.writeBytes(in);
            } finally {
                in.release();
            }
            pump(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                closedIdle.incrementAndGet();
                ctx.close(); // not an answer: a client that does not read would keep it queued
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed = true;
            setBlockedOnWrites(false);
            buffered.release();
            buffered = Unpooled.EMPTY_BUFFER;
            account();
            answers.clear();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset connection, typically; nothing to answer
        }

        /**
         * Writes the completed answers at the head of the queue, then takes whole lines while the connection may have
         * another request outstanding and its answers are below the high-water mark; then decides whether to read on.
         */
        private void pump(ChannelHandlerContext ctx) {
            if (closed) {
                return;
            }
            Channel ch = ctx.channel();
            boolean wrote = false;
            while (true) {
                for (CompletableFuture<String> head = answers.peekFirst(); head != null && head.isDone();
                        head = answers.peekFirst()) {
                    answers.removeFirst();
                    ctx.write(line(ctx, answerOf(head)));
                    wrote = true;
                }
                if (closing || answers.size() >= limits.maxOutstandingRequests() || !ch.isWritable()) {
                    break;
                }
                String request = nextLine();
                if (request == null) {
                    if (closing) {
                        continue; // a line too long: its error answer is queued, write what can be written
                    }
                    break;
                }
                answers.addLast(take(ctx, request));
            }
            if (wrote) {
                ChannelOutboundBuffer pending = ch.unsafe().outboundBuffer();
                if (pending != null) {
                    peakPendingWriteBytes.accumulateAndGet(pending.totalPendingWriteBytes(), Math::max);
                }
                ctx.flush();
            }
            if (!closing) {
                setBlockedOnWrites(!ch.isWritable());
                ch.config().setAutoRead(ch.isWritable() && answers.size() < limits.maxOutstandingRequests());
                account();
                if (bufferedRequestBytes.get() > limits.maxBufferedRequestBytes()) {
                    // This connection's read pushed the total over: it goes, with what it holds (the total was
                    // within the budget before the read, so it is again).
                    closedOverBufferBudget.incrementAndGet();
                    buffered.skipBytes(buffered.readableBytes());
                    answers.clear();
                    account(); // freed before the answer leaves, so a client that reads it sees the total back
                    ctx.writeAndFlush(line(ctx, ClientJson.error("busy: too many partial requests buffered; try again")));
                    closing = true;
                }
            }
            if (closing) {
                setBlockedOnWrites(false);
                account();
                if (answers.isEmpty()) {
                    closeAfterAnswers(ctx);
                }
            }
        }

        /**
         * The connection's last answer is queued: send it and a FIN, read and discard whatever the client still sends
         * (closing with unread bytes would reset the connection, and the client could lose the answer), and close
         * after {@link Limits#closeLingerMillis()} at the latest.
         */
        private void closeAfterAnswers(ChannelHandlerContext ctx) {
            if (lingering) {
                return;
            }
            lingering = true;
            Channel ch = ctx.channel();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                if (ch instanceof SocketChannel socket && socket.isActive()) {
                    socket.shutdownOutput();
                }
            });
            ch.config().setAutoRead(true); // channelRead discards while closing
            ctx.executor().schedule(() -> {
                ctx.close();
            }, limits.closeLingerMillis(), TimeUnit.MILLISECONDS);
        }

        /** The next whole request line (without "\n" or "\r\n"), or null; a line over the limit closes. */
        private @Nullable String nextLine() {
            int start = buffered.readerIndex();
            int end = buffered.writerIndex();
            int eol = buffered.indexOf(start, end, (byte) '\n');
            if (eol < 0) {
                int partial = end - start;
                // A partial line may end in the '\r' of a "\r\n" still to come.
                if (partial > limits.maxLineBytes()
                        && !(partial == limits.maxLineBytes() + 1 && buffered.getByte(end - 1) == '\r')) {
                    lineTooLong();
                }
                return null;
            }
            int length = eol > start && buffered.getByte(eol - 1) == '\r' ? eol - 1 - start : eol - start;
            if (length > limits.maxLineBytes()) {
                lineTooLong();
                return null;
            }
            String request = buffered.toString(start, length, StandardCharsets.UTF_8);
            buffered.readerIndex(eol + 1);
            return request;
        }

        private void lineTooLong() {
            closedLineTooLong.incrementAndGet();
            buffered.skipBytes(buffered.readableBytes());
            answers.addLast(CompletableFuture.completedFuture(
                    ClientJson.error("request line longer than " + limits.maxLineBytes() + " bytes")));
            closing = true;
        }

        private CompletableFuture<String> take(ChannelHandlerContext ctx, String line) {
            StringBuilder error = new StringBuilder();
            ClientRequest request = parse(line, error);
            if (request == null) {
                return CompletableFuture.completedFuture(ClientJson.error(error.toString()));
            }
            requestsHandedOn.incrementAndGet();
            CompletableFuture<String> reply = request.reply();
            reply.whenComplete((json, failure) -> {
                if (!ctx.executor().inEventLoop()) {
                    ctx.executor().execute(() -> pump(ctx));
                }
            });
            sink.test(request);
            return reply;
        }

        /** Brings {@link #bufferedRequestBytes} up to date with what this connection holds. */
        private void account() {
            long now = buffered.readableBytes();
            bufferedRequestBytes.addAndGet(now - accounted);
            accounted = now;
            if (now == 0 && buffered.capacity() > 0) {
                buffered.release();
                buffered = Unpooled.EMPTY_BUFFER; // an idle connection holds no buffer
            }
        }

        private void setBlockedOnWrites(boolean blocked) {
            if (blocked != blockedOnWrites) {
                blockedOnWrites = blocked;
                if (blocked) {
                    readPausesForWrites.incrementAndGet();
                    connectionsBlockedOnWrites.incrementAndGet();
                } else {
                    connectionsBlockedOnWrites.decrementAndGet();
                }
            }
        }
    }

    private static String answerOf(CompletableFuture<String> done) {
        try {
            return done.join();
        } catch (RuntimeException failure) {
            return ClientJson.error("internal: " + failure);
        }
    }

    /** Open (admitted) client connections. */
    public int openConnections() {
        return open.get();
    }

    /** Connections answered an error and closed because a connection limit (total or per address) was reached. */
    public long connectionsRefused() {
        return refused.get();
    }

    /** Connections closed after the idle timeout. */
    public long connectionsClosedIdle() {
        return closedIdle.get();
    }

    /** Connections closed because a request line was over the limit. */
    public long connectionsClosedLineTooLong() {
        return closedLineTooLong.get();
    }

    /** Connections closed because their buffered request bytes would have exceeded the budget of all connections. */
    public long connectionsClosedOverBufferBudget() {
        return closedOverBufferBudget.get();
    }

    /** Request bytes received and not yet handed on, all connections together (at most the budget). */
    public long bufferedRequestBytes() {
        return bufferedRequestBytes.get();
    }

    /** Times a connection stopped being read because its answers were over the write high-water mark. */
    public long readPausesForWrites() {
        return readPausesForWrites.get();
    }

    /** Connections not read right now because their answers are over the write high-water mark. */
    public int connectionsBlockedOnWrites() {
        return connectionsBlockedOnWrites.get();
    }

    /** The most answer bytes ever queued in one connection (Netty's pending write bytes, entry overhead included). */
    public long peakPendingWriteBytes() {
        return peakPendingWriteBytes.get();
    }

    /** Requests handed to the sink (the agent) so far. */
    public long requestsHandedOn() {
        return requestsHandedOn.get();
    }

    public Limits limits() {
        return limits;
    }

    @Override
    public void close() {
        Channel ch = serverChannel;
        if (ch != null) {
            ch.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
