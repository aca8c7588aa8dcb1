package dev.oasisj.core.staking;

/**
 * The staking service's genesis parameters, fixed for the chain's life and part of the state root.
 *
 * @param debondingDelayEpochs {@code DebondingDelay} of the semantics: a reclaim in epoch E becomes general balance
 *     at the transition into epoch {@code E + debondingDelayEpochs}; at least 1 (a delay of 0 is a bad genesis, not
 *     "no delay"), at most {@link #MAX_DEBONDING_DELAY_EPOCHS}
 * @param rewardPerEpochBaseUnits {@code RewardPerEpoch}: what each entity with a validator in the ending epoch gets
 *     from the common pool; at least 0
 */
public record StakingParameters(long debondingDelayEpochs, long rewardPerEpochBaseUnits) {
    /**
     * The largest debonding delay: about 10^9 epochs (far beyond any chain's life), so that {@code epoch + delay}
     * never overflows while the epoch is below {@link StakingState#MAX_EPOCH}.
     */
    public static final long MAX_DEBONDING_DELAY_EPOCHS = 1L << 30;

    public StakingParameters {
        if (debondingDelayEpochs < 1 || debondingDelayEpochs > MAX_DEBONDING_DELAY_EPOCHS) {
            throw new IllegalArgumentException("staking.debondingDelayEpochs " + debondingDelayEpochs + " outside 1.."
                    + MAX_DEBONDING_DELAY_EPOCHS);
        }
        if (rewardPerEpochBaseUnits < 0) {
            throw new IllegalArgumentException("staking.rewardPerEpochBaseUnits: negative (" + rewardPerEpochBaseUnits
                    + ")");
        }
    }
}
