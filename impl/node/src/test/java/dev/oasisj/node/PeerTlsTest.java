package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PeerTlsTest {
    private static final Hash32 NETWORK = Hash32.sha256("peer-tls-test-network".getBytes());
    private static final Hash32 OTHER_NETWORK = Hash32.sha256("another-network".getBytes());
    private static final Signer A = Signer.deterministic("tls-a", 1);
    private static final Signer B = Signer.deterministic("tls-b", 1);
    private static final Signer C = Signer.deterministic("tls-c", 1);

    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Test
    void theCertificate_isSelfSignedByTheNodeKey_boundToTheNetwork_andDeterministic() throws Exception {
        X509Certificate cert = PeerTls.certificate(NETWORK, A);
        assertEquals(A.publicKey(), PeerTls.ed25519Key(cert), "the subject public key is the node key itself");
        assertEquals("Ed25519", cert.getSigAlgName());
        cert.verify(cert.getPublicKey()); // the JDK agrees that the node key signed it
        assertTrue(cert.getCriticalExtensionOIDs().contains(PeerTls.NETWORK_EXTENSION_OID));
        byte[] ext = cert.getExtensionValue(PeerTls.NETWORK_EXTENSION_OID);
        byte[] expected = new DEROctetString(new DEROctetString(NETWORK.toBytes()).getEncoded()).getEncoded();
        assertArrayEquals(expected, ext);
        assertArrayEquals(cert.getEncoded(), PeerTls.certificate(NETWORK, A).getEncoded(), "deterministic");
        assertFalse(java.util.Arrays.equals(cert.getEncoded(), PeerTls.certificate(OTHER_NETWORK, A).getEncoded()));
        cert.checkValidity(); // valid now (1970 to 9999)
    }

    @Test
    void trust_acceptsExactlyTheAcceptedKeysOfThisNetwork() throws Exception {
        PeerTls a = new PeerTls(NETWORK, A);
        PeerTls.NodeKeyTrust onlyB = a.trust(B.publicKey()::equals);
        assertEquals(B.publicKey(), onlyB.check(new X509Certificate[] {PeerTls.certificate(NETWORK, B)}));
        assertThrows(CertificateException.class,
                () -> onlyB.check(new X509Certificate[] {PeerTls.certificate(NETWORK, C)}), "another key");
        assertThrows(CertificateException.class,
                () -> onlyB.check(new X509Certificate[] {PeerTls.certificate(OTHER_NETWORK, B)}), "another network");
        assertThrows(CertificateException.class, () -> onlyB.check(new X509Certificate[] {
            PeerTls.certificate(NETWORK, B), PeerTls.certificate(NETWORK, C)}), "a chain");
        assertThrows(CertificateException.class, () -> onlyB.check(new X509Certificate[0]));
        assertThrows(CertificateException.class, () -> onlyB.check(null));
        // B's key and this network, but the statement is signed by C: not B's statement
        assertThrows(CertificateException.class,
                () -> onlyB.check(new X509Certificate[] {forgedCertificate(B.publicKey(), NETWORK, C)}));
        // the forgery helper itself makes acceptable certificates when it signs with the right key
        assertEquals(B.publicKey(), onlyB.check(new X509Certificate[] {forgedCertificate(B.publicKey(), NETWORK, B)}));
        // its own key is never accepted, even by a predicate that accepts everything
        PeerTls.NodeKeyTrust anyone = a.trust(k -> true);
        assertThrows(CertificateException.class,
                () -> anyone.check(new X509Certificate[] {PeerTls.certificate(NETWORK, A)}));
        assertEquals(C.publicKey(), anyone.check(new X509Certificate[] {PeerTls.certificate(NETWORK, C)}));
    }

    /** A certificate for {@code subject} on {@code network}, signed by {@code signer} (maybe not the subject's key). */
    static X509Certificate forgedCertificate(PublicKey subject, Hash32 network, Signer signer) throws Exception {
        X500Name name = new X500Name("CN=forged");
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, BigInteger.ONE, new Date(0L),
                new Date(253_402_300_799_000L), name,
                new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), subject.toBytes()));
        builder.addExtension(new ASN1ObjectIdentifier(PeerTls.NETWORK_EXTENSION_OID), true,
                new DEROctetString(network.toBytes()));
        ByteArrayOutputStream tbs = new ByteArrayOutputStream();
        byte[] der = builder.build(new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                return signer.sign(tbs.toByteArray());
            }
        }).getEncoded();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
    }

    /** The outcome of one handshake over loopback: each side's session, or its failure. */
    private record Outcome(CompletableFuture<SSLSession> server, CompletableFuture<SSLSession> client,
            boolean clientClosedByServer) {}

    /** Swallows the handshake failure that {@link SslHandler} fires after failing its handshake future. */
    private static final class Quiet extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static Outcome handshake(SslContext serverContext, SslContext clientContext) throws Exception {
        CompletableFuture<SSLSession> server = new CompletableFuture<>();
        CompletableFuture<SSLSession> client = new CompletableFuture<>();
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = serverContext.newHandler(ch.alloc());
                        ch.pipeline().addLast(ssl, new Quiet());
                        ssl.handshakeFuture().addListener(f -> complete(server, ssl, f));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        boolean clientClosed;
        try {
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler ssl = clientContext.newHandler(ch.alloc(), "127.0.0.1", port);
                            ch.pipeline().addLast(ssl, new Quiet());
                            ssl.handshakeFuture().addListener(f -> complete(client, ssl, f));
                        }
                    }).connect("127.0.0.1", port).sync().channel();
            try {
                // each side's outcome: a failure on one side closes the connection, which fails the other
                try {
                    server.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException failed) {
                    // inspected by the caller
                }
                try {
                    client.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException failed) {
                    // inspected by the caller
                }
                // a refused handshake ends with the server closing; an accepted one stays open (waits 2 s then)
                clientClosed = ch.closeFuture().await(server.isCompletedExceptionally() ? 20_000 : 2_000);
            } finally {
                ch.close().sync();
            }
        } finally {
            listener.close().sync();
        }
        return new Outcome(server, client, clientClosed);
    }

    private static void complete(CompletableFuture<SSLSession> out, SslHandler ssl, Future<?> f) {
        if (f.isSuccess()) {
            out.complete(ssl.engine().getSession());
        } else {
            out.completeExceptionally(f.cause());
        }
    }

    @Test
    void jdk17SunJsse_negotiatesTls13WithEd25519NodeCertificates_throughNettysJdkProvider() throws Exception {
        PeerTls a = new PeerTls(NETWORK, A);
        PeerTls b = new PeerTls(NETWORK, B);
        Outcome o = handshake(a.serverContext(k -> k.equals(B.publicKey())), b.clientContext(A.publicKey()));
        SSLSession atServer = o.server().get();
        SSLSession atClient = o.client().get();
        assertEquals("TLSv1.3", atServer.getProtocol());
        assertEquals("TLSv1.3", atClient.getProtocol());
        assertTrue(atClient.getCipherSuite().startsWith("TLS_AES_") || atClient.getCipherSuite().startsWith("TLS_CHACHA20"),
                atClient.getCipherSuite());
        assertEquals(B.publicKey(), PeerTls.peerKey(atServer), "the acceptor learns the dialler's key");
        assertEquals(A.publicKey(), PeerTls.peerKey(atClient), "the dialler sees the acceptor's key");
        assertEquals("Ed25519", ((X509Certificate) atClient.getPeerCertificates()[0]).getSigAlgName());
        assertNotNull(atServer.getLocalCertificates());
        assertFalse(o.clientClosedByServer());
    }

    @Test
    void aDiallerExpectingAnotherKey_refusesTheAcceptor() throws Exception {
        PeerTls a = new PeerTls(NETWORK, A);
        PeerTls b = new PeerTls(NETWORK, B);
        Outcome o = handshake(a.serverContext(k -> true), b.clientContext(C.publicKey()));
        assertTrue(o.client().isCompletedExceptionally());
        assertTrue(o.server().isCompletedExceptionally());
        assertTrue(o.clientClosedByServer());
    }

    @Test
    void anAcceptorThatDoesNotAcceptTheDiallersKey_refusesIt() throws Exception {
        PeerTls a = new PeerTls(NETWORK, A);
        PeerTls b = new PeerTls(NETWORK, B);
        Outcome o = handshake(a.serverContext(k -> k.equals(C.publicKey())), b.clientContext(A.publicKey()));
        assertTrue(o.server().isCompletedExceptionally());
        // TLS 1.3: the client's handshake is complete once it sent its certificate and Finished, before the server
        // checked them; the refusal reaches it as an alert and the close of the connection
        assertTrue(o.clientClosedByServer());
    }

    @Test
    void nodesOfAnotherNetworkWithTheSameKeys_areRefusedBothWays() throws Exception {
        PeerTls a = new PeerTls(NETWORK, A);
        PeerTls bElsewhere = new PeerTls(OTHER_NETWORK, B);
        Outcome dialsHere = handshake(a.serverContext(k -> true), bElsewhere.clientContext(A.publicKey()));
        assertTrue(dialsHere.server().isCompletedExceptionally());
        assertTrue(dialsHere.clientClosedByServer());
        PeerTls aElsewhere = new PeerTls(OTHER_NETWORK, A);
        PeerTls b = new PeerTls(NETWORK, B);
        Outcome dialsThere = handshake(aElsewhere.serverContext(k -> true), b.clientContext(A.publicKey()));
        assertTrue(dialsThere.client().isCompletedExceptionally());
        assertTrue(dialsThere.server().isCompletedExceptionally());
    }
}
