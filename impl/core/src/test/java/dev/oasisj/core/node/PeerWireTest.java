package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.Commit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerWireTest {
    private final Signer v = Signer.deterministic("v", 1);

    @Test
    void eachKindRoundTrips() throws DecodeException {
        byte[] consensus = {9, 8, 7};
        var c = assertInstanceOf(PeerWire.Consensus.class, PeerWire.decode(PeerWire.encode(new PeerWire.Consensus(
                consensus))));
        assertArrayEquals(consensus, c.bytes());

        var tx = assertInstanceOf(PeerWire.Transaction.class,
                PeerWire.decode(PeerWire.encode(new PeerWire.Transaction(new byte[] {4, 5}))));
        assertArrayEquals(new byte[] {4, 5}, tx.bytes());

        assertEquals(new PeerWire.BlockRequest(5, 3),
                PeerWire.decode(PeerWire.encode(new PeerWire.BlockRequest(5, 3))));

        Block b = new Block(1, Hash32.ZERO, v.publicKey(), List.of(new byte[] {1}), Commit.GENESIS, Hash32.ZERO);
        Commit commit = new Commit(1, List.of(new Commit.Signature(v.publicKey(), v.sign(new byte[] {2}))));
        var response = new PeerWire.BlockResponse(List.of(new PeerWire.CommittedBlock(b, commit)));
        assertEquals(response, PeerWire.decode(PeerWire.encode(response)));
    }

    @Test
    void requestsBeyondTheRangeLimitAndBadMessagesAreRejected() {
        byte[] ok = PeerWire.encode(new PeerWire.BlockRequest(5, 3));
        byte[] tooMany = ok.clone();
        tooMany[tooMany.length - 1] = (byte) (NodeLimits.MAX_BLOCKS_PER_RESPONSE + 1);
        assertTrue(assertThrows(DecodeException.class, () -> PeerWire.decode(tooMany)).getMessage()
                .contains("maxBlocks"));
        for (int n = 0; n < ok.length; n++) {
            byte[] cut = Arrays.copyOf(ok, n);
            assertThrows(DecodeException.class, () -> PeerWire.decode(cut));
        }
        assertThrows(DecodeException.class, () -> PeerWire.decode(new byte[] {42}));
        assertThrows(DecodeException.class, () -> PeerWire.decode(new byte[NodeLimits.MAX_PEER_MESSAGE_BYTES + 1]));
    }
}
