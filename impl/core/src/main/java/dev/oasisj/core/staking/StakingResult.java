package dev.oasisj.core.staking;

/** The outcome of a staking operation: a new state, or a reason and the state unchanged. */
public sealed interface StakingResult {
    /** The state after the outcome: the new one if applied, the unchanged one if rejected. */
    StakingState state();

    record Applied(StakingState state) implements StakingResult {}

    record Rejected(StakingState state, StakingRejectReason reason, String detail) implements StakingResult {}
}
