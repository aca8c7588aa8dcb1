package dev.oasisj.core.app;

import dev.oasisj.core.crypto.PublicKey;
import java.util.List;

/**
 * What the engine tells the application about the block it builds or checks: its height, its proposer, the
 * misbehaviour the block carries evidence of (checked by the engine: well formed, validly signed, by a validator,
 * recent), and the validators whose precommit signatures finalized the previous block (the block's {@code lastCommit},
 * checked by the engine; none in block 1). The same evidence may reach the application in more than one block (a node
 * that restarted from a checkpoint no longer knows which evidence was committed): an application must handle a repeat
 * idempotently (slash once).
 */
public record BlockContext(long height, PublicKey proposer, List<Misbehaviour> evidence,
        List<PublicKey> lastCommitSigners) {
    public BlockContext {
        if (height < 1) {
            throw new IllegalArgumentException("block height " + height + " < 1");
        }
        evidence = List.copyOf(evidence);
        lastCommitSigners = List.copyOf(lastCommitSigners);
    }

    /** A block with evidence and no signers of the previous block (block 1, or a test). */
    public BlockContext(long height, PublicKey proposer, List<Misbehaviour> evidence) {
        this(height, proposer, evidence, List.of());
    }

    /** A block without evidence and no signers of the previous block (block 1, or a test). */
    public BlockContext(long height, PublicKey proposer) {
        this(height, proposer, List.of());
    }
}
