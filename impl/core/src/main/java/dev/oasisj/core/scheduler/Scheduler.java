package dev.oasisj.core.scheduler;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.registry.EscrowBalances;
import dev.oasisj.core.registry.RegisteredNode;
import dev.oasisj.core.registry.RegisteredRuntime;
import dev.oasisj.core.registry.RegistryState;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.registry.RuntimeDescriptor;
import dev.oasisj.core.registry.RuntimeId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The elections of {@code spec/committee/SEMANTICS.md} ("Epochs and elections"), as pure functions of the registry, the
 * entities' escrow, the epoch and (for committees) the beacon and the sorting hash. Every result is checked against
 * the invariants it must satisfy ({@code [SCHED-ELIGIBLE]}, {@code [SCHED-SIZE]}, {@code [SCHED-ENTITY-CAP]},
 * {@code [SCHED-ADMISSION]}, and for validators the eligibility and caps of {@code [SCHED-VALIDATORS]}) before it is
 * returned; a violation throws {@link Invariant.ViolationException} (a bug here, never bad input).
 *
 * <p>{@code epoch} is always the epoch the result is for (the seam elects for E+1 at the end of E).
 */
public final class Scheduler {
    private Scheduler() {}

    /**
     * Eligible for the committees of {@code runtime} in {@code epoch}: registered in the epoch, the compute role, not
     * frozen, its entity's active escrow at least {@code minStakeBaseUnits}, a TEE if the runtime requires one, and
     * an entity the runtime admits.
     */
    public static boolean isEligible(RegisteredNode node, RuntimeDescriptor runtime, long epoch,
            EscrowBalances escrow) {
        PublicKey entity = node.descriptor().entity();
        return node.isRegisteredIn(epoch)
                && node.descriptor().hasRole(Role.COMPUTE)
                && !node.isFrozenIn(epoch)
                && escrow.activeEscrowBaseUnits(entity) >= runtime.minStakeBaseUnits()
                && (!runtime.teeRequired() || node.descriptor().teeCapable())
                && runtime.admission().allows(entity);
    }

    /** The eligible nodes of {@code runtime} in {@code epoch}, by node key ascending. */
    public static List<RegisteredNode> eligibleNodes(RegistryState registry, RuntimeDescriptor runtime, long epoch,
            EscrowBalances escrow) {
        List<RegisteredNode> eligible = new ArrayList<>();
        for (RegisteredNode node : registry.nodes()) {
            if (isEligible(node, runtime, epoch, escrow)) {
                eligible.add(node);
            }
        }
        return eligible;
    }

    /** Every registered runtime's committee (or suspension) for {@code epoch}, drawn with {@code beacon}. */
    public static CommitteeElection electCommittees(RegistryState registry, long epoch, Hash32 beacon,
            EscrowBalances escrow, SortingHash hash) {
        TreeMap<RuntimeId, RuntimeCommittee> committees = new TreeMap<>();
        for (RegisteredRuntime rt : registry.runtimes()) {
            committees.put(rt.descriptor().id(), electCommittee(registry, rt.descriptor(), epoch, beacon, escrow,
                    hash));
        }
        return new CommitteeElection(epoch, beacon, committees);
    }

    /**
     * One runtime's committee for {@code epoch}. Suspended when, in this order: the eligible pool is smaller than
     * {@code minPoolSize}, than {@code workers}, than {@code backups}; the entity cap leaves the worker group short;
     * it leaves the backup group short. Otherwise each group is drawn independently by {@link #drawGroup}.
     */
    public static RuntimeCommittee electCommittee(RegistryState registry, RuntimeDescriptor runtime, long epoch,
            Hash32 beacon, EscrowBalances escrow, SortingHash hash) {
        List<RegisteredNode> pool = eligibleNodes(registry, runtime, epoch, escrow);
        RuntimeId id = runtime.id();
        int n = pool.size();
        if (n < runtime.minPoolSize()) {
            return new RuntimeCommittee.Suspended(id, SuspensionReason.POOL_BELOW_MIN_POOL_SIZE,
                    n + " eligible nodes, minPoolSize " + runtime.minPoolSize());
        }
        if (n < runtime.workers()) {
            return new RuntimeCommittee.Suspended(id, SuspensionReason.POOL_BELOW_WORKERS,
                    n + " eligible nodes, workers " + runtime.workers());
        }
        if (n < runtime.backups()) {
            return new RuntimeCommittee.Suspended(id, SuspensionReason.POOL_BELOW_BACKUPS,
                    n + " eligible nodes, backups " + runtime.backups());
        }
        List<PublicKey> workers = drawGroup(pool, runtime, epoch, beacon, CommitteeRole.WORKER, hash);
        if (workers.size() < runtime.workers()) {
            return new RuntimeCommittee.Suspended(id, SuspensionReason.ENTITY_CAP_LEAVES_WORKERS_SHORT,
                    workers.size() + " of " + runtime.workers() + " workers under maxNodesPerEntity "
                            + runtime.maxNodesPerEntity());
        }
        List<PublicKey> backups = drawGroup(pool, runtime, epoch, beacon, CommitteeRole.BACKUP, hash);
        if (backups.size() < runtime.backups()) {
            return new RuntimeCommittee.Suspended(id, SuspensionReason.ENTITY_CAP_LEAVES_BACKUPS_SHORT,
                    backups.size() + " of " + runtime.backups() + " backups under maxNodesPerEntity "
                            + runtime.maxNodesPerEntity());
        }
        RuntimeCommittee.Elected elected = new RuntimeCommittee.Elected(id, workers, backups);
        checkCommittee(registry, runtime, epoch, escrow, elected);
        return elected;
    }

    private record Ranked(Hash32 sortKey, RegisteredNode node) {}

    private static final Comparator<Ranked> BY_HASH_THEN_KEY = Comparator.comparing(Ranked::sortKey)
            .thenComparing(r -> r.node().descriptor().nodeKey());

    /**
     * Draws one group of {@code role}'s size from {@code pool}: the nodes sorted by
     * {@code hash(beacon, epoch, runtime, role, node)} ascending, ties by node key ascending, taken in that order,
     * skipping a node whose entity already has {@code maxNodesPerEntity} nodes in the group, until the group is full
     * or the pool exhausted (then the group is short, and the caller suspends the runtime).
     */
    static List<PublicKey> drawGroup(List<RegisteredNode> pool, RuntimeDescriptor runtime, long epoch, Hash32 beacon,
            CommitteeRole role, SortingHash hash) {
        int size = role == CommitteeRole.WORKER ? runtime.workers() : runtime.backups();
        List<Ranked> ranked = new ArrayList<>(pool.size());
        for (RegisteredNode node : pool) {
            ranked.add(new Ranked(hash.hash(beacon, epoch, runtime.id(), role, node.descriptor().nodeKey()), node));
        }
        ranked.sort(BY_HASH_THEN_KEY);
        List<PublicKey> group = new ArrayList<>(size);
        TreeMap<PublicKey, Integer> perEntity = new TreeMap<>();
        for (Ranked r : ranked) {
            if (group.size() == size) {
                break;
            }
            PublicKey entity = r.node().descriptor().entity();
            int already = perEntity.getOrDefault(entity, 0);
            if (already >= runtime.maxNodesPerEntity()) {
                continue;
            }
            perEntity.put(entity, already + 1);
            group.add(r.node().descriptor().nodeKey());
        }
        return group;
    }

    /** [SCHED-ELIGIBLE], [SCHED-SIZE], [SCHED-ENTITY-CAP], [SCHED-ADMISSION] of one elected committee. */
    private static void checkCommittee(RegistryState registry, RuntimeDescriptor runtime, long epoch,
            EscrowBalances escrow, RuntimeCommittee.Elected c) {
        checkGroup(registry, runtime, epoch, escrow, c.workers(), runtime.workers(), "workers");
        checkGroup(registry, runtime, epoch, escrow, c.backups(), runtime.backups(), "backups");
    }

    private static void checkGroup(RegistryState registry, RuntimeDescriptor runtime, long epoch,
            EscrowBalances escrow, List<PublicKey> group, int size, String name) {
        Invariant.check(group.size() == size && new TreeSet<>(group).size() == size, "SchedSizeInv",
                () -> runtime.id() + " " + name + ": " + group.size() + " elected (distinct?), " + size + " wanted");
        TreeMap<PublicKey, Integer> perEntity = new TreeMap<>();
        for (PublicKey key : group) {
            RegisteredNode node = registry.node(key);
            Invariant.check(node != null && isEligible(node, runtime, epoch, escrow), "SchedEligibleInv",
                    () -> runtime.id() + " " + name + ": " + key.shortId() + " is not eligible");
            if (node != null) {
                PublicKey entity = node.descriptor().entity();
                Invariant.check(runtime.admission().allows(entity), "SchedAdmissionInv",
                        () -> runtime.id() + ": entity " + entity.shortId() + " is not admitted");
                perEntity.merge(entity, 1, Integer::sum);
            }
        }
        for (var e : perEntity.entrySet()) {
            Invariant.check(e.getValue() <= runtime.maxNodesPerEntity(), "SchedEntityCapInv",
                    () -> runtime.id() + " " + name + ": entity " + e.getKey().shortId() + " has " + e.getValue());
        }
    }

    /**
     * Eligible for the validator set of {@code epoch}: registered in the epoch, the validator role, not frozen, its
     * entity's active escrow at least {@code minValidatorStakeBaseUnits}.
     */
    public static boolean isEligibleValidator(RegisteredNode node, long epoch, EscrowBalances escrow,
            ValidatorElectionConfig config) {
        return node.isRegisteredIn(epoch)
                && node.descriptor().hasRole(Role.VALIDATOR)
                && !node.isFrozenIn(epoch)
                && escrow.activeEscrowBaseUnits(node.descriptor().entity()) >= config.minValidatorStakeBaseUnits();
    }

    private record Candidate(RegisteredNode node, long escrow) {}

    /**
     * The validator set for {@code epoch}: the eligible validator nodes ranked by their entity's active escrow
     * descending, ties by node key ascending, taken in that order skipping a node whose entity already has
     * {@code maxValidatorsPerEntity} validators, up to {@code maxValidators}. Voting power = the entity's escrow. When
     * fewer than {@code minValidators} are taken, {@code previous} is kept unchanged ({@code keptPrevious}).
     */
    public static ValidatorElection electValidators(RegistryState registry, long epoch, EscrowBalances escrow,
            ValidatorElectionConfig config, List<Validator> previous) {
        List<Candidate> candidates = new ArrayList<>();
        for (RegisteredNode node : registry.nodes()) {
            if (isEligibleValidator(node, epoch, escrow, config)) {
                candidates.add(new Candidate(node, escrow.activeEscrowBaseUnits(node.descriptor().entity())));
            }
        }
        candidates.sort(Comparator.comparingLong((Candidate c) -> c.escrow()).reversed()
                .thenComparing(c -> c.node().descriptor().nodeKey()));
        List<Validator> set = new ArrayList<>();
        TreeMap<PublicKey, Integer> perEntity = new TreeMap<>();
        for (Candidate c : candidates) {
            if (set.size() == config.maxValidators()) {
                break;
            }
            PublicKey entity = c.node().descriptor().entity();
            int already = perEntity.getOrDefault(entity, 0);
            if (already >= config.maxValidatorsPerEntity()) {
                continue;
            }
            perEntity.put(entity, already + 1);
            set.add(new Validator(c.node().descriptor().nodeKey(), entity, c.escrow()));
        }
        if (set.size() < config.minValidators()) {
            return new ValidatorElection(epoch, previous, true, set.size());
        }
        checkValidators(registry, epoch, escrow, config, set);
        return new ValidatorElection(epoch, set, false, set.size());
    }

    /** The eligibility, caps and distinctness parts of [SCHED-VALIDATORS]. */
    private static void checkValidators(RegistryState registry, long epoch, EscrowBalances escrow,
            ValidatorElectionConfig config, List<Validator> set) {
        TreeMap<PublicKey, Integer> perEntity = new TreeMap<>();
        TreeSet<PublicKey> nodes = new TreeSet<>();
        for (Validator v : set) {
            RegisteredNode node = registry.node(v.node());
            Invariant.check(node != null && isEligibleValidator(node, epoch, escrow, config)
                    && v.votingPower() == escrow.activeEscrowBaseUnits(v.entity()), "SchedValidatorsInv",
                    () -> "validator " + v.node().shortId() + " is not eligible or has the wrong power");
            perEntity.merge(v.entity(), 1, Integer::sum);
            nodes.add(v.node());
        }
        Invariant.check(nodes.size() == set.size() && set.size() <= config.maxValidators(), "SchedValidatorsInv",
                () -> set.size() + " validators, " + nodes.size() + " distinct, max " + config.maxValidators());
        for (var e : perEntity.entrySet()) {
            Invariant.check(e.getValue() <= config.maxValidatorsPerEntity(), "SchedValidatorsInv",
                    () -> "entity " + e.getKey().shortId() + " has " + e.getValue() + " validators");
        }
    }
}
