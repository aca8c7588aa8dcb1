package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TcpTransportTest {
    private static final PeerAddress ANY_LOOPBACK_PORT = new PeerAddress("127.0.0.1", 0);
    private static final Hash32 NETWORK = Hash32.sha256("tcp-test-network".getBytes());

    private static Signer key(int i) {
        return Signer.deterministic("tcp-validator-" + i, 1);
    }

    /** Validator {@code self} of a network of {@code n} validators with the test keys. */
    private static TcpTransport.Identity identity(int self, int n) {
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(key(i).publicKey());
        }
        return new TcpTransport.Identity(NETWORK, keys, self, key(self));
    }

    private static TcpTransport transport(int self, int n) {
        return new TcpTransport(identity(self, n), TcpTransport.Settings.defaults());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private record Frame(int peer, byte[] bytes) {}

    private static List<Frame> pollUntil(Transport t, int count) throws InterruptedException {
        List<Frame> frames = new ArrayList<>();
        await(() -> {
            t.poll((peer, bytes) -> frames.add(new Frame(peer, bytes)), 100);
            return frames.size() >= count;
        }, count + " frames");
        return frames;
    }

    @Test
    void twoTransportsOnLoopback_exchangeFramesAttributedToTheSender() throws Exception {
        try (TcpTransport a = transport(0, 2);
                TcpTransport b = transport(1, 2)) {
            int portA = a.bind(ANY_LOOPBACK_PORT);
            int portB = b.bind(ANY_LOOPBACK_PORT);
            a.connectTo(1, new PeerAddress("127.0.0.1", portB));
            b.connectTo(0, new PeerAddress("127.0.0.1", portA));
            await(() -> a.isConnected(1) && b.isConnected(0), "connections");

            byte[] big = new byte[ShellLimits.MAX_FRAME_BYTES];
            new java.util.SplittableRandom(1).nextBytes(big);
            assertTrue(a.send(1, "hello b".getBytes()));
            assertTrue(a.send(1, big));
            assertEquals(1, b.broadcast("hello a".getBytes()));

            List<Frame> atB = pollUntil(b, 2);
            assertEquals(0, atB.get(0).peer());
            assertArrayEquals("hello b".getBytes(), atB.get(0).bytes());
            assertEquals(0, atB.get(1).peer());
            assertArrayEquals(big, atB.get(1).bytes(), "a frame of exactly the maximum size arrives whole");
            List<Frame> atA = pollUntil(a, 1);
            assertEquals(1, atA.get(0).peer());
            assertArrayEquals("hello a".getBytes(), atA.get(0).bytes());
            assertEquals(1, a.connectedPeerCount());
        }
    }

    @Test
    void sendingToAPeerThatIsNotConnected_dropsWithoutBlocking() {
        try (TcpTransport a = transport(0, 3)) {
            assertFalse(a.send(2, new byte[] {1}));
            assertEquals(0, a.broadcast(new byte[] {1}));
            assertEquals(3, a.droppedNotConnected());
        }
    }

    /** Reads the acceptor's challenge frame from {@code s} and returns its random bytes. */
    private static byte[] readChallenge(Socket s) throws Exception {
        DataInputStream in = new DataInputStream(s.getInputStream());
        int length = in.readInt();
        assertEquals(TcpTransport.CHALLENGE_BYTES, length);
        byte[] frame = new byte[length];
        in.readFully(frame);
        ByteBuffer b = ByteBuffer.wrap(frame);
        assertEquals(TcpTransport.CHALLENGE_MAGIC, b.getInt());
        assertEquals(TcpTransport.HELLO_VERSION, b.get());
        byte[] random = new byte[TcpTransport.CHALLENGE_RANDOM_BYTES];
        b.get(random);
        return random;
    }

    /** A hello frame (length prefix included) from {@code sender} to {@code receiver}, signed by {@code signer}. */
    private static byte[] helloFrame(byte[] challenge, int sender, int receiver, int n, Signer signer) {
        return helloFrame(NETWORK, challenge, sender, receiver, n, signer);
    }

    /** As above, with the signature made over {@code network}'s hello bytes. */
    private static byte[] helloFrame(Hash32 network, byte[] challenge, int sender, int receiver, int n, Signer signer) {
        byte[] signature = signer.sign(TcpTransport.helloSigningBytes(network, challenge, sender, receiver, n));
        return ByteBuffer.allocate(4 + TcpTransport.HELLO_BYTES).putInt(TcpTransport.HELLO_BYTES)
                .putInt(TcpTransport.HELLO_MAGIC).put((byte) TcpTransport.HELLO_VERSION).putInt(sender).putInt(n)
                .put(signature).array();
    }

    /** Answers the challenge on {@code s} as validator {@code index} of a 2-validator network, with its own key. */
    private static void hello(Socket s, DataOutputStream out, int index) throws Exception {
        out.write(helloFrame(readChallenge(s), index, 1 - index, 2, key(index)));
    }

    /** True once the server closed the socket (reads reach the end, or the connection is reset). */
    private static boolean closedByServer(Socket s) {
        try {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            while (in.read() != -1) {
                // the challenge, then nothing
            }
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (java.io.IOException reset) {
            return true;
        }
    }

    @Test
    void oversizedFrame_closesTheConnectionBeforeAllocating_andIsCounted() throws Exception {
        try (TcpTransport a = transport(0, 2)) {
            int port = a.bind(ANY_LOOPBACK_PORT);
            try (Socket s = new Socket("127.0.0.1", port)) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                hello(s, out, 1);
                out.writeInt(5);
                out.write(new byte[] {1, 2, 3, 4, 5});
                // Only the length prefix of the oversized frame is sent: the transport must reject it from the prefix
                // alone, without waiting for (or buffering) the announced bytes.
                out.writeInt(ShellLimits.MAX_FRAME_BYTES + 1);
                out.flush();
                assertTrue(closedByServer(s), "the connection must be closed");
            }
            await(() -> a.oversizedFrames() == 1, "oversized frame counted");
            List<Frame> frames = pollUntil(a, 1);
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, frames.get(0).bytes(), "frames before it were delivered");
            assertEquals(1, frames.size());
        }
    }

    @Test
    void negativeLengthPrefix_isTreatedAsOversized() throws Exception {
        try (TcpTransport a = transport(0, 2)) {
            int port = a.bind(ANY_LOOPBACK_PORT);
            try (Socket s = new Socket("127.0.0.1", port)) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(-1);
                out.flush();
                assertTrue(closedByServer(s));
            }
            await(() -> a.oversizedFrames() == 1, "negative length counted");
            await(() -> a.badHandshakes() == 1, "and, before the hello, a bad handshake");
        }
    }

    @Test
    void beforeTheHello_aFrameAnnouncedOneByteLargerThanAHello_isRefusedFromItsLengthPrefixAlone() throws Exception {
        try (TcpTransport a = transport(0, 2)) {
            int port = a.bind(ANY_LOOPBACK_PORT);
            try (Socket s = new Socket("127.0.0.1", port)) {
                readChallenge(s);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(TcpTransport.HELLO_BYTES + 1); // the prefix only: nothing else is ever sent
                out.flush();
                assertTrue(closedByServer(s), "closed at the prefix, long before the handshake timeout");
            }
            await(() -> a.badHandshakes() == 1, "counted as a bad handshake");
            assertEquals(1, a.oversizedFrames());
        }
    }

    @Test
    void aHelloOneByteShort_isRefused() throws Exception {
        refused(challenge -> {
            byte[] full = helloFrame(challenge, 1, 0, 2, key(1));
            byte[] shorter = java.util.Arrays.copyOf(full, full.length - 1);
            ByteBuffer.wrap(shorter).putInt(TcpTransport.HELLO_BYTES - 1);
            return shorter;
        });
    }

    @Test
    void framesSentInTheHellosOwnWrite_passToTheFullSizeDecoder() throws Exception {
        try (TcpTransport a = transport(0, 2)) {
            int port = a.bind(ANY_LOOPBACK_PORT);
            try (Socket s = new Socket("127.0.0.1", port)) {
                byte[] challenge = readChallenge(s);
                byte[] big = new byte[TcpTransport.HELLO_BYTES * 10]; // larger than the pre-handshake limit
                new java.util.SplittableRandom(3).nextBytes(big);
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.write(helloFrame(challenge, 1, 0, 2, key(1)));
                out.writeInt(2);
                out.write(new byte[] {4, 2});
                out.writeInt(big.length);
                out.write(big);
                s.getOutputStream().write(bytes.toByteArray()); // one write: the hello and both frames
                s.getOutputStream().flush();
                List<Frame> frames = pollUntil(a, 2);
                assertArrayEquals(new byte[] {4, 2}, frames.get(0).bytes());
                assertArrayEquals(big, frames.get(1).bytes());
                assertEquals(1, frames.get(1).peer());
            }
            assertEquals(0, a.badHandshakes());
            assertEquals(0, a.oversizedFrames());
        }
    }

    /** Settings with unauthenticated caps of {@code total} and {@code perAddress}. */
    private static TcpTransport.Settings caps(int total, int perAddress) {
        return new TcpTransport.Settings(ShellLimits.MAX_FRAME_BYTES, 16, 50, 2_000, 1 << 20, 30_000, total,
                perAddress);
    }

    /** A socket from local address {@code from} (any 127.x.y.z is loopback on Linux) to the acceptor's port. */
    private static Socket connectFrom(String from, int port) throws Exception {
        Socket s = new Socket();
        s.bind(new java.net.InetSocketAddress(from, 0));
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    @Test
    void unauthenticatedConnections_areCappedPerAddressAndInTotal_andRefusedOnesAreCounted() throws Exception {
        try (TcpTransport a = new TcpTransport(identity(0, 2), caps(3, 2))) {
            int port = a.bind(ANY_LOOPBACK_PORT);
            List<Socket> held = new ArrayList<>();
            try {
                held.add(connectFrom("127.0.0.1", port));
                held.add(connectFrom("127.0.0.1", port));
                byte[] firstChallenge = readChallenge(held.get(0)); // admitted: each gets its challenge
                readChallenge(held.get(1));
                try (Socket third = connectFrom("127.0.0.1", port)) {
                    assertTrue(closedByServer(third), "a third from the same address is refused");
                }
                await(() -> a.refusedConnections() == 1, "the per-address refusal counted");
                Socket other = connectFrom("127.0.0.2", port);
                held.add(other);
                readChallenge(other); // another address still gets in
                try (Socket fourth = connectFrom("127.0.0.3", port)) {
                    assertTrue(closedByServer(fourth), "a fourth in all is refused");
                }
                await(() -> a.refusedConnections() == 2, "the total refusal counted");
                assertEquals(3, a.unauthenticatedHighWater());

                // A valid hello frees its slot: the next connection from 127.0.0.1 is admitted.
                Socket first = held.get(0);
                DataOutputStream out = new DataOutputStream(first.getOutputStream());
                out.write(helloFrame(firstChallenge, 1, 0, 2, key(1)));
                out.writeInt(1);
                out.write(9);
                out.flush();
                pollUntil(a, 1); // authenticated
                Socket again = connectFrom("127.0.0.1", port);
                held.add(again);
                readChallenge(again);
                assertEquals(2, a.refusedConnections());
            } finally {
                held.forEach(TcpTransportTest::closeQuietly);
            }
            assertEquals(0, a.badHandshakes());
        }
    }

    @Test
    void aHelloCompletesTheHandshake_andFreesItsUnauthenticatedSlot() throws Exception {
        try (TcpTransport a = new TcpTransport(identity(0, 2), caps(1, 1))) {
            int port = a.bind(ANY_LOOPBACK_PORT);
            try (Socket first = connectFrom("127.0.0.1", port)) {
                DataOutputStream out = new DataOutputStream(first.getOutputStream());
                hello(first, out, 1);
                out.writeInt(1);
                out.write(9);
                out.flush();
                assertArrayEquals(new byte[] {9}, pollUntil(a, 1).get(0).bytes()); // authenticated
                try (Socket second = connectFrom("127.0.0.1", port)) {
                    readChallenge(second); // the slot is free again
                }
            }
            assertEquals(0, a.refusedConnections());
        }
    }

    @Test
    void aBannedValidator_isDisconnected_andItsHellosAreRefusedUntilTheBanEnds() throws Exception {
        try (TcpTransport a = transport(0, 2)) {
            int port = a.bind(ANY_LOOPBACK_PORT);
            try (Socket s = new Socket("127.0.0.1", port)) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                hello(s, out, 1);
                out.writeInt(1);
                out.write(1);
                out.flush();
                pollUntil(a, 1);
                a.ban(1, 600_000);
                assertTrue(closedByServer(s), "the banned peer's connection is closed");
            }
            try (Socket again = new Socket("127.0.0.1", port)) {
                byte[] hello = helloFrame(readChallenge(again), 1, 0, 2, key(1));
                byte[] helloAndFrame = ByteBuffer.allocate(hello.length + 5).put(hello).putInt(1).put((byte) 2).array();
                try {
                    again.getOutputStream().write(helloAndFrame); // one write: the server closes after the hello
                } catch (java.net.SocketException closedWhileWriting) {
                    // already closed: what this test expects
                }
                assertTrue(closedByServer(again), "its valid hello is refused during the ban");
            }
            await(() -> a.refusedBannedPeers() == 1, "the refusal counted");
            assertEquals(0, a.poll((p, b) -> {}, 10), "nothing it sent during the ban was delivered");
            a.ban(1, 0); // a ban of no time ends it
            try (Socket after = new Socket("127.0.0.1", port)) {
                DataOutputStream out = new DataOutputStream(after.getOutputStream());
                hello(after, out, 1);
                out.writeInt(1);
                out.write(3);
                out.flush();
                assertArrayEquals(new byte[] {3}, pollUntil(a, 1).get(0).bytes());
            }
            assertEquals(0, a.badHandshakes());
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (java.io.IOException ignored) {
            // closing a test socket
        }
    }

    /**
     * Answers the challenge with {@code hello} (or, if null, a hello made for the challenge by {@code make}) followed
     * by one frame in the same write, and expects the acceptor to close the connection and count a bad handshake
     * without delivering the frame.
     */
    private static void refused(java.util.function.Function<byte[], byte[]> make) throws Exception {
        try (TcpTransport a = transport(0, 2)) {
            int port = a.bind(ANY_LOOPBACK_PORT);
            try (Socket s = new Socket("127.0.0.1", port)) {
                byte[] challenge = readChallenge(s);
                // hello and frame in one write: the server closes right after reading the hello, and a second write
                // could then fail with a broken pipe (which would also show the close, but as an exception)
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.write(make.apply(challenge));
                out.writeInt(1);
                out.write(7);
                out.flush();
                try {
                    s.getOutputStream().write(bytes.toByteArray());
                    s.getOutputStream().flush();
                } catch (java.net.SocketException closedWhileWriting) {
                    // the server already closed the connection: what this test expects
                }
                assertTrue(closedByServer(s));
            }
            await(() -> a.badHandshakes() == 1, "bad handshake counted");
            assertEquals(0, a.poll((p, b) -> {}, 10));
        }
    }

    @Test
    void aHelloClaimingTheReceiversOwnIndex_isRefused() throws Exception {
        refused(challenge -> helloFrame(challenge, 0, 0, 2, key(0)));
    }

    @Test
    void aHelloSignedWithAnotherKeyThanTheClaimedValidators_isRefused() throws Exception {
        refused(challenge -> helloFrame(challenge, 1, 0, 2, Signer.deterministic("impostor", 1)));
    }

    @Test
    void aHelloForAnotherChallengeReceiverOrNetwork_isRefused() throws Exception {
        // a recorded hello: signed over an earlier challenge
        refused(challenge -> helloFrame(new byte[TcpTransport.CHALLENGE_RANDOM_BYTES], 1, 0, 2, key(1)));
        // a hello signed for another receiver (index 2), forwarded here
        refused(challenge -> helloFrame(challenge, 1, 2, 2, key(1)));
        // another network's hello
        refused(challenge -> helloFrame(Hash32.ZERO, challenge, 1, 0, 2, key(1)));
        // not a hello at all
        refused(challenge -> new byte[] {0, 0, 0, 1, 9});
    }

    @Test
    void theValidHelloOfTheSameSocket_isAccepted_andFramesAreAttributedToItsSender() throws Exception {
        try (TcpTransport a = transport(0, 2)) {
            int port = a.bind(ANY_LOOPBACK_PORT);
            try (Socket s = new Socket("127.0.0.1", port)) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                hello(s, out, 1);
                out.writeInt(2);
                out.write(new byte[] {4, 2});
                out.flush();
                List<Frame> frames = pollUntil(a, 1);
                assertEquals(1, frames.get(0).peer());
                assertArrayEquals(new byte[] {4, 2}, frames.get(0).bytes());
            }
            assertEquals(0, a.badHandshakes());
        }
    }

    @Test
    void aConnectionThatSendsNoHello_isClosedAfterTheHandshakeTimeout() throws Exception {
        TcpTransport.Settings quick = new TcpTransport.Settings(ShellLimits.MAX_FRAME_BYTES, 16, 50, 2_000, 1 << 20,
                200);
        try (TcpTransport a = new TcpTransport(identity(0, 2), quick)) {
            int port = a.bind(ANY_LOOPBACK_PORT);
            try (Socket s = new Socket("127.0.0.1", port)) {
                readChallenge(s);
                assertTrue(closedByServer(s), "closed without a hello");
            }
            await(() -> a.badHandshakes() == 1, "the silent connection counted");
        }
    }

    @Test
    void lostConnection_isRedialled() throws Exception {
        try (TcpTransport a = transport(0, 2)) {
            TcpTransport b = transport(1, 2);
            int portB = b.bind(ANY_LOOPBACK_PORT);
            a.connectTo(1, new PeerAddress("127.0.0.1", portB));
            await(() -> a.isConnected(1), "first connection");
            b.close();
            await(() -> !a.isConnected(1), "disconnect noticed");
            try (TcpTransport b2 = transport(1, 2)) {
                b2.bind(new PeerAddress("127.0.0.1", portB));
                await(() -> a.isConnected(1), "reconnection");
                assertTrue(a.send(1, new byte[] {42}));
                assertArrayEquals(new byte[] {42}, pollUntil(b2, 1).get(0).bytes());
            }
        }
    }
}
