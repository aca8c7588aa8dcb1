package dev.oasisj.core.registry;

/**
 * Why the {@link Registry} refused an operation. Machine-readable; stable names. A refused operation leaves the state
 * as it was (the operations return a new state only when they apply).
 */
public enum RegistryRejectReason {
    /**
     * A signature does not verify, or the envelope is not signed by the key the operation needs: a node descriptor
     * not signed by its node key and its entity key (over the chain's signing bytes), an entity registration whose
     * envelope signer is not that entity.
     */
    BAD_SIGNATURE,
    /** The operation names an entity that is not registered (a node's entity, a runtime owner, a listed entity). */
    UNKNOWN_ENTITY,
    /** The operation names a node that is not registered. */
    UNKNOWN_NODE,
    /** The envelope's signer may not change this node or runtime (it is another entity's). */
    NOT_OWNER,
    /** The entity's active escrow is below the sum of the configured minimum stakes of the node's roles. */
    INSUFFICIENT_STAKE,
    /** A role the chain does not accept, or the key-manager role without a TEE. */
    ROLE_NOT_ALLOWED,
    /**
     * The node's expiry epoch is before the current epoch: a registration that would never be registered, or a
     * deregistration of a node that is not registered in the current epoch (expired).
     */
    EXPIRED,
    /**
     * Already there: an entity registered twice, a node key already registered by another entity or equal to an
     * entity key, a node registration identical to the stored one.
     */
    DUPLICATE,
    /** A parameter out of its bounds: a runtime's parameters, a node without roles or expiring too far ahead. */
    BAD_PARAMETERS,
    /** The registry holds its maximum of that kind of entry ({@link RegistryLimits}). */
    REGISTRY_FULL
}
