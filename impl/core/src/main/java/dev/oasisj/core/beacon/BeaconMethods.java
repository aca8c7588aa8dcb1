package dev.oasisj.core.beacon;

import dev.oasisj.core.tx.TxMethod;
import java.util.List;

/** The methods of the beacon service, to be registered with the consensus application's {@code MethodRegistry}. */
public final class BeaconMethods {
    private BeaconMethods() {}

    /** {@code beacon.SubmitProof}: body {@link BeaconProof}, exactly {@value BeaconProof#ENCODED_SIZE_BYTES} bytes. */
    public static final TxMethod<BeaconProof> SUBMIT_PROOF =
            new TxMethod<>("beacon.SubmitProof", BeaconProofCodec.INSTANCE, BeaconProof.ENCODED_SIZE_BYTES);

    /** Every beacon method, in name order. */
    public static final List<TxMethod<?>> ALL = List.of(SUBMIT_PROOF);
}
