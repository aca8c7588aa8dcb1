package dev.oasisj.core.registry;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The registry's state: entities, nodes and runtimes, each sorted by key. Immutable and persistent in the functional
 * sense: an operation returns a new state and every older state stays valid and unchanged (a refused operation
 * returns none, so "state unchanged on rejection" holds by construction).
 *
 * <p><b>Representation.</b> Copy-on-write sorted maps: a change copies the changed map, O(n) with n bounded by
 * {@link RegistryLimits} (10,000 nodes). The registry changes a few times per block at most, so that is cheaper to
 * get right than a path-copying tree; the root below does not depend on the representation, so swapping in one
 * (such as the ledger's treap) would not change any root.
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

    public static final RegistryState EMPTY = new RegistryState(new TreeSet<>(), new TreeMap<>(), new TreeMap<>());

    private final NavigableSet<PublicKey> entities;
    private final NavigableMap<PublicKey, RegisteredNode> nodes;
    private final NavigableMap<RuntimeId, RegisteredRuntime> runtimes;
    private @Nullable Hash32 root;

    /** Takes ownership of the three collections (callers pass fresh copies). */
    private RegistryState(TreeSet<PublicKey> entities, TreeMap<PublicKey, RegisteredNode> nodes,
            TreeMap<RuntimeId, RegisteredRuntime> runtimes) {
        this.entities = Collections.unmodifiableNavigableSet(entities);
        this.nodes = Collections.unmodifiableNavigableMap(nodes);
        this.runtimes = Collections.unmodifiableNavigableMap(runtimes);
    }

    /** The registered entities, ascending. */
    public NavigableSet<PublicKey> entities() {
        return entities;
    }

    /** The nodes by node key, ascending (expired nodes included until they deregister). */
    public NavigableMap<PublicKey, RegisteredNode> nodes() {
        return nodes;
    }

    /** The runtimes by id, ascending. */
    public NavigableMap<RuntimeId, RegisteredRuntime> runtimes() {
        return runtimes;
    }

    public boolean hasEntity(PublicKey entity) {
        return entities.contains(entity);
    }

    public @Nullable RegisteredNode node(PublicKey nodeKey) {
        return nodes.get(nodeKey);
    }

    public @Nullable RegisteredRuntime runtime(RuntimeId id) {
        return runtimes.get(id);
    }

    RegistryState withEntity(PublicKey entity) {
        TreeSet<PublicKey> e = new TreeSet<>(entities);
        e.add(entity);
        return new RegistryState(e, new TreeMap<>(nodes), new TreeMap<>(runtimes));
    }

    RegistryState withNode(RegisteredNode node) {
        TreeMap<PublicKey, RegisteredNode> n = new TreeMap<>(nodes);
        n.put(node.descriptor().nodeKey(), node);
        return new RegistryState(new TreeSet<>(entities), n, new TreeMap<>(runtimes));
    }

    RegistryState withoutNode(PublicKey nodeKey) {
        TreeMap<PublicKey, RegisteredNode> n = new TreeMap<>(nodes);
        n.remove(nodeKey);
        return new RegistryState(new TreeSet<>(entities), n, new TreeMap<>(runtimes));
    }

    RegistryState withRuntime(RegisteredRuntime runtime) {
        TreeMap<RuntimeId, RegisteredRuntime> r = new TreeMap<>(runtimes);
        r.put(runtime.descriptor().id(), runtime);
        return new RegistryState(new TreeSet<>(entities), new TreeMap<>(nodes), r);
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
        for (PublicKey k : entities) {
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
        return o instanceof RegistryState s && entities.equals(s.entities) && nodes.equals(s.nodes)
                && runtimes.equals(s.runtimes);
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
