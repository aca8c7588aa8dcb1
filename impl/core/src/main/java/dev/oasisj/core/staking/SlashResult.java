package dev.oasisj.core.staking;

/**
 * The outcome of {@link StakingState#slash}: the new state and the base units actually taken from the entity's active
 * pool into the common pool ({@code min(requested, pool balance)}).
 */
public record SlashResult(StakingState state, long slashedBaseUnits) {}
