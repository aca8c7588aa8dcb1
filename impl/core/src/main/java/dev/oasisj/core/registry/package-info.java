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
 *       {@code node(key)}, {@code runtime(id)}, {@code hasEntity(key)}, {@code stateRoot()}.</li>
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
 *       epochs) until its entity deregisters it or re-registers it; nothing collects expired nodes yet.</li>
 *   <li><b>Freezing</b>: {@code frozenUntilEpoch} is exclusive (frozen in epochs {@code E < frozenUntilEpoch}; 0 =
 *       never). A freeze only extends, survives a re-registration, and a frozen node may not deregister
 *       ({@code FROZEN}), or it could escape the freeze by deregistering and registering again.</li>
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
 *   <li><b>State</b>: three persistent path-copying AVL trees (an operation costs O(log n) and shares the rest with
 *       the state before it); the root is SHA-256 over a domain and three sub-roots, each a hash of the entries'
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
