package dev.oasisj.core.registry;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The registry's state: entities, nodes and runtimes, each sorted by key. Immutable and persistent in the functional
 * sense: an operation returns a new state and every older state stays valid and unchanged (a refused operation
 * returns none, so "state unchanged on rejection" holds by construction).
 *
 * <p><b>Representation.</b> Three path-copying AVL trees ({@link PersistentSortedMap}): a change costs O(log n) time
 * and memory and shares everything else with the state before it. The root below is computed from the entries in key
 * order, not from the trees' shapes, so it does not depend on the representation. It is recomputed in full (O(n)) once
 * per state whose root is asked for; caching per-subtree hashes, as the ledger's treap does, is left for when the
 * registry grows large enough for it to matter.
 *
 * <p><b>State root</b> ({@link #stateRoot()}): {@code SHA-256} over the length-prefixed parts (as
 * {@link Hash32#sha256Parts}) {@value #ROOT_DOMAIN}, the entities' root, the nodes' root and the runtimes' root. Each
 * of the three is {@code SHA-256(count (4 bytes) || entry...)}, entries in key order (unsigned bytes), each a 4-byte
 * length and its encoding: an entity is its 32-byte key; a node its descriptor encoding
 * ({@link NodeDescriptor#encode}) then {@code frozenUntilEpoch} (8 bytes); a runtime its owner key then its
 * {@code registry.RegisterRuntime} encoding. The root is therefore a function of the contents alone, never of the
 * order of the operations that produced them.
 */
public final class RegistryState {
    /** The first part hashed into the root. */
    public static final String ROOT_DOMAIN = "oasisj/registry/state/v1";

    public static final RegistryState EMPTY = new RegistryState(PersistentSortedMap.empty(),
            PersistentSortedMap.empty(), PersistentSortedMap.empty());

    private final PersistentSortedMap<PublicKey, PublicKey> entities;
    private final PersistentSortedMap<PublicKey, RegisteredNode> nodes;
    private final PersistentSortedMap<RuntimeId, RegisteredRuntime> runtimes;
    private @Nullable Hash32 root;

    private RegistryState(PersistentSortedMap<PublicKey, PublicKey> entities,
            PersistentSortedMap<PublicKey, RegisteredNode> nodes,
            PersistentSortedMap<RuntimeId, RegisteredRuntime> runtimes) {
        this.entities = entities;
        this.nodes = nodes;
        this.runtimes = runtimes;
    }

    /** The registered entities, ascending (a new list, O(n)). */
    public List<PublicKey> entities() {
        return entities.keys();
    }

    /** The nodes by node key, ascending (expired nodes included until they deregister; a new list, O(n)). */
    public List<RegisteredNode> nodes() {
        return nodes.values();
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

    public @Nullable RegisteredNode node(PublicKey nodeKey) {
        return nodes.get(nodeKey);
    }

    public @Nullable RegisteredRuntime runtime(RuntimeId id) {
        return runtimes.get(id);
    }

    /**
     * A state of the given contents (a genesis document or a snapshot; no signatures are involved, the caller trusts
     * the source). Checked: no key twice, every node's and runtime owner's entity registered, no node key that is
     * also an entity key, each runtime's parameters within bounds and its permissioned entities registered.
     *
     * @throws IllegalArgumentException naming the first problem
     */
    public static RegistryState of(Collection<PublicKey> entities, Collection<RegisteredNode> nodes,
            Collection<RegisteredRuntime> runtimes) {
        RegistryState s = EMPTY;
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
            s = s.withNode(n);
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
        return new RegistryState(entities.with(entity, entity), nodes, runtimes);
    }

    RegistryState withNode(RegisteredNode node) {
        return new RegistryState(entities, nodes.with(node.descriptor().nodeKey(), node), runtimes);
    }

    RegistryState withoutNode(PublicKey nodeKey) {
        return new RegistryState(entities, nodes.without(nodeKey), runtimes);
    }

    RegistryState withRuntime(RegisteredRuntime runtime) {
        return new RegistryState(entities, nodes, runtimes.with(runtime.descriptor().id(), runtime));
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
        for (RegisteredNode node : nodes.values()) {
            entry(n, new Writer(80).fixed(node.descriptor().encode()).i64(node.frozenUntilEpoch()).toBytes());
        }
        MessageDigest r = Hash32.newSha256();
        r.update(int32(runtimes.size()));
        for (RegisteredRuntime rt : runtimes.values()) {
            entry(r, new Writer(128).fixed(rt.owner().toBytes())
                    .fixed(RegistryCodecs.REGISTER_RUNTIME.encode(rt.descriptor())).toBytes());
        }
        return Hash32.sha256Parts(ROOT_DOMAIN.getBytes(StandardCharsets.UTF_8), e.digest(), n.digest(), r.digest());
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
                && nodes.values().equals(s.nodes.values()) && runtimes.values().equals(s.runtimes.values());
    }

    @Override
    public int hashCode() {
        return stateRoot().hashCode();
    }

    @Override
    public String toString() {
        return "RegistryState[" + entities.size() + " entities, " + nodes.size() + " nodes, " + runtimes.size()
                + " runtimes, root " + stateRoot().shortHex() + "]";
    }
}
