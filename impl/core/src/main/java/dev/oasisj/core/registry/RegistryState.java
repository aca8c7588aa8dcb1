package dev.oasisj.core.registry;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The registry's state: entities, nodes, runtimes and freezes, each sorted by key. Immutable and persistent in the
 * functional sense: an operation returns a new state and every older state stays valid and unchanged (a refused
 * operation returns none, so "state unchanged on rejection" holds by construction).
 *
 * <p><b>Freezes</b> are a table of their own, node key -> the first epoch in which the node is no longer frozen, kept
 * apart from the registrations (as the spec keeps {@code frozen} apart from {@code reg}): a freeze survives the node's
 * deregistration and re-registration, and a node key that is not registered (any more) can be frozen.
 * {@link #node} and {@link #nodes} give each registration with its key's freeze ({@code frozenUntilEpoch} 0 when the
 * table has none); {@link #frozenUntilEpoch} and {@link #freezes} read the table itself. Its entries are at least 1.
 *
 * <p><b>Representation.</b> Four path-copying AVL trees ({@link PersistentSortedMap}): a change costs O(log n) time
 * and memory and shares everything else with the state before it. The root below is computed from the entries in key
 * order, not from the trees' shapes, so it does not depend on the representation. It is recomputed in full (O(n)) once
 * per state whose root is asked for; caching per-subtree hashes, as the ledger's treap does, is left for when the
 * registry grows large enough for it to matter.
 *
 * <p><b>State root</b> ({@link #stateRoot()}): {@code SHA-256} over the length-prefixed parts (as
 * {@link Hash32#sha256Parts}) {@value #ROOT_DOMAIN}, the entities' root, the nodes' root, the runtimes' root and the
 * freezes' root. Each of the four is {@code SHA-256(count (4 bytes) || entry...)}, entries in key order (unsigned
 * bytes), each a 4-byte length and its encoding: an entity is its 32-byte key; a node its descriptor encoding
 * ({@link NodeDescriptor#encode}); a runtime its owner key then its {@code registry.RegisterRuntime} encoding; a freeze
 * the node key (32 bytes) then the first epoch no longer frozen (8 bytes). The root is therefore a function of the
 * contents alone, never of the order of the operations that produced them.
 */
public final class RegistryState {
    /** The first part hashed into the root. */
    public static final String ROOT_DOMAIN = "oasisj/registry/state/v2";

    public static final RegistryState EMPTY = new RegistryState(PersistentSortedMap.empty(),
            PersistentSortedMap.empty(), PersistentSortedMap.empty(), PersistentSortedMap.empty());

    private final PersistentSortedMap<PublicKey, PublicKey> entities;
    private final PersistentSortedMap<PublicKey, NodeDescriptor> nodes;
    private final PersistentSortedMap<RuntimeId, RegisteredRuntime> runtimes;
    /** Node key -> the first epoch no longer frozen (at least 1); independent of {@link #nodes}. */
    private final PersistentSortedMap<PublicKey, Long> freezes;
    private @Nullable Hash32 root;

    private RegistryState(PersistentSortedMap<PublicKey, PublicKey> entities,
            PersistentSortedMap<PublicKey, NodeDescriptor> nodes,
            PersistentSortedMap<RuntimeId, RegisteredRuntime> runtimes, PersistentSortedMap<PublicKey, Long> freezes) {
        this.entities = entities;
        this.nodes = nodes;
        this.runtimes = runtimes;
        this.freezes = freezes;
    }

    /** The registered entities, ascending (a new list, O(n)). */
    public List<PublicKey> entities() {
        return entities.keys();
    }

    /**
     * The nodes by node key, ascending, each with its key's freeze (expired nodes included until they deregister; a
     * new list, O(n log f) for f freezes).
     */
    public List<RegisteredNode> nodes() {
        List<NodeDescriptor> ds = nodes.values();
        List<RegisteredNode> out = new ArrayList<>(ds.size());
        for (NodeDescriptor d : ds) {
            out.add(new RegisteredNode(d, frozenUntilEpoch(d.nodeKey())));
        }
        return out;
    }

    /**
     * The freeze table: node key -> the first epoch in which the node is no longer frozen, ascending by key, for
     * registered and unregistered keys alike (a new map, O(f)).
     */
    public SortedMap<PublicKey, Long> freezes() {
        TreeMap<PublicKey, Long> m = new TreeMap<>();
        List<PublicKey> keys = freezes.keys();
        List<Long> values = freezes.values();
        for (int i = 0; i < keys.size(); i++) {
            m.put(keys.get(i), values.get(i));
        }
        return m;
    }

    public int freezeCount() {
        return freezes.size();
    }

    /** The first epoch in which {@code nodeKey} is no longer frozen; 0 if it has no freeze (registered or not). */
    public long frozenUntilEpoch(PublicKey nodeKey) {
        @Nullable Long until = freezes.get(nodeKey);
        return until == null ? 0 : until;
    }

    /** {@code nodeKey} is frozen in {@code epoch} ({@code epoch < frozenUntilEpoch(nodeKey)}), registered or not. */
    public boolean isFrozenIn(PublicKey nodeKey, long epoch) {
        return epoch < frozenUntilEpoch(nodeKey);
    }

    /** The runtimes by id, ascending (a new list, O(n)). */
    public List<RegisteredRuntime> runtimes() {
        return runtimes.values();
    }

    public int entityCount() {
        return entities.size();
    }

    public int nodeCount() {
        return nodes.size();
    }

    public int runtimeCount() {
        return runtimes.size();
    }

    public boolean hasEntity(PublicKey entity) {
        return entities.containsKey(entity);
    }

    /** The node's registration with its key's freeze, or null if the key is not registered (any more). */
    public @Nullable RegisteredNode node(PublicKey nodeKey) {
        @Nullable NodeDescriptor d = nodes.get(nodeKey);
        return d == null ? null : new RegisteredNode(d, frozenUntilEpoch(nodeKey));
    }

    public @Nullable RegisteredRuntime runtime(RuntimeId id) {
        return runtimes.get(id);
    }

    /**
     * A state of the given contents (a genesis document), each node's freeze taken from its
     * {@code frozenUntilEpoch} (0: none); as {@link #of(Collection, Collection, Collection, Map)} with those freezes.
     *
     * @throws IllegalArgumentException naming the first problem
     */
    public static RegistryState of(Collection<PublicKey> entities, Collection<RegisteredNode> nodes,
            Collection<RegisteredRuntime> runtimes) {
        TreeMap<PublicKey, Long> freezes = new TreeMap<>();
        for (RegisteredNode n : nodes) {
            if (n.frozenUntilEpoch() > 0) {
                freezes.put(n.descriptor().nodeKey(), n.frozenUntilEpoch());
            }
        }
        return of(entities, nodes, runtimes, freezes);
    }

    /**
     * A state of the given contents (a genesis document or a snapshot; no signatures are involved, the caller trusts
     * the source), with the whole freeze table {@code freezes} (of registered and unregistered node keys). Checked:
     * no key twice, every node's and runtime owner's entity registered, no node key that is also an entity key, each
     * node's {@code frozenUntilEpoch} equal to its key's freeze (0 when it has none), each freeze at least 1, each
     * runtime's parameters within bounds and its permissioned entities registered.
     *
     * @throws IllegalArgumentException naming the first problem
     */
    public static RegistryState of(Collection<PublicKey> entities, Collection<RegisteredNode> nodes,
            Collection<RegisteredRuntime> runtimes, Map<PublicKey, Long> freezes) {
        RegistryState s = EMPTY;
        for (Map.Entry<PublicKey, Long> f : freezes.entrySet()) {
            if (f.getValue() < 1) {
                throw new IllegalArgumentException("freeze of " + f.getKey().shortId() + " until epoch "
                        + f.getValue() + ": at least 1 (0 is no freeze)");
            }
            s = s.withFreeze(f.getKey(), f.getValue());
        }
        for (PublicKey e : entities) {
            if (s.hasEntity(e)) {
                throw new IllegalArgumentException("entity " + e.shortId() + " listed twice");
            }
            s = s.withEntity(e);
        }
        for (RegisteredNode n : nodes) {
            NodeDescriptor d = n.descriptor();
            if (s.node(d.nodeKey()) != null || s.hasEntity(d.nodeKey())) {
                throw new IllegalArgumentException("node " + d.nodeKey().shortId()
                        + " listed twice, or also an entity key");
            }
            if (!s.hasEntity(d.entity())) {
                throw new IllegalArgumentException("node " + d.nodeKey().shortId() + ": entity "
                        + d.entity().shortId() + " is not registered");
            }
            if (d.roles().isEmpty()) {
                throw new IllegalArgumentException("node " + d.nodeKey().shortId() + " has no role");
            }
            if (n.frozenUntilEpoch() != s.frozenUntilEpoch(d.nodeKey())) {
                throw new IllegalArgumentException("node " + d.nodeKey().shortId() + " frozen until epoch "
                        + n.frozenUntilEpoch() + ", its freeze says " + s.frozenUntilEpoch(d.nodeKey()));
            }
            s = s.withNode(d);
        }
        for (RegisteredRuntime r : runtimes) {
            RuntimeDescriptor d = r.descriptor();
            if (s.runtime(d.id()) != null) {
                throw new IllegalArgumentException(d.id() + " listed twice");
            }
            if (!s.hasEntity(r.owner())) {
                throw new IllegalArgumentException(d.id() + ": owner " + r.owner().shortId() + " is not registered");
            }
            String problem = d.problem();
            if (problem != null) {
                throw new IllegalArgumentException(d.id() + ": " + problem);
            }
            if (d.admission() instanceof Admission.Permissioned p) {
                for (PublicKey e : p.entities()) {
                    if (!s.hasEntity(e)) {
                        throw new IllegalArgumentException(d.id() + ": permissioned entity " + e.shortId()
                                + " is not registered");
                    }
                }
            }
            s = s.withRuntime(r);
        }
        return s;
    }

    RegistryState withEntity(PublicKey entity) {
        return new RegistryState(entities.with(entity, entity), nodes, runtimes, freezes);
    }

    /** The node registered with {@code d} (its freeze, if any, is the key's and is kept). */
    RegistryState withNode(NodeDescriptor d) {
        return new RegistryState(entities, nodes.with(d.nodeKey(), d), runtimes, freezes);
    }

    /** The node's registration removed; its freeze stays. */
    RegistryState withoutNode(PublicKey nodeKey) {
        return new RegistryState(entities, nodes.without(nodeKey), runtimes, freezes);
    }

    RegistryState withRuntime(RegisteredRuntime runtime) {
        return new RegistryState(entities, nodes, runtimes.with(runtime.descriptor().id(), runtime), freezes);
    }

    /** The freeze of {@code nodeKey} set to {@code untilEpoch} (at least 1; the caller only ever extends it). */
    RegistryState withFreeze(PublicKey nodeKey, long untilEpoch) {
        return new RegistryState(entities, nodes, runtimes, freezes.with(nodeKey, untilEpoch));
    }

    /**
     * True when each of the four tables is a well-formed AVL tree (key order, balance, the heights and sizes its nodes
     * keep; {@link PersistentSortedMap#isBalanced}). O(n): a representation check for tests and the conformance replay,
     * not run per operation. A table that is a valid search tree but out of balance answers correctly, only slower: an
     * adversary choosing keys could then deepen it, which is what this catches.
     */
    public boolean tablesWellFormed() {
        return entities.isBalanced() && nodes.isBalanced() && runtimes.isBalanced() && freezes.isBalanced();
    }

    /** The state root (see the class comment); computed once per state. */
    public Hash32 stateRoot() {
        Hash32 r = root;
        if (r == null) {
            r = computeRoot();
            root = r;
        }
        return r;
    }

    private Hash32 computeRoot() {
        MessageDigest e = Hash32.newSha256();
        e.update(int32(entities.size()));
        for (PublicKey k : entities.keys()) {
            entry(e, k.toBytes());
        }
        MessageDigest n = Hash32.newSha256();
        n.update(int32(nodes.size()));
        for (NodeDescriptor node : nodes.values()) {
            entry(n, node.encode());
        }
        MessageDigest r = Hash32.newSha256();
        r.update(int32(runtimes.size()));
        for (RegisteredRuntime rt : runtimes.values()) {
            entry(r, new Writer(128).fixed(rt.owner().toBytes())
                    .fixed(RegistryCodecs.REGISTER_RUNTIME.encode(rt.descriptor())).toBytes());
        }
        MessageDigest f = Hash32.newSha256();
        f.update(int32(freezes.size()));
        List<PublicKey> frozenKeys = freezes.keys();
        List<Long> until = freezes.values();
        for (int i = 0; i < frozenKeys.size(); i++) {
            entry(f, new Writer(40).fixed(frozenKeys.get(i).toBytes()).i64(until.get(i)).toBytes());
        }
        return Hash32.sha256Parts(ROOT_DOMAIN.getBytes(StandardCharsets.UTF_8), e.digest(), n.digest(), r.digest(),
                f.digest());
    }

    private static void entry(MessageDigest digest, byte[] encoding) {
        digest.update(int32(encoding.length));
        digest.update(encoding);
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof RegistryState s && entities.keys().equals(s.entities.keys())
                && nodes.values().equals(s.nodes.values()) && runtimes.values().equals(s.runtimes.values())
                && freezes.keys().equals(s.freezes.keys()) && freezes.values().equals(s.freezes.values());
    }

    @Override
    public int hashCode() {
        return stateRoot().hashCode();
    }

    @Override
    public String toString() {
        return "RegistryState[" + entities.size() + " entities, " + nodes.size() + " nodes, " + runtimes.size()
                + " runtimes, " + freezes.size() + " freezes, root " + stateRoot().shortHex() + "]";
    }
}
