package dev.oasisj.conformance;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.registry.RuntimeId;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.scheduler.CommitteeRole;
import dev.oasisj.core.scheduler.SortingHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One committee trace model's concrete world: the constants of a {@code CommitteeSelection.tla} model (entities, nodes,
 * runtimes, genesis, parameters), the concrete keys, runtime ids and beacons the Java cores run with, and what the
 * spec's constants derived from them are: {@code EntityKey}/{@code NodeKey} (the rank of each key in Java's
 * {@link PublicKey} order, so "key ascending" means the same on both sides) and {@code Hash} (the real
 * {@link SortingHash#SHA256} of the model's beacon, epoch, runtime, role and node, cut to its first 31 bits so that it
 * fits TLC's integers; {@link #checkHashPrefixesDistinct} makes sure the cut never merges two nodes of one draw, so the
 * spec's order is exactly the full hash's order).
 *
 * <p>This class is the single source of the trace models: {@link CommitteeModelFiles} writes
 * {@code model-check/committee/<name>.tla} and {@code .cfg} from it, and {@code CommitteeModelFilesTest} fails when the
 * committed files differ. The replayer ({@link CommitteeReplayer}) and the random runs of the implementation use the
 * same keys, so the Java scheduler runs with its real hash and must reproduce the trace's committees exactly.
 */
record CommitteeWorld(String name, String comment, List<String> entities, Map<String, Long> genesisBalance,
        Map<String, Long> genesisEscrow, long genesisCommonPool, List<NodeSpec> nodes, List<RuntimeSpec> runtimes,
        long debondingDelay, long slashAmount, long rewardPerEpoch, long minValidatorStake, int maxValidators,
        int maxValidatorsPerEntity, int minValidators, int maxEpoch, List<Long> amounts, int epochWeight,
        List<String> actions) {

    /** Key seed of every concrete key (Signer.deterministic(name, KEY_SEED)). */
    static final long KEY_SEED = 9;
    static final String CHAIN_ID = "oasisj-conformance-committee";
    static final List<String> ALL_ACTIONS = List.of("Register", "Deregister", "Transfer", "AddEscrow", "ReclaimEscrow",
            "Slash", "EpochTransition");

    record NodeSpec(String name, String entity, Set<Role> roles, boolean tee, long genesisExpiry) {}

    record RuntimeSpec(String name, int workers, int backups, int allowedStragglers, int roundTimeout,
            int minPoolSize, int maxNodesPerEntity, long minStake, boolean permissioned, List<String> allowed,
            boolean teeRequired) {}

    // ------------------------------------------------------------------------------------------ the trace models

    /**
     * {@code SIMCommittee}: every action. Three entities, four validator and compute nodes (e1 owns n1 and n2, so the
     * one-validator-per-entity cap binds), r1 permissionless (2 workers, 1 backup, minPoolSize 1, one node per entity:
     * one eligible node gives "size", only e1's nodes give "cap", none "pool"), r2 permissioned to {e1, e2} with a
     * TEE and minStake 2 (n4 of e3 has a TEE: only the admission list keeps it out). Slashing and rewards move the
     * pools across the thresholds; n4 starts unregistered.
     */
    static final CommitteeWorld SIM = new CommitteeWorld("SIMCommittee",
            "Trace model of every action (see conformance/README.md, committee section).",
            List.of("e1", "e2", "e3"),
            ordered("e1", 2L, "e2", 1L, "e3", 2L), ordered("e1", 2L, "e2", 2L, "e3", 1L), 2,
            List.of(new NodeSpec("n1", "e1", Set.of(Role.VALIDATOR, Role.COMPUTE), true, 3),
                    new NodeSpec("n2", "e1", Set.of(Role.VALIDATOR, Role.COMPUTE), false, 2),
                    new NodeSpec("n3", "e2", Set.of(Role.VALIDATOR, Role.COMPUTE), true, 1),
                    new NodeSpec("n4", "e3", Set.of(Role.VALIDATOR, Role.COMPUTE), true, -1)),
            List.of(new RuntimeSpec("r1", 2, 1, 1, 1, 1, 1, 1, false, List.of(), false),
                    new RuntimeSpec("r2", 1, 1, 0, 1, 1, 1, 2, true, List.of("e1", "e2"), true)),
            1, 1, 1, 1, 2, 1, 1, 3, List.of(1L, 2L), 10, ALL_ACTIONS);

    /**
     * {@code SIMCommitteeStake}: the money actions and slashing with a longer debonding delay (2), a slashing larger than
     * most pools (3, the min binds: pools slashed out, escrow into them refused), a reward larger than the common pool
     * can pay for every validator entity; registrations fixed, two validators of different entities.
     */
    static final CommitteeWorld SIM_STAKE = new CommitteeWorld("SIMCommitteeStake",
            "Trace model of the money actions, slashing and transitions (see conformance/README.md).",
            List.of("e1", "e2", "e3"),
            ordered("e1", 3L, "e2", 2L, "e3", 1L), ordered("e1", 2L, "e2", 1L, "e3", 0L), 3,
            List.of(new NodeSpec("n1", "e1", Set.of(Role.VALIDATOR, Role.COMPUTE), false, 4),
                    new NodeSpec("n2", "e2", Set.of(Role.VALIDATOR, Role.COMPUTE), false, 4),
                    new NodeSpec("n3", "e3", Set.of(Role.VALIDATOR, Role.COMPUTE), false, 4)),
            List.of(new RuntimeSpec("r1", 1, 1, 0, 1, 2, 1, 2, false, List.of(), false)),
            2, 3, 2, 1, 3, 1, 2, 4, List.of(1L, 2L), 6,
            List.of("Transfer", "AddEscrow", "ReclaimEscrow", "Slash", "EpochTransition"));

    static final List<CommitteeWorld> ALL = List.of(SIM, SIM_STAKE);

    static CommitteeWorld byModel(String model) {
        for (CommitteeWorld w : ALL) {
            if (w.name().equals(model)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no committee world for model " + model);
    }

    private static Map<String, Long> ordered(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Long) kv[i + 1]);
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------ concrete values

    // Keys are derived once per name (an Ed25519 key derivation costs tens of microseconds, and the replay maps
    // names to keys in every step).
    private static final Map<String, Signer> SIGNERS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, RuntimeId> RUNTIME_IDS = new java.util.concurrent.ConcurrentHashMap<>();

    static Signer entitySigner(String entity) {
        return SIGNERS.computeIfAbsent("committee/entity/" + entity, n -> Signer.deterministic(n, KEY_SEED));
    }

    static Signer nodeSigner(String node) {
        return SIGNERS.computeIfAbsent("committee/node/" + node, n -> Signer.deterministic(n, KEY_SEED));
    }

    static PublicKey entityKey(String entity) {
        return entitySigner(entity).publicKey();
    }

    static PublicKey nodeKey(String node) {
        return nodeSigner(node).publicKey();
    }

    static RuntimeId runtimeId(String runtime) {
        return RUNTIME_IDS.computeIfAbsent(runtime, r -> new RuntimeId(Hash32.sha256(
                ("oasisj/conformance/committee/runtime/" + r).getBytes(StandardCharsets.UTF_8))));
    }

    /** The beacon of epoch E in every committee trace: the spec folds it into the epoch argument of Hash. */
    static Hash32 beacon(long epoch) {
        return Hash32.sha256Parts("oasisj/conformance/committee/beacon".getBytes(StandardCharsets.UTF_8),
                ByteBuffer.allocate(8).putLong(epoch).array());
    }

    NodeSpec node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    RuntimeSpec runtime(String name) {
        return runtimes.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    /** Entity names ranked by Java's key order: the spec's EntityKey (1-based). */
    Map<String, Integer> entityRanks() {
        return ranks(entities, CommitteeWorld::entityKey);
    }

    /** Node names ranked by Java's key order: the spec's NodeKey (1-based). */
    Map<String, Integer> nodeRanks() {
        return ranks(nodes.stream().map(NodeSpec::name).toList(), CommitteeWorld::nodeKey);
    }

    private static Map<String, Integer> ranks(List<String> names, java.util.function.Function<String, PublicKey> key) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Comparator.comparing(key));
        Map<String, Integer> r = new TreeMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            r.put(sorted.get(i), i + 1);
        }
        return r;
    }

    static CommitteeRole role(String kind) {
        return kind.equals("worker") ? CommitteeRole.WORKER : CommitteeRole.BACKUP;
    }

    /** The first 31 bits of the real sorting hash, as the spec's Hash[<<E, r, kind, n>>]. */
    static long hashPrefix(long epoch, String runtime, String kind, String node) {
        byte[] h = SortingHash.SHA256.hash(beacon(epoch), epoch, runtimeId(runtime), role(kind), nodeKey(node))
                .toBytes();
        long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
        return v >>> 1;
    }

    /** Within each draw (epoch, runtime, kind) the 31-bit prefixes are distinct, so they order as the full hashes. */
    void checkHashPrefixesDistinct() {
        for (long e = 0; e <= maxEpoch; e++) {
            for (RuntimeSpec r : runtimes) {
                for (String k : List.of("worker", "backup")) {
                    java.util.Set<Long> seen = new java.util.HashSet<>();
                    for (NodeSpec n : nodes) {
                        if (!seen.add(hashPrefix(e, r.name(), k, n.name()))) {
                            throw new IllegalStateException(name + ": two nodes share a 31-bit hash prefix in epoch "
                                    + e + " " + r.name() + " " + k + ": choose other names");
                        }
                    }
                }
            }
        }
    }
}
