package dev.oasisj.core.services;

import dev.oasisj.core.registry.RegistryConfig;
import dev.oasisj.core.scheduler.ValidatorElectionConfig;
import dev.oasisj.core.staking.StakingParameters;

/**
 * The consensus services' chain parameters, from the genesis document's {@code services} section; validated at
 * construction.
 *
 * @param epochLengthBlocks blocks per epoch, 1..{@value #MAX_EPOCH_LENGTH_BLOCKS}: epoch {@code E} is heights
 *     {@code E * L + 1 .. (E + 1) * L}, and the epoch changes at the end of block {@code (E + 1) * L}
 * @param staking debonding delay and reward per epoch
 * @param doubleSignSlashBaseUnits what an entity's active escrow loses for a validator's double signing, at least 0
 * @param doubleSignFreezeEpochs epochs the double-signing node stays frozen (from the epoch of the block with the
 *     evidence), at least 1
 * @param incorrectResultsSlashBaseUnits what an entity's active escrow loses when one of its compute nodes is found to
 *     have submitted an incorrect runtime result (discrepancy detection, the roothash service of the ParaTime layer:
 *     {@link ServiceMultiplexer#punishIncorrectResults}), at least 0; oasis-core's {@code runtime-incorrect-results}
 *     slashing
 * @param incorrectResultsFreezeEpochs epochs that compute node stays frozen (from the current epoch), at least 1
 * @param registry the registry's minimum stakes, roles and expiry bound
 * @param validators the validator election's caps and minimum stake
 */
public record ServicesParameters(long epochLengthBlocks, StakingParameters staking, long doubleSignSlashBaseUnits,
        long doubleSignFreezeEpochs, long incorrectResultsSlashBaseUnits, long incorrectResultsFreezeEpochs,
        RegistryConfig registry, ValidatorElectionConfig validators) {
    /** Longest epoch: about a year of one-second blocks. */
    public static final long MAX_EPOCH_LENGTH_BLOCKS = 1L << 25;
    /** Longest freeze, in epochs (far beyond any chain's life; keeps {@code epoch + freeze} from overflowing). */
    public static final long MAX_FREEZE_EPOCHS = 1L << 30;

    public ServicesParameters {
        if (epochLengthBlocks < 1 || epochLengthBlocks > MAX_EPOCH_LENGTH_BLOCKS) {
            throw new IllegalArgumentException("epochLengthBlocks " + epochLengthBlocks + " outside 1.."
                    + MAX_EPOCH_LENGTH_BLOCKS);
        }
        if (doubleSignSlashBaseUnits < 0) {
            throw new IllegalArgumentException("doubleSignSlashBaseUnits: negative (" + doubleSignSlashBaseUnits + ")");
        }
        if (doubleSignFreezeEpochs < 1 || doubleSignFreezeEpochs > MAX_FREEZE_EPOCHS) {
            throw new IllegalArgumentException("doubleSignFreezeEpochs " + doubleSignFreezeEpochs + " outside 1.."
                    + MAX_FREEZE_EPOCHS);
        }
        if (incorrectResultsSlashBaseUnits < 0) {
            throw new IllegalArgumentException("incorrectResultsSlashBaseUnits: negative ("
                    + incorrectResultsSlashBaseUnits + ")");
        }
        if (incorrectResultsFreezeEpochs < 1 || incorrectResultsFreezeEpochs > MAX_FREEZE_EPOCHS) {
            throw new IllegalArgumentException("incorrectResultsFreezeEpochs " + incorrectResultsFreezeEpochs
                    + " outside 1.." + MAX_FREEZE_EPOCHS);
        }
    }

    /** The epoch of block {@code height} (at least 1). */
    public long epochOf(long height) {
        return (height - 1) / epochLengthBlocks;
    }

    /** True when block {@code height} is the last of its epoch: the epoch changes at its end. */
    public boolean endsEpoch(long height) {
        return height % epochLengthBlocks == 0;
    }
}
