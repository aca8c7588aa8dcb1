package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.Commit;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockStoreTest {
    private final Signer v = Signer.deterministic("v", 3);

    private PeerWire.CommittedBlock block(long h) {
        return new PeerWire.CommittedBlock(new Block(h, Hash32.ZERO, v.publicKey(), List.of(new byte[100]),
                Commit.GENESIS, Hash32.ZERO), Commit.GENESIS);
    }

    @Test
    void theOldestBlocksAreDroppedWhenTheCountBoundIsReached() {
        BlockStore store = new BlockStore(3, 1_000_000);
        for (long h = 1; h <= 5; h++) {
            store.add(block(h));
        }
        assertEquals(3, store.size());
        assertTrue(store.get(2).isEmpty());
        assertTrue(store.get(3).isPresent());
        assertEquals(List.of(3L, 4L, 5L), store.range(3, 8, 1_000_000).stream().map(b -> b.block().height())
                .toList());
        assertTrue(store.range(1, 8, 1_000_000).isEmpty(), "a range starting at a dropped height is empty");
    }

    @Test
    void aRangeStopsAtItsCountAndByteBounds_butAlwaysCarriesOneBlock() {
        BlockStore store = new BlockStore(100, 1_000_000);
        for (long h = 1; h <= 10; h++) {
            store.add(block(h));
        }
        assertEquals(4, store.range(2, 4, 1_000_000).size());
        assertEquals(1, store.range(2, 4, 1).size());
        BlockStore byBytes = new BlockStore(100, 1);
        byBytes.add(block(1));
        byBytes.add(block(2));
        assertEquals(1, byBytes.size(), "the byte bound keeps only the newest block");
        assertTrue(byBytes.get(2).isPresent());
    }
}
