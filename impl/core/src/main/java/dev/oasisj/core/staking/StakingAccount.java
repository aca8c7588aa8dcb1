package dev.oasisj.core.staking;

/**
 * An account's general part: the balance it may spend now and its nonce (the number of transactions it has sent, so
 * also the nonce its next one must carry). An account never seen holds {@link #EMPTY}.
 */
public record StakingAccount(long generalBalanceBaseUnits, long nonce) {
    public static final StakingAccount EMPTY = new StakingAccount(0, 0);

    public StakingAccount {
        if (generalBalanceBaseUnits < 0 || nonce < 0) {
            throw new IllegalArgumentException("negative balance or nonce: " + generalBalanceBaseUnits + ", " + nonce);
        }
    }
}
