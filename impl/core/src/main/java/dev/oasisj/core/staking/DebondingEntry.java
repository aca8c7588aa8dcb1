package dev.oasisj.core.staking;

import dev.oasisj.core.crypto.PublicKey;

/**
 * Base units reclaimed by {@code delegator} from {@code entity}'s escrow, not spendable yet: they become general
 * balance at the first epoch transition into an epoch {@code >= endEpoch} ([STAKE-DEBOND]). Reclaims by one
 * delegator from one entity with the same end epoch (several in one epoch) are one entry holding their sum.
 */
public record DebondingEntry(PublicKey delegator, PublicKey entity, long amountBaseUnits, long endEpoch) {
    public DebondingEntry {
        if (amountBaseUnits < 1 || endEpoch < 0) {
            throw new IllegalArgumentException("debonding entry: amount " + amountBaseUnits
                    + " (at least 1), end epoch " + endEpoch + " (at least 0)");
        }
    }
}
