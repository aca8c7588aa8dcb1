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
        for (String prefix : new String[] {"ed25519 verify (1 core):", "pipeline (decode+hash+verify+apply+journal):",
                "journal append (Chronicle Queue):", "replay (journal -> fresh ledger from genesis):",
                "memory (child JVM, -Xmx512m):"}) {
            assertTrue(output.lines().anyMatch(l -> l.startsWith(prefix)), "missing line " + prefix + "\n" + output);
        }
        assertTrue(output.contains("state root identical"), output);
        assertFalse(output.contains("MISMATCH"), output);
        assertFalse(output.contains("ERROR"), output);
        assertTrue(output.contains("tx/s  ratio"), output);
        assertTrue(output.contains("p99.9="), output);
        assertTrue(output.contains("heap after GC"), output);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "the bench deletes its journal folder");
        }
    }

    @Test
    void histogramPercentilesAreWithinOneBucket() {
        LogHistogram h = new LogHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v);
        }
        assertEquals(100_000, h.count());
        assertWithin(50_000, h.percentile(50));
        assertWithin(99_000, h.percentile(99));
        assertWithin(99_900, h.percentile(99.9));
        assertEquals(100_000, h.percentile(100));
        assertEquals(1, h.percentile(0.0001));
        for (long v = 0; v < 1_000_000; v = v * 3 + 1) {
            int i = LogHistogram.index(v);
            assertTrue(LogHistogram.highestEquivalent(i) >= v, "bucket top below value " + v);
            assertTrue(i == 0 || LogHistogram.highestEquivalent(i - 1) < v, "value " + v + " fits an earlier bucket");
        }
    }

    private static void assertWithin(long expected, long actual) {
        assertTrue(actual >= expected && actual <= expected + expected / 64 + 1,
                "expected about " + expected + " (up to 1/64 above), got " + actual);
    }
}
