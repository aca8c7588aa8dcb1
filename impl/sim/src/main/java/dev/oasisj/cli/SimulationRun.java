package dev.oasisj.cli;

import dev.oasisj.core.SeedStreams;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.BlockCodec;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.ByzantineValidator;
import dev.oasisj.core.node.EvidencePool;
import dev.oasisj.core.node.EvidenceRecordingNode;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.core.node.PeerWire;
import dev.oasisj.core.node.ValidatorNode;
import dev.oasisj.node.InMemoryJournal;
import dev.oasisj.node.JournalCodec;
import dev.oasisj.node.LockstepCluster;
import dev.oasisj.node.NodeAgent;
import dev.oasisj.node.SimulatedNetwork;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The seeded simulator (after TigerBeetle's VOPR). Per seed, everything drawn from the seed: 4 to 7 validators with
 * voting powers 1 to 3; a Byzantine coalition holding less than one third of the power ({@link ByzantineValidator},
 * each with its own mix of equivocation, split votes, nil votes, omission, silence and replays); message delay, loss and
 * duplication; partitions that heal; crashes of validators (honest or Byzantine) followed by restarts from the journal (a
 * new state machine from genesis plus a replay of the node's journal). A transfer workload runs through the honest validators.
 *
 * <p>Checked at every step, over the honest validators only:
 * <ul>
 *   <li><b>Agreement</b> ([CONS-AGREEMENT]): no two commit different blocks at a height, and none changes its history on
 *       replay ({@link LockstepCluster});</li>
 *   <li><b>Validity</b> ([CONS-VALIDITY]): every committed block was proposed (its hash was seen in a proposal on the
 *       network) and is valid: the node's own ledger accepted it (its state root equals the block's) and the total
 *       supply is conserved; a node whose invariants break is a violation too;</li>
 *   <li><b>Accountability</b> ([CONS-ACCOUNTABILITY.2]): the equivocation evidence honest nodes record names Byzantine
 *       validators only.</li>
 * </ul>
 * The same seed prints the same bytes. Every generator of a seed (its plan, its faults, its network, each Byzantine
 * validator) is derived from the seed and its purpose by {@link SeedStreams}, so seeds are independent runs; the faults
 * of a seed are drawn up front ({@link FaultPlan}), and the run ends with a coverage summary of what its seeds exercised
 * ({@link SimulationCoverage}).
 */
final class SimulationRun {
    static final int MIN_VALIDATORS = 4;
    static final int MAX_VALIDATORS = 7;
    static final int ACCOUNTS = 4;
    /** A transfer per account every this many ticks, at most this many uncommitted per account: light, to stay fast. */
    static final int TRANSFER_INTERVAL_TICKS = 30;
    static final int MAX_OUTSTANDING_TRANSFERS = 4;
    /** Shorter timeouts than a production network, so a seed commits many heights in few ticks. */
    static final Genesis.ConsensusParams PARAMS = new Genesis.ConsensusParams(60, 20, 30, 15, 30, 15, 100);

    /** {@code jobs}: seeds run in parallel on this many threads (each seed alone is single-threaded and seeded). */
    record Options(int seeds, long start, long ticks, int jobs) {}

    /**
     * What one seed runs. {@link #of} draws it from the seed; tests may build others (for instance a coalition with a
     * third of the power or more, which the checker must catch).
     */
    record Plan(long seed, long ticks, List<Long> powers, SortedMap<Integer, ByzantineValidator.Profile> byzantine,
            boolean faults, boolean requireBelowOneThird) {
        Plan {
            powers = List.copyOf(powers);
            byzantine = Collections.unmodifiableSortedMap(new TreeMap<>(byzantine));
        }

        static Plan of(long seed, long ticks) {
            SplittableRandom r = SeedStreams.random(seed, SeedStreams.PLAN);
            int n = MIN_VALIDATORS + r.nextInt(MAX_VALIDATORS - MIN_VALIDATORS + 1);
            List<Long> powers = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < n; i++) {
                long p = 1 + r.nextInt(3);
                powers.add(p);
                total += p;
            }
            int wanted = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt((n - 1) / 3);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            for (int i = n - 1; i > 0; i--) {
                Collections.swap(order, i, r.nextInt(i + 1));
            }
            TreeMap<Integer, ByzantineValidator.Profile> byzantine = new TreeMap<>();
            long byzantinePower = 0;
            for (int i : order) {
                if (byzantine.size() < wanted && 3 * (byzantinePower + powers.get(i)) < total) {
                    byzantine.put(i, ByzantineValidator.Profile.random(r));
                    byzantinePower += powers.get(i);
                }
            }
            return new Plan(seed, ticks, powers, byzantine, true, true);
        }

        int validators() {
            return powers.size();
        }

        long totalPower() {
            long t = 0;
            for (long p : powers) {
                t += p;
            }
            return t;
        }

        long byzantinePower() {
            long t = 0;
            for (int i : byzantine.keySet()) {
                t += powers.get(i);
            }
            return t;
        }
    }

    /**
     * Every fault one seed injects, drawn up front from the seed's {@link SeedStreams#FAULTS} stream: a pure function of
     * (seed, ticks, validators), computed without running the network. At most one node (honest or Byzantine) is down
     * at a time and partitions heal, so progress stays possible: per tick, while no node is down, a crash with
     * probability 1/1000 (the node and its restart 20 to 219 ticks later drawn then), and while the network is whole, a
     * partition into two random non-empty sides with probability about 1/1000 (healed 20 to 219 ticks later).
     * {@code restartAtTick} or {@code healAtTick} at or past {@code ticks} means never within the run.
     */
    record FaultPlan(int maxDelayTicks, int dropPerMillion, int duplicatePerMillion, List<Crash> crashes,
            List<Partition> partitions) {
        record Crash(long atTick, int node, long restartAtTick) {}

        record Partition(long atTick, List<Integer> side, List<Integer> otherSide, long healAtTick) {
            Partition {
                side = List.copyOf(side);
                otherSide = List.copyOf(otherSide);
            }
        }

        FaultPlan {
            crashes = List.copyOf(crashes);
            partitions = List.copyOf(partitions);
        }

        /** The faults of {@code seed}; with {@code faults} false, only the delay is drawn (no loss, crash, partition). */
        static FaultPlan of(long seed, long ticks, int validators, boolean faults) {
            SplittableRandom r = SeedStreams.random(seed, SeedStreams.FAULTS);
            int maxDelayTicks = 1 + r.nextInt(8);
            if (!faults) {
                return new FaultPlan(maxDelayTicks, 0, 0, List.of(), List.of());
            }
            int drop = r.nextInt(50_000);
            int duplicate = r.nextInt(20_000);
            List<Crash> crashes = new ArrayList<>();
            List<Partition> partitions = new ArrayList<>();
            long restartAt = -1;
            int crashed = -1;
            long healAt = -1;
            for (long t = 0; t < ticks; t++) {
                if (crashed < 0 && r.nextInt(1000) < 1) {
                    crashed = r.nextInt(validators);
                    restartAt = t + 20 + r.nextInt(200);
                    crashes.add(new Crash(t, crashed, restartAt));
                } else if (crashed >= 0 && t >= restartAt) {
                    crashed = -1;
                }
                if (healAt < 0 && r.nextInt(1000) < 1) {
                    List<Integer> a = new ArrayList<>();
                    List<Integer> b = new ArrayList<>();
                    for (int i = 0; i < validators; i++) {
                        (r.nextBoolean() ? a : b).add(i);
                    }
                    if (!a.isEmpty() && !b.isEmpty()) {
                        healAt = t + 20 + r.nextInt(200);
                        partitions.add(new Partition(t, a, b, healAt));
                    }
                } else if (healAt >= 0 && t >= healAt) {
                    healAt = -1;
                }
            }
            return new FaultPlan(maxDelayTicks, drop, duplicate, crashes, partitions);
        }
    }

    /** Outcome of one seed. */
    record SeedResult(long seed, int validators, int byzantine, long blocks, int crashes, int partitions, long lost,
            long misbehaviours, long evidence, List<String> violations, SimulationCoverage coverage) {
        String line() {
            return "seed=" + seed + " validators=" + validators + " byzantine=" + byzantine + " blocks=" + blocks
                    + " crashes=" + crashes + " partitions=" + partitions + " lost=" + lost + " misbehaviours="
                    + misbehaviours + " evidence=" + evidence
                    + (violations.isEmpty() ? " ok" : " VIOLATED " + violations.size() + ": " + violations.get(0));
        }
    }

    private SimulationRun() {}

    /**
     * Runs the seeds (several at a time when {@code jobs > 1}) and prints their lines in seed order, then the totals,
     * the coverage lines and the summary. Each seed is a pure function of its number, so the output does not depend on
     * {@code jobs}.
     */
    static int run(Options o, NodeFactory factory, JournalCodec codec, PrintWriter out) {
        int violations = 0;
        long blocks = 0;
        long crashes = 0;
        long partitions = 0;
        long byzantineSeeds = 0;
        long misbehaviours = 0;
        long evidence = 0;
        SimulationCoverage coverage = new SimulationCoverage();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, o.jobs()), r -> {
            Thread t = new Thread(r, "simulate");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<SeedResult>> running = new ArrayDeque<>();
            long next = o.start();
            long end = o.start() + o.seeds();
            while (next < end || !running.isEmpty()) {
                // Keep at most 2 * jobs seeds queued, so memory stays bounded however many seeds are asked for.
                while (next < end && running.size() < 2 * Math.max(1, o.jobs())) {
                    Plan plan = Plan.of(next, o.ticks());
                    running.add(pool.submit(() -> runSeed(plan, factory, codec)));
                    next++;
                }
                Future<SeedResult> first = running.poll();
                if (first == null) {
                    break;
                }
                SeedResult r = await(first);
                if (!r.violations().isEmpty()) {
                    violations++;
                }
                blocks += r.blocks();
                crashes += r.crashes();
                partitions += r.partitions();
                byzantineSeeds += r.byzantine() > 0 ? 1 : 0;
                misbehaviours += r.misbehaviours();
                evidence += r.evidence();
                coverage.add(r.coverage());
                out.println(r.line());
                out.flush();
            }
        } finally {
            pool.shutdownNow();
        }
        out.println("totals: blocks=" + blocks + " crashes=" + crashes + " partitions=" + partitions
                + " seeds-with-byzantine=" + byzantineSeeds + " misbehaviours=" + misbehaviours + " evidence="
                + evidence);
        coverage.print(out);
        out.println("summary: seeds=" + o.seeds() + " violations=" + violations);
        out.flush();
        return violations == 0 ? 0 : Main.EXIT_FAILURE;
    }

    private static SeedResult await(Future<SeedResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while simulating", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a seed's simulation failed: " + e.getCause(), e.getCause());
        }
    }

    /** The services coverage of a seed, read from the honest node with the highest block (if any is up). */
    private static void servicesCoverage(LockstepCluster cluster, List<Integer> honest, Genesis genesis,
            SimulationCoverage coverage) {
        dev.oasisj.core.services.@Nullable ServicesState best = null;
        for (int i : honest) {
            NodeAgent agent = cluster.agent(i);
            if (agent != null && agent.stateMachine() instanceof EvidenceRecordingNode r
                    && r.node() instanceof ValidatorNode v
                    && v.application() instanceof dev.oasisj.core.services.ServicesApplication a
                    && (best == null || a.state().height() > best.height())) {
                best = a.state();
            }
        }
        if (best == null) {
            return;
        }
        long frozen = best.registry().nodes().stream().filter(n -> n.frozenUntilEpoch() > 0).count();
        long renewed = best.registry().nodes().stream().filter(n -> n.descriptor().hasRole(
                dev.oasisj.core.registry.Role.COMPUTE) && n.descriptor().expiryEpoch() < 1_000_000).count();
        coverage.services(best.epoch(), frozen, best.validators().validators().size() < genesis.validators().size(),
                best.staking().delegationCount(), best.staking().debondingEntries().size(), renewed);
    }

    /** Blocks per epoch in simulations: short, so that every seed sees several epoch changes. */
    static final long EPOCH_LENGTH_BLOCKS = 5;
    /** Base units of escrow per unit of a plan's voting power (the validator minimum is 1,000). */
    static final long STAKE_PER_POWER = 1_000;

    /**
     * A seed's chain: the consensus services, validator {@code i} staked {@code powers[i]} x {@link #STAKE_PER_POWER}
     * (so its voting power is that), epochs of {@link #EPOCH_LENGTH_BLOCKS} blocks.
     */
    static Genesis genesisOf(List<Long> powers, long seed) {
        List<Long> stakes = new ArrayList<>();
        for (long p : powers) {
            stakes.add(p * STAKE_PER_POWER);
        }
        return LocalnetSetup.servicesGenesis(stakes, ACCOUNTS, seed, PARAMS, EPOCH_LENGTH_BLOCKS);
    }

    static SeedResult runSeed(Plan plan, NodeFactory factory, JournalCodec codec) {
        int n = plan.validators();
        if (plan.requireBelowOneThird() && 3 * plan.byzantinePower() >= plan.totalPower()) {
            throw new IllegalArgumentException("Byzantine power " + plan.byzantinePower() + " of " + plan.totalPower()
                    + " is not below one third");
        }
        long seed = plan.seed();
        FaultPlan faults = FaultPlan.of(seed, plan.ticks(), n, plan.faults());
        Genesis genesis = genesisOf(plan.powers(), seed);
        SimulatedNetwork.Config config = SimulatedNetwork.Config.reliable(n, seed).withDelay(1, faults.maxDelayTicks())
                .withLoss(faults.dropPerMillion(), faults.duplicatePerMillion());
        SimulatedNetwork network = new SimulatedNetwork(config);
        SimulationCoverage coverage = new SimulationCoverage();
        ValidatorSet validatorSet = EvidenceRecordingNode.validatorSetOf(genesis);
        LastVotes lastVotes = new LastVotes(n);
        network.observeSends(lastVotes::onSend);
        InMemoryJournal[] journals = new InMemoryJournal[n];
        for (int i = 0; i < n; i++) {
            journals[i] = new InMemoryJournal();
        }
        TreeSet<Integer> coalition = new TreeSet<>(plan.byzantine().keySet());
        LockstepCluster.StateMachineFactory machines = i -> {
            Signer key = LocalnetSetup.validatorKey(i, seed);
            ByzantineValidator.@Nullable Profile profile = plan.byzantine().get(i);
            if (profile != null) {
                return factory.createByzantine(genesis, i, key, seed, coalition, profile);
            }
            return new EvidenceRecordingNode(genesis, factory.create(genesis, i, key));
        };
        List<Integer> honest = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!coalition.contains(i)) {
                honest.add(i);
            }
        }
        Checker checker = new Checker(genesis, coalition, n);
        network.observe(checker::onDelivery);
        int crashes = 0;
        int partitions = 0;
        ByzantineValidator.@Nullable Misbehaviour[] misbehaviour = new ByzantineValidator.Misbehaviour[n];
        try (LockstepCluster cluster = new LockstepCluster(network, machines, i -> journals[i].reopen(), codec,
                checker::onCommit)) {
            for (int i : coalition) {
                cluster.exemptFromAgreement(i, true);
            }
            try {
                cluster.start();
                LocalnetRun.Workload workload = new LocalnetRun.Workload(genesis, ACCOUNTS, seed, honest,
                        TRANSFER_INTERVAL_TICKS, MAX_OUTSTANDING_TRANSFERS);
                int nextCrash = 0;
                int nextPartition = 0;
                FaultPlan.@Nullable Crash down = null;
                FaultPlan.@Nullable Partition cut = null;
                for (long t = 0; t < plan.ticks() && cluster.violations().isEmpty() && checker.violations.isEmpty();
                        t++) {
                    // The plan's faults, at the ticks it drew them (cluster.tick() == t before each step).
                    if (nextCrash < faults.crashes().size() && faults.crashes().get(nextCrash).atTick() == t) {
                        FaultPlan.Crash c = faults.crashes().get(nextCrash++);
                        int crashed = c.node();
                        checker.collect(cluster, crashed);
                        misbehaviour[crashed] = atLeast(misbehaviour[crashed], misbehaviourOf(cluster, crashed));
                        recordCrash(coverage, cluster, crashed, coalition, validatorSet, lastVotes);
                        cluster.crash(crashed);
                        crashes++;
                        down = c;
                    } else if (down != null && t >= down.restartAtTick()) {
                        cluster.restart(down.node());
                        checker.restarted(down.node());
                        down = null;
                    }
                    if (nextPartition < faults.partitions().size()
                            && faults.partitions().get(nextPartition).atTick() == t) {
                        FaultPlan.Partition p = faults.partitions().get(nextPartition++);
                        network.partition(List.of(p.side(), p.otherSide()));
                        partitions++;
                        coverage.partition(p.side().size(), p.otherSide().size(),
                                hasQuorum(plan, p.side()) || hasQuorum(plan, p.otherSide()));
                        cut = p;
                    } else if (cut != null && t >= cut.healAtTick()) {
                        network.heal();
                        cut = null;
                    }
                    workload.beforeStep(cluster);
                    cluster.step();
                    workload.afterStep();
                    checker.afterStep(cluster);
                }
            } catch (RuntimeException e) {
                // A broken node invariant (e.g. DecidedValueValidInv, SupplyConservedInv) stops the run: a violation.
                checker.violations.add("node failure: " + e);
            }
            for (int i : honest) {
                checker.collect(cluster, i);
            }
            long misbehaviours = 0;
            List<ByzantineValidator.Misbehaviour> byKind = new ArrayList<>();
            for (int i : coalition) {
                // A validator down at the end counts what it had done when it crashed (replay rebuilds the counters).
                ByzantineValidator.Misbehaviour m = atLeast(misbehaviour[i], misbehaviourOf(cluster, i));
                misbehaviours += m.total();
                byKind.add(m);
            }
            List<String> violations = new ArrayList<>(cluster.violations());
            violations.addAll(checker.violations);
            long blocks = 0;
            for (int i : honest) {
                TreeMap<Long, Hash32> committed = cluster.committedBy(i);
                blocks = Math.max(blocks, committed.isEmpty() ? 0 : committed.lastKey());
            }
            long lost = network.droppedRandomly() + network.droppedByPartition() + network.droppedByCrash();
            coverage.network(faults.dropPerMillion(), faults.duplicatePerMillion(), faults.maxDelayTicks(),
                    network.sent(), network.droppedRandomly(), network.droppedByPartition(), network.droppedByCrash(),
                    network.duplicated());
            coverage.byzantine(coalition.size(), byKind);
            coverage.height(blocks);
            servicesCoverage(cluster, honest, genesis, coverage);
            return new SeedResult(seed, n, coalition.size(), blocks, crashes, partitions, lost, misbehaviours,
                    checker.evidence.size(), violations, coverage);
        }
    }

    private static final ByzantineValidator.Misbehaviour NO_MISBEHAVIOUR =
            new ByzantineValidator.Misbehaviour(0, 0, 0, 0, 0, 0, 0);

    private static ByzantineValidator.Misbehaviour misbehaviourOf(LockstepCluster cluster, int i) {
        NodeAgent agent = cluster.agent(i);
        return agent != null && agent.stateMachine() instanceof ByzantineValidator b ? b.misbehaviour()
                : NO_MISBEHAVIOUR;
    }

    /** Kind by kind, the larger of two counts of one validator (before a crash, and after its replay). */
    private static ByzantineValidator.Misbehaviour atLeast(ByzantineValidator.@Nullable Misbehaviour a,
            ByzantineValidator.Misbehaviour b) {
        if (a == null) {
            return b;
        }
        return new ByzantineValidator.Misbehaviour(Math.max(a.equivocatedProposals(), b.equivocatedProposals()),
                Math.max(a.invalidProposals(), b.invalidProposals()),
                Math.max(a.conflictingVotes(), b.conflictingVotes()), Math.max(a.nilVotes(), b.nilVotes()),
                Math.max(a.droppedMessages(), b.droppedMessages()), Math.max(a.silentPeriods(), b.silentPeriods()),
                Math.max(a.replays(), b.replays()));
    }

    /** Whether {@code side} holds more than two thirds of the power: a quorum that can commit on its own. */
    private static boolean hasQuorum(Plan plan, List<Integer> side) {
        long power = 0;
        for (int i : side) {
            power += plan.powers().get(i);
        }
        return 3 * power > 2 * plan.totalPower();
    }

    /**
     * Records the crash of node {@code i} (still up) in the coverage: a Byzantine validator as such; an honest one by
     * role (the proposer of the height and round its core is at, or not) and step (as its votes on the wire show: it
     * has precommitted in that round, prevoted, or neither yet).
     */
    private static void recordCrash(SimulationCoverage coverage, LockstepCluster cluster, int i,
            SortedSet<Integer> coalition, ValidatorSet validatorSet, LastVotes lastVotes) {
        if (coalition.contains(i)) {
            coverage.byzantineCrash();
            return;
        }
        NodeAgent agent = cluster.agent(i);
        @Nullable NodeStateMachine sm = agent == null ? null : agent.stateMachine();
        if (sm instanceof EvidenceRecordingNode r) {
            sm = r.node();
        }
        if (!(sm instanceof ValidatorNode v)) {
            coverage.honestCrash("unknown", "unknown");
            return;
        }
        long height = v.consensusHeight();
        int round = v.consensusRound();
        boolean proposer = validatorSet.proposer(height, round).key()
                .equals(validatorSet.validators().get(i).key());
        coverage.honestCrash(proposer ? "proposer" : "non-proposer", lastVotes.step(i, height, round));
    }

    /** Per node, the (height, round) of the last prevote and precommit it sent, read from the wire header. */
    private static final class LastVotes {
        /** PeerWire tag, consensus kind, i64 height, i32 round ({@code ConsensusMessageCodec}). */
        private static final int HEADER_BYTES = 1 + 1 + 8 + 4;
        private static final int PREVOTE = 2;
        private static final int PRECOMMIT = 3;
        private final long[][] height;
        private final int[][] round;

        LastVotes(int n) {
            height = new long[][] {new long[n], new long[n]};
            round = new int[][] {new int[n], new int[n]};
            for (long[] h : height) {
                Arrays.fill(h, -1);
            }
        }

        void onSend(SimulatedNetwork.Delivery d) {
            byte[] b = d.bytes();
            if (b.length < HEADER_BYTES || (b[0] & 0xff) != PeerWire.TAG_CONSENSUS
                    || (b[1] != PREVOTE && b[1] != PRECOMMIT)) {
                return;
            }
            int k = b[1] == PREVOTE ? 0 : 1;
            long h = 0;
            for (int j = 2; j < 10; j++) {
                h = (h << 8) | (b[j] & 0xff);
            }
            int r = 0;
            for (int j = 10; j < 14; j++) {
                r = (r << 8) | (b[j] & 0xff);
            }
            // Replays and resends of older votes must not move a node back: keep the latest (height, round).
            if (h > height[k][d.from()] || (h == height[k][d.from()] && r > round[k][d.from()])) {
                height[k][d.from()] = h;
                round[k][d.from()] = r;
            }
        }

        String step(int i, long h, int r) {
            if (height[1][i] == h && round[1][i] == r) {
                return "precommit";
            }
            if (height[0][i] == h && round[0][i] == r) {
                return "prevote";
            }
            return "propose";
        }
    }

    /** Validity and accountability checks, fed by the network (proposals) and the cluster (commits, node state). */
    private static final class Checker {
        private final Genesis genesis;
        private final SortedSet<Integer> byzantine;
        private final List<String> violations = new ArrayList<>();
        /** Hashes of every block proposed on the network (as delivered to any node). */
        private final TreeSet<Hash32> proposed = new TreeSet<>();
        /** Per node: the state root of its last committed block (live or replayed), null before its first commit. */
        private final @Nullable Hash32[] lastRoot;
        private final long[] lastCheckedHeight;
        /** Per node: how many of its current evidence records were already collected. */
        private final int[] collected;
        /** Distinct equivocations proven by any honest node: "signer|height|round|kind". */
        private final TreeSet<String> evidence = new TreeSet<>();
        private final TreeMap<String, Integer> indexByKey = new TreeMap<>();

        Checker(Genesis genesis, SortedSet<Integer> byzantine, int n) {
            this.genesis = genesis;
            this.byzantine = byzantine;
            this.lastRoot = new Hash32[n];
            this.lastCheckedHeight = new long[n];
            this.collected = new int[n];
            for (int i = 0; i < n; i++) {
                indexByKey.put(genesis.validators().get(i).publicKey().toHex(), i);
            }
        }

        void onDelivery(SimulatedNetwork.Delivery d) {
            byte[] bytes = d.bytes();
            // PeerWire consensus tag, then the consensus codec's kind tag (1 = proposal): only proposals are decoded.
            if (bytes.length < 2 || (bytes[0] & 0xff) != PeerWire.TAG_CONSENSUS || bytes[1] != 1) {
                return;
            }
            try {
                if (PeerWire.decode(bytes) instanceof PeerWire.Consensus c) {
                    SignedMessage m = ConsensusMessageCodec.decode(c.bytes());
                    if (m.message() instanceof ConsensusMessage.Proposal p) {
                        proposed.add(BlockCodec.decode(p.payload()).hash());
                    }
                }
            } catch (DecodeException e) {
                // Not a block: nothing was proposed that anyone could commit.
            }
        }

        void onCommit(int node, dev.oasisj.core.node.NodeOutput.CommittedBlock block, boolean replayed) {
            if (byzantine.contains(node)) {
                return;
            }
            if (!proposed.contains(block.blockHash())) {
                violations.add("ValidityInv: node " + node + " committed block " + block.blockHash().shortHex()
                        + " at height " + block.height() + ", which was never proposed");
            }
            lastRoot[node] = block.stateRoot();
        }

        /** After every step: each live honest node's ledger is the one its last committed block names. */
        void afterStep(LockstepCluster cluster) {
            for (int i = 0; i < lastRoot.length; i++) {
                NodeAgent agent = cluster.agent(i);
                if (byzantine.contains(i) || agent == null) {
                    continue;
                }
                NodeStateMachine sm = agent.stateMachine();
                long h = sm.height();
                if (h != lastCheckedHeight[i] && h > 0) {
                    lastCheckedHeight[i] = h;
                    Hash32 root = lastRoot[i];
                    if (root == null || !root.equals(sm.stateRoot())) {
                        violations.add("ValidityInv: node " + i + " at height " + h + " has state root "
                                + sm.stateRoot().shortHex() + " but its last committed block names "
                                + (root == null ? "none" : root.shortHex()));
                    }
                    if (sm instanceof EvidenceRecordingNode r && r.node() instanceof ValidatorNode v) {
                        try {
                            // the application's always-on invariants: for the services [STAKE-SUPPLY] (supply =
                            // the genesis one) and a non-empty validator set; [STAKE-DEBOND] holds in every state
                            v.application().checkInvariants();
                        } catch (dev.oasisj.core.Invariant.ViolationException e) {
                            violations.add("node " + i + " at height " + h + ": " + e.getMessage());
                        }
                    }
                }
                collect(cluster, i);
            }
        }

        /** Takes the new evidence records of honest node {@code i}; evidence against an honest validator is a violation. */
        void collect(LockstepCluster cluster, int i) {
            NodeAgent agent = cluster.agent(i);
            if (agent == null || !(agent.stateMachine() instanceof EvidenceRecordingNode r)) {
                return;
            }
            List<EvidencePool.Equivocation> records = r.evidence().records();
            for (int k = collected[i]; k < records.size(); k++) {
                EvidencePool.Equivocation e = records.get(k);
                @Nullable Integer accused = indexByKey.get(e.validator().toHex());
                if (accused == null || !byzantine.contains(accused)) {
                    violations.add("AccountabilityInv: node " + i + " holds evidence against honest validator "
                            + accused + ": " + e);
                }
                evidence.add(e.validator().toHex() + "|" + e.height() + "|" + e.round() + "|" + e.kind());
            }
            collected[i] = records.size();
        }

        /** A restarted node rebuilds its evidence by replay: its records are collected again from the start. */
        void restarted(int i) {
            collected[i] = 0;
            lastCheckedHeight[i] = -1;
        }
    }
}
