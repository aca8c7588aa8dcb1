/**
 * The registry service's pure core (issue 9, point 2): entities, nodes and runtimes, their transaction bodies and
 * codecs, and the operations that change them. Follows {@code spec/committee/SEMANTICS.md} ("Entities, nodes,
 * runtimes");
 * not wired into the node yet. Depends on {@code core.tx}, {@code core.codec}, {@code core.crypto}; never on
 * {@code core.staking} (an entity's escrow comes in through {@link dev.oasisj.core.registry.EscrowBalances}).
 *
 * <h2>Public API (what the seam calls)</h2>
 * <ul>
 *   <li>{@link dev.oasisj.core.registry.RegistryState}: {@code EMPTY}, {@code entities()}, {@code nodes()},
 *       {@code runtimes()} (lists in key order), {@code entityCount()}, {@code nodeCount()}, {@code runtimeCount()},
 *       {@code node(key)}, {@code runtime(id)}, {@code hasEntity(key)}, {@code freezes()}, {@code freezeCount()},
 *       {@code frozenUntilEpoch(key)}, {@code isFrozenIn(key, epoch)}, {@code stateRoot()}.</li>
 *   <li>{@link dev.oasisj.core.registry.Registry}{@code (RegistryConfig)}: {@code registerEntity},
 *       {@code registerNode(state, call, body, escrow)}, {@code deregisterNode}, {@code registerRuntime},
 *       {@code freezeNode(state, nodeKey, untilEpoch)}, each returning a
 *       {@link dev.oasisj.core.registry.RegistryOutcome} ({@code Applied(state)} | {@code Rejected(reason, detail)});
 *       {@link dev.oasisj.core.registry.CallContext}{@code (chainId, signer, epoch)}.</li>
 *   <li>{@link dev.oasisj.core.registry.RegistryMethods}{@code .ALL}: {@code registry.DeregisterNode},
 *       {@code registry.RegisterEntity}, {@code registry.RegisterNode}, {@code registry.RegisterRuntime}, for the
 *       {@code MethodRegistry}.</li>
 * </ul>
 *
 * <h2>Decisions where SEMANTICS.md is silent</h2>
 * <ul>
 *   <li><b>Entity registration</b> is by the entity itself: the envelope's signer must be the body's key
 *       ({@code BAD_SIGNATURE} otherwise). Entities are never removed (no deregistration yet).</li>
 *   <li><b>Node registration</b> carries two Ed25519 signatures, by the node key and by the entity key, over
 *       {@code len("oasisj/registry/node/v1") || domain || len(chainId) || chainId || descriptor}. The envelope's
 *       signer must be the node or its entity (so only they can replay a descriptor; the envelope nonce makes each
 *       call happen once). Re-registering a node key updates it (same entity only: another entity's node key is
 *       {@code DUPLICATE}); an identical descriptor is {@code DUPLICATE}; a node key may not be an entity key, nor
 *       the reverse.</li>
 *   <li><b>Stake at registration</b>: the entity's active escrow must be at least the sum of the configured minimums
 *       of this node's roles ({@link dev.oasisj.core.registry.RegistryConfig}). It is not accumulated over the
 *       entity's other nodes (oasis-core's "stake claims" are; a documented simplification), and it is checked only
 *       at registration: the elections re-check stake every epoch against the runtime's {@code minStake} and
 *       {@code MinValidatorStake}.</li>
 *   <li><b>Roles</b>: at least one ({@code BAD_PARAMETERS}); each in the chain's {@code allowedRoles}, and the
 *       key-manager role needs a TEE ({@code ROLE_NOT_ALLOWED}).</li>
 *   <li><b>Expiry</b>: {@code epoch <= expiryEpoch <= epoch + maxNodeExpiryEpochs} ({@code EXPIRED} below,
 *       {@code BAD_PARAMETERS} above). An expired node stays in the state (it is simply not registered in later
 *       epochs) until its entity re-registers it (and may then deregister it); nothing collects expired nodes yet.
 *       Deregistration needs the node registered in the current epoch ({@code EXPIRED} otherwise), as the spec's
 *       {@code Deregister(n)} needs {@code reg[n] >= epoch}.</li>
 *   <li><b>Freezing</b>: freezes are a table of their own (node key -> first epoch no longer frozen), apart from the
 *       registrations, as the spec keeps {@code frozen} apart from {@code reg}. {@code frozenUntilEpoch} is exclusive
 *       (frozen in epochs {@code E < frozenUntilEpoch}; 0 = no freeze). A freeze only extends; it survives
 *       deregistration and re-registration, so a frozen node may deregister (deregistering and registering again
 *       does not escape the freeze), and {@code freezeNode} accepts a key that is not registered (now or ever): the
 *       registry does not decide whom to freeze. The seam does: the services freeze a node registered now or holding
 *       a validator seat of the current epoch (the spec's {@code Slash} needs a role in the current epoch), so a
 *       validator that deregisters after double signing is frozen all the same. <b>Bound</b>: freezes are never removed
 *       (an ended one freezes nothing; the node query keeps showing when it ended), as nodes are not collected
 *       either. The table holds one entry per node key ever punished: each needs double-signing evidence against a
 *       node that was a validator at the offence's height (the engine checks the evidence and its age), so at most
 *       {@code maxValidators} new keys per epoch, each costing its entity {@code doubleSignSlashBaseUnits} of escrow
 *       and the node's registration stake; 40 bytes of state per punished key. Dropping ended freezes at the epoch
 *       transition would bound it by the last {@code doubleSignFreezeEpochs} epochs; not done, so the state keeps
 *       who was punished (the simulations count it).</li>
 *   <li><b>Runtimes</b> are owned by the entity that first registers them (it must be a registered entity); only it
 *       may update one; an identical update is {@code DUPLICATE}; no deregistration yet. Parameters within the
 *       bounds of SEMANTICS.md plus {@link dev.oasisj.core.registry.RegistryLimits} ({@code workers} and
 *       {@code backups} at most 100, {@code minPoolSize} at most 10,000); a permissioned list is non-empty, at most
 *       100 entities, strictly ascending (the codec refuses another order), and names registered entities only
 *       ({@code UNKNOWN_ENTITY}). Engine kind: one opaque byte.</li>
 *   <li><b>Order of the checks</b> and so the reason reported: as listed on each operation of
 *       {@link dev.oasisj.core.registry.Registry}; signatures first, then references, then duplicates, then
 *       parameters, then stake, then capacity.</li>
 *   <li><b>Capacity</b>: at most 10,000 entities, 10,000 nodes, 1,000 runtimes ({@code REGISTRY_FULL}); updates of
 *       existing entries are always possible.</li>
 *   <li><b>State</b>: four persistent path-copying AVL trees (an operation costs O(log n) and shares the rest with
 *       the state before it); the root is SHA-256 over a domain and four sub-roots (entities, nodes, runtimes,
 *       freezes), each a hash of the entries'
 *       encodings in key order (see {@link dev.oasisj.core.registry.RegistryState}), so it depends on the contents
 *       alone, not on the trees' shapes. The root is recomputed in full (O(n)) once per state asked for it.</li>
 * </ul>
 *
 * <h2>Tests</h2>
 * {@code RegistryTest} (every reason, each bound on both sides, the given state's root unchanged on refusal, the root's
 * definition recomputed independently, its independence of operation order), {@code RegistryCodecsTest} (layouts,
 * round trips, every truncation, trailing bytes, each out-of-type field, 6,000 random corruptions decode canonically
 * or not at all), {@code PersistentSortedMapTest} (against {@code TreeMap}, AVL shape after every step). Hand mutants
 * (a check removed or a comparison moved by one) of 25 registry rules were each killed (the expiry boundary of
 * {@code RegisteredNode.isRegisteredIn} by {@code SchedulerCommitteeTest} only).
 */
package dev.oasisj.core.registry;
