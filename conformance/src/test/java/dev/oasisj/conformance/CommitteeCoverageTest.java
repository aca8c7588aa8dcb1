package dev.oasisj.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Per-action and per-branch coverage of the committee trace corpus ({@link CommitteeCoverage}) against the minimums
 * of {@code model-check/committee/coverage-minimums.json}: a corpus that stops exercising a branch (a suspension
 * reason, a slashed-out pool, rewards the common pool cannot pay, a release, a kept validator set...) fails the build.
 * The golden set's coverage is committed as {@code traces/committee/coverage.json} and must be what the committed
 * traces give ({@code -Dcommittee.regenerate=true} rewrites it). The build set's coverage is written to
 * {@code conformance/target/committee-coverage.json}.
 */
class CommitteeCoverageTest {
    private static final Path ROOT = TraceCorpus.repositoryRoot();

    @Test
    void theBuildCorpus_meetsEveryCoverageMinimum() throws IOException {
        CommitteeCoverage c = new CommitteeCoverage();
        TraceCorpus.load("committee").forEach(c::add);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "committee-coverage.json"), c.toJson(), StandardCharsets.UTF_8);
        Map<String, Long> minimums = new TreeMap<>();
        new ObjectMapper().readTree(ROOT.resolve("model-check/committee/coverage-minimums.json").toFile()).fields()
                .forEachRemaining(e -> minimums.put(e.getKey(), e.getValue().asLong()));
        System.out.printf("committee coverage: %d traces, %d steps, %d minimums%n", c.traces(), c.steps(),
                minimums.size());
        c.counts().forEach((k, v) -> System.out.printf("committee coverage:   %-40s %d%n", k, v));
        List<String> shortfalls = c.shortfalls(minimums);
        assertTrue(minimums.size() >= 30, "too few minimums: " + minimums.size());
        assertTrue(shortfalls.isEmpty(), "committee trace coverage below its minimums:\n  "
                + String.join("\n  ", shortfalls));
    }

    @Test
    void theGoldenSetsCommittedCoverage_isWhatItsTracesGive() throws IOException {
        Path dir = ROOT.resolve("traces").resolve("committee");
        CommitteeCoverage c = new CommitteeCoverage();
        try (var s = Files.list(dir)) {
            s.filter(p -> p.toString().endsWith(".ndjson")).sorted().map(Trace::read).forEach(c::add);
        }
        Path file = dir.resolve("coverage.json");
        if (Boolean.getBoolean("committee.regenerate")) {
            Files.writeString(file, c.toJson(), StandardCharsets.UTF_8);
        }
        assertEquals(c.toJson(), Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "<missing>",
                "traces/committee/coverage.json differs from the committed traces' coverage (-Dcommittee.regenerate=true)");
    }
}
