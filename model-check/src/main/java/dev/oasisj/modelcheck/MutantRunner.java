package dev.oasisj.modelcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code run --mutants} command: spec mutation testing. {@code model-check/mutants.json} lists named spec mutants;
 * each is a definition {@code MUT_<name>} of a mutants module ({@code model-check/<dir>/<module>.tla}, which EXTENDS the
 * spec) that replaces one definition of the spec ({@code definition}) with a copy carrying one small change. For each
 * mutant the runner checks the spec's positive exhaustive models of the profile (those {@code models.json} expects to
 * end {@code ok}) with that one override added to the model's .cfg, exactly as {@code MCConsensusValidityMutant}
 * overrides {@code Decide}: first the mutant's listed {@code killers} (positive check models of any profile: a large
 * one runs only until the violation), then the other models of the profile, cheapest (committed
 * manifest seconds) first, and stops at the first model in which TLC reports an invariant violated (exit 12): the
 * mutant is killed by that model. A mutant no model kills survives, and the run fails (exit 1), as does any TLC run
 * that ends in an error other than a violation. The score (killed/total) and each mutant's killer go into the
 * manifest's {@code mutation} section, under {@code <spec>/<profile>}. A mutant marked {@code "profile": "large"} (its
 * only known killer is too slow for CI) runs only with {@code --profile large}.
 */
public final class MutantRunner {

    /** One listed mutant. */
    record Mutant(String spec, String name, String dir, String module, String definition, String what,
                  List<String> killers, String profile) {
        /** As for models: {@code ci} runs the ci mutants, {@code large} runs all. */
        boolean inProfile(String selected) {
            return "large".equals(selected) || profile.equals(selected);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ModelRunner.Options options;
    private final PrintStream out;

    public MutantRunner(ModelRunner.Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    static List<Mutant> load(Path file) throws IOException {
        JsonNode root = MAPPER.readTree(Files.readString(file));
        JsonNode list = root == null ? null : root.get("mutants");
        if (list == null || !list.isArray()) {
            throw new IOException(file + ": expected {\"mutants\": [...]}");
        }
        List<Mutant> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode m : list) {
            List<String> killers = new ArrayList<>();
            m.path("killers").forEach(k -> killers.add(k.asText()));
            String profile = m.path("profile").asText("ci");
            if (!profile.equals("ci") && !profile.equals("large")) {
                throw new IOException(file + ": mutant " + m.path("name").asText() + ": profile must be ci or large");
            }
            Mutant mu = new Mutant(req(m, "spec", file), req(m, "name", file), req(m, "dir", file),
                    req(m, "module", file), req(m, "definition", file), req(m, "what", file), List.copyOf(killers),
                    profile);
            if (!names.add(mu.spec() + "/" + mu.name())) {
                throw new IOException(file + ": mutant " + mu.name() + " listed twice");
            }
            out.add(mu);
        }
        return out;
    }

    private static String req(JsonNode m, String field, Path file) throws IOException {
        JsonNode v = m.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IOException(file + ": a mutant lacks the text field '" + field + "'");
        }
        return v.asText();
    }

    /** Runs every listed mutant of the selected spec; returns 0 when all are killed, 1 otherwise. */
    public int run() throws IOException {
        Path root = options.root();
        List<ModelEntry> models = ModelEntry.load(root.resolve("model-check").resolve("models.json"));
        List<Mutant> mutants = new ArrayList<>();
        for (Mutant m : load(root.resolve("model-check").resolve("mutants.json"))) {
            if ((options.spec() == null || options.spec().equals(m.spec()))
                    && (options.model() != null ? options.model().equals(m.name()) : m.inProfile(options.profile()))) {
                mutants.add(m);
            }
        }
        if (mutants.isEmpty()) {
            out.println("no mutant selected (spec=" + options.spec() + ", mutant=" + options.model() + ")");
            return options.model() != null ? 2 : 0;
        }
        Path manifestFile = root.resolve("model-check").resolve("results.json");
        Manifest committed = Manifest.read(manifestFile);
        int killed = 0;
        List<String> problems = new ArrayList<>();
        ArrayNode entries = MAPPER.createArrayNode();
        int index = 0;
        for (Mutant mu : mutants) {
            index++;
            out.printf("[%d/%d] mutant %s (%s <- MUT_%s) ... ", index, mutants.size(), mu.name(), mu.definition(),
                    mu.name());
            out.flush();
            List<ModelEntry> order = candidates(mu, models, committed);
            ObjectNode e = MAPPER.createObjectNode();
            e.put("spec", mu.spec());
            e.put("name", mu.name());
            e.put("definition", mu.definition());
            e.put("what", mu.what());
            ArrayNode tried = MAPPER.createArrayNode();
            String killer = null;
            double total = 0;
            for (ModelEntry m : order) {
                TlcResult r = runMutant(mu, m);
                total += r.seconds();
                ObjectNode t = MAPPER.createObjectNode();
                t.put("model", m.name());
                t.put("outcome", ModelRunner.outcomeOf(r.exitCode(), r.violated()));
                t.put("exitCode", r.exitCode());
                ArrayNode v = t.putArray("violated");
                r.violated().forEach(v::add);
                if (r.distinctStates() != null) {
                    t.put("distinctStates", r.distinctStates().longValue());
                }
                t.put("seconds", Math.round(r.seconds() * 10) / 10.0);
                tried.add(t);
                if (r.exitCode() == 12 && !r.violated().isEmpty()) {
                    killer = m.name();
                    e.put("killedBy", m.name());
                    ArrayNode kv = e.putArray("violated");
                    r.violated().forEach(kv::add);
                    if (r.distinctStates() != null) {
                        e.put("distinctStates", r.distinctStates().longValue());
                    }
                    e.put("seconds", Math.round(r.seconds() * 10) / 10.0);
                    break;
                }
                if (r.exitCode() != 0) {
                    problems.add(mu.name() + " on " + m.name() + ": TLC exit " + r.exitCode() + " ("
                            + String.join(" | ", r.errorTail()) + ")");
                }
            }
            e.set("tried", tried);
            if (killer != null) {
                killed++;
                out.printf(Locale.ROOT, "killed by %s (%s violated, after %d model(s), %.1f s)%n", killer,
                        String.join(",", textList(e.get("violated"))), tried.size(), total);
            } else {
                e.putNull("killedBy");
                out.printf(Locale.ROOT, "SURVIVED (%d model(s) tried, %.1f s)%n", tried.size(), total);
            }
            entries.add(e);
        }
        ObjectNode mutation = MAPPER.createObjectNode();
        mutation.put("comment", "Written by dev.oasisj.modelcheck.Main run --mutants: each listed spec mutant "
                + "(model-check/mutants.json) checked against the positive exhaustive models of the profile, stopping at "
                + "the first model whose TLC run reports an invariant violated (its killer).");
        mutation.put("profile", options.profile());
        mutation.put("killed", killed);
        mutation.put("total", mutants.size());
        mutation.put("score", killed + "/" + mutants.size());
        mutation.set("mutants", entries);
        // Re-read just before writing: another run may have updated the manifest meanwhile.
        Manifest target = Manifest.read(options.updateManifest() ? manifestFile
                : options.buildDir().resolve("results.json"));
        // One section per spec and profile (a run of one mutant, --model, is recorded under its own key).
        target.putMutation((options.spec() == null ? "all" : options.spec()) + "/"
                + (options.model() != null ? "mutant " + options.model() : options.profile()), mutation);
        Path written = options.updateManifest() ? manifestFile : options.buildDir().resolve("results.json");
        target.write(written, models);
        for (String p : problems) {
            out.println("  TLC error: " + p);
        }
        out.println("results written to " + written);
        out.printf("mutation score: %d/%d killed%s%n", killed, mutants.size(),
                killed == mutants.size() ? "" : " (" + (mutants.size() - killed) + " survived: the build fails)");
        return killed == mutants.size() && problems.isEmpty() ? 0 : 1;
    }

    private static List<String> textList(JsonNode n) {
        List<String> l = new ArrayList<>();
        n.forEach(x -> l.add(x.asText()));
        return l;
    }

    /** The listed killers first, then every other positive check model of the profile, cheapest first. */
    private List<ModelEntry> candidates(Mutant mu, List<ModelEntry> models, Manifest committed) throws IOException {
        List<ModelEntry> positive = new ArrayList<>();
        for (ModelEntry m : models) {
            if (m.spec().equals(mu.spec()) && !m.isSimulate() && m.expect().equals("ok")
                    && m.inProfile(options.profile())) {
                positive.add(m);
            }
        }
        List<ModelEntry> order = new ArrayList<>();
        for (String k : mu.killers()) {
            // A listed killer may belong to any profile: it runs only until TLC reports the mutant's violation.
            ModelEntry found = models.stream().filter(m -> m.name().equals(k) && m.spec().equals(mu.spec())
                    && !m.isSimulate() && m.expect().equals("ok")).findFirst().orElse(null);
            if (found == null) {
                throw new IOException("mutant " + mu.name() + ": killer " + k
                        + " is not a positive check model (expect ok) in models.json");
            }
            order.add(found);
        }
        List<ModelEntry> rest = new ArrayList<>(positive);
        rest.removeAll(order);
        rest.sort(Comparator.comparingDouble(m -> {
            ObjectNode c = committed.get(m.spec(), m.name());
            return c == null ? Double.MAX_VALUE : c.path("seconds").asDouble(Double.MAX_VALUE);
        }));
        order.addAll(rest);
        return order;
    }

    /**
     * Runs one model with one mutant: a fresh work folder with the spec, the model folder (mutants module included),
     * a wrapper module {@code MUT_<model>} that EXTENDS the model's module and the mutants module, and the model's
     * .cfg plus the line {@code <definition> <- MUT_<mutant>}.
     */
    private TlcResult runMutant(Mutant mu, ModelEntry m) throws IOException {
        Path work = options.buildDir().resolve("tlc-mutants").resolve(mu.name()).resolve(m.name());
        TlcProcess.prepareWorkDir(options.root(), m, work);
        if (!Files.exists(work.resolve(mu.module() + ".tla"))) {
            throw new IOException("mutants module " + mu.module() + ".tla not found in model-check/" + mu.dir());
        }
        String wrapper = "MUT_" + m.name();
        Files.writeString(work.resolve(wrapper + ".tla"), "---- MODULE " + wrapper + " ----\n"
                + "\\* Generated by MutantRunner: model " + m.name() + " with mutant " + mu.name() + ".\n"
                + "EXTENDS " + m.module() + ", " + mu.module() + "\n====\n");
        String cfg = Files.readString(work.resolve(m.cfg()));
        Files.writeString(work.resolve(wrapper + ".cfg"), cfg + (cfg.endsWith("\n") ? "" : "\n")
                + "\\* mutant " + mu.name() + ": " + mu.what() + "\nCONSTANTS\n    " + mu.definition() + " <- MUT_"
                + mu.name() + "\n");
        List<String> args = new ArrayList<>(List.of("-config", wrapper + ".cfg", wrapper));
        args.addAll(m.extraArgs());
        return TlcProcess.run(work, args, work.resolve("tlc.log"));
    }
}
