package dev.oasisj.core.services;

import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.StateEntry;
import dev.oasisj.core.beacon.BeaconRound;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.EcVrf;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisteredNode;
import dev.oasisj.core.registry.RegisteredRuntime;
import dev.oasisj.core.registry.RegistryCodecs;
import dev.oasisj.core.registry.RegistryState;
import dev.oasisj.core.registry.RuntimeId;
import dev.oasisj.core.scheduler.CommitteeElection;
import dev.oasisj.core.scheduler.RuntimeCommittee;
import dev.oasisj.core.scheduler.SuspensionReason;
import dev.oasisj.core.scheduler.Validator;
import dev.oasisj.core.scheduler.ValidatorElection;
import dev.oasisj.core.staking.DebondingEntry;
import dev.oasisj.core.staking.Delegation;
import dev.oasisj.core.staking.EscrowPool;
import dev.oasisj.core.staking.StakingAccount;
import dev.oasisj.core.staking.StakingState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The services' state as snapshot entries, and back. Every entry's first key byte names its namespace and table, so
 * the namespaces follow each other in the fixed order of {@link ServicesState}; within a table keys ascend.
 *
 * <table>
 *   <caption>Entries (integers 8 bytes big-endian unless noted)</caption>
 *   <tr><th>key</th><th>value</th></tr>
 *   <tr><td>{@code 00}</td><td>height, beacon (32)</td></tr>
 *   <tr><td>{@code 10}</td><td>staking: epoch, total supply, common pool</td></tr>
 *   <tr><td>{@code 11} account key</td><td>general balance, nonce</td></tr>
 *   <tr><td>{@code 12} entity key</td><td>escrow pool balance, total shares</td></tr>
 *   <tr><td>{@code 13} SHA-256(entity, delegator)</td><td>entity, delegator, shares</td></tr>
 *   <tr><td>{@code 14} SHA-256(end, delegator, entity)</td><td>end epoch, delegator, entity, amount</td></tr>
 *   <tr><td>{@code 21} entity key</td><td>empty</td></tr>
 *   <tr><td>{@code 22} node key</td><td>descriptor encoding</td></tr>
 *   <tr><td>{@code 23} runtime id, part (1 byte)</td><td>a part of at most 192 bytes of: owner key, the
 *       {@code registry.RegisterRuntime} encoding</td></tr>
 *   <tr><td>{@code 24} node key</td><td>a freeze: the first epoch no longer frozen (at least 1), of a registered
 *       node or not</td></tr>
 *   <tr><td>{@code 31} validator key</td><td>its accepted VRF output (64) in the current round</td></tr>
 *   <tr><td>{@code 40}</td><td>validator election epoch, kept (1 byte), qualified (4); committee epoch, beacon</td></tr>
 *   <tr><td>{@code 41} index (2 bytes)</td><td>validator node, entity, power (set order)</td></tr>
 *   <tr><td>{@code 42} runtime id, role (1 byte: 0 worker, 1 backup), index (2 bytes)</td><td>node key</td></tr>
 *   <tr><td>{@code 43} runtime id</td><td>elected: empty; suspended: the reason's name, then its detail (together at
 *       most 192 bytes, the detail cut to fit)</td></tr>
 *   <tr><td>{@code 44} epoch</td><td>a kept past committee election: its beacon (32)</td></tr>
 *   <tr><td>{@code 45} epoch, then as {@code 42}</td><td>as {@code 42}, of that past election</td></tr>
 *   <tr><td>{@code 46} epoch, then as {@code 43}</td><td>as {@code 43}, of that past election</td></tr>
 *   <tr><td>{@code 51} validator key, height</td><td>empty (a punished offence)</td></tr>
 *   <tr><td>{@code 61} validator key</td><td>empty (it signed a block of this epoch)</td></tr>
 * </table>
 * Delegation and debonding keys are hashes because their natural keys (64 and 72 bytes) exceed
 * {@link StateEntry#MAX_KEY_BYTES}; the value holds the natural key. {@link #restore} refuses anything else: an
 * unknown key byte, a wrong size, a missing part, and every rule of the services' states.
 */
public final class ServicesSnapshot {
    private static final int META = 0x00;
    private static final int STAKING_META = 0x10;
    private static final int ACCOUNT = 0x11;
    private static final int POOL = 0x12;
    private static final int DELEGATION = 0x13;
    private static final int DEBONDING = 0x14;
    private static final int ENTITY = 0x21;
    private static final int NODE = 0x22;
    private static final int RUNTIME_PART = 0x23;
    private static final int FREEZE = 0x24;
    private static final int BETA = 0x31;
    private static final int SCHEDULER_META = 0x40;
    private static final int VALIDATOR = 0x41;
    private static final int MEMBER = 0x42;
    private static final int COMMITTEE = 0x43;
    private static final int PAST_ELECTION = 0x44;
    private static final int PAST_MEMBER = 0x45;
    private static final int PAST_COMMITTEE = 0x46;
    private static final int OFFENCE = 0x51;
    private static final int SIGNER = 0x61;

    private ServicesSnapshot() {}

    /** The snapshot of {@code s}, its entries built on the first request. */
    static Application.Snapshot of(ServicesState s) {
        return new Application.Snapshot() {
            private @Nullable List<StateEntry> entries;

            @Override
            public int entryCount() {
                return entries().size();
            }

            @Override
            public List<StateEntry> entries() {
                List<StateEntry> e = entries;
                if (e == null) {
                    e = entriesOf(s);
                    entries = e;
                }
                return e;
            }
        };
    }

    /** The entries of {@code s}, in ascending key order. */
    static List<StateEntry> entriesOf(ServicesState s) {
        TreeMap<byte[], byte[]> m = new TreeMap<>(Arrays::compareUnsigned);
        m.put(key(META), new Writer().i64(s.height()).fixed(s.beacon().toBytes()).toBytes());
        StakingState st = s.staking();
        m.put(key(STAKING_META), new Writer().i64(st.epoch()).i64(st.totalSupplyBaseUnits())
                .i64(st.commonPoolBaseUnits()).toBytes());
        st.forEachAccount((k, a) -> m.put(key(ACCOUNT, k.toBytes()),
                new Writer().i64(a.generalBalanceBaseUnits()).i64(a.nonce()).toBytes()));
        st.forEachEscrowPool((k, p) -> m.put(key(POOL, k.toBytes()),
                new Writer().i64(p.activeBalanceBaseUnits()).i64(p.totalShares()).toBytes()));
        for (Delegation d : st.delegations()) {
            byte[] natural = new Writer().fixed(d.entity().toBytes()).fixed(d.delegator().toBytes()).toBytes();
            m.put(key(DELEGATION, Hash32.sha256(natural).toBytes()),
                    new Writer().fixed(natural).i64(d.shares()).toBytes());
        }
        for (DebondingEntry d : st.debondingEntries()) {
            byte[] natural = new Writer().i64(d.endEpoch()).fixed(d.delegator().toBytes()).fixed(d.entity().toBytes())
                    .toBytes();
            m.put(key(DEBONDING, Hash32.sha256(natural).toBytes()),
                    new Writer().fixed(natural).i64(d.amountBaseUnits()).toBytes());
        }
        RegistryState reg = s.registry();
        for (PublicKey e : reg.entities()) {
            m.put(key(ENTITY, e.toBytes()), new byte[0]);
        }
        for (RegisteredNode n : reg.nodes()) {
            m.put(key(NODE, n.descriptor().nodeKey().toBytes()), n.descriptor().encode());
        }
        reg.freezes().forEach((k, until) -> m.put(key(FREEZE, k.toBytes()), new Writer().i64(until).toBytes()));
        for (RegisteredRuntime r : reg.runtimes()) {
            byte[] whole = new Writer().fixed(r.owner().toBytes())
                    .fixed(RegistryCodecs.REGISTER_RUNTIME.encode(r.descriptor())).toBytes();
            byte[] id = r.descriptor().id().value().toBytes();
            for (int part = 0; part * StateEntry.MAX_VALUE_BYTES < whole.length; part++) {
                int from = part * StateEntry.MAX_VALUE_BYTES;
                m.put(key(RUNTIME_PART, id, new byte[] {(byte) part}),
                        Arrays.copyOfRange(whole, from, Math.min(whole.length, from + StateEntry.MAX_VALUE_BYTES)));
            }
        }
        BeaconRound round = s.beaconRound();
        for (PublicKey k : round.contributors()) {
            m.put(key(BETA, k.toBytes()), round.betaOf(k).orElseThrow());
        }
        ValidatorElection ve = s.validators();
        CommitteeElection ce = s.committees();
        m.put(key(SCHEDULER_META), new Writer().i64(ve.epoch()).u8(ve.keptPrevious() ? 1 : 0).i32(ve.qualified())
                .i64(ce.epoch()).fixed(ce.beacon().toBytes()).toBytes());
        for (int i = 0; i < ve.validators().size(); i++) {
            Validator v = ve.validators().get(i);
            m.put(key(VALIDATOR, index(i)), new Writer().fixed(v.node().toBytes()).fixed(v.entity().toBytes())
                    .i64(v.votingPower()).toBytes());
        }
        putElection(m, MEMBER, COMMITTEE, new byte[0], ce);
        s.pastCommittees().forEach((epoch, election) -> {
            byte[] prefix = new Writer(8).i64(epoch).toBytes();
            m.put(key(PAST_ELECTION, prefix), election.beacon().toBytes());
            putElection(m, PAST_MEMBER, PAST_COMMITTEE, prefix, election);
        });
        for (ServicesState.Offence o : s.punished()) {
            m.put(key(OFFENCE, o.validator().toBytes(), new Writer().i64(o.height()).toBytes()), new byte[0]);
        }
        for (PublicKey k : s.signers()) {
            m.put(key(SIGNER, k.toBytes()), new byte[0]);
        }
        List<StateEntry> out = new ArrayList<>(m.size());
        m.forEach((k, v) -> out.add(new StateEntry(k, v)));
        return List.copyOf(out);
    }

    /** The members and committee entries of {@code ce}, their keys starting with {@code tag} and {@code prefix}. */
    private static void putElection(TreeMap<byte[], byte[]> m, int memberTag, int committeeTag, byte[] prefix,
            CommitteeElection ce) {
        for (RuntimeCommittee c : ce.committees().values()) {
            byte[] id = c.runtime().value().toBytes();
            if (c instanceof RuntimeCommittee.Elected el) {
                m.put(key(committeeTag, prefix, id), new byte[0]);
                for (int i = 0; i < el.workers().size(); i++) {
                    m.put(key(memberTag, prefix, id, new byte[] {0}, index(i)), el.workers().get(i).toBytes());
                }
                for (int i = 0; i < el.backups().size(); i++) {
                    m.put(key(memberTag, prefix, id, new byte[] {1}, index(i)), el.backups().get(i).toBytes());
                }
            } else if (c instanceof RuntimeCommittee.Suspended su) {
                m.put(key(committeeTag, prefix, id), suspension(su));
            }
        }
    }

    /** One committee election's entries while restoring (a runtime's members come before its committee entry). */
    private static final class ElectionEntries {
        final TreeMap<RuntimeId, RuntimeCommittee> committees = new TreeMap<>();
        final TreeMap<RuntimeId, List<List<PublicKey>>> members = new TreeMap<>();
        Hash32 beacon = Hash32.ZERO;

        void member(Reader key, Reader v) throws DecodeException {
            RuntimeId id = RuntimeId.of(key.fixed(Hash32.SIZE_BYTES, "member.runtime"));
            int role = key.u8("member.role");
            int i = (key.u8("index") << 8) | key.u8("index");
            List<List<PublicKey>> groups = members.computeIfAbsent(id, x -> List.of(new ArrayList<>(),
                    new ArrayList<>()));
            if (role > 1 || i != groups.get(role).size()) {
                throw new IllegalArgumentException("services snapshot: member " + role + "/" + i + " of " + id
                        + " out of order");
            }
            groups.get(role).add(PublicKey.of(v.fixed(PublicKey.SIZE_BYTES, "member.node")));
        }

        void committee(Reader key, Reader v, byte[] value) throws DecodeException {
            RuntimeId id = RuntimeId.of(key.fixed(Hash32.SIZE_BYTES, "committee.runtime"));
            if (value.length == 0) {
                List<List<PublicKey>> groups = members.getOrDefault(id, List.of(List.of(), List.of()));
                committees.put(id, new RuntimeCommittee.Elected(id, groups.get(0), groups.get(1)));
                members.remove(id);
            } else {
                String reason = v.string(StateEntry.MAX_VALUE_BYTES, "committee.reason");
                String detail = v.string(StateEntry.MAX_VALUE_BYTES, "committee.detail");
                try {
                    committees.put(id, new RuntimeCommittee.Suspended(id, SuspensionReason.valueOf(reason), detail));
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("services snapshot: unknown suspension " + reason, bad);
                }
            }
        }

        CommitteeElection election(long epoch) {
            if (!members.isEmpty()) {
                throw new IllegalArgumentException("services snapshot: members of a runtime with no committee entry"
                        + " (epoch " + epoch + ")");
            }
            return new CommitteeElection(epoch, beacon, committees);
        }
    }

    /** The past election of the epoch a key starts with; its {@code 44} entry comes first (keys ascend). */
    private static ElectionEntries pastElection(TreeMap<Long, ElectionEntries> past, Reader key)
            throws DecodeException {
        long epoch = key.i64("past.epoch");
        ElectionEntries e = past.get(epoch);
        if (e == null) {
            throw new IllegalArgumentException("services snapshot: a committee of past epoch " + epoch
                    + " without its election entry");
        }
        return e;
    }

    private static byte[] suspension(RuntimeCommittee.Suspended su) {
        byte[] name = su.reason().name().getBytes(StandardCharsets.UTF_8);
        // reason (4 + name) and detail (4 + bytes) within one value; the detail is ASCII (counts), cut to fit
        int room = StateEntry.MAX_VALUE_BYTES - 8 - name.length;
        String detail = su.detail().length() > room ? su.detail().substring(0, room) : su.detail();
        return new Writer().string(su.reason().name()).string(detail).toBytes();
    }

    private static byte[] key(int tag, byte[]... parts) {
        Writer w = new Writer().u8(tag);
        for (byte[] p : parts) {
            w.fixed(p);
        }
        return w.toBytes();
    }

    private static byte[] index(int i) {
        return new byte[] {(byte) (i >>> 8), (byte) i};
    }

    // ------------------------------------------------------------------------------------------ restore

    /**
     * The state of {@code entries} (ascending keys, the form {@link #entriesOf} writes). Only the canonical form is
     * accepted: the restored state's own entries must be exactly {@code entries}, so a key that is not the one its
     * value derives (a delegation's hash, a node's key), or any other second encoding of a state, is refused (found by
     * the {@code services-snapshot} fuzz target: a delegation whose key did not match its value was accepted).
     *
     * @throws IllegalArgumentException naming the first entry or rule that is wrong
     */
    static ServicesState restore(ServiceMultiplexer mux, List<StateEntry> entries) {
        ServicesState s;
        try {
            s = restoreOrThrow(mux, entries);
        } catch (DecodeException | ArithmeticException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("services snapshot: " + e.getMessage(), e);
        }
        List<StateEntry> canonical = entriesOf(s);
        for (int i = 0; i < Math.min(canonical.size(), entries.size()); i++) {
            if (!canonical.get(i).equals(entries.get(i))) {
                throw new IllegalArgumentException("services snapshot: entry " + i + " (key "
                        + HexFormat.of().formatHex(entries.get(i).key()) + ") is not the canonical encoding of the "
                        + "state the entries describe");
            }
        }
        if (canonical.size() != entries.size()) {
            throw new IllegalArgumentException("services snapshot: " + entries.size() + " entries describe a state of "
                    + canonical.size());
        }
        return s;
    }

    private static ServicesState restoreOrThrow(ServiceMultiplexer mux, List<StateEntry> entries)
            throws DecodeException {
        long height = -1;
        Hash32 beacon = Hash32.ZERO;
        long epoch = -1;
        long supply = 0;
        long commonPool = 0;
        TreeMap<PublicKey, StakingAccount> accounts = new TreeMap<>();
        TreeMap<PublicKey, EscrowPool> pools = new TreeMap<>();
        List<Delegation> delegations = new ArrayList<>();
        List<DebondingEntry> debonding = new ArrayList<>();
        List<PublicKey> entities = new ArrayList<>();
        List<NodeDescriptor> nodes = new ArrayList<>();
        TreeMap<PublicKey, Long> freezes = new TreeMap<>();
        TreeMap<Hash32, List<byte[]>> runtimeParts = new TreeMap<>();
        TreeMap<PublicKey, byte[]> betas = new TreeMap<>();
        long veEpoch = -1;
        boolean kept = false;
        int qualified = 0;
        long ceEpoch = -1;
        List<Validator> validators = new ArrayList<>();
        ElectionEntries current = new ElectionEntries();
        TreeMap<Long, ElectionEntries> past = new TreeMap<>();
        TreeSet<ServicesState.Offence> punished = new TreeSet<>();
        TreeSet<PublicKey> signers = new TreeSet<>();
        @Nullable StateEntry previous = null;
        for (StateEntry e : entries) {
            if (previous != null && StateEntry.compareKeys(previous, e) >= 0) {
                throw new IllegalArgumentException("services snapshot: keys not strictly ascending");
            }
            previous = e;
            byte[] k = e.key();
            if (k.length == 0) {
                throw new IllegalArgumentException("services snapshot: an empty key");
            }
            Reader key = new Reader(Arrays.copyOfRange(k, 1, k.length));
            Reader v = new Reader(e.value());
            int tag = k[0] & 0xff;
            switch (tag) {
                case META -> {
                    height = v.i64("height");
                    beacon = Hash32.of(v.fixed(Hash32.SIZE_BYTES, "beacon"));
                }
                case STAKING_META -> {
                    epoch = v.i64("staking.epoch");
                    supply = v.i64("staking.totalSupply");
                    commonPool = v.i64("staking.commonPool");
                }
                case ACCOUNT -> accounts.put(readKey(key, "account"),
                        new StakingAccount(nonNegative(v.i64("balance")), nonNegative(v.i64("nonce"))));
                case POOL -> pools.put(readKey(key, "pool"),
                        new EscrowPool(nonNegative(v.i64("pool.balance")), nonNegative(v.i64("pool.shares"))));
                case DELEGATION -> {
                    key.fixed(Hash32.SIZE_BYTES, "delegation.key");
                    delegations.add(new Delegation(readKey(v, "delegation.entity"), readKey(v, "delegation.delegator"),
                            v.i64("delegation.shares")));
                }
                case DEBONDING -> {
                    key.fixed(Hash32.SIZE_BYTES, "debonding.key");
                    long end = v.i64("debonding.end");
                    PublicKey delegator = readKey(v, "debonding.delegator");
                    PublicKey entity = readKey(v, "debonding.entity");
                    debonding.add(new DebondingEntry(delegator, entity, v.i64("debonding.amount"), end));
                }
                case ENTITY -> entities.add(readKey(key, "entity"));
                case NODE -> {
                    readKey(key, "node");
                    nodes.add(RegistryCodecs.readNodeDescriptor(v));
                }
                case FREEZE -> freezes.put(readKey(key, "freeze"), v.i64("freeze.until"));
                case RUNTIME_PART -> {
                    Hash32 id = Hash32.of(key.fixed(Hash32.SIZE_BYTES, "runtime.id"));
                    int part = key.u8("runtime.part");
                    List<byte[]> parts = runtimeParts.computeIfAbsent(id, x -> new ArrayList<>());
                    if (part != parts.size()) {
                        throw new IllegalArgumentException("services snapshot: runtime " + id.shortHex() + " part "
                                + part + " out of order");
                    }
                    parts.add(e.value());
                    v = new Reader(new byte[0]);
                }
                case BETA -> betas.put(readKey(key, "beta"), v.fixed(EcVrf.OUTPUT_SIZE_BYTES, "beta"));
                case SCHEDULER_META -> {
                    veEpoch = v.i64("validators.epoch");
                    kept = v.u8("validators.kept") == 1;
                    qualified = v.i32("validators.qualified");
                    ceEpoch = v.i64("committees.epoch");
                    current.beacon = Hash32.of(v.fixed(Hash32.SIZE_BYTES, "committees.beacon"));
                }
                case VALIDATOR -> {
                    int i = (key.u8("index") << 8) | key.u8("index");
                    if (i != validators.size()) {
                        throw new IllegalArgumentException("services snapshot: validator " + i + " out of order");
                    }
                    validators.add(new Validator(readKey(v, "validator.node"), readKey(v, "validator.entity"),
                            v.i64("validator.power")));
                }
                case MEMBER -> current.member(key, v);
                case COMMITTEE -> current.committee(key, v, e.value());
                case PAST_ELECTION -> {
                    long pastEpoch = key.i64("past.epoch");
                    ElectionEntries pe = new ElectionEntries();
                    pe.beacon = Hash32.of(v.fixed(Hash32.SIZE_BYTES, "past.beacon"));
                    past.put(pastEpoch, pe);
                }
                case PAST_MEMBER -> pastElection(past, key).member(key, v);
                case PAST_COMMITTEE -> pastElection(past, key).committee(key, v, e.value());
                case OFFENCE -> punished.add(new ServicesState.Offence(readKey(key, "offence.validator"),
                        key.i64("offence.height")));
                case SIGNER -> signers.add(readKey(key, "signer"));
                default -> throw new IllegalArgumentException("services snapshot: unknown entry tag " + tag);
            }
            key.end("services snapshot key");
            v.end("services snapshot value");
        }
        if (height < 0 || epoch < 0 || veEpoch < 0 || validators.isEmpty()) {
            throw new IllegalArgumentException("services snapshot: the height, staking or scheduler entry is missing");
        }
        CommitteeElection committees = current.election(ceEpoch);
        TreeMap<Long, CommitteeElection> pastCommittees = new TreeMap<>();
        for (Map.Entry<Long, ElectionEntries> p : past.entrySet()) {
            pastCommittees.put(p.getKey(), p.getValue().election(p.getKey()));
        }
        StakingState staking = StakingState.restore(mux.parameters().staking(), epoch, supply, commonPool, accounts,
                pools, delegations, debonding);
        List<RegisteredRuntime> runtimes = new ArrayList<>();
        for (Map.Entry<Hash32, List<byte[]>> e : runtimeParts.entrySet()) {
            Writer whole = new Writer();
            e.getValue().forEach(whole::fixed);
            Reader r = new Reader(whole.toBytes());
            PublicKey owner = readKey(r, "runtime.owner");
            byte[] rest = r.fixed(whole.toBytes().length - PublicKey.SIZE_BYTES, "runtime.descriptor");
            var d = RegistryCodecs.REGISTER_RUNTIME.decode(rest);
            if (!d.id().value().equals(e.getKey())) {
                throw new IllegalArgumentException("services snapshot: runtime entry " + e.getKey().shortHex()
                        + " holds " + d.id());
            }
            runtimes.add(new RegisteredRuntime(d, owner));
        }
        List<RegisteredNode> registered = new ArrayList<>(nodes.size());
        for (NodeDescriptor d : nodes) {
            registered.add(new RegisteredNode(d, freezes.getOrDefault(d.nodeKey(), 0L)));
        }
        RegistryState registry = RegistryState.of(entities, registered, runtimes, freezes);
        ValidatorElection ve = new ValidatorElection(veEpoch, validators, kept, qualified);
        TreeMap<PublicKey, Long> powers = ServiceMultiplexer.powers(ve);
        BeaconRound round = BeaconRound.restore(mux.chainId(), epoch, beacon, powers, betas);
        for (PublicKey k : signers) {
            if (!powers.containsKey(k)) {
                throw new IllegalArgumentException("services snapshot: signer " + k.shortId()
                        + " is not a validator of the epoch");
            }
        }
        return new ServicesState(height, staking, registry, beacon, round, ve, committees, pastCommittees, punished,
                signers);
    }

    private static PublicKey readKey(Reader r, String field) throws DecodeException {
        return PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, field));
    }

    private static long nonNegative(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("services snapshot: a negative amount " + v);
        }
        return v;
    }
}
