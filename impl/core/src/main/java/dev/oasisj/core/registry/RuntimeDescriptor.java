package dev.oasisj.core.registry;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A runtime as its owner registers it: the body of {@code registry.RegisterRuntime}. The fields are those of
 * {@code spec/committee/SEMANTICS.md} ("Entities, nodes, runtimes").
 *
 * <p>Any integers make a value (the codec decodes them), so that the registry, not the codec, refuses parameters out
 * of their bounds, with {@link RegistryRejectReason#BAD_PARAMETERS} and the message of {@link #problem()}.
 *
 * @param workers executor group size, 1..{@link RegistryLimits#MAX_GROUP_SIZE}
 * @param backups backup group size, 0..{@link RegistryLimits#MAX_GROUP_SIZE}
 * @param allowedStragglers workers that may fail to commit without a discrepancy, 0..workers-1
 * @param roundTimeoutBlocks blocks a round may take, at least 1
 * @param minPoolSize fewest eligible nodes for an election, 1..{@link RegistryLimits#MAX_MIN_POOL_SIZE}
 * @param maxNodesPerEntity most nodes of one entity in one group, at least 1 (0 is not "no cap": it is refused)
 * @param minStakeBaseUnits least active escrow of a node's entity for the node to be eligible, at least 0
 * @param admission who may serve (a permissioned list must not be empty)
 * @param teeRequired only nodes with a TEE capability are eligible
 * @param engineKind opaque to the registry and the scheduler, 0..{@link RegistryLimits#MAX_ENGINE_KIND}
 */
public record RuntimeDescriptor(RuntimeId id, int workers, int backups, int allowedStragglers,
        long roundTimeoutBlocks, int minPoolSize, int maxNodesPerEntity, long minStakeBaseUnits, Admission admission,
        boolean teeRequired, int engineKind) {

    public RuntimeDescriptor {
        if (engineKind < 0 || engineKind > RegistryLimits.MAX_ENGINE_KIND) {
            // structural: the encoding has one byte for it
            throw new IllegalArgumentException("runtime.engineKind: " + engineKind + " outside 0.."
                    + RegistryLimits.MAX_ENGINE_KIND);
        }
    }

    /** Why the parameters are out of their bounds (the first violated bound, in field order), or null. */
    public @Nullable String problem() {
        if (workers < 1 || workers > RegistryLimits.MAX_GROUP_SIZE) {
            return "workers " + workers + " outside 1.." + RegistryLimits.MAX_GROUP_SIZE;
        }
        if (backups < 0 || backups > RegistryLimits.MAX_GROUP_SIZE) {
            return "backups " + backups + " outside 0.." + RegistryLimits.MAX_GROUP_SIZE;
        }
        if (allowedStragglers < 0 || allowedStragglers >= workers) {
            return "allowedStragglers " + allowedStragglers + " outside 0.." + (workers - 1);
        }
        if (roundTimeoutBlocks < 1) {
            return "roundTimeoutBlocks " + roundTimeoutBlocks + " below 1";
        }
        if (minPoolSize < 1 || minPoolSize > RegistryLimits.MAX_MIN_POOL_SIZE) {
            return "minPoolSize " + minPoolSize + " outside 1.." + RegistryLimits.MAX_MIN_POOL_SIZE;
        }
        if (maxNodesPerEntity < 1) {
            return "maxNodesPerEntity " + maxNodesPerEntity + " below 1";
        }
        if (minStakeBaseUnits < 0) {
            return "minStakeBaseUnits " + minStakeBaseUnits + " below 0";
        }
        if (admission instanceof Admission.Permissioned p && p.entities().isEmpty()) {
            return "a permissioned runtime lists no entity";
        }
        return null;
    }
}
