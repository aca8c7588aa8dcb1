package dev.oasisj.core.staking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The staking tables' Merkle treap: a root that depends on the entries only, the documented hash, key order. */
class MerkleTreapTest {
    private static final MerkleTreap.Layout<PublicKey, StakingAccount> LAYOUT = StakingState.ACCOUNTS_LAYOUT;

    private static PublicKey randomKey(SplittableRandom r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return PublicKey.of(b);
    }

    private static MerkleTreap<PublicKey, StakingAccount> build(List<PublicKey> keys) {
        MerkleTreap<PublicKey, StakingAccount> t = MerkleTreap.empty(LAYOUT);
        for (PublicKey k : keys) {
            t = t.put(k, new StakingAccount(k.toBytes()[1] & 0xff, 1));
        }
        return t;
    }

    @Test
    void theRoot_dependsOnTheEntriesOnly_notOnInsertionOrderOrRemovedHistory() {
        SplittableRandom r = new SplittableRandom(7);
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add(randomKey(r));
        }
        Hash32 root = build(keys).rootHash();
        for (long seed = 1; seed <= 5; seed++) {
            List<PublicKey> shuffled = new ArrayList<>(keys);
            SplittableRandom shuffle = new SplittableRandom(seed);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                Collections.swap(shuffled, i, shuffle.nextInt(i + 1));
            }
            assertEquals(root, build(shuffled).rootHash());
        }
        // removing keys gives the tree that never had them; adding them back, the original
        MerkleTreap<PublicKey, StakingAccount> t = build(keys);
        for (int i = 0; i < 100; i++) {
            t = t.remove(keys.get(i));
        }
        assertEquals(build(keys.subList(100, 300)).rootHash(), t.rootHash());
        assertEquals(200, t.size());
        assertNull(t.get(keys.get(0)));
        for (int i = 0; i < 100; i++) {
            t = t.put(keys.get(i), new StakingAccount(keys.get(i).toBytes()[1] & 0xff, 1));
        }
        assertEquals(root, t.rootHash());
        assertSame(t, t.remove(randomKey(r)));
        assertEquals(Hash32.ZERO, MerkleTreap.empty(LAYOUT).rootHash());
        assertNotEquals(root, build(keys).put(keys.get(5), new StakingAccount(999, 1)).rootHash());
    }

    @Test
    void aSingleEntry_hashesAsDocumented() {
        PublicKey k = PublicKey.of(new byte[32]);
        MerkleTreap<PublicKey, StakingAccount> t = MerkleTreap.empty(LAYOUT).put(k, new StakingAccount(5, 6));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(1);
        expected.writeBytes(new byte[32]);
        expected.writeBytes(new byte[] {0, 0, 0, 32});
        expected.writeBytes(k.toBytes());
        expected.writeBytes(new byte[] {0, 0, 0, 16});
        expected.writeBytes(new Writer().i64(5).i64(6).toBytes());
        expected.writeBytes(new byte[32]);
        assertEquals(Hash32.sha256(expected.toByteArray()), t.rootHash());
    }

    @Test
    void entriesAreVisitedInAscendingOrder_theWeightsSum_andTheDepthIsLogarithmic() {
        SplittableRandom r = new SplittableRandom(8);
        TreeMap<PublicKey, StakingAccount> reference = new TreeMap<>();
        MerkleTreap<PublicKey, StakingAccount> t = MerkleTreap.empty(LAYOUT);
        long sum = 0;
        for (int i = 0; i < 10_000; i++) {
            PublicKey k = randomKey(r);
            StakingAccount a = new StakingAccount(r.nextInt(1_000), 0);
            reference.put(k, a);
            t = t.put(k, a);
        }
        for (StakingAccount a : reference.values()) {
            sum += a.generalBalanceBaseUnits();
        }
        List<PublicKey> visited = new ArrayList<>();
        t.forEach((k, v) -> visited.add(k));
        assertEquals(new ArrayList<>(reference.keySet()), visited);
        assertEquals(sum, t.totalWeight());
        assertTrue(t.depth() < 50, "depth " + t.depth());
        assertTrue(t.isWellFormed(), "a treap built by puts is the treap its class defines");
        MerkleTreap<PublicKey, StakingAccount> shrunk = t;
        for (PublicKey k : new ArrayList<>(reference.keySet()).subList(0, 5_000)) {
            shrunk = shrunk.remove(k);
        }
        assertTrue(shrunk.isWellFormed(), "and after removals");
        PublicKey from = new ArrayList<>(reference.keySet()).get(5_000);
        List<PublicKey> tail = new ArrayList<>();
        t.forEachFrom(from, (k, v) -> tail.add(k) && tail.size() < 10);
        assertEquals(new ArrayList<>(reference.tailMap(from).keySet()).subList(0, 10), tail);
    }

    @Test
    void everyTablesKeyOrder_isTheUnsignedOrderOfItsKeyEncodings() {
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 2_000; i++) {
            // small epochs and keys differing in one byte make ties in the leading fields common
            PublicKey a = r.nextBoolean() ? StakingFixtures.key(r.nextInt(3)) : randomKey(r);
            PublicKey b = r.nextBoolean() ? StakingFixtures.key(r.nextInt(3)) : randomKey(r);
            var da = new StakingState.DelegationKey(a, b);
            var db = new StakingState.DelegationKey(b, a);
            assertEquals(Integer.signum(da.compareTo(db)), Integer.signum(Arrays.compareUnsigned(
                    StakingState.DELEGATIONS_LAYOUT.keyBytes(da), StakingState.DELEGATIONS_LAYOUT.keyBytes(db))));
            long ea = r.nextBoolean() ? r.nextInt(3) : r.nextLong(Long.MAX_VALUE);
            long eb = r.nextBoolean() ? r.nextInt(3) : r.nextLong(Long.MAX_VALUE);
            var ka = new StakingState.DebondingKey(ea, a, b);
            var kb = new StakingState.DebondingKey(eb, b, a);
            assertEquals(Integer.signum(ka.compareTo(kb)), Integer.signum(Arrays.compareUnsigned(
                    StakingState.DEBONDING_LAYOUT.keyBytes(ka), StakingState.DEBONDING_LAYOUT.keyBytes(kb))));
        }
        byte[] encoded = StakingState.DEBONDING_LAYOUT.keyBytes(new StakingState.DebondingKey(258,
                StakingFixtures.key(1), StakingFixtures.key(2)));
        assertEquals(72, encoded.length);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 2, 1}, Arrays.copyOf(encoded, 9));
    }
    /** Keys of 0..12 bytes, many sharing their first 8 bytes: a search decides by the 8-byte prefix only when it can. */
    private static final MerkleTreap.Layout<String, Long> HEX_KEYS = new MerkleTreap.Layout<>() {
        @Override
        public byte[] keyBytes(String key) {
            return java.util.HexFormat.of().parseHex(key);
        }

        @Override
        public byte[] valueBytes(Long value) {
            return new Writer(8).i64(value).toBytes();
        }

        @Override
        public long weight(Long value) {
            return value;
        }
    };

    @Test
    void keysSharingTheirFirstEightBytes_orShorterThanEight_areFoundAndOrderedAsTheirEncodings() {
        SplittableRandom r = new SplittableRandom(11);
        // hex strings of the same length compare as their bytes; lengths differ, so order by the unsigned encodings
        java.util.Comparator<String> byEncoding = (a, b) -> Arrays.compareUnsigned(HEX_KEYS.keyBytes(a),
                HEX_KEYS.keyBytes(b));
        TreeMap<String, Long> reference = new TreeMap<>(byEncoding);
        MerkleTreap<EncodedKey, Long> t = MerkleTreap.empty(ENCODED);
        String[] prefixes = {"", "00", "0000000000000000", "00000000000000ff", "ffffffffffffffff", "7f00000000000001"};
        for (int i = 0; i < 2_000; i++) {
            StringBuilder k = new StringBuilder(prefixes[r.nextInt(prefixes.length)]);
            int extra = r.nextInt(5);
            for (int j = 0; j < extra && k.length() < 24; j++) {
                k.append(String.format("%02x", r.nextInt(3) == 0 ? 0 : r.nextInt(256)));
            }
            String key = k.toString();
            long value = r.nextInt(1_000);
            if (r.nextInt(4) == 0) {
                reference.remove(key);
                t = t.remove(new EncodedKey(key));
            } else {
                reference.put(key, value);
                t = t.put(new EncodedKey(key), value);
            }
        }
        List<String> visited = new ArrayList<>();
        t.forEach((k, v) -> visited.add(k.hex()));
        assertEquals(new ArrayList<>(reference.keySet()), visited);
        for (var e : reference.entrySet()) {
            assertEquals(e.getValue(), t.get(new EncodedKey(e.getKey())), e.getKey());
        }
        assertNull(t.get(new EncodedKey("0000000000000000ab")), "absent, though its prefix ties with present keys");
        assertEquals(reference.size(), t.size());
    }

    /** A key whose order is its encoding's unsigned order (the Layout contract), with ties past 8 bytes. */
    private record EncodedKey(String hex) implements Comparable<EncodedKey> {
        @Override
        public int compareTo(EncodedKey o) {
            return Arrays.compareUnsigned(HEX_KEYS.keyBytes(hex), HEX_KEYS.keyBytes(o.hex));
        }
    }

    private static final MerkleTreap.Layout<EncodedKey, Long> ENCODED = new MerkleTreap.Layout<>() {
        @Override
        public byte[] keyBytes(EncodedKey key) {
            return HEX_KEYS.keyBytes(key.hex());
        }

        @Override
        public byte[] valueBytes(Long value) {
            return HEX_KEYS.valueBytes(value);
        }

        @Override
        public long weight(Long value) {
            return value;
        }
    };
}
