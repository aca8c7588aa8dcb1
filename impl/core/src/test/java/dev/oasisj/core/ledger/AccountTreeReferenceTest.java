package dev.oasisj.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The account tree's root against an independent, deliberately naive implementation of the definition in the
 * {@link AccountTree} class comment: the treap of a key set is unique (the root is the key of highest priority, ties to
 * the larger key; smaller keys to its left, larger to its right), and a node hashes to
 * {@code SHA-256(0x01 || left || key || balance || nonce || right)}. Guards the tree's optimizations (cached key
 * prefixes, one hashing buffer) against changing the root. Keys share long prefixes on purpose.
 */
class AccountTreeReferenceTest {

    @Test
    void rootMatchesTheDefinitionThroughInsertsAndUpdates() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        TreeMap<PublicKey, Account> model = new TreeMap<>();
        AccountTree tree = AccountTree.EMPTY;
        assertEquals(Hash32.ZERO, tree.rootHash());
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] k = new byte[PublicKey.SIZE_BYTES];
            random.nextBytes(k);
            if (i % 3 == 0 && !keys.isEmpty()) {
                // same first 8 (or more) bytes as an earlier key: the order is decided past the cached prefix
                byte[] other = keys.get(random.nextInt(keys.size())).toBytes();
                System.arraycopy(other, 0, k, 0, 8 + random.nextInt(24));
            }
            keys.add(PublicKey.of(k));
        }
        for (int step = 0; step < 1_500; step++) {
            PublicKey key = keys.get(random.nextInt(step < 400 ? step + 1 : keys.size()));
            Account a = new Account(random.nextLong(0, 1_000_000), random.nextLong(0, 1_000));
            tree = tree.put(key, a);
            model.put(key, a);
            if (step % 97 == 0 || step == 1_499) {
                assertEquals(reference(model), tree.rootHash(), "root after step " + step);
                assertEquals(model.size(), tree.size());
                for (Map.Entry<PublicKey, Account> e : model.entrySet()) {
                    assertEquals(e.getValue(), tree.get(e.getKey()));
                }
            }
        }
        byte[] absent = new byte[PublicKey.SIZE_BYTES];
        absent[0] = (byte) 0xff;
        PublicKey missing = PublicKey.of(absent);
        assertEquals(model.containsKey(missing) ? model.get(missing) : Account.EMPTY, tree.get(missing));
    }

    private static Hash32 reference(TreeMap<PublicKey, Account> accounts) throws Exception {
        return Hash32.of(hashOf(new ArrayList<>(accounts.entrySet())));
    }

    /** {@code sorted} is in key order; the highest (priority, key) is the root. */
    private static byte[] hashOf(List<Map.Entry<PublicKey, Account>> sorted) throws Exception {
        if (sorted.isEmpty()) {
            return new byte[32];
        }
        int top = 0;
        for (int i = 1; i < sorted.size(); i++) {
            int c = Long.compareUnsigned(priority(sorted.get(i).getKey()), priority(sorted.get(top).getKey()));
            if (c > 0 || (c == 0 && sorted.get(i).getKey().compareTo(sorted.get(top).getKey()) > 0)) {
                top = i;
            }
        }
        byte[] left = hashOf(sorted.subList(0, top));
        byte[] right = hashOf(sorted.subList(top + 1, sorted.size()));
        Map.Entry<PublicKey, Account> e = sorted.get(top);
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update((byte) 0x01);
        d.update(left);
        d.update(e.getKey().toBytes());
        d.update(ByteBuffer.allocate(16).putLong(e.getValue().balanceBaseUnits()).putLong(e.getValue().nonce())
                .array());
        d.update(right);
        return d.digest();
    }

    private static long priority(PublicKey key) throws Exception {
        return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(key.toBytes())).getLong();
    }
}
