package dev.oasisj.core.staking;

/**
 * An entity's active escrow pool: the escrowed balance and the number of shares its delegators hold in total. A
 * delegator holding {@code s} shares owns {@code s / totalShares} of the balance; rewards and slashing change the
 * balance only, so every delegator gains or loses pro rata. An entity nobody ever escrowed to holds {@link #EMPTY}.
 */
public record EscrowPool(long activeBalanceBaseUnits, long totalShares) {
    public static final EscrowPool EMPTY = new EscrowPool(0, 0);

    public EscrowPool {
        if (activeBalanceBaseUnits < 0 || totalShares < 0) {
            throw new IllegalArgumentException("negative pool balance or shares: " + activeBalanceBaseUnits + ", "
                    + totalShares);
        }
    }
}
