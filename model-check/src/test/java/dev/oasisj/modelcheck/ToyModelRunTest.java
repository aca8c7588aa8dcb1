package dev.oasisj.modelcheck;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on the toy repository in {@code src/test/resources/toyroot} (copied to a temp folder, TLC in real
 * separate JVMs): expected outcomes pass, a changed expectation fails, the manifest guards its numbers, and traces are
 * byte-identical for the same seed.
 */
class ToyModelRunTest {

    @TempDir
    static Path tmp;
    static Path root;

    @BeforeAll
    static void copyToyRoot() throws IOException, URISyntaxException {
        Path src = Path.of(ToyModelRunTest.class.getResource("/toyroot/model-check/models.json").toURI())
                .getParent().getParent();
        root = tmp.resolve("repo");
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = root.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private record Run(int exit, String out) { }

    private static Run main(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String[] full = Stream.concat(Stream.of("--root", root.toString(), "--build-dir",
                root.resolve("model-check/target").toString()), Stream.of(args)).toArray(String[]::new);
        int exit = Main.run(full, ps, ps);
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return new Run(exit, out);
    }

    @Test
    void runUpdateManifestThenDetectStaleAndUnexpected() throws IOException {
        Run first = main("run", "--profile", "large", "--update-manifest");
        assertEquals(0, first.exit(), first.out());
        assertTrue(first.out().contains("summary: models=4 as-expected=4 unexpected=0"), first.out());
        assertTrue(first.out().contains("violation XSmall as expected"), first.out());
        Path manifest = root.resolve("model-check/results.json");
        String committed = Files.readString(manifest);
        assertTrue(committed.contains("\"distinctStates\""), committed);

        // same run without --update-manifest: agrees with the manifest, which stays untouched
        Run again = main("run", "--model", "MCToyViolation");
        assertEquals(0, again.exit(), again.out());
        assertEquals(committed, Files.readString(manifest));

        // a manifest whose count is wrong makes the run fail
        Files.writeString(manifest, committed.replaceFirst("\"distinctStates\" : 4,", "\"distinctStates\" : 5,"));
        Run stale = main("run", "--model", "MCToyViolation");
        assertEquals(1, stale.exit(), stale.out());
        assertTrue(stale.out().contains("manifest is stale: re-run with --update-manifest"), stale.out());
        Files.writeString(manifest, committed);

        // an expectation that no longer holds fails the run and names the log
        Path models = root.resolve("model-check/models.json");
        String original = Files.readString(models);
        Files.writeString(models, original.replace("\"expectViolated\":[\"XSmall\"]", "\"expectViolated\":[\"TypeOK\"]"));
        try {
            Run wrong = main("run", "--model", "MCToyViolation");
            assertEquals(1, wrong.exit(), wrong.out());
            assertTrue(wrong.out().contains("UNEXPECTED"), wrong.out());
            assertTrue(wrong.out().contains("tlc.log"), wrong.out());
            assertTrue(wrong.out().contains("summary: models=1 as-expected=0 unexpected=1"), wrong.out());
        } finally {
            Files.writeString(models, original);
        }
    }

    @Test
    void sameSeedGivesByteIdenticalTracesAndGoldenCheckBites() throws IOException {
        Run a = main("traces", "--spec", "toy", "--out", tmp.resolve("a").toString(), "--seeds", "5", "--num", "3");
        assertEquals(0, a.exit(), a.out());
        Run b = main("traces", "--spec", "toy", "--out", tmp.resolve("b").toString(), "--seeds", "5", "--num", "3");
        assertEquals(0, b.exit(), b.out());
        List<Path> files;
        try (Stream<Path> s = Files.list(tmp.resolve("a/toy"))) {
            files = s.sorted().toList();
        }
        assertEquals(3, files.size());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(tmp.resolve("b/toy").resolve(f.getFileName())),
                    f.toString());
        }
        String first = Files.readAllLines(files.get(0)).get(0);
        assertTrue(first.startsWith("{\"spec\":\"toy\",\"model\":\"SIMToy\",\"seed\":5,\"step\":0,"
                + "\"action\":{\"name\":\"Init\"},\"state\":{"), first);
        assertFalse(first.contains("lastAction"), first);

        Run golden = main("traces", "--spec", "toy", "--golden");
        assertEquals(0, golden.exit(), golden.out());
        Run check = main("check-golden", "--spec", "toy");
        assertEquals(0, check.exit(), check.out());
        Path one = root.resolve("traces/toy/SIMToy-seed1-0.ndjson");
        byte[] bytes = Files.readAllBytes(one);
        bytes[bytes.length - 3] ^= 1;
        Files.write(one, bytes);
        Run bad = main("check-golden", "--spec", "toy");
        assertEquals(1, bad.exit(), bad.out());
        assertTrue(bad.out().contains("SIMToy-seed1-0.ndjson differs"), bad.out());
    }

    @Test
    void badArgumentsExitTwo() {
        assertEquals(2, main("frobnicate").exit());
        assertEquals(2, main("run", "--profile", "huge").exit());
        assertEquals(2, main("traces").exit());
        assertEquals(2, main("run", "--bogus").exit());
        assertEquals(0, main("--help").exit());
    }
}
