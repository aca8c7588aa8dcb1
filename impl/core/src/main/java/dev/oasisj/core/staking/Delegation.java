package dev.oasisj.core.staking;

import dev.oasisj.core.crypto.PublicKey;

/** The {@code shares} (at least 1) that {@code delegator} holds in {@code entity}'s active escrow pool. */
public record Delegation(PublicKey entity, PublicKey delegator, long shares) {
    public Delegation {
        if (shares < 1) {
            throw new IllegalArgumentException("a delegation holds at least one share, got " + shares);
        }
    }
}
