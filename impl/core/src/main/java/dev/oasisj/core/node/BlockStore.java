package dev.oasisj.core.node;

import dev.oasisj.core.ledger.BlockCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The committed blocks a node keeps to serve block requests, with the commits that finalized them. Bounded by count
 * ({@link NodeLimits#MAX_RETAINED_BLOCKS}) and bytes ({@link NodeLimits#MAX_RETAINED_BLOCK_BYTES}): the oldest blocks
 * are dropped first; a peer further behind than the retained window is offered a snapshot instead ({@link StateSync}).
 * Owned by one node, single-threaded.
 */
final class BlockStore {
    private record Entry(PeerWire.CommittedBlock committed, int sizeBytes) {}

    private final TreeMap<Long, Entry> byHeight = new TreeMap<>();
    private final int maxBlocks;
    private final long maxBytes;
    private long sizeBytes;

    BlockStore() {
        this(NodeLimits.MAX_RETAINED_BLOCKS, NodeLimits.MAX_RETAINED_BLOCK_BYTES);
    }

    BlockStore(int maxBlocks, long maxBytes) {
        this.maxBlocks = maxBlocks;
        this.maxBytes = maxBytes;
    }

    void add(PeerWire.CommittedBlock committed) {
        int size = BlockCodec.encodedSize(committed.block());
        @Nullable Entry old = byHeight.put(committed.block().height(), new Entry(committed, size));
        if (old != null) {
            sizeBytes -= old.sizeBytes();
        }
        sizeBytes += size;
        while (byHeight.size() > maxBlocks || (sizeBytes > maxBytes && byHeight.size() > 1)) {
            Map.Entry<Long, Entry> oldest = byHeight.pollFirstEntry();
            if (oldest == null) {
                break;
            }
            sizeBytes -= oldest.getValue().sizeBytes();
        }
    }

    Optional<PeerWire.CommittedBlock> get(long height) {
        @Nullable Entry e = byHeight.get(height);
        return e == null ? Optional.empty() : Optional.of(e.committed());
    }

    /** Consecutive blocks from {@code fromHeight}, at most {@code maxBlocks} and about {@code maxBytes} in total. */
    List<PeerWire.CommittedBlock> range(long fromHeight, int maxBlocks, int maxBytes) {
        List<PeerWire.CommittedBlock> out = new ArrayList<>();
        long bytes = 0;
        for (long h = fromHeight; out.size() < maxBlocks; h++) {
            @Nullable Entry e = byHeight.get(h);
            if (e == null || (!out.isEmpty() && bytes + e.sizeBytes() > maxBytes)) {
                break;
            }
            out.add(e.committed());
            bytes += e.sizeBytes();
        }
        return out;
    }

    int size() {
        return byHeight.size();
    }

    long sizeBytes() {
        return sizeBytes;
    }
}
