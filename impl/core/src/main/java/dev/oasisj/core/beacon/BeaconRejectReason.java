package dev.oasisj.core.beacon;

/** Why a {@link BeaconRound} refused a proof; checked in this order. The round is unchanged by a refusal. */
public enum BeaconRejectReason {
    /** The proof says it is for another epoch than the round's. */
    WRONG_EPOCH,
    /** The key is not in the round's validator set. */
    NOT_A_VALIDATOR,
    /** The round already accepted a proof from this validator (a VRF has one output per input: nothing to add). */
    DUPLICATE,
    /** {@code EcVrf.verify} refuses the proof for the round's alpha under the validator's key. */
    INVALID_PROOF
}
