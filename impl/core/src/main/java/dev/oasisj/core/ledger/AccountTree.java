package dev.oasisj.core.ledger;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.security.MessageDigest;
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
        /**
         * The key's 32 bytes as four big-endian longs: comparing these unsigned, in order, orders keys as
         * {@link PublicKey#compareTo} does, and hashing writes them, without following the key's references (a cache
         * miss each on a large tree).
         */
        final long k0;
        final long k1;
        final long k2;
        final long k3;
        final long priority;
        final long balance;
        final long nonce;
        final @Nullable Node left;
        final @Nullable Node right;
        final long subtreeBalance;
        final int size;
        /** Cached Merkle hash; null until computed. Nodes are never shared across threads while computing. */
        byte @Nullable [] hash;

        Node(PublicKey key, long[] k, long priority, long balance, long nonce, @Nullable Node left,
                @Nullable Node right) {
            this(key, k[0], k[1], k[2], k[3], priority, balance, nonce, left, right);
        }

        Node(PublicKey key, long k0, long k1, long k2, long k3, long priority, long balance, long nonce,
                @Nullable Node left, @Nullable Node right) {
            this.key = key;
            this.k0 = k0;
            this.k1 = k1;
            this.k2 = k2;
            this.k3 = k3;
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
            return c > 0 || (c == 0 && compareKeys(k0, k1, k2, k3, other) > 0);
        }

        Node with(@Nullable Node newLeft, @Nullable Node newRight) {
            return new Node(key, k0, k1, k2, k3, priority, balance, nonce, newLeft, newRight);
        }

        Node withAccount(long newBalance, long newNonce) {
            return new Node(key, k0, k1, k2, k3, priority, newBalance, newNonce, left, right);
        }
    }

    /** The key (as {@link #longsOf}) compared with the node's key, as {@link PublicKey#compareTo} would. */
    private static int compareKeys(long a0, long a1, long a2, long a3, Node n) {
        int c = Long.compareUnsigned(a0, n.k0);
        if (c == 0) {
            c = Long.compareUnsigned(a1, n.k1);
            if (c == 0) {
                c = Long.compareUnsigned(a2, n.k2);
                if (c == 0) {
                    c = Long.compareUnsigned(a3, n.k3);
                }
            }
        }
        return c;
    }

    private static int compareKeys(long[] k, Node n) {
        return compareKeys(k[0], k[1], k[2], k[3], n);
    }

    /** The key's bytes as four big-endian longs. */
    static long[] longsOf(PublicKey key) {
        byte[] bytes = key.toBytes();
        long[] k = new long[4];
        for (int i = 0; i < 4; i++) {
            k[i] = longAt(bytes, 8 * i);
        }
        return k;
    }

    private static long longAt(byte[] bytes, int at) {
        long p = 0;
        for (int i = at; i < at + 8; i++) {
            p = (p << 8) | (bytes[i] & 0xff);
        }
        return p;
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
        return longAt(Hash32.sha256(key.toBytes()).toBytes(), 0);
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
        long[] k = longsOf(key);
        Node n = root;
        while (n != null) {
            int c = compareKeys(k, n);
            if (c == 0) {
                return new Account(n.balance, n.nonce);
            }
            n = c < 0 ? n.left : n.right;
        }
        return Account.EMPTY;
    }

    /** A tree equal to this one except that {@code key} maps to {@code account}. */
    AccountTree put(PublicKey key, Account account) {
        return new AccountTree(put(root, key, longsOf(key), account.balanceBaseUnits(), account.nonce()));
    }

    private static Node put(@Nullable Node n, PublicKey key, long[] k, long balance, long nonce) {
        if (n == null) {
            return new Node(key, k, priorityOf(key), balance, nonce, null, null);
        }
        int c = compareKeys(k, n);
        if (c == 0) {
            return n.withAccount(balance, nonce);
        }
        if (c < 0) {
            Node l = put(n.left, key, k, balance, nonce);
            if (l.outranks(n)) {
                // rotate right: l rises above n
                return l.with(l.left, n.with(l.right, n.right));
            }
            return n.with(l, n.right);
        }
        Node r = put(n.right, key, k, balance, nonce);
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
        MessageDigest digest = Hash32.newSha256();
        return Hash32.of(hash(root, digest, new byte[HASH_INPUT_BYTES]));
    }

    private static final byte[] EMPTY_HASH = new byte[Hash32.SIZE_BYTES];
    private static final int KEY_AT = 1 + Hash32.SIZE_BYTES;
    private static final int BALANCE_AT = KEY_AT + PublicKey.SIZE_BYTES;
    private static final int NONCE_AT = BALANCE_AT + 8;
    private static final int RIGHT_AT = NONCE_AT + 8;
    /** tag, left hash, key, balance, nonce, right hash: the bytes one node hashes (class comment). */
    private static final int HASH_INPUT_BYTES = RIGHT_AT + Hash32.SIZE_BYTES;

    /**
     * The node's hash, computing (and caching) the missing ones below it. {@code buffer} is scratch space of
     * {@link #HASH_INPUT_BYTES}: filled after both children are hashed, so the recursion may share it.
     */
    private static byte[] hash(@Nullable Node n, MessageDigest digest, byte[] buffer) {
        if (n == null) {
            return EMPTY_HASH;
        }
        byte[] cached = n.hash;
        if (cached != null) {
            return cached;
        }
        byte[] leftHash = hash(n.left, digest, buffer);
        byte[] rightHash = hash(n.right, digest, buffer);
        buffer[0] = NODE_TAG;
        System.arraycopy(leftHash, 0, buffer, 1, Hash32.SIZE_BYTES);
        putLong(buffer, KEY_AT, n.k0);
        putLong(buffer, KEY_AT + 8, n.k1);
        putLong(buffer, KEY_AT + 16, n.k2);
        putLong(buffer, KEY_AT + 24, n.k3);
        putLong(buffer, BALANCE_AT, n.balance);
        putLong(buffer, NONCE_AT, n.nonce);
        System.arraycopy(rightHash, 0, buffer, RIGHT_AT, Hash32.SIZE_BYTES);
        digest.reset();
        digest.update(buffer, 0, HASH_INPUT_BYTES);
        byte[] h = digest.digest();
        n.hash = h;
        return h;
    }

    /** Big-endian, as {@code Writer.i64}. */
    private static void putLong(byte[] b, int at, long v) {
        for (int i = at + 7; i >= at; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
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
