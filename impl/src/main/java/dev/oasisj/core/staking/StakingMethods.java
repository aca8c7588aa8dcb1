package dev.oasisj.core.staking;

import dev.oasisj.core.tx.TxMethod;
import java.util.List;

/** The methods of the staking service, to be registered with the consensus application's {@code MethodRegistry}. */
public final class StakingMethods {
    private StakingMethods() {}

    /** {@code staking.Transfer}: body {@link Transfer}, exactly {@value Transfer#ENCODED_SIZE_BYTES} bytes. */
    public static final TxMethod<Transfer> TRANSFER =
            new TxMethod<>("staking.Transfer", TransferCodec.INSTANCE, Transfer.ENCODED_SIZE_BYTES);

    /** Every staking method, in name order. */
    public static final List<TxMethod<?>> ALL = List.of(TRANSFER);
}
