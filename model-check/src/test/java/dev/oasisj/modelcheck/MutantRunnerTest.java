package dev.oasisj.modelcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run --mutants} on the toy repository, TLC in real JVMs: a killed mutant passes, a surviving one fails. */
class MutantRunnerTest {

    @TempDir
    Path tmp;

    private Path copyToyRoot() throws IOException, URISyntaxException {
        Path src = Path.of(MutantRunnerTest.class.getResource("/toyroot/model-check/models.json").toURI())
                .getParent().getParent();
        Path root = tmp.resolve("repo");
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
        return root;
    }

    private static String mutant(String name, String definition) {
        return "{\"spec\":\"toy\",\"name\":\"" + name + "\",\"dir\":\"toy\",\"module\":\"ToyMutants\",\"definition\":\""
                + definition + "\",\"what\":\"test\",\"killers\":[\"MCToyOk\"]}";
    }

    private static String run(Path root, int expectExit, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String[] full = Stream.concat(Stream.of("--root", root.toString(), "--build-dir",
                root.resolve("model-check/target").toString()), Stream.of(args)).toArray(String[]::new);
        int exit = Main.run(full, ps, ps);
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals(expectExit, exit, out);
        return out;
    }

    @Test
    void killedMutantPassesAndIsRecordedWithItsKiller() throws Exception {
        Path root = copyToyRoot();
        Files.writeString(root.resolve("model-check/mutants.json"),
                "{\"mutants\":[" + mutant("IncNoBound", "Inc") + "]}");
        String out = run(root, 0, "run", "toy", "--mutants", "--update-manifest");
        assertTrue(out.contains("killed by MCToyOk (TypeOK violated"), out);
        assertTrue(out.contains("mutation score: 1/1 killed"), out);
        JsonNode m = new ObjectMapper().readTree(Files.readString(root.resolve("model-check/results.json")))
                .path("mutation").path("toy/ci");
        assertEquals("1/1", m.path("score").asText());
        assertEquals("MCToyOk", m.path("mutants").get(0).path("killedBy").asText());
        // an ordinary model run keeps the mutation section of the manifest
        run(root, 0, "run", "toy", "--model", "MCToyOk", "--update-manifest");
        assertEquals("1/1", new ObjectMapper().readTree(Files.readString(root.resolve("model-check/results.json")))
                .path("mutation").path("toy/ci").path("score").asText());
    }

    @Test
    void survivingMutantFailsTheRun() throws Exception {
        Path root = copyToyRoot();
        Files.writeString(root.resolve("model-check/mutants.json"),
                "{\"mutants\":[" + mutant("IncNoBound", "Inc") + "," + mutant("ResetKeepsX", "Reset") + "]}");
        String out = run(root, 1, "run", "toy", "--mutants");
        assertTrue(out.contains("mutant ResetKeepsX (Reset <- MUT_ResetKeepsX) ... SURVIVED"), out);
        assertTrue(out.contains("mutation score: 1/2 killed (1 survived: the build fails)"), out);
    }
}
