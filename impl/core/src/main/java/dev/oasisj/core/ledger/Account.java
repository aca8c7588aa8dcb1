package dev.oasisj.core.ledger;

/**
 * The state of one account: its balance and its nonce (the number of transfers it has sent, which is also the nonce
 * its next transfer must carry). An account never seen holds {@link #EMPTY}.
 */
public record Account(long balanceBaseUnits, long nonce) {
    public static final Account EMPTY = new Account(0, 0);

    public Account {
        if (balanceBaseUnits < 0 || nonce < 0) {
            throw new IllegalArgumentException("negative balance or nonce: " + balanceBaseUnits + ", " + nonce);
        }
    }
}
