package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.SeedStreams;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Simulation seeds are independent runs (issue 8, point 6). The simulator once seeded its generators with
 * {@code seed * 0x9E3779B97F4A7C15 + c}, SplittableRandom's own increment, so seed {@code s + 1} replayed seed {@code s}'s
 * stream shifted by one draw: seeds 50000-50399 crashed a node in about 85% of runs and seeds 60000-61999 in about 13%.
 * Here the fault plans of windows of consecutive seeds (drawn up front, without running the network, so the test is
 * cheap) must show the same fault statistics within sampling error.
 */
class SeedIndependenceTest {
    private static final int WINDOW_SEEDS = 400;
    private static final long[] WINDOW_STARTS = {0, 50_000, 60_000, 1_000_000_000L};
    /** The default ticks per seed of {@code oasis simulate}. */
    private static final long TICKS = 800;
    /** Two windows may differ by this many standard deviations of the difference of two binomial proportions. */
    private static final double TOLERANCE_SIGMAS = 4.5;

    /** Fractions of a window's seeds with at least one crash, one partition, a Byzantine coalition; mean drop rate. */
    record WindowStats(long start, double crashed, double partitioned, double byzantine, double meanDropPerMillion) {}

    static WindowStats stats(long start) {
        int crashed = 0;
        int partitioned = 0;
        int byzantine = 0;
        long drop = 0;
        for (long seed = start; seed < start + WINDOW_SEEDS; seed++) {
            SimulationRun.Plan plan = SimulationRun.Plan.of(seed, TICKS);
            SimulationRun.FaultPlan faults = SimulationRun.FaultPlan.of(seed, TICKS, plan.validators(), true);
            crashed += faults.crashes().isEmpty() ? 0 : 1;
            partitioned += faults.partitions().isEmpty() ? 0 : 1;
            byzantine += plan.byzantine().isEmpty() ? 0 : 1;
            drop += faults.dropPerMillion();
        }
        return new WindowStats(start, crashed / (double) WINDOW_SEEDS, partitioned / (double) WINDOW_SEEDS,
                byzantine / (double) WINDOW_SEEDS, drop / (double) WINDOW_SEEDS);
    }

    @Test
    void windowsOfConsecutiveSeeds_haveTheSameFaultStatistics_withinSamplingError() {
        List<WindowStats> windows = java.util.Arrays.stream(WINDOW_STARTS).mapToObj(SeedIndependenceTest::stats)
                .toList();
        windows.forEach(w -> System.out.println("seeds " + w.start() + "-" + (w.start() + WINDOW_SEEDS - 1) + ": " + w));
        for (int a = 0; a < windows.size(); a++) {
            for (int b = a + 1; b < windows.size(); b++) {
                WindowStats x = windows.get(a);
                WindowStats y = windows.get(b);
                assertSameProportion("crash", x.crashed(), y.crashed(), x, y);
                assertSameProportion("partition", x.partitioned(), y.partitioned(), x, y);
                assertSameProportion("Byzantine coalition", x.byzantine(), y.byzantine(), x, y);
                // Drop rates are uniform in 0..49,999 ppm: standard deviation 50,000 / sqrt(12) per seed.
                double sigma = 50_000 / Math.sqrt(12) * Math.sqrt(2.0 / WINDOW_SEEDS);
                assertTrue(Math.abs(x.meanDropPerMillion() - y.meanDropPerMillion()) <= TOLERANCE_SIGMAS * sigma,
                        "mean drop rate differs beyond sampling error: " + x + " vs " + y);
            }
        }
    }

    private static void assertSameProportion(String what, double p, double q, WindowStats x, WindowStats y) {
        double pooled = (p + q) / 2;
        double sigma = Math.sqrt(Math.max(pooled * (1 - pooled), 1.0 / WINDOW_SEEDS) * 2.0 / WINDOW_SEEDS);
        assertTrue(Math.abs(p - q) <= TOLERANCE_SIGMAS * sigma, what + " fraction differs beyond sampling error ("
                + TOLERANCE_SIGMAS + " sigma = " + TOLERANCE_SIGMAS * sigma + "): " + x + " vs " + y);
    }

    @Test
    void streamsOfNearbySeedsAndOfPurposes_shareNoValues() {
        // A stream that is another shifted by a few draws (the old seeding) repeats that stream's values.
        Set<Long> seen = new HashSet<>();
        long draws = 0;
        for (long seed = 0; seed < 200; seed++) {
            long[] purposes = {SeedStreams.PLAN, SeedStreams.FAULTS, SeedStreams.NETWORK, SeedStreams.byzantine(0),
                SeedStreams.byzantine(1), SeedStreams.byzantine(6)};
            for (long purpose : purposes) {
                SplittableRandom r = SeedStreams.random(seed, purpose);
                for (int k = 0; k < 64; k++) {
                    assertTrue(seen.add(r.nextLong()), "seed " + seed + " purpose " + purpose + " draw " + k
                            + " repeats a value of another seed's or purpose's stream");
                    draws++;
                }
            }
        }
        assertEquals(200 * 6 * 64, draws);
    }

    @Test
    void aPlanAndItsFaults_areFunctionsOfTheSeed() {
        for (long seed = 1; seed <= 50; seed++) {
            assertEquals(SimulationRun.FaultPlan.of(seed, TICKS, 5, true), SimulationRun.FaultPlan.of(seed, TICKS, 5,
                    true));
        }
        SimulationRun.FaultPlan none = SimulationRun.FaultPlan.of(3, TICKS, 5, false);
        assertTrue(none.crashes().isEmpty() && none.partitions().isEmpty() && none.dropPerMillion() == 0, none.toString());
    }
}
