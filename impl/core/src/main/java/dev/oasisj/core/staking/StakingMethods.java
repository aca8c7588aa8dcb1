package dev.oasisj.core.staking;

import dev.oasisj.core.tx.TxMethod;
import java.util.List;

/** The methods of the staking service, to be registered with the consensus application's {@code MethodRegistry}. */
public final class StakingMethods {
    private StakingMethods() {}

    /** {@code staking.Transfer}: body {@link Transfer}, exactly {@value Transfer#ENCODED_SIZE_BYTES} bytes. */
    public static final TxMethod<Transfer> TRANSFER =
            new TxMethod<>("staking.Transfer", TransferCodec.INSTANCE, Transfer.ENCODED_SIZE_BYTES);

    /** {@code staking.AddEscrow}: body {@link AddEscrow}, exactly {@value AddEscrow#ENCODED_SIZE_BYTES} bytes. */
    public static final TxMethod<AddEscrow> ADD_ESCROW =
            new TxMethod<>("staking.AddEscrow", AddEscrowCodec.INSTANCE, AddEscrow.ENCODED_SIZE_BYTES);

    /**
     * {@code staking.ReclaimEscrow}: body {@link ReclaimEscrow}, exactly {@value ReclaimEscrow#ENCODED_SIZE_BYTES}
     * bytes.
     */
    public static final TxMethod<ReclaimEscrow> RECLAIM_ESCROW =
            new TxMethod<>("staking.ReclaimEscrow", ReclaimEscrowCodec.INSTANCE, ReclaimEscrow.ENCODED_SIZE_BYTES);

    /** Every staking method, in name order. */
    public static final List<TxMethod<?>> ALL = List.of(ADD_ESCROW, RECLAIM_ESCROW, TRANSFER);
}
