package dev.oasisj.modelcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One model of {@code model-check/models.json}, the list the spec author maintains. The runner never decides what a
 * model should do: {@code expect} and {@code expectViolated} come from this file, so a wrong expectation is visible in
 * review, and a changed outcome fails the build.
 *
 * @param spec           spec folder name under {@code spec/}
 * @param name           model name (unique per spec; also the work folder name)
 * @param dir            folder under {@code model-check/} holding the model's .tla/.cfg
 * @param module         TLA+ module TLC loads
 * @param cfg            configuration file name
 * @param mode           {@code check} (exhaustive) or {@code simulate}
 * @param profile        {@code ci} or {@code large}
 * @param expect         {@code ok}, {@code violation} or {@code violations}
 * @param expectViolated invariants that must be reported violated
 * @param extraArgs      further TLC arguments
 * @param constants      human summary of the constants
 * @param why            one sentence: what the model is for
 * @param simulate       simulation settings (only for {@code simulate} models, else null)
 */
public record ModelEntry(String spec, String name, String dir, String module, String cfg, String mode, String profile,
                         String expect, List<String> expectViolated, List<String> extraArgs, String constants,
                         String why, Simulation simulate) {

    /**
     * Simulation settings: behaviour length bound, the seeds to run, behaviours per seed, and whether TLC writes every
     * behaviour to a file ({@code traceFiles}, default true: the runner then counts the files; large runs of 10^5+
     * behaviours set it false and rely on TLC stopping after exactly {@code num} behaviours when nothing is violated).
     * {@code buildNum} (optional, 0 = the trace generator's default): behaviours per seed of the build's larger trace
     * set, for a trace model whose states are expensive enough that the default would cost too much CI time.
     */
    public record Simulation(int depth, List<Long> seeds, int num, boolean traceFiles, int buildNum) { }

    public ModelEntry {
        expectViolated = List.copyOf(expectViolated);
        extraArgs = List.copyOf(extraArgs);
    }

    public boolean isSimulate() { return "simulate".equals(mode); }

    /** Whether the model belongs to the models a profile runs: {@code ci} runs ci models, {@code large} runs both. */
    public boolean inProfile(String selected) {
        return "large".equals(selected) ? true : profile.equals(selected);
    }

    /** Reads and validates {@code models.json}; every problem is reported with the model's index and name. */
    public static List<ModelEntry> load(Path modelsJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(modelsJson));
        JsonNode models = root == null ? null : root.get("models");
        if (models == null || !models.isArray()) {
            throw new IllegalArgumentException(modelsJson + ": expected {\"models\": [...]}");
        }
        List<ModelEntry> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonNode m : models) {
            String where = modelsJson + ": models[" + i + "]";
            String name = text(m, "name", where);
            where += " (" + name + ")";
            String spec = text(m, "spec", where);
            String mode = text(m, "mode", where);
            String expect = text(m, "expect", where);
            String profile = text(m, "profile", where);
            require(mode.equals("check") || mode.equals("simulate"), where + ": mode must be check or simulate");
            require(expect.equals("ok") || expect.equals("violation") || expect.equals("violations"),
                    where + ": expect must be ok, violation or violations");
            require(profile.equals("ci") || profile.equals("large"), where + ": profile must be ci or large");
            List<String> expectViolated = strings(m.get("expectViolated"), where + ".expectViolated");
            if (expect.equals("ok")) {
                require(expectViolated.isEmpty(), where + ": expect ok with a non-empty expectViolated");
            } else if (expect.equals("violation")) {
                require(expectViolated.size() == 1, where + ": expect violation needs exactly one expectViolated");
            } else {
                require(!expectViolated.isEmpty(), where + ": expect violations needs expectViolated");
            }
            Simulation sim = null;
            if (mode.equals("simulate")) {
                JsonNode s = m.get("simulate");
                require(s != null && s.isObject(), where + ": simulate model without a \"simulate\" object");
                List<Long> seeds = new ArrayList<>();
                JsonNode seedsNode = s.get("seeds");
                require(seedsNode != null && seedsNode.isArray() && seedsNode.size() > 0, where + ": simulate.seeds");
                for (JsonNode sd : seedsNode) {
                    require(sd.canConvertToLong(), where + ": simulate.seeds must be integers");
                    seeds.add(sd.asLong());
                }
                require(s.path("depth").canConvertToInt() && s.path("depth").asInt() > 0, where + ": simulate.depth");
                require(s.path("num").canConvertToInt() && s.path("num").asInt() > 0, where + ": simulate.num");
                JsonNode files = s.get("traceFiles");
                require(files == null || files.isBoolean(), where + ": simulate.traceFiles must be true or false");
                JsonNode buildNum = s.get("buildNum");
                require(buildNum == null || (buildNum.canConvertToInt() && buildNum.asInt() > 0),
                        where + ": simulate.buildNum must be a positive integer");
                sim = new Simulation(s.get("depth").asInt(), List.copyOf(seeds), s.get("num").asInt(),
                        files == null || files.asBoolean(), buildNum == null ? 0 : buildNum.asInt());
            }
            require(seen.add(spec + "/" + name), where + ": duplicate model name");
            out.add(new ModelEntry(spec, name, text(m, "dir", where), text(m, "module", where), text(m, "cfg", where),
                    mode, profile, expect, expectViolated, strings(m.get("extraArgs"), where + ".extraArgs"),
                    m.path("constants").asText(""), m.path("why").asText(""), sim));
            i++;
        }
        return out;
    }

    private static String text(JsonNode m, String field, String where) {
        JsonNode v = m.get(field);
        require(v != null && v.isTextual() && !v.asText().isBlank(), where + ": missing or empty \"" + field + "\"");
        return v.asText();
    }

    private static List<String> strings(JsonNode node, String where) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        require(node.isArray(), where + " must be an array of strings");
        for (JsonNode n : node) {
            require(n.isTextual(), where + " must be an array of strings");
            out.add(n.asText());
        }
        return out;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
