package dev.oasisj.core.registry;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The registry's chain parameters, validated at construction.
 *
 * @param minValidatorNodeStakeBaseUnits escrow a node's entity needs for the validator role, at least 0
 * @param minComputeNodeStakeBaseUnits escrow a node's entity needs for the compute role, at least 0
 * @param minKeymanagerNodeStakeBaseUnits escrow a node's entity needs for the key-manager role, at least 0
 * @param allowedRoles the roles nodes may register for on this chain
 * @param maxNodeExpiryEpochs how far ahead a node's expiry may be: {@code expiryEpoch <= epoch + maxNodeExpiryEpochs},
 *     at least 1
 */
public record RegistryConfig(long minValidatorNodeStakeBaseUnits, long minComputeNodeStakeBaseUnits,
        long minKeymanagerNodeStakeBaseUnits, Set<Role> allowedRoles, long maxNodeExpiryEpochs) {

    public RegistryConfig {
        if (minValidatorNodeStakeBaseUnits < 0 || minComputeNodeStakeBaseUnits < 0
                || minKeymanagerNodeStakeBaseUnits < 0) {
            throw new IllegalArgumentException("registry config: a minimum stake is negative");
        }
        if (maxNodeExpiryEpochs < 1) {
            throw new IllegalArgumentException("registry config: maxNodeExpiryEpochs " + maxNodeExpiryEpochs
                    + " below 1");
        }
        allowedRoles = Collections.unmodifiableSet(
                allowedRoles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(allowedRoles));
    }

    /** The minimum stake of one role. */
    public long minStake(Role role) {
        return switch (role) {
            case VALIDATOR -> minValidatorNodeStakeBaseUnits;
            case COMPUTE -> minComputeNodeStakeBaseUnits;
            case KEYMANAGER -> minKeymanagerNodeStakeBaseUnits;
        };
    }
}
