package dev.oasisj.core.scheduler;

/**
 * The validator election's parameters, validated at construction.
 *
 * @param minValidatorStakeBaseUnits least active escrow of a validator's entity; at least 1, so every voting power is
 *     at least 1
 * @param maxValidatorsPerEntity most validators of one entity, at least 1
 * @param maxValidators most validators in the set, at least 1
 * @param minValidators fewest validators for a new set (fewer keep the previous set), 1..maxValidators
 */
public record ValidatorElectionConfig(long minValidatorStakeBaseUnits, int maxValidatorsPerEntity, int maxValidators,
        int minValidators) {
    public ValidatorElectionConfig {
        if (minValidatorStakeBaseUnits < 1) {
            throw new IllegalArgumentException("minValidatorStakeBaseUnits " + minValidatorStakeBaseUnits
                    + " below 1: a validator's voting power is its entity's escrow, and must be at least 1");
        }
        if (maxValidatorsPerEntity < 1 || maxValidators < 1) {
            throw new IllegalArgumentException("maxValidatorsPerEntity and maxValidators must be at least 1");
        }
        if (minValidators < 1 || minValidators > maxValidators) {
            throw new IllegalArgumentException("minValidators " + minValidators + " outside 1.." + maxValidators);
        }
    }
}
