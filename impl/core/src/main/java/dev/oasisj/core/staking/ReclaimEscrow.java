package dev.oasisj.core.staking;

import dev.oasisj.core.crypto.PublicKey;

/**
 * The body of {@code staking.ReclaimEscrow} ({@link StakingMethods#RECLAIM_ESCROW}): give back {@code shares} of
 * {@code entity}'s active escrow pool held by the envelope's signer; their worth starts debonding.
 *
 * <p>Structurally the number of shares is non-negative; zero shares, more shares than held, or shares worth nothing
 * are well formed and refused by {@link StakingState#reclaimEscrow} with the state.
 */
public record ReclaimEscrow(PublicKey entity, long shares) {
    /** The encoding's size: the entity's 32-byte key and the 8-byte number of shares. */
    public static final int ENCODED_SIZE_BYTES = PublicKey.SIZE_BYTES + 8;

    public ReclaimEscrow {
        if (shares < 0) {
            throw new IllegalArgumentException("reclaimEscrow.shares: negative (" + shares + ")");
        }
    }
}
