package dev.oasisj.core.registry;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.crypto.PublicKey;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The registry's operations: pure functions from a {@link RegistryState}, the call's {@link CallContext} and body to a
 * {@link RegistryOutcome}. Each checks its rules in the order its Javadoc lists and answers with the first failure
 * ({@link RegistryRejectReason}); a refused operation returns no state, so the caller keeps the old one (and its root).
 * After an operation that writes a node the registry checks {@code RegistryRefsInv} for it: the node's entity is
 * registered and its key is not an entity key ({@link #checkRefs} checks a whole state).
 */
public final class Registry {
    private final RegistryConfig config;

    public Registry(RegistryConfig config) {
        this.config = config;
    }

    public RegistryConfig config() {
        return config;
    }

    /**
     * {@code registry.RegisterEntity}. Refused with, in this order: {@code BAD_SIGNATURE} (the envelope's signer is
     * not the entity), {@code DUPLICATE} (already an entity, or a node's key), {@code REGISTRY_FULL}.
     */
    public RegistryOutcome registerEntity(RegistryState state, CallContext call, RegisterEntity body) {
        PublicKey entity = body.entity();
        if (!call.signer().equals(entity)) {
            return reject(RegistryRejectReason.BAD_SIGNATURE, "an entity registers itself: the envelope signer "
                    + call.signer().shortId() + " is not " + entity.shortId());
        }
        if (state.hasEntity(entity)) {
            return reject(RegistryRejectReason.DUPLICATE, "entity " + entity.shortId() + " is already registered");
        }
        if (state.node(entity) != null) {
            return reject(RegistryRejectReason.DUPLICATE, "key " + entity.shortId() + " is a node's key");
        }
        if (state.entityCount() >= RegistryLimits.MAX_ENTITIES) {
            return reject(RegistryRejectReason.REGISTRY_FULL, "the registry holds " + RegistryLimits.MAX_ENTITIES
                    + " entities");
        }
        return applied(state.withEntity(entity));
    }

    /**
     * {@code registry.RegisterNode}: register a node, or update the registration of one of the entity's nodes (a
     * freeze of its key, from before or from an earlier registration, is kept: freezes are apart from registrations).
     * Refused with, in this order:
     * <ol>
     *   <li>{@code BAD_SIGNATURE}: the envelope's signer is neither the node nor its entity, or the node's or the
     *       entity's signature over {@link NodeDescriptor#signingBytes} of the chain does not verify;</li>
     *   <li>{@code UNKNOWN_ENTITY}: the node's entity is not registered;</li>
     *   <li>{@code DUPLICATE}: the node key is an entity's key, or a node of another entity, or the registration is
     *       identical to the stored one;</li>
     *   <li>{@code BAD_PARAMETERS}: no role;</li>
     *   <li>{@code ROLE_NOT_ALLOWED}: a role outside the chain's {@link RegistryConfig#allowedRoles()}, or the
     *       key-manager role without a TEE;</li>
     *   <li>{@code EXPIRED}: {@code expiryEpoch < epoch};</li>
     *   <li>{@code BAD_PARAMETERS}: {@code expiryEpoch > epoch + maxNodeExpiryEpochs};</li>
     *   <li>{@code INSUFFICIENT_STAKE}: the entity's active escrow is below the sum of the minimum stakes of the
     *       node's roles;</li>
     *   <li>{@code REGISTRY_FULL}: a new node while the registry holds {@link RegistryLimits#MAX_NODES}.</li>
     * </ol>
     */
    public RegistryOutcome registerNode(RegistryState state, CallContext call, RegisterNode body,
            EscrowBalances escrow) {
        NodeDescriptor d = body.descriptor();
        if (!call.signer().equals(d.nodeKey()) && !call.signer().equals(d.entity())) {
            return reject(RegistryRejectReason.BAD_SIGNATURE, "the envelope signer " + call.signer().shortId()
                    + " is neither the node nor its entity");
        }
        byte[] message = d.signingBytes(call.chainId());
        if (!d.nodeKey().verify(message, body.nodeSignature())) {
            return reject(RegistryRejectReason.BAD_SIGNATURE, "the node's signature does not verify");
        }
        if (!d.entity().verify(message, body.entitySignature())) {
            return reject(RegistryRejectReason.BAD_SIGNATURE, "the entity's signature does not verify");
        }
        if (!state.hasEntity(d.entity())) {
            return reject(RegistryRejectReason.UNKNOWN_ENTITY, "entity " + d.entity().shortId()
                    + " is not registered");
        }
        if (state.hasEntity(d.nodeKey())) {
            return reject(RegistryRejectReason.DUPLICATE, "node key " + d.nodeKey().shortId() + " is an entity's key");
        }
        @Nullable RegisteredNode existing = state.node(d.nodeKey());
        if (existing != null && !existing.descriptor().entity().equals(d.entity())) {
            return reject(RegistryRejectReason.DUPLICATE, "node " + d.nodeKey().shortId()
                    + " is registered by another entity");
        }
        if (existing != null && existing.descriptor().equals(d)) {
            return reject(RegistryRejectReason.DUPLICATE, "node " + d.nodeKey().shortId()
                    + " is already registered with this descriptor");
        }
        if (d.roles().isEmpty()) {
            return reject(RegistryRejectReason.BAD_PARAMETERS, "a node needs at least one role");
        }
        for (Role role : d.roles()) {
            if (!config.allowedRoles().contains(role)) {
                return reject(RegistryRejectReason.ROLE_NOT_ALLOWED, "role " + role + " is not allowed on this chain");
            }
        }
        if (d.hasRole(Role.KEYMANAGER) && !d.teeCapable()) {
            return reject(RegistryRejectReason.ROLE_NOT_ALLOWED, "the key-manager role needs a TEE");
        }
        if (d.expiryEpoch() < call.epoch()) {
            return reject(RegistryRejectReason.EXPIRED, "expiry epoch " + d.expiryEpoch() + " is before epoch "
                    + call.epoch());
        }
        if (d.expiryEpoch() - call.epoch() > config.maxNodeExpiryEpochs()) {
            return reject(RegistryRejectReason.BAD_PARAMETERS, "expiry epoch " + d.expiryEpoch() + " is more than "
                    + config.maxNodeExpiryEpochs() + " epochs after epoch " + call.epoch());
        }
        long required = requiredStake(d);
        long escrowed = escrow.activeEscrowBaseUnits(d.entity());
        if (escrowed < required) {
            return reject(RegistryRejectReason.INSUFFICIENT_STAKE, "entity " + d.entity().shortId() + " escrows "
                    + escrowed + ", the node's roles " + d.roles() + " need " + required);
        }
        if (existing == null && state.nodeCount() >= RegistryLimits.MAX_NODES) {
            return reject(RegistryRejectReason.REGISTRY_FULL, "the registry holds " + RegistryLimits.MAX_NODES
                    + " nodes");
        }
        return appliedNode(state.withNode(d), d.nodeKey());
    }

    /** The sum of the minimum stakes of the node's roles (saturating at {@code Long.MAX_VALUE}). */
    public long requiredStake(NodeDescriptor d) {
        long sum = 0;
        for (Role role : d.roles()) {
            long m = config.minStake(role);
            sum = sum > Long.MAX_VALUE - m ? Long.MAX_VALUE : sum + m;
        }
        return sum;
    }

    /**
     * {@code registry.DeregisterNode}: removes the node's registration; its freeze, if any, stays (so deregistering
     * and registering again does not escape it, and a frozen node may deregister, as in the spec). Refused with, in
     * this order: {@code UNKNOWN_NODE}, {@code NOT_OWNER} (the envelope's signer is not the node's entity),
     * {@code EXPIRED} (the node is not registered in the current epoch: {@code expiryEpoch < epoch}; the spec's
     * {@code Deregister(n)} needs {@code reg[n] >= epoch}; the entity may renew it first).
     */
    public RegistryOutcome deregisterNode(RegistryState state, CallContext call, DeregisterNode body) {
        @Nullable RegisteredNode node = state.node(body.nodeKey());
        if (node == null) {
            return reject(RegistryRejectReason.UNKNOWN_NODE, "node " + body.nodeKey().shortId()
                    + " is not registered");
        }
        if (!node.descriptor().entity().equals(call.signer())) {
            return reject(RegistryRejectReason.NOT_OWNER, "only the node's entity may deregister it");
        }
        if (!node.isRegisteredIn(call.epoch())) {
            return reject(RegistryRejectReason.EXPIRED, "node " + body.nodeKey().shortId() + " expired after epoch "
                    + node.descriptor().expiryEpoch() + ": not registered in epoch " + call.epoch());
        }
        return applied(state.withoutNode(body.nodeKey()));
    }

    /**
     * {@code registry.RegisterRuntime}: register a runtime, owned by the envelope's signer, or update one the signer
     * owns. Refused with, in this order: {@code UNKNOWN_ENTITY} (the signer is not a registered entity),
     * {@code NOT_OWNER} (the runtime is another entity's), {@code DUPLICATE} (identical to the stored one),
     * {@code BAD_PARAMETERS} ({@link RuntimeDescriptor#problem()}), {@code UNKNOWN_ENTITY} (a listed entity is not
     * registered), {@code REGISTRY_FULL}.
     */
    public RegistryOutcome registerRuntime(RegistryState state, CallContext call, RuntimeDescriptor d) {
        if (!state.hasEntity(call.signer())) {
            return reject(RegistryRejectReason.UNKNOWN_ENTITY, "the runtime's owner " + call.signer().shortId()
                    + " is not a registered entity");
        }
        @Nullable RegisteredRuntime existing = state.runtime(d.id());
        if (existing != null && !existing.owner().equals(call.signer())) {
            return reject(RegistryRejectReason.NOT_OWNER, d.id() + " belongs to " + existing.owner().shortId());
        }
        if (existing != null && existing.descriptor().equals(d)) {
            return reject(RegistryRejectReason.DUPLICATE, d.id() + " is already registered with these parameters");
        }
        @Nullable String problem = d.problem();
        if (problem != null) {
            return reject(RegistryRejectReason.BAD_PARAMETERS, d.id() + ": " + problem);
        }
        if (d.admission() instanceof Admission.Permissioned p) {
            for (PublicKey e : p.entities()) {
                if (!state.hasEntity(e)) {
                    return reject(RegistryRejectReason.UNKNOWN_ENTITY, d.id() + " lists entity " + e.shortId()
                            + ", which is not registered");
                }
            }
        }
        if (existing == null && state.runtimeCount() >= RegistryLimits.MAX_RUNTIMES) {
            return reject(RegistryRejectReason.REGISTRY_FULL, "the registry holds " + RegistryLimits.MAX_RUNTIMES
                    + " runtimes");
        }
        return applied(state.withRuntime(new RegisteredRuntime(d, call.signer())));
    }

    /**
     * Freezes a node key until {@code untilEpoch} (exclusive: frozen in epochs below it), for the seam to call when
     * staking slashes the node. The freeze is kept in the state's freeze table, apart from the registrations: the key
     * need not be registered now (a validator that deregistered during the epoch in which it double-signed is still
     * frozen), and the freeze survives deregistration and re-registration. The seam decides whom to freeze (the
     * services freeze only a node holding a validator seat of the current epoch or registered now); the registry
     * accepts any key. A freeze never shortens an existing one. Refused with {@code BAD_PARAMETERS} (a negative
     * epoch) only; a freeze that changes nothing applies and returns an equal state.
     */
    public RegistryOutcome freezeNode(RegistryState state, PublicKey nodeKey, long untilEpoch) {
        if (untilEpoch < 0) {
            return reject(RegistryRejectReason.BAD_PARAMETERS, "freeze until a negative epoch " + untilEpoch);
        }
        if (untilEpoch <= state.frozenUntilEpoch(nodeKey)) {
            return new RegistryOutcome.Applied(state);
        }
        return applied(state.withFreeze(nodeKey, untilEpoch));
    }

    private static RegistryOutcome reject(RegistryRejectReason reason, String detail) {
        return new RegistryOutcome.Rejected(reason, detail);
    }

    private static RegistryOutcome applied(RegistryState state) {
        return new RegistryOutcome.Applied(state);
    }

    /**
     * {@code RegistryRefsInv} for the node an operation just wrote: its entity is registered and its key is not an
     * entity key. Entities are never removed and a new entity is never a node's key, so checking each written node
     * keeps the invariant for the whole state in O(log n) per operation.
     */
    private static RegistryOutcome appliedNode(RegistryState state, PublicKey nodeKey) {
        @Nullable RegisteredNode n = state.node(nodeKey);
        Invariant.check(n != null && state.hasEntity(n.descriptor().entity()) && !state.hasEntity(nodeKey),
                "RegistryRefsInv", () -> "node " + nodeKey.shortId() + " is missing, of an unregistered entity, or an"
                        + " entity key");
        return new RegistryOutcome.Applied(state);
    }

    /** {@code RegistryRefsInv} for a whole state (O(n)): every node's entity is registered; no node key is an entity. */
    static void checkRefs(RegistryState state) {
        for (RegisteredNode n : state.nodes()) {
            PublicKey entity = n.descriptor().entity();
            Invariant.check(state.hasEntity(entity), "RegistryRefsInv",
                    () -> "node " + n.descriptor().nodeKey().shortId() + " of unregistered entity " + entity.shortId());
            Invariant.check(!state.hasEntity(n.descriptor().nodeKey()), "RegistryRefsInv",
                    () -> "node key " + n.descriptor().nodeKey().shortId() + " is an entity key");
        }
    }
}
