package dev.oasisj.core.scheduler;

import dev.oasisj.core.crypto.PublicKey;

/** A member of a validator set: the node, its entity and its voting power (its entity's active escrow, at least 1). */
public record Validator(PublicKey node, PublicKey entity, long votingPower) {
    public Validator {
        if (votingPower < 1) {
            throw new IllegalArgumentException("votingPower " + votingPower + " below 1");
        }
    }
}
