package dev.oasisj.cli;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.NodeStateMachine;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Builds validator {@code index}'s state machine from genesis (fresh, height 0); the journal is replayed into it. */
interface NodeFactory {
    NodeStateMachine create(Genesis genesis, int index, Signer key);

    /**
     * A state machine for a Byzantine validator, or null if this build has no Byzantine behaviour to offer. Byzantine
     * validators are excluded from the agreement check (they may commit anything); honest ones are not.
     */
    @Nullable NodeStateMachine createByzantine(Genesis genesis, int index, Signer key, long seed);
}
