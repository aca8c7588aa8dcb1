package dev.oasisj.cli;

import dev.oasisj.core.node.ByzantineValidator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the faults of a simulation run covered: crashes by the crashed node's role and consensus step, partitions by
 * shape and by whether a side kept a quorum, loss and duplication rates and delays, network drops by cause, Byzantine
 * behaviours by kind, and the heights the seeds reached. One instance per seed ({@link SimulationRun#runSeed}); the run
 * merges them in seed order and prints them as {@code coverage ...:} lines, so a run of many seeds shows what it
 * exercised and what it never did (every bucket is printed, zeros included). Plain counters: the same seeds print the
 * same bytes whatever {@code --jobs} is.
 */
final class SimulationCoverage {
    static final String[] STEPS = {"propose", "prevote", "precommit"};
    static final String[] ROLES = {"proposer", "non-proposer"};
    /** Drop rates are drawn in 0..49,999 ppm: buckets of one percent. */
    static final int DROP_BUCKET_PPM = 10_000;
    static final int DROP_BUCKETS = 5;
    /** Duplication rates are drawn in 0..19,999 ppm: buckets of half a percent. */
    static final int DUPLICATE_BUCKET_PPM = 5_000;
    static final int DUPLICATE_BUCKETS = 4;
    static final int MAX_DELAY_TICKS = 8;
    static final long[] HEIGHT_BUCKET_STARTS = {0, 1, 10, 50, 100, 200};
    static final String[] BYZANTINE_KINDS = {"equivocated-proposals", "invalid-proposals", "conflicting-votes",
        "nil-votes", "dropped-messages", "silent-periods", "replays"};

    /** "byzantine", "proposer/prevote", "non-proposer/propose", ... (honest crashes as role/step). */
    private final TreeMap<String, Long> crashes = new TreeMap<>();
    private long seedsWithCrash;
    /** "1+3", "2+2", ...: the sizes of the two sides, smaller first. */
    private final TreeMap<String, Long> partitionShapes = new TreeMap<>();
    private long partitionsWithQuorumSide;
    private long partitionsWithoutQuorumSide;
    private long seedsWithPartition;
    private final long[] dropBuckets = new long[DROP_BUCKETS];
    private final long[] duplicateBuckets = new long[DUPLICATE_BUCKETS];
    private final long[] maxDelays = new long[MAX_DELAY_TICKS + 1];
    private long sent;
    private long droppedRandomly;
    private long droppedByPartition;
    private long droppedByCrash;
    private long duplicated;
    /** Seeds by size of their Byzantine coalition (index = size, at most (7 - 1) / 3 = 2). */
    private final long[] coalitions = new long[SimulationRun.MAX_VALIDATORS];
    private final long[] byzantineCounts = new long[BYZANTINE_KINDS.length];
    private final long[] byzantineSeeds = new long[BYZANTINE_KINDS.length];
    private final long[] heightBuckets = new long[HEIGHT_BUCKET_STARTS.length];
    private long minHeight = Long.MAX_VALUE;
    private long maxHeight = -1;
    /** The services at the end of the seeds (from the honest node with the highest block). */
    private long epochs;
    private long seedsWithEpochChange;
    private long frozenNodes;
    private long seedsWithFreeze;
    private long validatorSetsShrunk;
    private long delegations;
    private long debondingEntries;
    private long computeRegistrations;

    SimulationCoverage() {
        for (String role : ROLES) {
            for (String step : STEPS) {
                crashes.put(role + "/" + step, 0L);
            }
        }
        crashes.put("byzantine", 0L);
        for (int n = SimulationRun.MIN_VALIDATORS; n <= SimulationRun.MAX_VALIDATORS; n++) {
            for (int small = 1; 2 * small <= n; small++) {
                partitionShapes.put(small + "+" + (n - small), 0L);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ one seed

    /** A crash of honest node with this role ("proposer" of its current height and round or not) at this step. */
    void honestCrash(String role, String step) {
        crashes.merge(role + "/" + step, 1L, Long::sum);
    }

    void byzantineCrash() {
        crashes.merge("byzantine", 1L, Long::sum);
    }

    void partition(int sideSize, int otherSize, boolean aSideHasQuorum) {
        partitionShapes.merge(Math.min(sideSize, otherSize) + "+" + Math.max(sideSize, otherSize), 1L, Long::sum);
        if (aSideHasQuorum) {
            partitionsWithQuorumSide++;
        } else {
            partitionsWithoutQuorumSide++;
        }
    }

    /** The seed's network: its rates and what the network dropped, by cause. */
    void network(int dropPerMillion, int duplicatePerMillion, int maxDelayTicks, long sentMessages, long random,
            long byPartition, long byCrash, long duplicates) {
        dropBuckets[Math.min(DROP_BUCKETS - 1, dropPerMillion / DROP_BUCKET_PPM)]++;
        duplicateBuckets[Math.min(DUPLICATE_BUCKETS - 1, duplicatePerMillion / DUPLICATE_BUCKET_PPM)]++;
        maxDelays[Math.min(MAX_DELAY_TICKS, maxDelayTicks)]++;
        sent += sentMessages;
        droppedRandomly += random;
        droppedByPartition += byPartition;
        droppedByCrash += byCrash;
        duplicated += duplicates;
    }

    /** The seed's coalition size and what its members did, summed over them. */
    void byzantine(int coalitionSize, List<ByzantineValidator.Misbehaviour> misbehaviours) {
        coalitions[Math.min(coalitions.length - 1, coalitionSize)]++;
        long[] counts = new long[BYZANTINE_KINDS.length];
        for (ByzantineValidator.Misbehaviour m : misbehaviours) {
            long[] kinds = kinds(m);
            for (int k = 0; k < counts.length; k++) {
                counts[k] += kinds[k];
            }
        }
        for (int k = 0; k < counts.length; k++) {
            byzantineCounts[k] += counts[k];
            byzantineSeeds[k] += counts[k] > 0 ? 1 : 0;
        }
    }

    /** The seed's height: the highest block an honest validator committed. */
    void height(long blocks) {
        int bucket = 0;
        for (int b = 0; b < HEIGHT_BUCKET_STARTS.length; b++) {
            if (blocks >= HEIGHT_BUCKET_STARTS[b]) {
                bucket = b;
            }
        }
        heightBuckets[bucket]++;
        minHeight = Math.min(minHeight, blocks);
        maxHeight = Math.max(maxHeight, blocks);
    }

    /**
     * A seed's consensus services at its end: the epoch reached, nodes frozen for double signing, whether the
     * validator set was smaller than at genesis, delegations and debonding entries held, and compute nodes still
     * registered beyond the genesis expiry (renewed by the workload).
     */
    void services(long epoch, long frozen, boolean setShrunk, long delegationCount, long debonding,
            long renewedComputeNodes) {
        epochs += epoch;
        seedsWithEpochChange += epoch > 0 ? 1 : 0;
        frozenNodes += frozen;
        seedsWithFreeze += frozen > 0 ? 1 : 0;
        validatorSetsShrunk += setShrunk ? 1 : 0;
        delegations += delegationCount;
        debondingEntries += debonding;
        computeRegistrations += renewedComputeNodes;
    }

    static long[] kinds(ByzantineValidator.Misbehaviour m) {
        return new long[] {m.equivocatedProposals(), m.invalidProposals(), m.conflictingVotes(), m.nilVotes(),
            m.droppedMessages(), m.silentPeriods(), m.replays()};
    }

    /** The counters of one seed's crashes and partitions, for the "seeds with" counts. */
    long crashCount() {
        long t = 0;
        for (long c : crashes.values()) {
            t += c;
        }
        return t;
    }

    long partitionCount() {
        return partitionsWithQuorumSide + partitionsWithoutQuorumSide;
    }

    // ------------------------------------------------------------------------------------------ a run

    /** Adds one seed's coverage (called in seed order). */
    void add(SimulationCoverage seed) {
        seedsWithCrash += seed.crashCount() > 0 ? 1 : 0;
        seedsWithPartition += seed.partitionCount() > 0 ? 1 : 0;
        seed.crashes.forEach((k, v) -> crashes.merge(k, v, Long::sum));
        seed.partitionShapes.forEach((k, v) -> partitionShapes.merge(k, v, Long::sum));
        partitionsWithQuorumSide += seed.partitionsWithQuorumSide;
        partitionsWithoutQuorumSide += seed.partitionsWithoutQuorumSide;
        addInto(dropBuckets, seed.dropBuckets);
        addInto(duplicateBuckets, seed.duplicateBuckets);
        addInto(maxDelays, seed.maxDelays);
        sent += seed.sent;
        droppedRandomly += seed.droppedRandomly;
        droppedByPartition += seed.droppedByPartition;
        droppedByCrash += seed.droppedByCrash;
        duplicated += seed.duplicated;
        addInto(coalitions, seed.coalitions);
        addInto(byzantineCounts, seed.byzantineCounts);
        addInto(byzantineSeeds, seed.byzantineSeeds);
        addInto(heightBuckets, seed.heightBuckets);
        minHeight = Math.min(minHeight, seed.minHeight);
        maxHeight = Math.max(maxHeight, seed.maxHeight);
        epochs += seed.epochs;
        seedsWithEpochChange += seed.seedsWithEpochChange;
        frozenNodes += seed.frozenNodes;
        seedsWithFreeze += seed.seedsWithFreeze;
        validatorSetsShrunk += seed.validatorSetsShrunk;
        delegations += seed.delegations;
        debondingEntries += seed.debondingEntries;
        computeRegistrations += seed.computeRegistrations;
    }

    private static void addInto(long[] total, long[] part) {
        for (int i = 0; i < total.length; i++) {
            total[i] += part[i];
        }
    }

    /** The coverage lines, in a fixed order and format. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        StringBuilder b = new StringBuilder("coverage crashes: seeds=" + seedsWithCrash + " total=" + crashCount());
        appendAll(b, crashes);
        lines.add(b.toString());

        b = new StringBuilder("coverage partitions: seeds=" + seedsWithPartition + " total=" + partitionCount()
                + " quorum-side=" + partitionsWithQuorumSide + " no-quorum-side=" + partitionsWithoutQuorumSide);
        appendAll(b, partitionShapes);
        lines.add(b.toString());

        b = new StringBuilder("coverage network: drop-%");
        for (int i = 0; i < DROP_BUCKETS; i++) {
            b.append(' ').append(i).append('-').append(i + 1).append('=').append(dropBuckets[i]);
        }
        b.append(" duplicate-%");
        for (int i = 0; i < DUPLICATE_BUCKETS; i++) {
            b.append(' ').append(halfPercent(i)).append('-').append(halfPercent(i + 1)).append('=')
                    .append(duplicateBuckets[i]);
        }
        b.append(" max-delay-ticks");
        for (int d = 1; d <= MAX_DELAY_TICKS; d++) {
            b.append(' ').append(d).append('=').append(maxDelays[d]);
        }
        b.append(" sent=").append(sent).append(" dropped-randomly=").append(droppedRandomly)
                .append(" dropped-by-partition=").append(droppedByPartition).append(" dropped-by-crash=")
                .append(droppedByCrash).append(" duplicated=").append(duplicated);
        lines.add(b.toString());

        b = new StringBuilder("coverage byzantine: coalition-size");
        for (int i = 0; i <= (SimulationRun.MAX_VALIDATORS - 1) / 3; i++) {
            b.append(' ').append(i).append('=').append(coalitions[i]);
        }
        for (int k = 0; k < BYZANTINE_KINDS.length; k++) {
            b.append(' ').append(BYZANTINE_KINDS[k]).append('=').append(byzantineCounts[k]).append('@')
                    .append(byzantineSeeds[k]);
        }
        lines.add(b.toString());

        b = new StringBuilder("coverage heights: min=" + (maxHeight < 0 ? 0 : minHeight) + " max="
                + Math.max(0, maxHeight));
        for (int i = 0; i < HEIGHT_BUCKET_STARTS.length; i++) {
            long from = HEIGHT_BUCKET_STARTS[i];
            String label = i + 1 == HEIGHT_BUCKET_STARTS.length ? from + "+"
                    : from == HEIGHT_BUCKET_STARTS[i + 1] - 1 ? Long.toString(from)
                    : from + "-" + (HEIGHT_BUCKET_STARTS[i + 1] - 1);
            b.append(' ').append(label).append('=').append(heightBuckets[i]);
        }
        lines.add(b.toString());
        lines.add("coverage services: epochs=" + epochs + " seeds-with-epoch-change=" + seedsWithEpochChange
                + " frozen-nodes=" + frozenNodes + " seeds-with-freeze=" + seedsWithFreeze
                + " seeds-with-smaller-validator-set=" + validatorSetsShrunk + " delegations=" + delegations
                + " debonding=" + debondingEntries + " renewed-compute-registrations=" + computeRegistrations);
        return lines;
    }

    private static String halfPercent(int halves) {
        return halves % 2 == 0 ? Integer.toString(halves / 2) : (halves / 2) + ".5";
    }

    private static void appendAll(StringBuilder b, Map<String, Long> counts) {
        counts.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    }

    void print(PrintWriter out) {
        for (String line : lines()) {
            out.println(line);
        }
    }
}
