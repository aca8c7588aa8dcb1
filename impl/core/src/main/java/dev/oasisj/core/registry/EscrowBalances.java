package dev.oasisj.core.registry;

import dev.oasisj.core.crypto.PublicKey;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one thing the registry and the scheduler read from staking: an entity's active escrow pool balance, in base
 * units (0 for an entity without a pool). The staking core ({@code dev.oasisj.core.staking}) will provide it; until
 * the seam wires it, tests pass a map.
 */
@FunctionalInterface
public interface EscrowBalances {
    /** The active pool balance of {@code entity}, at least 0. */
    long activeEscrowBaseUnits(PublicKey entity);

    /** The balances of a map (copied; a missing entity has 0). */
    static EscrowBalances of(Map<PublicKey, Long> balances) {
        TreeMap<PublicKey, Long> copy = new TreeMap<>(balances);
        return entity -> {
            @Nullable Long b = copy.get(entity);
            return b == null ? 0 : b;
        };
    }
}
