package dev.oasisj.core.app;

import dev.oasisj.core.crypto.PublicKey;
import java.util.List;

/**
 * What the engine tells the application about the block it builds or checks: its height, its proposer, and the
 * misbehaviour the block carries evidence of (checked by the engine: well formed, validly signed, by a validator,
 * recent). The same evidence may reach the application in more than one block (a node that restarted from a checkpoint
 * no longer knows which evidence was committed): an application must handle a repeat idempotently (slash once).
 */
public record BlockContext(long height, PublicKey proposer, List<Misbehaviour> evidence) {
    public BlockContext {
        if (height < 1) {
            throw new IllegalArgumentException("block height " + height + " < 1");
        }
        evidence = List.copyOf(evidence);
    }

    /** A block without evidence. */
    public BlockContext(long height, PublicKey proposer) {
        this(height, proposer, List.of());
    }
}
