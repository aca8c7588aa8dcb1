package dev.oasisj.conformance;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.registry.RegisteredNode;
import dev.oasisj.core.registry.RegisteredRuntime;
import dev.oasisj.core.registry.RegistryCodecs;
import dev.oasisj.core.registry.RegistryState;
import dev.oasisj.core.staking.Delegation;
import dev.oasisj.core.staking.DebondingEntry;
import dev.oasisj.core.staking.StakingState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The state roots of the staking and registry cores computed a second time, from their contents alone and from the
 * definitions written in their class comments ({@code StakingState}, {@code MerkleTreap}, {@code RegistryState}), with
 * none of their code: no tree, no cached hash, no rotation. The replay compares the cores' roots with these at every
 * state, so a change to how the cores shape their trees or hash their nodes that keeps the contents (which the
 * refinement mapping sees) is caught: without this, the roots were checked only against each other (equal abstract
 * states have equal roots; a changed state changes its root), which a consistent change of the root format passes.
 *
 * <p>Contents are read through the cores' public API (accounts, pools, delegations, debonding entries; entities,
 * nodes, runtimes, freezes); the encodings of a node descriptor and a runtime registration are their codecs', which
 * the codec checks of the replay cover.
 */
final class CommitteeRootModel {
    private CommitteeRootModel() {}

    /** A table entry: its key and value encodings. */
    private record Entry(byte[] key, byte[] value) {}

    /** The staking root: the definition in {@code StakingState}'s class comment. */
    static Hash32 stakingRoot(StakingState st) {
        List<Entry> accounts = new ArrayList<>();
        st.forEachAccount((k, a) -> accounts.add(new Entry(k.toBytes(),
                new Writer().i64(a.generalBalanceBaseUnits()).i64(a.nonce()).toBytes())));
        List<Entry> pools = new ArrayList<>();
        st.forEachEscrowPool((k, p) -> pools.add(new Entry(k.toBytes(),
                new Writer().i64(p.activeBalanceBaseUnits()).i64(p.totalShares()).toBytes())));
        List<Entry> delegations = new ArrayList<>();
        for (Delegation d : st.delegations()) {
            delegations.add(new Entry(new Writer().fixed(d.entity().toBytes()).fixed(d.delegator().toBytes()).toBytes(),
                    new Writer().i64(d.shares()).toBytes()));
        }
        List<Entry> debonding = new ArrayList<>();
        for (DebondingEntry d : st.debondingEntries()) {
            debonding.add(new Entry(new Writer().i64(d.endEpoch()).fixed(d.delegator().toBytes())
                    .fixed(d.entity().toBytes()).toBytes(), new Writer().i64(d.amountBaseUnits()).toBytes()));
        }
        return Hash32.sha256Parts("oasisj/staking/v1".getBytes(StandardCharsets.UTF_8),
                i64(st.parameters().debondingDelayEpochs()), i64(st.parameters().rewardPerEpochBaseUnits()),
                i64(st.epoch()), i64(st.totalSupplyBaseUnits()), i64(st.commonPoolBaseUnits()), treapRoot(accounts),
                treapRoot(pools), treapRoot(delegations), treapRoot(debonding));
    }

    /**
     * A Merkle treap's root over entries in any order: the treap of a set of keys is unique (the node of a key range
     * is its entry of the highest priority, the first 8 bytes of SHA-256 of its key read unsigned, a tie going to the
     * greater key); the empty tree hashes to 32 zero bytes, a node to {@code SHA-256(0x01 || hash(left) || len(key) ||
     * key || len(value) || value || hash(right))} with 4-byte big-endian lengths.
     */
    static byte[] treapRoot(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
        return node(sorted, 0, sorted.size());
    }

    private static byte[] node(List<Entry> sorted, int from, int to) {
        if (from >= to) {
            return new byte[32];
        }
        int top = from;
        for (int i = from + 1; i < to; i++) {
            int c = Long.compareUnsigned(priority(sorted.get(i).key()), priority(sorted.get(top).key()));
            if (c > 0 || (c == 0 && Arrays.compareUnsigned(sorted.get(i).key(), sorted.get(top).key()) > 0)) {
                top = i;
            }
        }
        Entry e = sorted.get(top);
        MessageDigest d = Hash32.newSha256();
        d.update((byte) 0x01);
        d.update(node(sorted, from, top));
        d.update(i32(e.key().length));
        d.update(e.key());
        d.update(i32(e.value().length));
        d.update(e.value());
        d.update(node(sorted, top + 1, to));
        return d.digest();
    }

    private static long priority(byte[] key) {
        byte[] h = Hash32.sha256(key).toBytes();
        return java.nio.ByteBuffer.wrap(h, 0, 8).getLong();
    }

    /** The registry root: the definition in {@code RegistryState}'s class comment. */
    static Hash32 registryRoot(RegistryState reg) {
        List<byte[]> entities = new ArrayList<>();
        for (PublicKey k : reg.entities()) {
            entities.add(k.toBytes());
        }
        List<byte[]> nodes = new ArrayList<>();
        List<byte[]> nodeKeys = new ArrayList<>();
        for (RegisteredNode n : reg.nodes()) {
            nodes.add(n.descriptor().encode());
            nodeKeys.add(n.descriptor().nodeKey().toBytes());
        }
        List<byte[]> runtimes = new ArrayList<>();
        List<byte[]> runtimeIds = new ArrayList<>();
        for (RegisteredRuntime r : reg.runtimes()) {
            runtimes.add(new Writer().fixed(r.owner().toBytes())
                    .fixed(RegistryCodecs.REGISTER_RUNTIME.encode(r.descriptor())).toBytes());
            runtimeIds.add(r.descriptor().id().value().toBytes());
        }
        List<byte[]> freezes = new ArrayList<>();
        for (Map.Entry<PublicKey, Long> f : reg.freezes().entrySet()) {
            freezes.add(new Writer().fixed(f.getKey().toBytes()).i64(f.getValue()).toBytes());
        }
        return Hash32.sha256Parts("oasisj/registry/state/v2".getBytes(StandardCharsets.UTF_8),
                listRoot(entities, entities), listRoot(nodes, nodeKeys), listRoot(runtimes, runtimeIds),
                listRoot(freezes, freezes));
    }

    /** {@code SHA-256(count || (len || encoding)...)}, the encodings in the unsigned order of their keys. */
    private static byte[] listRoot(List<byte[]> encodings, List<byte[]> keys) {
        Integer[] order = new Integer[encodings.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys.get(a), keys.get(b)));
        MessageDigest d = Hash32.newSha256();
        d.update(i32(encodings.size()));
        for (int i : order) {
            d.update(i32(encodings.get(i).length));
            d.update(encodings.get(i));
        }
        return d.digest();
    }

    private static byte[] i32(int v) {
        return java.nio.ByteBuffer.allocate(4).putInt(v).array();
    }

    private static byte[] i64(long v) {
        return java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }
}
