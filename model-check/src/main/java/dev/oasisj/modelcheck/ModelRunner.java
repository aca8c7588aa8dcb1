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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code run} command: runs the selected models of {@code models.json} one TLC JVM at a time, compares each outcome
 * with the model's expectation, writes the results, and says in one line per model what happened.
 *
 * <p>Honesty rules it enforces: the exit status is 0 only when every model ended as {@code models.json} says; an
 * exhaustive model whose distinct-state count differs from the committed manifest fails the run ("manifest is stale")
 * unless the manifest is being updated, so the committed numbers cannot silently drift from what TLC reports.
 */
public final class ModelRunner {

    /** What to run and where to write. */
    public record Options(Path root, Path buildDir, String spec, String profile, String model, boolean updateManifest,
                          int jobs) {
        /** As before, one TLC JVM at a time. */
        public Options(Path root, Path buildDir, String spec, String profile, String model, boolean updateManifest) {
            this(root, buildDir, spec, profile, model, updateManifest, 1);
        }
    }

    /** One model's result: the manifest entry plus whether it was as expected. */
    record Outcome(ModelEntry model, ObjectNode entry, boolean asExpected, String problem) { }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Options options;
    private final PrintStream out;

    public ModelRunner(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the command; returns the process exit code (0 = every model as expected, 1 otherwise). */
    public int run() throws IOException {
        Path modelsJson = options.root().resolve("model-check").resolve("models.json");
        List<ModelEntry> all = ModelEntry.load(modelsJson);
        List<ModelEntry> selected = new ArrayList<>();
        for (ModelEntry m : all) {
            if ((options.spec() == null || options.spec().equals(m.spec()))
                    && (options.model() != null ? options.model().equals(m.name()) : m.inProfile(options.profile()))) {
                selected.add(m);
            }
        }
        if (selected.isEmpty()) {
            out.println("no model selected (spec=" + options.spec() + ", profile=" + options.profile() + ", model="
                    + options.model() + ") in " + modelsJson);
            return options.model() != null ? 2 : 0;
        }
        Path manifestFile = options.root().resolve("model-check").resolve("results.json");
        Manifest committed = Manifest.read(manifestFile);
        List<Outcome> outcomes = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        int index = 0;
        for (ModelEntry m : selected) {
            index++;
            out.printf("[%d/%d] %s ... ", index, selected.size(), m.name());
            out.flush();
            Outcome o;
            try {
                o = m.isSimulate() ? runSimulation(m) : runCheck(m);
            } catch (IOException e) {
                o = setupFailure(m, e);
            }
            out.println(describe(o));
            if (!o.asExpected()) {
                out.println("  UNEXPECTED: " + o.problem());
                out.println("  log: " + o.entry().path("log").asText());
                for (JsonNode line : o.entry().path("errorTail")) {
                    out.println("  | " + line.asText());
                }
            }
            if (!m.isSimulate()) {
                ObjectNode old = committed.get(m.spec(), m.name());
                // A violation in the initial state has no counts (TLC prints none): recorded without them, it is
                // in the manifest, and stays as recorded as long as this run has none either.
                boolean recordedWithoutCounts = old != null && old.has("outcome") && !old.hasNonNull("distinctStates")
                        && !o.entry().hasNonNull("distinctStates");
                if (old == null || (!old.hasNonNull("distinctStates") && !recordedWithoutCounts)) {
                    missing.add(m.name());
                } else if (!recordedWithoutCounts && o.entry().hasNonNull("distinctStates")
                        && old.get("distinctStates").asLong() != o.entry().get("distinctStates").asLong()) {
                    stale.add(m.name() + " (manifest " + old.get("distinctStates").asLong() + ", now "
                            + o.entry().get("distinctStates").asLong() + ")");
                }
            }
            outcomes.add(o);
        }
        // Re-read just before writing: another run (e.g. --mutants) may have updated the manifest meanwhile.
        Manifest target = Manifest.read(options.updateManifest() ? manifestFile
                : options.buildDir().resolve("results.json"));
        for (Outcome o : outcomes) {
            ObjectNode e = o.entry().deepCopy();
            e.remove("errorTail");
            e.remove("log");
            target.put(e);
        }
        Path written = options.updateManifest() ? manifestFile : options.buildDir().resolve("results.json");
        target.write(written, all);
        long ok = outcomes.stream().filter(Outcome::asExpected).count();
        int failures = (int) (outcomes.size() - ok);
        if (!missing.isEmpty() && !options.updateManifest()) {
            out.println("not in the committed manifest (run with --update-manifest to record them): "
                    + String.join(", ", missing));
        }
        boolean staleFails = !stale.isEmpty() && !options.updateManifest();
        if (!stale.isEmpty()) {
            out.println((options.updateManifest() ? "manifest updated, distinct states changed: "
                    : "manifest is stale: re-run with --update-manifest: ") + String.join(", ", stale));
        }
        out.println("results written to " + written);
        out.printf("summary: models=%d as-expected=%d unexpected=%d%s%n", outcomes.size(), ok, failures,
                staleFails ? " stale=" + stale.size() : "");
        return failures == 0 && !staleFails ? 0 : 1;
    }

    /** A model TLC could not even be started for (e.g. its .cfg is missing): unexpected, reported, run goes on. */
    private Outcome setupFailure(ModelEntry m, IOException e) {
        ObjectNode entry = baseEntry(m);
        fill(entry, "setup-error", -1, List.of(), null, null, null, 0, null);
        entry.put("log", options.buildDir().resolve("tlc").resolve(m.name()).toString());
        entry.putArray("errorTail").add(String.valueOf(e.getMessage()));
        return new Outcome(m, entry, false, "expected " + m.expect() + ", TLC could not be started: " + e.getMessage());
    }

    private Outcome runCheck(ModelEntry m) throws IOException {
        Path work = options.buildDir().resolve("tlc").resolve(m.name());
        TlcProcess.prepareWorkDir(options.root(), m, work);
        Path log = work.resolve("tlc.log");
        List<String> args = new ArrayList<>(List.of("-config", m.cfg(), m.module()));
        args.addAll(m.extraArgs());
        TlcResult r = TlcProcess.run(work, args, log);
        ObjectNode e = baseEntry(m);
        String outcome = outcomeOf(r.exitCode(), r.violated());
        fill(e, outcome, r.exitCode(), r.violated(), r.statesGenerated(), r.distinctStates(), r.depth(), r.seconds(),
                r.tlcVersion());
        e.put("log", log.toString());
        ArrayNode tail = e.putArray("errorTail");
        r.errorTail().forEach(tail::add);
        String problem = judge(m, outcome, r.exitCode(), r.violated());
        return new Outcome(m, e, problem == null, problem);
    }

    private Outcome runSimulation(ModelEntry m) throws IOException {
        Path work = options.buildDir().resolve("tlc").resolve(m.name());
        TlcProcess.prepareWorkDir(options.root(), m, work);
        int exit = 0;
        Set<String> violated = new LinkedHashSet<>();
        long generated = 0;
        long behaviours = 0;
        double seconds = 0;
        String version = null;
        List<String> tail = new ArrayList<>();
        Path firstBadLog = null;
        // Seeds are independent TLC JVMs: with --jobs J, up to J of them run at once (results are read in seed order).
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(options.jobs(), m.simulate().seeds().size())));
        List<java.util.concurrent.Future<TlcResult>> runs = new ArrayList<>();
        for (long seed : m.simulate().seeds()) {
            Path dir = work.resolve("sim-seed" + seed);
            Files.createDirectories(dir);
            Path log = work.resolve("tlc-seed" + seed + ".log");
            List<String> args = simulateArgs(m, dir, m.simulate().num(), m.simulate().depth(), seed,
                    m.simulate().traceFiles());
            runs.add(pool.submit(() -> TlcProcess.run(work, args, log)));
        }
        pool.shutdown();
        int k = 0;
        for (long seed : m.simulate().seeds()) {
            Path dir = work.resolve("sim-seed" + seed);
            Path log = work.resolve("tlc-seed" + seed + ".log");
            TlcResult r;
            try {
                r = runs.get(k++).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while TLC ran seed " + seed, e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            if (r.exitCode() != 0 && exit == 0) {
                exit = r.exitCode();
                tail = r.errorTail();
                firstBadLog = log;
            }
            violated.addAll(r.violated());
            generated += r.statesGenerated() == null ? 0 : r.statesGenerated();
            seconds += r.seconds();
            version = version == null ? r.tlcVersion() : version;
            if (m.simulate().traceFiles()) {
                try (Stream<Path> s = Files.list(dir)) {
                    behaviours += s.count();
                }
            } else if (r.exitCode() == 0) {
                behaviours += m.simulate().num(); // TLC exits 0 only after generating exactly num behaviours
            }
        }
        ObjectNode e = baseEntry(m);
        String outcome = outcomeOf(exit, new ArrayList<>(violated));
        fill(e, outcome, exit, new ArrayList<>(violated), generated, null, null, seconds, version);
        ArrayNode seeds = e.putArray("seeds");
        m.simulate().seeds().forEach(seeds::add);
        e.put("depth", m.simulate().depth());
        e.put("behavioursPerSeed", m.simulate().num());
        e.put("behaviours", behaviours);
        e.put("behavioursCountedFrom", m.simulate().traceFiles() ? "trace files" : "num (TLC exit 0 after num behaviours)");
        e.put("log", (firstBadLog != null ? firstBadLog : work.resolve("tlc-seed" + m.simulate().seeds().get(0) + ".log"))
                .toString());
        ArrayNode t = e.putArray("errorTail");
        tail.forEach(t::add);
        String problem = judge(m, outcome, exit, new ArrayList<>(violated));
        long expectedBehaviours = (long) m.simulate().num() * m.simulate().seeds().size();
        if (problem == null && exit == 0 && behaviours != expectedBehaviours) {
            problem = "expected " + expectedBehaviours + " behaviours (num x seeds), TLC wrote " + behaviours;
        }
        return new Outcome(m, e, problem == null, problem);
    }

    /** The TLC arguments of one simulation run ({@code -deadlock} added: a behaviour may end in a final state). */
    static List<String> simulateArgs(ModelEntry m, Path dir, int num, int depth, long seed, boolean traceFiles) {
        String sim = traceFiles ? "file=" + dir.toAbsolutePath().resolve("trace") + ",num=" + num : "num=" + num;
        List<String> args = new ArrayList<>(List.of("-config", m.cfg(),
                "-simulate", sim,
                "-depth", Integer.toString(depth), "-seed", Long.toString(seed)));
        args.addAll(m.extraArgs());
        if (!args.contains("-deadlock")) {
            args.add("-deadlock");
        }
        args.add(m.module());
        return args;
    }

    private static ObjectNode baseEntry(ModelEntry m) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("spec", m.spec());
        e.put("name", m.name());
        e.put("profile", m.profile());
        e.put("mode", m.mode());
        e.put("constants", m.constants());
        e.put("expect", m.expect());
        ArrayNode ev = e.putArray("expectViolated");
        m.expectViolated().forEach(ev::add);
        return e;
    }

    private static void fill(ObjectNode e, String outcome, int exit, List<String> violated, Long generated,
                             Long distinct, Long depth, double seconds, String version) {
        e.put("outcome", outcome);
        e.put("exitCode", exit);
        ArrayNode v = e.putArray("violated");
        violated.forEach(v::add);
        putOrNull(e, "statesGenerated", generated);
        putOrNull(e, "distinctStates", distinct);
        putOrNull(e, "depth", depth);
        e.put("seconds", Math.round(seconds * 10) / 10.0);
        if (version == null) {
            e.putNull("tlcVersion");
        } else {
            e.put("tlcVersion", version);
        }
    }

    private static void putOrNull(ObjectNode e, String field, Long v) {
        if (v == null) {
            e.putNull(field);
        } else {
            e.put(field, v.longValue());
        }
    }

    /**
     * Names what TLC did: {@code ok}, {@code violation} (stopped at the first violated invariant, exit 12),
     * {@code violations} (with {@code -continue}: invariants reported violated, exit 0), or the failure kind.
     */
    static String outcomeOf(int exit, List<String> violated) {
        return switch (exit) {
            case 0 -> violated.isEmpty() ? "ok" : "violations";
            case 12 -> "violation";
            case 10 -> "assumption-violated";
            case 11 -> "deadlock";
            case 13 -> "liveness-violated";
            case 14 -> "assert-failed";
            case 75, 76, 77 -> "evaluation-error";
            case 150 -> "parse-error";
            case 151 -> "config-error";
            default -> "error";
        };
    }

    /** Null when the outcome is what the model expects, else a sentence saying what differs. */
    static String judge(ModelEntry m, String outcome, int exit, List<String> violated) {
        String got = outcome + " (exit " + exit + (violated.isEmpty() ? "" : ", violated " + violated) + ")";
        switch (m.expect()) {
            case "ok":
                return outcome.equals("ok") ? null : "expected ok, got " + got;
            case "violation":
                return exit == 12 && violated.equals(m.expectViolated()) ? null
                        : "expected violation of " + m.expectViolated() + " (exit 12), got " + got;
            case "violations": {
                Set<String> want = new HashSet<>(m.expectViolated());
                Set<String> have = new HashSet<>(violated);
                if ((exit == 0 || exit == 12) && want.equals(have)) {
                    return null;
                }
                Set<String> notReported = new LinkedHashSet<>(m.expectViolated());
                notReported.removeAll(have);
                Set<String> extra = new LinkedHashSet<>(violated);
                extra.removeAll(want);
                return "expected violations of " + m.expectViolated() + ", got " + got
                        + (notReported.isEmpty() ? "" : "; never reported: " + notReported)
                        + (extra.isEmpty() ? "" : "; not expected: " + extra);
            }
            default:
                return "unknown expectation " + m.expect();
        }
    }

    private static String describe(Outcome o) {
        ObjectNode e = o.entry();
        StringBuilder sb = new StringBuilder(e.get("outcome").asText());
        if (e.path("violated").size() > 0) {
            List<String> v = new ArrayList<>();
            e.get("violated").forEach(n -> v.add(n.asText()));
            sb.append(' ').append(v.size() <= 3 ? String.join(",", v) : v.size() + " invariants");
        }
        sb.append(o.asExpected() ? " as expected" : " UNEXPECTED").append(" (");
        if ("simulate".equals(o.model().mode())) {
            sb.append(String.format(Locale.ROOT, "%d seeds, %,d behaviours, %,d states", e.get("seeds").size(),
                    e.get("behaviours").asLong(), e.path("statesGenerated").asLong()));
        } else if (e.hasNonNull("distinctStates")) {
            sb.append(String.format(Locale.ROOT, "%,d distinct states", e.get("distinctStates").asLong()));
            if (e.hasNonNull("depth")) {
                sb.append(", depth ").append(e.get("depth").asLong());
            }
        } else {
            sb.append("no state counts");
        }
        sb.append(String.format(Locale.ROOT, ", %.1f s)", e.get("seconds").asDouble()));
        return sb.toString();
    }
}
