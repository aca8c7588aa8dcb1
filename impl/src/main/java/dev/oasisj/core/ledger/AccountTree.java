package dev.oasisj.core.ledger;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.BiConsumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A persistent (immutable, path-copying) Merkle treap from account key to {@link Account}.
 *
 * <p>Why a treap: a treap's shape is a function of its key set alone when every key's priority is fixed. The priority
 * here is the first 8 bytes of SHA-256(key) read as an unsigned number, ties broken by the key order, so the tree, and
 * therefore the root hash, does not depend on the order in which accounts were created. An update copies one
 * root-to-leaf path (expected depth about 2 ln n, about 25 for 100,000 accounts), so a ledger version costs
 * O(log n) memory and old versions stay valid.
 *
 * <p>Root hash definition ({@link #rootHash}): the empty tree hashes to 32 zero bytes; a node hashes to
 * {@code SHA-256(0x01 || hash(left) || key (32 bytes) || balance (8 bytes BE) || nonce (8 bytes BE) || hash(right))}.
 * Hashes are cached in the nodes and computed on demand, so only the paths changed since the last root cost hashing.
 *
 * <p>Each node also stores the sum of the balances in its subtree (computed from its children when it is built), so
 * the supply invariant is checked in O(1) against data kept independently of the transfer arithmetic.
 */
final class AccountTree {
    static final AccountTree EMPTY = new AccountTree(null);

    private static final byte NODE_TAG = 0x01;

    private static final class Node {
        final PublicKey key;
        final long priority;
        final long balance;
        final long nonce;
        final @Nullable Node left;
        final @Nullable Node right;
        final long subtreeBalance;
        final int size;
        /** Cached Merkle hash; null until computed. Nodes are never shared across threads while computing. */
        byte @Nullable [] hash;

        Node(PublicKey key, long priority, long balance, long nonce, @Nullable Node left, @Nullable Node right) {
            this.key = key;
            this.priority = priority;
            this.balance = balance;
            this.nonce = nonce;
            this.left = left;
            this.right = right;
            this.subtreeBalance = Math.addExact(Math.addExact(sum(left), sum(right)), balance);
            this.size = 1 + count(left) + count(right);
        }

        /** True when this node must sit above {@code other}: higher priority, ties broken by key. */
        boolean outranks(Node other) {
            int c = Long.compareUnsigned(priority, other.priority);
            return c > 0 || (c == 0 && key.compareTo(other.key) > 0);
        }

        Node with(@Nullable Node newLeft, @Nullable Node newRight) {
            return new Node(key, priority, balance, nonce, newLeft, newRight);
        }
    }

    private final @Nullable Node root;

    private AccountTree(@Nullable Node root) {
        this.root = root;
    }

    private static long sum(@Nullable Node n) {
        return n == null ? 0 : n.subtreeBalance;
    }

    private static int count(@Nullable Node n) {
        return n == null ? 0 : n.size;
    }

    static long priorityOf(PublicKey key) {
        byte[] h = Hash32.sha256(key.toBytes()).toBytes();
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = (p << 8) | (h[i] & 0xff);
        }
        return p;
    }

    int size() {
        return count(root);
    }

    /** Sum of all balances. */
    long totalBalance() {
        return sum(root);
    }

    /** The account, or {@link Account#EMPTY} when the key has none. */
    Account get(PublicKey key) {
        Node n = root;
        while (n != null) {
            int c = key.compareTo(n.key);
            if (c == 0) {
                return new Account(n.balance, n.nonce);
            }
            n = c < 0 ? n.left : n.right;
        }
        return Account.EMPTY;
    }

    /** A tree equal to this one except that {@code key} maps to {@code account}. */
    AccountTree put(PublicKey key, Account account) {
        return new AccountTree(put(root, key, account.balanceBaseUnits(), account.nonce()));
    }

    private static Node put(@Nullable Node n, PublicKey key, long balance, long nonce) {
        if (n == null) {
            return new Node(key, priorityOf(key), balance, nonce, null, null);
        }
        int c = key.compareTo(n.key);
        if (c == 0) {
            return new Node(n.key, n.priority, balance, nonce, n.left, n.right);
        }
        if (c < 0) {
            Node l = put(n.left, key, balance, nonce);
            if (l.outranks(n)) {
                // rotate right: l rises above n
                return l.with(l.left, n.with(l.right, n.right));
            }
            return n.with(l, n.right);
        }
        Node r = put(n.right, key, balance, nonce);
        if (r.outranks(n)) {
            // rotate left: r rises above n
            return r.with(n.with(n.left, r.left), r.right);
        }
        return n.with(n.left, r);
    }

    /** The Merkle root as defined in the class comment. */
    Hash32 rootHash() {
        if (root == null) {
            return Hash32.ZERO;
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        return Hash32.of(hash(root, digest));
    }

    private static final byte[] EMPTY_HASH = new byte[Hash32.SIZE_BYTES];

    private static byte[] hash(@Nullable Node n, MessageDigest digest) {
        if (n == null) {
            return EMPTY_HASH;
        }
        byte[] cached = n.hash;
        if (cached != null) {
            return cached;
        }
        byte[] leftHash = hash(n.left, digest);
        byte[] rightHash = hash(n.right, digest);
        digest.reset();
        digest.update(NODE_TAG);
        digest.update(leftHash);
        digest.update(n.key.toBytes());
        digest.update(longBytes(n.balance));
        digest.update(longBytes(n.nonce));
        digest.update(rightHash);
        byte[] h = digest.digest();
        n.hash = h;
        return h;
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    /** Visits every account in ascending key order (deterministic). */
    void forEach(BiConsumer<PublicKey, Account> visitor) {
        forEach(root, visitor);
    }

    private static void forEach(@Nullable Node n, BiConsumer<PublicKey, Account> visitor) {
        if (n == null) {
            return;
        }
        forEach(n.left, visitor);
        visitor.accept(n.key, new Account(n.balance, n.nonce));
        forEach(n.right, visitor);
    }

    /** Height of the tree, for tests of the balance claim. */
    int depth() {
        return depth(root);
    }

    private static int depth(@Nullable Node n) {
        return n == null ? 0 : 1 + Math.max(depth(n.left), depth(n.right));
    }
}
