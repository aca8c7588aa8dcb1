package dev.oasisj.core.staking;

/**
 * Why the staking service refused an operation; the state is then unchanged. Machine-readable, stable names. Each
 * operation of {@link StakingState} lists the reasons it can give, in the order it checks them.
 */
public enum StakingRejectReason {
    /** The transaction's nonce is not the signer's next nonce. */
    BAD_NONCE,
    /** A transfer or an escrow of zero base units. */
    ZERO_AMOUNT,
    /** A transfer whose recipient is its sender. */
    SELF_TRANSFER,
    /** The general balance is below the fee, the transfer's amount or the escrow's amount. */
    INSUFFICIENT_BALANCE,
    /**
     * An escrow into a pool that has shares but no balance (slashed out): a new share could not be priced without
     * diluting the payer in favour of the worthless shares (oasis-core's share pool refuses it too).
     */
    WORTHLESS_POOL,
    /** An escrow whose amount buys zero shares (floor), or a reclaim of zero shares. */
    ZERO_SHARES,
    /** An escrow would push the pool's total shares past 2^63-1 (possible only after heavy slashing). */
    SHARES_OVERFLOW,
    /** A reclaim of more shares than the delegator holds in that pool (including none). */
    INSUFFICIENT_SHARES,
    /** A reclaim of shares that are worth zero base units (floor): nothing would debond. */
    ZERO_RECLAIM_AMOUNT
}
