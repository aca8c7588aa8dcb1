package dev.oasisj.core.staking;

import dev.oasisj.core.crypto.PublicKey;

/**
 * The body of {@code staking.AddEscrow} ({@link StakingMethods#ADD_ESCROW}): move {@code amountBaseUnits} from the
 * envelope's signer (the delegator) to the active escrow pool of {@code entity}, for shares of that pool. The
 * delegator may be the entity itself (self-delegation).
 *
 * <p>Structurally the amount is a non-negative quantity of base units; a zero amount, an amount above the balance or
 * one that buys no share are well formed and refused by {@link StakingState#addEscrow} with the state.
 */
public record AddEscrow(PublicKey entity, long amountBaseUnits) {
    /** The encoding's size: the entity's 32-byte key and the 8-byte amount. */
    public static final int ENCODED_SIZE_BYTES = PublicKey.SIZE_BYTES + 8;

    public AddEscrow {
        if (amountBaseUnits < 0) {
            throw new IllegalArgumentException("addEscrow.amount: negative (" + amountBaseUnits + ")");
        }
    }
}
