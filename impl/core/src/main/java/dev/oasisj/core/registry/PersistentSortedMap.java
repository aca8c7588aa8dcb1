package dev.oasisj.core.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An immutable, persistent sorted map: a path-copying AVL tree. {@link #with} and {@link #without} return a new map
 * that shares every untouched subtree with this one, in O(log n) time and memory; this map never changes. The shape
 * is balanced whatever the keys (AVL, not a treap), so keys chosen by an adversary cannot deepen it: the height stays
 * below 1.45 log2(n + 2). {@link #keys()} and {@link #values()} list the entries in ascending key order.
 */
final class PersistentSortedMap<K extends Comparable<K>, V> {
    private static final class Node<K, V> {
        final K key;
        final V value;
        final @Nullable Node<K, V> left;
        final @Nullable Node<K, V> right;
        final int height;
        final int size;

        Node(K key, V value, @Nullable Node<K, V> left, @Nullable Node<K, V> right) {
            this.key = key;
            this.value = value;
            this.left = left;
            this.right = right;
            this.height = 1 + Math.max(height(left), height(right));
            this.size = 1 + size(left) + size(right);
        }
    }

    private final @Nullable Node<K, V> root;

    private PersistentSortedMap(@Nullable Node<K, V> root) {
        this.root = root;
    }

    static <K extends Comparable<K>, V> PersistentSortedMap<K, V> empty() {
        return new PersistentSortedMap<>(null);
    }

    private static int height(@Nullable Node<?, ?> n) {
        return n == null ? 0 : n.height;
    }

    private static int size(@Nullable Node<?, ?> n) {
        return n == null ? 0 : n.size;
    }

    int size() {
        return size(root);
    }

    /** The tree's height (0 when empty), for the balance test. */
    int height() {
        return height(root);
    }

    /**
     * True when every node's children differ in height by at most one and every node's stored height, size and key
     * order are consistent (O(n), for tests and {@link RegistryState#tablesWellFormed}).
     */
    boolean isBalanced() {
        return checkedHeight(root, null, null) >= 0;
    }

    /** The subtree's height, or -1 when it breaks the AVL rule, its stored fields or the bounds on its keys. */
    private static <K extends Comparable<K>, V> int checkedHeight(@Nullable Node<K, V> n, @Nullable K above,
            @Nullable K below) {
        if (n == null) {
            return 0;
        }
        if ((above != null && n.key.compareTo(above) <= 0) || (below != null && n.key.compareTo(below) >= 0)) {
            return -1;
        }
        int l = checkedHeight(n.left, above, n.key);
        int r = checkedHeight(n.right, n.key, below);
        if (l < 0 || r < 0 || Math.abs(l - r) > 1 || n.height != 1 + Math.max(l, r)
                || n.size != 1 + size(n.left) + size(n.right)) {
            return -1;
        }
        return n.height;
    }

    @Nullable V get(K key) {
        @Nullable Node<K, V> n = root;
        while (n != null) {
            int c = key.compareTo(n.key);
            if (c == 0) {
                return n.value;
            }
            n = c < 0 ? n.left : n.right;
        }
        return null;
    }

    boolean containsKey(K key) {
        return get(key) != null;
    }

    /** This map with {@code key} mapped to {@code value} (replacing any earlier value). */
    PersistentSortedMap<K, V> with(K key, V value) {
        return new PersistentSortedMap<>(insert(root, key, value));
    }

    /** This map without {@code key} (this map itself when the key is absent). */
    PersistentSortedMap<K, V> without(K key) {
        if (!containsKey(key)) {
            return this;
        }
        return new PersistentSortedMap<K, V>(delete(root, key));
    }

    /** The keys, ascending. */
    List<K> keys() {
        List<K> out = new ArrayList<>(size());
        for (Node<K, V> n : inOrder()) {
            out.add(n.key);
        }
        return Collections.unmodifiableList(out);
    }

    /** The values, in ascending order of their keys. */
    List<V> values() {
        List<V> out = new ArrayList<>(size());
        for (Node<K, V> n : inOrder()) {
            out.add(n.value);
        }
        return Collections.unmodifiableList(out);
    }

    /** The nodes in ascending key order, with an explicit stack (the height bounds its depth). */
    private List<Node<K, V>> inOrder() {
        List<Node<K, V>> out = new ArrayList<>(size());
        ArrayDeque<Node<K, V>> stack = new ArrayDeque<>();
        @Nullable Node<K, V> n = root;
        while (n != null || !stack.isEmpty()) {
            while (n != null) {
                stack.push(n);
                n = n.left;
            }
            Node<K, V> top = stack.pop();
            out.add(top);
            n = top.right;
        }
        return out;
    }

    private static <K extends Comparable<K>, V> Node<K, V> insert(@Nullable Node<K, V> n, K key, V value) {
        if (n == null) {
            return new Node<>(key, value, null, null);
        }
        int c = key.compareTo(n.key);
        if (c == 0) {
            return new Node<>(key, value, n.left, n.right);
        }
        if (c < 0) {
            return balance(n.key, n.value, insert(n.left, key, value), n.right);
        }
        return balance(n.key, n.value, n.left, insert(n.right, key, value));
    }

    /** Deletes {@code key} from the subtree (which holds it). */
    private static <K extends Comparable<K>, V> @Nullable Node<K, V> delete(@Nullable Node<K, V> n, K key) {
        if (n == null) {
            return null;
        }
        int c = key.compareTo(n.key);
        if (c < 0) {
            return balance(n.key, n.value, delete(n.left, key), n.right);
        }
        if (c > 0) {
            return balance(n.key, n.value, n.left, delete(n.right, key));
        }
        Node<K, V> left = n.left;
        Node<K, V> right = n.right;
        if (left == null) {
            return right;
        }
        if (right == null) {
            return left;
        }
        Node<K, V> successor = right;
        for (Node<K, V> next = successor.left; next != null; next = next.left) {
            successor = next;
        }
        return balance(successor.key, successor.value, left, delete(right, successor.key));
    }

    /** A node of these parts, rotated so that its children's heights differ by at most one. */
    private static <K, V> Node<K, V> balance(K key, V value, @Nullable Node<K, V> left, @Nullable Node<K, V> right) {
        int diff = height(left) - height(right);
        if (diff > 1 && left != null) {
            Node<K, V> lr = left.right;
            if (height(left.left) >= height(lr) || lr == null) {
                return new Node<>(left.key, left.value, left.left, new Node<>(key, value, lr, right));
            }
            return new Node<>(lr.key, lr.value, new Node<>(left.key, left.value, left.left, lr.left),
                    new Node<>(key, value, lr.right, right));
        }
        if (diff < -1 && right != null) {
            Node<K, V> rl = right.left;
            if (height(right.right) >= height(rl) || rl == null) {
                return new Node<>(right.key, right.value, new Node<>(key, value, left, rl), right.right);
            }
            return new Node<>(rl.key, rl.value, new Node<>(key, value, left, rl.left),
                    new Node<>(right.key, right.value, rl.right, right.right));
        }
        return new Node<>(key, value, left, right);
    }
}
