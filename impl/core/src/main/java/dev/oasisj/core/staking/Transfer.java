package dev.oasisj.core.staking;

import dev.oasisj.core.crypto.PublicKey;

/**
 * The body of {@code staking.Transfer} ({@link StakingMethods#TRANSFER}): move {@code amountBaseUnits} from the
 * envelope's signer to the account {@code to}. The sender, nonce and fee are the envelope's.
 *
 * <p>Structurally an amount is a non-negative quantity of base units (the reference system's quantities are unsigned),
 * so a negative amount is not a {@code Transfer} at all: the constructor and {@link TransferCodec} refuse it. A zero
 * amount, a transfer to oneself or one above the balance are well formed: refusing them is the staking service's
 * decision, made with the state, not the codec's.
 */
public record Transfer(PublicKey to, long amountBaseUnits) {
    /** The encoding's size: the recipient's 32-byte key and the 8-byte amount. */
    public static final int ENCODED_SIZE_BYTES = PublicKey.SIZE_BYTES + 8;

    public Transfer {
        if (amountBaseUnits < 0) {
            throw new IllegalArgumentException("transfer.amount: negative (" + amountBaseUnits + ")");
        }
    }
}
