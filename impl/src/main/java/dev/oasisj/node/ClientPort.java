package dev.oasisj.node;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The client port: a line-based TCP protocol, one JSON line answered per request line.
 * <pre>
 *   submit &lt;hex transaction&gt;   -&gt; {"accepted":true|false,"rejections":[{"reason":..,"detail":..}]}
 *   status                       -&gt; {"validator":..,"height":..,"lastBlockHash":..,"stateRoot":..,"peers":..,...}
 *   anything else                -&gt; {"error":"..."}
 * </pre>
 * Lines are at most {@link ShellLimits#MAX_CLIENT_LINE_BYTES}; a longer line gets an error and the connection is closed.
 * Requests are parsed on the port's event-loop thread and handed to the agent through {@code sink} (the agent's bounded
 * queue); the agent answers on its own thread.
 */
public final class ClientPort implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Predicate<ClientRequest> sink;
    private @Nullable Channel serverChannel;

    /** {@code sink} is typically {@link NodeAgent#offerClientRequest}; it must not block. */
    public ClientPort(Predicate<ClientRequest> sink) {
        this.sink = sink;
    }

    /** Listens on {@code address} (port 0 = any free port); returns the bound port. */
    public int bind(PeerAddress address) throws InterruptedException {
        ServerBootstrap server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LineBasedFrameDecoder(ShellLimits.MAX_CLIENT_LINE_BYTES, true, true));
                        ch.pipeline().addLast(new StringDecoder(StandardCharsets.UTF_8));
                        ch.pipeline().addLast(new RequestHandler());
                    }
                });
        Channel ch = server.bind(address.host(), address.port()).sync().channel();
        serverChannel = ch;
        return ((InetSocketAddress) ch.localAddress()).getPort();
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
        error.append("unknown request; expected 'submit <hex>' or 'status'");
        return null;
    }

    private final class RequestHandler extends SimpleChannelInboundHandler<String> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            StringBuilder error = new StringBuilder();
            ClientRequest request = parse(line, error);
            if (request == null) {
                answer(ctx, errorJson(error.toString()));
                return;
            }
            request.reply().whenComplete((json, failure) ->
                    answer(ctx, json != null ? json : errorJson("internal: " + failure)));
            sink.test(request);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Typically a line over the limit: answer once, then drop the connection (the stream is not resynchronised).
            ctx.writeAndFlush(Unpooled.copiedBuffer(errorJson(cause.getClass().getSimpleName()) + "\n",
                    StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void answer(ChannelHandlerContext ctx, String json) {
        ctx.writeAndFlush(Unpooled.copiedBuffer(json + "\n", StandardCharsets.UTF_8));
    }

    private static String errorJson(String message) {
        return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("error", message).toString();
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
