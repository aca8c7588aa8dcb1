package dev.oasisj.node;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * TLS 1.3 for peer links, both sides authenticated by their Ed25519 node keys (JDK SunJSSE through netty's
 * {@link SslProvider#JDK}; signature scheme ed25519, RFC 8446 section 4.2.3).
 *
 * <p><b>Certificate</b>: each node presents one self-signed X.509 v3 certificate whose subject public key is its node key
 * and which carries a critical extension {@link #NETWORK_EXTENSION_OID} holding the network id (the genesis hash), signed
 * by the node key itself. It is deterministic (fixed serial from key and network, validity 1970 to 9999-12-31, RFC 5280's
 * "no expiration", Ed25519 signatures are deterministic): nothing about it is secret and nothing in it expires; it is a
 * statement "this key is a node of this network" that only the key's holder can make.
 *
 * <p><b>Trust</b>: no certificate authorities; {@link NodeKeyTrust} accepts a chain of exactly one certificate that is
 * self-signed by its Ed25519 key over exactly this network's id and whose key the caller accepts: a dialler accepts
 * exactly the peer's key it dials, an acceptor any key it maps to a peer (key to index) other than its own. The TLS
 * handshake itself (CertificateVerify over the transcript, then Finished) proves that the other side holds that key now,
 * so a recorded handshake or a relayed certificate is of no use to anyone without the key.
 */
final class PeerTls {
    /**
     * The network-binding extension: an OID under the UUID arc 2.25 (ITU-T X.667: no registration needed), from UUID
     * ecb29580-4e08-49d8-b1b2-2e2992edc3e8. Its value is a DER OCTET STRING of the 32-byte network id.
     */
    static final String NETWORK_EXTENSION_OID = "2.25.314625068090444942150581423932785411048";

    static final String TLS_PROTOCOL = "TLSv1.3";

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** 9999-12-31T23:59:59Z: RFC 5280's "no well-defined expiration date". */
    private static final long NOT_AFTER_MILLIS = 253_402_300_799_000L;
    private static final String ED25519_SIGNATURE_OID = EdECObjectIdentifiers.id_Ed25519.getId();

    private final Hash32 network;
    private final PublicKey self;
    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    PeerTls(Hash32 network, Signer key) {
        this.network = network;
        this.self = key.publicKey();
        this.privateKey = jdkPrivateKey(key);
        this.certificate = certificate(network, key);
    }

    X509Certificate certificate() {
        return certificate;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    /** The acceptor's context: requires a client certificate that {@link NodeKeyTrust} accepts for {@code accept}. */
    SslContext serverContext(Predicate<PublicKey> accept) {
        try {
            return SslContextBuilder.forServer(privateKey, certificate)
                    .sslProvider(SslProvider.JDK)
                    .protocols(TLS_PROTOCOL)
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(trust(accept))
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot build the peer TLS server context", e);
        }
    }

    /** A dialler's context for one peer: the acceptor must present {@code expected}'s certificate for this network. */
    SslContext clientContext(PublicKey expected) {
        try {
            return SslContextBuilder.forClient()
                    .keyManager(privateKey, certificate)
                    .sslProvider(SslProvider.JDK)
                    .protocols(TLS_PROTOCOL)
                    .trustManager(trust(expected::equals))
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot build the peer TLS client context", e);
        }
    }

    /** This network's trust in keys that {@code accept} accepts, this node's own key never included. */
    NodeKeyTrust trust(Predicate<PublicKey> accept) {
        return new NodeKeyTrust(network, k -> !k.equals(self) && accept.test(k));
    }

    /** The node key of an established session's peer (already checked by {@link NodeKeyTrust} in the handshake). */
    static PublicKey peerKey(SSLSession session) throws SSLPeerUnverifiedException {
        java.security.cert.Certificate[] chain = session.getPeerCertificates();
        PublicKey key = chain.length == 1 && chain[0] instanceof X509Certificate x ? ed25519Key(x) : null;
        if (key == null) {
            throw new SSLPeerUnverifiedException("the peer's certificate is not a node certificate");
        }
        return key;
    }

    /** The certificate of {@code key} as a node of {@code network} (see the class comment); deterministic. */
    static X509Certificate certificate(Hash32 network, Signer key) {
        try {
            byte[] pk = key.publicKey().toBytes();
            X500Name name = new X500Name("CN=oasisj node " + key.publicKey().shortId());
            BigInteger serial = new BigInteger(1, Arrays.copyOf(Hash32.sha256Parts(
                    "oasisj/peer-tls-cert".getBytes(java.nio.charset.StandardCharsets.UTF_8), network.toBytes(), pk)
                    .toBytes(), 16));
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial,
                    new Time(new Date(0L)), new Time(new Date(NOT_AFTER_MILLIS)), name,
                    new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), pk));
            builder.addExtension(new ASN1ObjectIdentifier(NETWORK_EXTENSION_OID), true,
                    new DEROctetString(network.toBytes()));
            byte[] der = builder.build(new NodeKeyContentSigner(key)).getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the node certificate", e);
        }
    }

    /** Signs the certificate with the node key through Bouncy Castle's Ed25519 (the core's {@link Signer}). */
    private static final class NodeKeyContentSigner implements ContentSigner {
        private final Signer key;
        private final ByteArrayOutputStream tbs = new ByteArrayOutputStream();

        NodeKeyContentSigner(Signer key) {
            this.key = key;
        }

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
            return key.sign(tbs.toByteArray());
        }
    }

    /** The node key as a JDK (SunEC) private key, for SunJSSE's CertificateVerify. */
    private static PrivateKey jdkPrivateKey(Signer key) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(
                    new EdECPrivateKeySpec(NamedParameterSpec.ED25519, HexFormat.of().parseHex(key.seedHex())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make an Ed25519 private key", e);
        }
    }

    /** The raw Ed25519 key of {@code cert}, or null if its key is not Ed25519. */
    static @Nullable PublicKey ed25519Key(X509Certificate cert) {
        byte[] spki = cert.getPublicKey().getEncoded();
        if (spki == null || spki.length != ED25519_SPKI_PREFIX.length + PublicKey.SIZE_BYTES
                || !Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0,
                        ED25519_SPKI_PREFIX.length)) {
            return null;
        }
        return PublicKey.of(Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length));
    }

    /**
     * Accepts exactly one certificate: self-signed with Ed25519 by its own key, bound to this network, and whose key
     * {@code accept} accepts. Used for both directions (a node certificate has no client or server role).
     */
    static final class NodeKeyTrust extends X509ExtendedTrustManager {
        private final Hash32 network;
        private final Predicate<PublicKey> accept;

        NodeKeyTrust(Hash32 network, Predicate<PublicKey> accept) {
            this.network = network;
            this.accept = accept;
        }

        /** The accepted key of {@code chain}; throws if it is not accepted (see the class comment). */
        PublicKey check(X509Certificate @Nullable [] chain) throws CertificateException {
            if (chain == null || chain.length != 1) {
                throw new CertificateException("a node presents exactly one certificate");
            }
            X509Certificate cert = chain[0];
            PublicKey key = ed25519Key(cert);
            if (key == null) {
                throw new CertificateException("not an Ed25519 node key");
            }
            if (!ED25519_SIGNATURE_OID.equals(cert.getSigAlgOID())
                    || !key.verify(cert.getTBSCertificate(), cert.getSignature())) {
                throw new CertificateException("the certificate is not self-signed by its node key");
            }
            byte[] ext = cert.getExtensionValue(NETWORK_EXTENSION_OID);
            byte[] expected = encodedNetworkExtension(network);
            if (ext == null || !Arrays.equals(ext, expected)) {
                throw new CertificateException("the certificate is for another network");
            }
            if (!accept.test(key)) {
                throw new CertificateException("node key " + key.shortId() + " is not accepted here");
            }
            return key;
        }

        /** As {@link X509Certificate#getExtensionValue} returns it: the extnValue OCTET STRING, DER-encoded. */
        private static byte[] encodedNetworkExtension(Hash32 network) {
            try {
                return new DEROctetString(new DEROctetString(network.toBytes()).getEncoded()).getEncoded();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
