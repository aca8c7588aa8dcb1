package dev.oasisj.core.staking;

import dev.oasisj.core.crypto.PublicKey;
import java.util.List;

/**
 * The outcome of {@link StakingState#transitionEpoch}: the state in the new epoch, the entities rewarded (ascending),
 * those that were due a reward the common pool could no longer pay (ascending), and the debonding entries released
 * into general balances (in the debonding table's order: end epoch, delegator, entity).
 */
public record EpochTransition(StakingState state, List<PublicKey> rewardedEntities, List<PublicKey> unpaidEntities,
        List<DebondingEntry> released) {
    public EpochTransition {
        rewardedEntities = List.copyOf(rewardedEntities);
        unpaidEntities = List.copyOf(unpaidEntities);
        released = List.copyOf(released);
    }
}
