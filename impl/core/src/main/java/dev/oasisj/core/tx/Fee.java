package dev.oasisj.core.tx;

/**
 * What the signer commits to pay for a transaction: {@code amountBaseUnits} in the chain's base units, for at most
 * {@code gasLimit} units of gas. Both are non-negative (the reference system's quantities are unsigned; Java's
 * {@code long} is used here with its negative half excluded, so no value needs unsigned arithmetic). Whether the fee is
 * enough, and whether the signer can pay it, is decided by the ledger when the envelope is wired in.
 */
public record Fee(long amountBaseUnits, long gasLimit) {
    /** No fee and no gas. */
    public static final Fee ZERO = new Fee(0, 0);

    public Fee {
        if (amountBaseUnits < 0) {
            throw new IllegalArgumentException("fee.amount: negative (" + amountBaseUnits + ")");
        }
        if (gasLimit < 0) {
            throw new IllegalArgumentException("fee.gasLimit: negative (" + gasLimit + ")");
        }
    }
}
