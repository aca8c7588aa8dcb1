package dev.oasisj.core.registry;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;

/**
 * Every bound of the registry, in one place: how much state it holds (a full registry refuses a new entry with
 * {@link RegistryRejectReason#REGISTRY_FULL} rather than grow), the largest committee a runtime may ask for, and the
 * exact or largest size of each method's body (what {@link RegistryMethods} registers).
 */
public final class RegistryLimits {
    private RegistryLimits() {}

    /** Most entities the registry holds. */
    public static final int MAX_ENTITIES = 10_000;

    /** Most nodes the registry holds (registered, expired or not; deregistered nodes are removed). */
    public static final int MAX_NODES = 10_000;

    /** Most runtimes the registry holds. */
    public static final int MAX_RUNTIMES = 1_000;

    /** Largest worker or backup group a runtime may ask for. */
    public static final int MAX_GROUP_SIZE = 100;

    /** Largest {@code minPoolSize} a runtime may ask for (a larger one could never be met: see {@link #MAX_NODES}). */
    public static final int MAX_MIN_POOL_SIZE = MAX_NODES;

    /** Most entities a permissioned runtime may list. */
    public static final int MAX_PERMISSIONED_ENTITIES = 100;

    /** Largest engine kind (the field is one opaque byte). */
    public static final int MAX_ENGINE_KIND = 255;

    /** {@code registry.RegisterEntity}: the entity's key. */
    public static final int REGISTER_ENTITY_BYTES = PublicKey.SIZE_BYTES;

    /** {@code registry.DeregisterNode}: the node's key. */
    public static final int DEREGISTER_NODE_BYTES = PublicKey.SIZE_BYTES;

    /** A node descriptor: node key, entity key, role mask (1), TEE flag (1), expiry epoch (8). */
    public static final int NODE_DESCRIPTOR_BYTES = 2 * PublicKey.SIZE_BYTES + 1 + 1 + 8;

    /** {@code registry.RegisterNode}: the descriptor and the node's and the entity's signatures. */
    public static final int REGISTER_NODE_BYTES = NODE_DESCRIPTOR_BYTES + 2 * Signer.SIGNATURE_SIZE_BYTES;

    /**
     * Largest {@code registry.RegisterRuntime} body: id (32), workers, backups, allowed stragglers (4 each), round
     * timeout (8), min pool size, max nodes per entity (4 each), min stake (8), admission tag (1), entity count (4)
     * and up to {@link #MAX_PERMISSIONED_ENTITIES} keys, TEE flag (1), engine kind (1).
     */
    public static final int MAX_REGISTER_RUNTIME_BYTES = RuntimeId.SIZE_BYTES + 4 + 4 + 4 + 8 + 4 + 4 + 8 + 1 + 4
            + MAX_PERMISSIONED_ENTITIES * PublicKey.SIZE_BYTES + 1 + 1;
}
