package dev.oasisj.core.scheduler;

/**
 * Why a runtime's election failed, so that the runtime is suspended for the epoch (no committee at all). Checked in
 * this order; the first that holds is recorded.
 */
public enum SuspensionReason {
    /** Fewer eligible nodes than the runtime's {@code minPoolSize}. */
    POOL_BELOW_MIN_POOL_SIZE,
    /** Fewer eligible nodes than {@code workers}. */
    POOL_BELOW_WORKERS,
    /** Fewer eligible nodes than {@code backups}. */
    POOL_BELOW_BACKUPS,
    /** Enough eligible nodes, but {@code maxNodesPerEntity} leaves the worker group short. */
    ENTITY_CAP_LEAVES_WORKERS_SHORT,
    /** Enough eligible nodes, but {@code maxNodesPerEntity} leaves the backup group short. */
    ENTITY_CAP_LEAVES_BACKUPS_SHORT
}
