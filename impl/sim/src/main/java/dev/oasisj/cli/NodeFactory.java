package dev.oasisj.cli;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.ByzantineValidator;
import dev.oasisj.core.node.NodeStateMachine;
import java.util.SortedSet;

/** Builds validator {@code index}'s state machine from genesis (fresh, height 0); the journal is replayed into it. */
interface NodeFactory {
    NodeStateMachine create(Genesis genesis, int index, Signer key);

    /**
     * A state machine for a Byzantine validator that misbehaves per {@code profile}, seeded by {@code seed}, colluding
     * with the validators in {@code coalition}. Byzantine validators are excluded from the agreement check (they may
     * commit anything); honest ones are not.
     */
    NodeStateMachine createByzantine(Genesis genesis, int index, Signer key, long seed, SortedSet<Integer> coalition,
            ByzantineValidator.Profile profile);
}
