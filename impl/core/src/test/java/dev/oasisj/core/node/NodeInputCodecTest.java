package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.ledger.SignatureVerdict;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NodeInputCodecTest {
    private static NodeInput decode(byte[] b) {
        try {
            return NodeInputCodec.decode(b);
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyKindOfInputRoundTrips() {
        qt().withExamples(300).forAll(integers().between(0, 6), longs().between(0, Long.MAX_VALUE),
                integers().between(-1, 127), integers().between(0, 2048)).checkAssert((kind, tick, peer, len) -> {
                    byte[] bytes = new byte[len];
                    new SplittableRandom(tick).nextBytes(bytes);
                    NodeInput in = switch (kind) {
                        case 0 -> new NodeInput.Tick(tick);
                        case 1 -> new NodeInput.PeerMessage(peer, bytes);
                        case 2 -> new NodeInput.ClientTransaction(bytes);
                        case 3 -> new NodeInput.ClientTransaction(bytes, SignatureVerdict.VALID);
                        case 4 -> new NodeInput.ClientTransaction(bytes, SignatureVerdict.INVALID);
                        case 5 -> new NodeInput.PeerMessage(peer, bytes, SignatureVerdict.VALID);
                        default -> new NodeInput.PeerMessage(peer, bytes, SignatureVerdict.INVALID);
                    };
                    byte[] enc = NodeInputCodec.encode(in);
                    NodeInput back = decode(enc);
                    assertEquals(in.getClass(), back.getClass());
                    assertArrayEquals(enc, NodeInputCodec.encode(back));
                    if (back instanceof NodeInput.PeerMessage p) {
                        assertEquals(peer, p.peer());
                        assertArrayEquals(bytes, p.bytes());
                        assertEquals(((NodeInput.PeerMessage) in).transactionSignature(), p.transactionSignature());
                    } else if (back instanceof NodeInput.Tick t) {
                        assertEquals(tick, t.tick());
                    } else if (back instanceof NodeInput.ClientTransaction c) {
                        assertArrayEquals(bytes, c.bytes());
                        assertEquals(((NodeInput.ClientTransaction) in).signature(), c.signature());
                    }
                });
    }

    @Test
    void aClientTransactionWithoutAVerdictKeepsItsOriginalEncodingAndAVerdictIsOneByteAfterItsOwnTag() {
        byte[] tx = {7, 8, 9};
        // tag 3, then the length-prefixed bytes: journals written before verdicts existed still replay
        assertArrayEquals(new byte[] {NodeInputCodec.TAG_CLIENT_TRANSACTION, 0, 0, 0, 3, 7, 8, 9},
                NodeInputCodec.encode(new NodeInput.ClientTransaction(tx)));
        assertArrayEquals(new byte[] {NodeInputCodec.TAG_CHECKED_CLIENT_TRANSACTION, 1, 0, 0, 0, 3, 7, 8, 9},
                NodeInputCodec.encode(new NodeInput.ClientTransaction(tx, SignatureVerdict.VALID)));
        assertArrayEquals(new byte[] {NodeInputCodec.TAG_CHECKED_CLIENT_TRANSACTION, 2, 0, 0, 0, 3, 7, 8, 9},
                NodeInputCodec.encode(new NodeInput.ClientTransaction(tx, SignatureVerdict.INVALID)));
        assertArrayEquals(new byte[] {NodeInputCodec.TAG_PEER_MESSAGE, 0, 0, 0, 2, 0, 0, 0, 3, 7, 8, 9},
                NodeInputCodec.encode(new NodeInput.PeerMessage(2, tx)));
        assertArrayEquals(new byte[] {NodeInputCodec.TAG_CHECKED_PEER_MESSAGE, 0, 0, 0, 2, 2, 0, 0, 0, 3, 7, 8, 9},
                NodeInputCodec.encode(new NodeInput.PeerMessage(2, tx, SignatureVerdict.INVALID)));
        for (int verdict : new int[] {0, 3, 255}) {
            byte[] bad = {NodeInputCodec.TAG_CHECKED_CLIENT_TRANSACTION, (byte) verdict, 0, 0, 0, 3, 7, 8, 9};
            assertTrue(assertThrows(DecodeException.class, () -> NodeInputCodec.decode(bad)).getMessage()
                    .contains("unknown verdict"));
            byte[] badPeer = {NodeInputCodec.TAG_CHECKED_PEER_MESSAGE, 0, 0, 0, 2, (byte) verdict, 0, 0, 0, 3, 7, 8, 9};
            assertTrue(assertThrows(DecodeException.class, () -> NodeInputCodec.decode(badPeer)).getMessage()
                    .contains("unknown verdict"));
        }
        assertTrue(NodeInputCodec.describe(new NodeInput.ClientTransaction(tx, SignatureVerdict.INVALID))
                .contains("signature INVALID"));
    }

    @Test
    void truncationsTrailingBytesAndUnknownTagsAreRejected() {
        byte[] enc = NodeInputCodec.encode(new NodeInput.PeerMessage(2, new byte[] {1, 2, 3}));
        for (int n = 0; n < enc.length; n++) {
            byte[] cut = Arrays.copyOf(enc, n);
            assertThrows(DecodeException.class, () -> NodeInputCodec.decode(cut));
        }
        byte[] longer = Arrays.copyOf(enc, enc.length + 1);
        assertTrue(assertThrows(DecodeException.class, () -> NodeInputCodec.decode(longer)).getMessage()
                .contains("trailing"));
        byte[] badTag = enc.clone();
        badTag[0] = 9;
        assertTrue(assertThrows(DecodeException.class, () -> NodeInputCodec.decode(badTag)).getMessage()
                .contains("unknown tag"));
    }

    @Test
    void inputsBeyondTheBoundsCannotBeJournaled() {
        NodeInput big = new NodeInput.ClientTransaction(new byte[NodeLimits.MAX_CLIENT_INPUT_BYTES + 1]);
        assertFalse(NodeInputCodec.fitsBounds(big));
        assertThrows(IllegalArgumentException.class, () -> NodeInputCodec.encode(big));
        assertThrows(IllegalArgumentException.class, () -> NodeInputCodec.encode(new NodeInput.Tick(-1)));
        assertThrows(IllegalArgumentException.class,
                () -> NodeInputCodec.encode(new NodeInput.PeerMessage(-2, new byte[0])));
        byte[] huge = new byte[NodeLimits.MAX_JOURNAL_ENTRY_BYTES + 1];
        huge[0] = NodeInputCodec.TAG_CLIENT_TRANSACTION;
        assertTrue(assertThrows(DecodeException.class, () -> NodeInputCodec.decode(huge)).getMessage()
                .contains("exceeds the limit"));
    }

    /** Encodes {@code input}, checks it round-trips and returns its encoded size. */
    private static int encodedSize(NodeInput input) {
        assertTrue(NodeInputCodec.fitsBounds(input), NodeInputCodec.describe(input));
        byte[] enc = NodeInputCodec.encode(input);
        assertArrayEquals(enc, NodeInputCodec.encode(decode(enc)));
        return enc.length;
    }

    @Test
    void everyInputKind_atExactlyItsLimit_encodesWithinAJournalEntry_andOneByteMoreIsRefused() {
        int peer = dev.oasisj.core.ledger.LedgerLimits.MAX_VALIDATORS - 1;
        // peer message: with a transaction verdict it has the largest header, and fills a journal entry exactly
        byte[] largestPeerMessage = new byte[NodeLimits.MAX_PEER_MESSAGE_BYTES];
        new SplittableRandom(3).nextBytes(largestPeerMessage);
        assertEquals(NodeLimits.MAX_JOURNAL_ENTRY_BYTES, encodedSize(
                new NodeInput.PeerMessage(peer, largestPeerMessage, SignatureVerdict.INVALID)));
        assertTrue(encodedSize(new NodeInput.PeerMessage(peer, largestPeerMessage))
                <= NodeLimits.MAX_JOURNAL_ENTRY_BYTES);
        NodeInput peerOver = new NodeInput.PeerMessage(peer, new byte[NodeLimits.MAX_PEER_MESSAGE_BYTES + 1]);
        assertFalse(NodeInputCodec.fitsBounds(peerOver));
        assertThrows(IllegalArgumentException.class, () -> NodeInputCodec.encode(peerOver));
        // client transaction
        byte[] largestClientInput = new byte[NodeLimits.MAX_CLIENT_INPUT_BYTES];
        assertTrue(encodedSize(new NodeInput.ClientTransaction(largestClientInput, SignatureVerdict.VALID))
                <= NodeLimits.MAX_JOURNAL_ENTRY_BYTES);
        assertTrue(encodedSize(new NodeInput.ClientTransaction(largestClientInput))
                <= NodeLimits.MAX_JOURNAL_ENTRY_BYTES);
        NodeInput clientOver = new NodeInput.ClientTransaction(new byte[NodeLimits.MAX_CLIENT_INPUT_BYTES + 1]);
        assertFalse(NodeInputCodec.fitsBounds(clientOver));
        assertThrows(IllegalArgumentException.class, () -> NodeInputCodec.encode(clientOver));
        // tick: fixed size; the largest tick fits, a negative one (the only "over") is refused
        assertEquals(NodeInputCodec.TICK_BYTES, encodedSize(new NodeInput.Tick(Long.MAX_VALUE)));
        assertFalse(NodeInputCodec.fitsBounds(new NodeInput.Tick(-1)));
        // decoding: an entry of exactly the limit decodes; the limit is what the decoder enforces
        byte[] enc = NodeInputCodec.encode(new NodeInput.PeerMessage(peer, largestPeerMessage, SignatureVerdict.VALID));
        assertEquals(NodeLimits.MAX_JOURNAL_ENTRY_BYTES, enc.length);
        byte[] overLength = Arrays.copyOf(enc, enc.length + 1);
        assertThrows(DecodeException.class, () -> NodeInputCodec.decode(overLength));
    }

    @Test
    void aLengthPrefixAboveTheLimitIsRejectedWithoutAllocating() {
        byte[] enc = NodeInputCodec.encode(new NodeInput.ClientTransaction(new byte[4]));
        // overwrite the length prefix (bytes 1..4) with a huge value
        enc[1] = 0x7f;
        assertInstanceOf(DecodeException.class, assertThrows(DecodeException.class,
                () -> NodeInputCodec.decode(enc)));
    }
}
