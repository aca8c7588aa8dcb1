package dev.oasisj.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.BlockCodec;
import dev.oasisj.core.ledger.LedgerLimits;
import dev.oasisj.core.node.DuplicateVote;
import dev.oasisj.core.node.EvidenceRecordingNode;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeInputCodec;
import dev.oasisj.core.node.NodeLimits;
import dev.oasisj.core.node.PeerWire;

/**
 * The other decoders that read bytes from outside the node: blocks, peer messages and journal entries. Same
 * properties as {@link TransactionDecodingFuzzTest}: the only failure is a {@link DecodeException} with a reason, the
 * size limit is checked, and a decoded value re-encodes to exactly the input (canonical encoding).
 */
class WireDecodingFuzzTest {

    private static void assertReason(DecodeException e) {
        assertNotNull(e.getMessage(), "a DecodeException must carry a reason");
        assertFalse(e.getMessage().isBlank(), "a DecodeException must carry a reason");
    }

    @FuzzTest
    void block(byte[] input) {
        Block block;
        try {
            block = BlockCodec.decode(input);
        } catch (DecodeException e) {
            assertReason(e);
            return;
        }
        assertTrue(input.length <= LedgerLimits.MAX_BLOCK_BYTES, "decoded a block above the size limit");
        assertArrayEquals(input, BlockCodec.encode(block), "block re-encoding differs from the input: not canonical");
        assertEquals(block.hash(), block.hash(), "block hash is not stable");
    }

    /**
     * Misbehaviour evidence as a peer gossips it and a block carries it: it decodes only within its size limit and to
     * a canonical encoding, and checking it against the validators never throws (whatever the votes, signers and
     * signatures); valid evidence names a validator and two different votes of one kind.
     */
    @FuzzTest
    void evidence(byte[] input) {
        DuplicateVote e;
        try {
            e = DuplicateVote.decode(input);
        } catch (DecodeException ex) {
            assertReason(ex);
            return;
        }
        assertTrue(input.length <= LedgerLimits.MAX_EVIDENCE_BYTES, "decoded evidence above the size limit");
        assertArrayEquals(input, e.encode(), "evidence re-encoding differs from the input: not canonical");
        String reason = e.invalidReason(EvidenceRecordingNode.validatorSetOf(FuzzFixtures.GENESIS),
                FuzzFixtures.CHAIN_ID);
        if (reason == null) {
            assertEquals(e.first().signer(), e.second().signer());
            assertEquals(e.first().message().kind(), e.second().message().kind());
            assertFalse(e.first().message().equals(e.second().message()), "valid evidence of one vote twice");
        }
    }

    @FuzzTest
    void peerMessage(byte[] input) {
        PeerWire.Message message;
        try {
            message = PeerWire.decode(input);
        } catch (DecodeException e) {
            assertReason(e);
            return;
        }
        assertTrue(input.length <= NodeLimits.MAX_PEER_MESSAGE_BYTES, "decoded a peer message above the size limit");
        assertArrayEquals(input, PeerWire.encode(message),
                "peer message re-encoding differs from the input: not canonical (" + message.getClass().getSimpleName()
                        + ")");
    }

    @FuzzTest
    void nodeInput(byte[] input) {
        NodeInput decoded;
        try {
            decoded = NodeInputCodec.decode(input);
        } catch (DecodeException e) {
            assertReason(e);
            return;
        }
        assertTrue(NodeInputCodec.fitsBounds(decoded), "decoded a node input outside the journal bounds: "
                + NodeInputCodec.describe(decoded));
        assertArrayEquals(input, NodeInputCodec.encode(decoded),
                "node input re-encoding differs from the input: not canonical (" + NodeInputCodec.describe(decoded)
                        + ")");
    }
}
