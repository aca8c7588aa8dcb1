package dev.oasisj.modelcheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The numbers the documents quote from the committed manifest ({@code model-check/results.json}) are the manifest's
 * (issue 8, point 5: they had drifted). Checked: in {@code spec/consensus/README.md} and
 * {@code spec/committee/README.md}, every model-table row whose
 * "states generated" or "distinct" cell is a plain number (exact TLC counts; seconds vary and are not compared); in the
 * root and conformance READMEs, the trace set's size ("N traces, S steps" / "N traces into").
 */
class ReadmeNumbersTest {
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[0-9][0-9,]*");

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        return Files.exists(p.resolve("model-check").resolve("results.json")) ? p : p.getParent();
    }

    private static JsonNode manifest() throws IOException {
        return new ObjectMapper().readTree(root().resolve("model-check").resolve("results.json").toFile());
    }

    @Test
    void theSpecReadmesModelTables_quoteTheManifestsStateCounts() throws IOException {
        checkModelTables("consensus", 20);
    }

    @Test
    void theCommitteeReadmesModelTable_quotesTheManifestsStateCounts() throws IOException {
        checkModelTables("committee", 40);
    }

    /** Compares the model-table numbers of spec/{spec}/README.md with the manifest entries of that spec. */
    private static void checkModelTables(String spec, int atLeast) throws IOException {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode m : manifest().get("models")) {
            if (m.get("spec").asText().equals(spec)) {
                byName.put(m.get("name").asText(), m);
            }
        }
        List<String> lines = Files.readAllLines(root().resolve("spec").resolve(spec).resolve("README.md"));
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        int generatedCol = -1;
        int distinctCol = -1;
        for (String line : lines) {
            if (!line.startsWith("|")) {
                generatedCol = -1;
                distinctCol = -1;
                continue;
            }
            List<String> cells = cells(line);
            if (cells.contains("distinct")) {
                generatedCol = cells.indexOf("states generated");
                distinctCol = cells.indexOf("distinct");
                continue;
            }
            if (distinctCol < 0 || cells.isEmpty()) {
                continue;
            }
            Matcher name = Pattern.compile("^`([A-Za-z0-9_]+)`$").matcher(cells.get(0));
            if (!name.matches() || !byName.containsKey(name.group(1))) {
                continue;
            }
            JsonNode m = byName.get(name.group(1));
            compared += compare(name.group(1), "states generated", cells, generatedCol, m.get("statesGenerated"),
                    mismatches);
            compared += compare(name.group(1), "distinct", cells, distinctCol, m.get("distinctStates"), mismatches);
        }
        assertTrue(mismatches.isEmpty(), "spec/" + spec + "/README.md differs from model-check/results.json:\n  "
                + String.join("\n  ", mismatches));
        assertTrue(compared >= atLeast, "only " + compared + " numbers compared: the tables were not found");
    }

    private static int compare(String model, String column, List<String> cells, int col, JsonNode expected,
            List<String> mismatches) {
        if (col < 0 || col >= cells.size() || !PLAIN_NUMBER.matcher(cells.get(col)).matches()) {
            return 0;
        }
        long quoted = Long.parseLong(cells.get(col).replace(",", ""));
        if (expected == null || expected.isNull() || expected.asLong() != quoted) {
            mismatches.add(model + " " + column + ": README " + cells.get(col) + ", manifest " + expected);
        }
        return 1;
    }

    private static List<String> cells(String row) {
        List<String> out = new ArrayList<>();
        String[] parts = row.split("\\|", -1);
        for (int i = 1; i < parts.length - 1; i++) {
            out.add(parts[i].trim());
        }
        return out;
    }

    @Test
    void theReadmes_quoteTheTraceSetOfTheManifest() throws IOException {
        JsonNode coverage = manifest().get("traceCoverage").get("consensus");
        String traces = String.format("%,d", coverage.get("traces").asLong());
        String steps = String.format("%,d", coverage.get("steps").asLong());
        String conformance = Files.readString(root().resolve("conformance").resolve("README.md"));
        assertTrue(conformance.contains("The build set (" + traces + " traces, " + steps + " steps)"),
                "conformance/README.md must quote the build set as (" + traces + " traces, " + steps + " steps)");
        String readme = Files.readString(root().resolve("README.md"));
        assertTrue(readme.contains("(" + traces + " traces into"), "README.md must say (" + traces + " traces into");
    }
}
