package dev.oasisj.core.staking;

import dev.oasisj.core.crypto.Hash32;
import java.security.MessageDigest;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A persistent (immutable, path-copying) Merkle treap from a key to a value, the generic form of the ledger's
 * {@code AccountTree}: one construction for every table of the staking state.
 *
 * <p>Shape: a treap whose priorities are fixed by the keys (the first 8 bytes of SHA-256 of the key's encoding, read
 * as an unsigned number; ties, which need a SHA-256 prefix collision, broken by key order), so the tree, and therefore
 * its root hash, is a function of the set of entries alone, not of the order of the operations that produced it. An
 * update copies one root-to-leaf path (expected depth about 2 ln n), so every version stays valid and costs O(log n).
 *
 * <p>Order: the in-order (ascending) key order is {@code K.compareTo}; every {@link Layout} used here encodes keys so
 * that this order is the unsigned lexicographic order of the encodings (fixed-width big-endian fields, non-negative
 * integers), and {@code MerkleTreapTest} checks it.
 *
 * <p>Root hash ({@link #rootHash}): the empty tree hashes to 32 zero bytes; a node hashes to
 * {@code SHA-256(0x01 || hash(left) || len(key) || key || len(value) || value || hash(right))}, lengths as 4-byte
 * big-endian integers, key and value as their {@link Layout} encodings. Hashes are cached in the nodes and computed on
 * demand, so a new root costs hashing only along the changed paths.
 *
 * <p>Weight: each node keeps the sum of {@link Layout#weight} over its subtree (with {@link Math#addExact}), so a
 * table's total (for example the sum of all general balances) is read in O(1) from data kept by the tree itself,
 * independently of the operations' arithmetic; the supply invariant uses it.
 */
final class MerkleTreap<K extends Comparable<K>, V extends Object> {
    /** How a table encodes its keys and values, and what a value weighs (base units; 0 for unweighted tables). */
    interface Layout<K extends Object, V extends Object> {
        byte[] keyBytes(K key);

        byte[] valueBytes(V value);

        long weight(V value);
    }

    private static final byte NODE_TAG = 0x01;
    private static final byte[] EMPTY_HASH = new byte[Hash32.SIZE_BYTES];

    private static final class Node<K extends Comparable<K>, V extends Object> {
        final K key;
        final byte[] keyBytes;
        /**
         * The first 8 bytes of {@link #keyBytes} (zero-padded), big-endian: compared unsigned they order keys as
         * {@code K.compareTo} does whenever they differ, so a search compares node-local data and follows a key's
         * references (a cache miss each on a large tree) only on a tie.
         */
        final long keyPrefix;
        final long priority;
        final V value;
        final long weight;
        final @Nullable Node<K, V> left;
        final @Nullable Node<K, V> right;
        final long subtreeWeight;
        final int size;
        /** Cached Merkle hash; null until computed. */
        byte @Nullable [] hash;

        Node(K key, byte[] keyBytes, long priority, V value, long weight, @Nullable Node<K, V> left,
                @Nullable Node<K, V> right) {
            this.key = key;
            this.keyBytes = keyBytes;
            this.keyPrefix = prefixOf(keyBytes);
            this.priority = priority;
            this.value = value;
            this.weight = weight;
            this.left = left;
            this.right = right;
            this.subtreeWeight = Math.addExact(Math.addExact(weightOf(left), weightOf(right)), weight);
            this.size = 1 + sizeOf(left) + sizeOf(right);
        }

        boolean outranks(Node<K, V> other) {
            int c = Long.compareUnsigned(priority, other.priority);
            return c > 0 || (c == 0 && key.compareTo(other.key) > 0);
        }

        Node<K, V> with(@Nullable Node<K, V> newLeft, @Nullable Node<K, V> newRight) {
            return new Node<>(key, keyBytes, priority, value, weight, newLeft, newRight);
        }

        Node<K, V> withValue(V newValue, long newWeight) {
            return new Node<>(key, keyBytes, priority, newValue, newWeight, left, right);
        }
    }

    private final Layout<K, V> layout;
    private final @Nullable Node<K, V> root;

    private MerkleTreap(Layout<K, V> layout, @Nullable Node<K, V> root) {
        this.layout = layout;
        this.root = root;
    }

    static <K extends Comparable<K>, V extends Object> MerkleTreap<K, V> empty(Layout<K, V> layout) {
        return new MerkleTreap<>(layout, null);
    }

    private static long weightOf(@Nullable Node<?, ?> n) {
        return n == null ? 0 : n.subtreeWeight;
    }

    private static int sizeOf(@Nullable Node<?, ?> n) {
        return n == null ? 0 : n.size;
    }

    /** The first 8 bytes of a key's encoding, zero-padded, big-endian (see {@link Node#keyPrefix}). */
    static long prefixOf(byte[] keyBytes) {
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = (p << 8) | (i < keyBytes.length ? keyBytes[i] & 0xff : 0);
        }
        return p;
    }

    /**
     * {@code key.compareTo(n.key)}, reading {@code n}'s key only when the prefixes tie: the encodings' unsigned
     * lexicographic order is the keys' order (class comment), and a zero-padded prefix that differs decides it.
     */
    private static <K extends Comparable<K>> int compare(long prefix, K key, Node<K, ?> n) {
        int c = Long.compareUnsigned(prefix, n.keyPrefix);
        return c != 0 ? c : key.compareTo(n.key);
    }

    static long priorityOf(byte[] keyBytes) {
        byte[] h = Hash32.sha256(keyBytes).toBytes();
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = (p << 8) | (h[i] & 0xff);
        }
        return p;
    }

    int size() {
        return sizeOf(root);
    }

    /** The sum of the weights of all values. */
    long totalWeight() {
        return weightOf(root);
    }

    /** The value under {@code key}, or null when there is none. */
    @Nullable V get(K key) {
        Node<K, V> n = root;
        long prefix = n == null ? 0 : prefixOf(layout.keyBytes(key));
        while (n != null) {
            int c = compare(prefix, key, n);
            if (c == 0) {
                return n.value;
            }
            n = c < 0 ? n.left : n.right;
        }
        return null;
    }

    /** A tree equal to this one except that {@code key} maps to {@code value}. */
    MerkleTreap<K, V> put(K key, V value) {
        long weight = layout.weight(value);
        byte[] keyBytes = layout.keyBytes(key);
        return new MerkleTreap<>(layout, put(root, key, keyBytes, prefixOf(keyBytes), value, weight));
    }

    private Node<K, V> put(@Nullable Node<K, V> n, K key, byte[] keyBytes, long prefix, V value, long weight) {
        if (n == null) {
            return new Node<>(key, keyBytes, priorityOf(keyBytes), value, weight, null, null);
        }
        int c = compare(prefix, key, n);
        if (c == 0) {
            return n.withValue(value, weight);
        }
        if (c < 0) {
            Node<K, V> l = put(n.left, key, keyBytes, prefix, value, weight);
            if (l.outranks(n)) {
                return l.with(l.left, n.with(l.right, n.right)); // rotate right
            }
            return n.with(l, n.right);
        }
        Node<K, V> r = put(n.right, key, keyBytes, prefix, value, weight);
        if (r.outranks(n)) {
            return r.with(n.with(n.left, r.left), r.right); // rotate left
        }
        return n.with(n.left, r);
    }

    /** A tree equal to this one without {@code key} (this tree when the key is absent). */
    MerkleTreap<K, V> remove(K key) {
        if (get(key) == null) {
            return this;
        }
        return new MerkleTreap<>(layout, remove(root, key));
    }

    private static <K extends Comparable<K>, V extends Object> @Nullable Node<K, V> remove(@Nullable Node<K, V> n,
            K key) {
        if (n == null) {
            return null;
        }
        int c = key.compareTo(n.key);
        if (c == 0) {
            return merge(n.left, n.right);
        }
        return c < 0 ? n.with(remove(n.left, key), n.right) : n.with(n.left, remove(n.right, key));
    }

    /** Joins two treaps whose keys are all smaller in {@code a} than in {@code b}, keeping the heap order. */
    private static <K extends Comparable<K>, V extends Object> @Nullable Node<K, V> merge(@Nullable Node<K, V> a,
            @Nullable Node<K, V> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.outranks(b)) {
            return a.with(a.left, merge(a.right, b));
        }
        return b.with(merge(a, b.left), b.right);
    }

    /** Visits every entry in ascending key order. */
    void forEach(BiConsumer<K, V> visitor) {
        visitFrom(root, null, (k, v) -> {
            visitor.accept(k, v);
            return true;
        });
    }

    /**
     * Visits the entries whose key is at least {@code from} (all when null), in ascending key order, until
     * {@code visitor} returns false. Skips the subtrees below {@code from}, so a range costs O(log n + visited).
     */
    void forEachFrom(@Nullable K from, BiPredicate<K, V> visitor) {
        visitFrom(root, from, visitor);
    }

    /** False when the visitor asked to stop. */
    private static <K extends Comparable<K>, V extends Object> boolean visitFrom(@Nullable Node<K, V> n,
            @Nullable K from, BiPredicate<K, V> visitor) {
        if (n == null) {
            return true;
        }
        if (from != null && n.key.compareTo(from) < 0) {
            return visitFrom(n.right, from, visitor);
        }
        return visitFrom(n.left, from, visitor) && visitor.test(n.key, n.value) && visitFrom(n.right, from, visitor);
    }

    /** The Merkle root defined in the class comment. */
    Hash32 rootHash() {
        if (root == null) {
            return Hash32.ZERO;
        }
        return Hash32.of(hash(root, new Hashing()));
    }

    /** One root computation's digest and preimage buffer (reused for every node it hashes: no garbage per node). */
    private static final class Hashing {
        final MessageDigest digest = Hash32.newSha256();
        byte[] preimage = new byte[256];
    }

    private byte[] hash(@Nullable Node<K, V> n, Hashing hashing) {
        if (n == null) {
            return EMPTY_HASH;
        }
        byte[] cached = n.hash;
        if (cached != null) {
            return cached;
        }
        byte[] leftHash = hash(n.left, hashing);
        byte[] rightHash = hash(n.right, hashing);
        byte[] valueBytes = layout.valueBytes(n.value);
        // one update of the whole preimage: seven small updates (one of a single byte) cost more than the compression
        byte[] keyBytes = n.keyBytes;
        int length = 1 + 2 * Hash32.SIZE_BYTES + 8 + keyBytes.length + valueBytes.length;
        if (hashing.preimage.length < length) {
            hashing.preimage = new byte[length];
        }
        byte[] preimage = hashing.preimage;
        int at = 0;
        preimage[at++] = NODE_TAG;
        System.arraycopy(leftHash, 0, preimage, at, Hash32.SIZE_BYTES);
        at = putLength(preimage, at + Hash32.SIZE_BYTES, keyBytes.length);
        System.arraycopy(keyBytes, 0, preimage, at, keyBytes.length);
        at = putLength(preimage, at + keyBytes.length, valueBytes.length);
        System.arraycopy(valueBytes, 0, preimage, at, valueBytes.length);
        System.arraycopy(rightHash, 0, preimage, at + valueBytes.length, Hash32.SIZE_BYTES);
        MessageDigest digest = hashing.digest;
        digest.reset();
        digest.update(preimage, 0, length);
        byte[] h = digest.digest();
        n.hash = h;
        return h;
    }

    /** Writes {@code length} as 4 big-endian bytes at {@code at}; returns the index after them. */
    private static int putLength(byte[] out, int at, int length) {
        out[at] = (byte) (length >>> 24);
        out[at + 1] = (byte) (length >>> 16);
        out[at + 2] = (byte) (length >>> 8);
        out[at + 3] = (byte) length;
        return at + 4;
    }

    /**
     * True when the tree is the treap its class comment defines: keys strictly ascending in order (as the layout
     * encodes them), every node outranking its children, and each node's key prefix, subtree weight and size those of
     * its contents. O(n); the representation check the committee conformance replay runs on every state.
     */
    boolean isWellFormed() {
        return wellFormed(root, null, null);
    }

    private boolean wellFormed(@Nullable Node<K, V> n, @Nullable K above, @Nullable K below) {
        if (n == null) {
            return true;
        }
        if ((above != null && n.key.compareTo(above) <= 0) || (below != null && n.key.compareTo(below) >= 0)) {
            return false;
        }
        Node<K, V> l = n.left;
        Node<K, V> r = n.right;
        return (l == null || n.outranks(l)) && (r == null || n.outranks(r))
                && java.util.Arrays.equals(n.keyBytes, layout.keyBytes(n.key)) && n.keyPrefix == prefixOf(n.keyBytes)
                && n.weight == layout.weight(n.value)
                && n.subtreeWeight == weightOf(l) + weightOf(r) + n.weight && n.size == 1 + sizeOf(l) + sizeOf(r)
                && wellFormed(l, above, n.key) && wellFormed(r, n.key, below);
    }

    /** Height of the tree (tests). */
    int depth() {
        return depth(root);
    }

    private static int depth(@Nullable Node<?, ?> n) {
        return n == null ? 0 : 1 + Math.max(depth(n.left), depth(n.right));
    }
}
