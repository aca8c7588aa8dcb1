package dev.oasisj.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oasis bench consensus} through the picocli command line: usage errors exit 2, a tiny run exits 0. */
class BenchCommandTest {
    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void badOptionsExitTwoWithTheReason() {
        Result tooFew = run("bench", "consensus", "--accounts", "1");
        assertEquals(2, tooFew.exit(), tooFew.toString());
        assertTrue(tooFew.err().contains("--accounts must be in 2..1000000, got 1"), tooFew.err());

        Result block = run("bench", "consensus", "--block-txs", "1001");
        assertEquals(2, block.exit(), block.toString());
        assertTrue(block.err().contains("--block-txs must be in 1..1000"), block.err());

        Result seconds = run("bench", "consensus", "--seconds", "0");
        assertEquals(2, seconds.exit(), seconds.toString());
        assertTrue(seconds.err().contains("--seconds"), seconds.err());

        Result notANumber = run("bench", "consensus", "--accounts", "many");
        assertEquals(2, notANumber.exit(), notANumber.toString());
        assertTrue(notANumber.err().contains("many"), notANumber.err());

        Result unknown = run("bench", "consensus", "--frobnicate");
        assertEquals(2, unknown.exit(), unknown.toString());

        Result noBenchmark = run("bench");
        assertEquals(2, noBenchmark.exit(), noBenchmark.toString());
        assertTrue(noBenchmark.err().contains("consensus"), noBenchmark.err());
    }

    @Test
    void helpNamesTheGoalsAndOptions() {
        Result help = run("bench", "consensus", "--help");
        assertEquals(0, help.exit(), help.toString());
        for (String s : new String[] {"--seconds", "--accounts", "--seed", "--block-txs", "--no-memory", "0.80",
                "512"}) {
            assertTrue(help.out().contains(s), "help lacks " + s + ":\n" + help.out());
        }
    }

    @Test
    void tinyRunPrintsResultsOnOutAndProgressOnErr(@TempDir Path dir) throws Exception {
        Result r = run("bench", "consensus", "--seconds", "0.2", "--warmup", "0.1", "--accounts", "500",
                "--block-txs", "50", "--seed", "3", "--no-memory", "--data-dir", dir.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("seed 3"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("pipeline/verify ratio:") && l.contains("goal >= 0.80")),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("replay/live ratio:") && l.contains("goal >= 1.00")),
                r.out());
        assertTrue(r.out().contains("blocks of up to 50"), r.out());
        assertTrue(r.out().contains("skipped"), r.out());
        assertFalse(r.out().contains("ERROR"), r.out());
        assertTrue(r.err().contains("bench: replaying"), r.err());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "the bench deletes its journal folder");
        }
    }
}
