package dev.oasisj.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole bench at tiny sizes: every result line is there and replay matched. No timing is asserted. */
class ConsensusBenchTest {

    @Test
    void tinyRunPrintsEveryLineAndReplayMatches(@TempDir Path dir) throws Exception {
        BenchOptions options = BenchOptions.defaults().withPhaseSeconds(0.2).withWarmupSeconds(0.1).withAccounts(1_000)
                .withDataDir(dir).withMemoryChild(true, 1_000, 300);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            rc = ConsensusBench.run(options, out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, rc, output);
        for (String prefix : new String[] {"ed25519 verify (1 core):", "pipeline (1 core):", "pipeline/verify ratio:",
                "journal append latency:", "replay (journal -> fresh node from genesis):", "replay/live ratio:",
                "peak memory, validator (-Xmx512m):", "  stricter: verify, keys pre-decoded:",
                "restart after 1 checkpoint interval:", "restart after 10 checkpoint intervals:",
                "restart 10/1 intervals ratio:"}) {
            assertTrue(output.lines().anyMatch(l -> l.startsWith(prefix)), "missing line " + prefix + "\n" + output);
        }
        assertTrue(output.contains("state root identical"), output);
        assertFalse(output.contains("MISMATCH"), output);
        assertFalse(output.contains("ERROR"), output);
        assertTrue(output.contains("p99.9="), output);
        assertTrue(output.contains("after GC"), output);
        // The ratios are the printed rates divided, and each goal verdict follows from its ratio.
        double verify = number(output, "ed25519 verify (1 core):");
        double pipeline = number(output, "pipeline (1 core):");
        double ratio = number(output, "pipeline/verify ratio:");
        assertTrue(verify > 0 && pipeline > 0, output);
        assertEquals(pipeline / verify, ratio, 0.02 + 0.01 * ratio, output);
        assertGoalVerdict(output, "pipeline/verify ratio:", ratio >= 0.80);
        assertGoalVerdict(output, "replay/live ratio:", number(output, "replay/live ratio:") >= 1.0);
        // Restarts: from the checkpoint at 10 (after 1 interval) and at 100 (after 10), identical to the live node.
        assertTrue(output.contains("restarted node identical to the live one"), output);
        assertTrue(output.lines().anyMatch(l -> l.startsWith("restart after 1 checkpoint interval:")
                && l.contains("checkpoint at 10,")), output);
        assertTrue(output.lines().anyMatch(l -> l.startsWith("restart after 10 checkpoint intervals:")
                && l.contains("checkpoint at 100,")), output);
        double restart1 = number(output, "restart after 1 checkpoint interval:");
        double restart10 = number(output, "restart after 10 checkpoint intervals:");
        double restartRatio = number(output, "restart 10/1 intervals ratio:");
        assertTrue(restart1 > 0 && restart10 > 0, output);
        assertEquals(restart10 / restart1, restartRatio, 0.02 + 0.05 * restartRatio, output);
        assertGoalVerdict(output, "restart 10/1 intervals ratio:", restartRatio <= 1.5);
        // 300 transfers in the memory child, blocks of 1,000: everything is committed.
        assertTrue(output.contains("300 transfers committed"), output);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "the bench deletes its journal folder");
        }
    }

    @Test
    void preSignsAtLeastTheVerifySampleEvenAfterASlowWarmUp() {
        BenchOptions small = BenchOptions.defaults().withPhaseSeconds(0.2).withWarmupSeconds(0.1)
                .withBlockTransactions(50);
        assertEquals(1_024, ConsensusBench.transfersNeeded(10, small, 1_024), "a slow warm-up must not go below");
        assertEquals(1_024, ConsensusBench.transfersNeeded(0, small, 1_024));
        // 1.5 x 8,000/s x 7 s + 2 blocks of 1,000
        assertEquals(86_000, ConsensusBench.transfersNeeded(8_000, BenchOptions.defaults(), 1_024));
    }

    @Test
    void histogramPercentilesAreWithinOneBucket() {
        org.HdrHistogram.Histogram h = TimedJournal.latencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.recordValue(v);
        }
        assertEquals(100_000, h.getTotalCount());
        assertWithin(50_000, h.getValueAtPercentile(50));
        assertWithin(99_000, h.getValueAtPercentile(99));
        assertWithin(99_900, h.getValueAtPercentile(99.9));
        assertWithin(100_000, h.getValueAtPercentile(100));
        assertEquals(1, h.getValueAtPercentile(0.0001));
        for (long v = 0; v < TimedJournal.HIGHEST_NANOS; v = v * 3 + 1) {
            long top = h.highestEquivalentValue(v);
            assertTrue(top >= v, "bucket top below value " + v);
            assertTrue(top <= v + v / 64 + 1, "bucket of " + v + " wider than 1/64: up to " + top);
        }
    }

    /** The first number after {@code label} on its line (commas removed). */
    static double number(String output, String label) {
        String line = output.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9][0-9,]*(\\.[0-9]+)?)")
                .matcher(line.substring(label.length()));
        assertTrue(m.find(), "no number in " + line);
        return Double.parseDouble(m.group(1).replace(",", ""));
    }

    private static void assertGoalVerdict(String output, String label, boolean met) {
        String line = output.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow();
        assertTrue(line.endsWith(met ? ": met)" : ": NOT MET)"), line);
    }

    private static void assertWithin(long expected, long actual) {
        assertTrue(actual >= expected && actual <= expected + expected / 64 + 1,
                "expected about " + expected + " (up to 1/64 above), got " + actual);
    }
}
