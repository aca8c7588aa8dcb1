package dev.oasisj.modelcheck;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The {@code traces} and {@code check-golden} commands: runs TLC's random simulation of every {@code simulate} model of
 * a spec from fixed seeds and converts each behaviour into one NDJSON file
 * {@code <out>/<spec>/<model>-seed<seed>-<k>.ndjson}, one line per state, in the format of
 * {@code spec/consensus/ACTIONS.md}: {@code {"spec","model","seed","step","action","state"}}.
 *
 * <p>Why fixed seeds and canonical JSON: the conformance suite replays these files, and a failure must be reproducible
 * from its file name; with one worker TLC's simulation is a pure function of the seed, and the converter is a pure
 * function of TLC's output, so the same seed gives byte-identical files, which {@code check-golden} verifies on every
 * build against the committed golden set in {@code traces/<spec>/}.
 */
public final class TraceGenerator {

    /**
     * Which behaviours to generate: seeds and behaviours per seed (the depth bound comes from {@code models.json}).
     *
     * @param seeds seeds, one TLC run each
     * @param num   behaviours per seed
     */
    public record TraceSet(List<Long> seeds, int num) {
        public TraceSet { seeds = List.copyOf(seeds); }
    }

    /**
     * The committed golden set: small (3 seeds x 4 behaviours per simulate model) so that {@code traces/} stays well
     * under 5 MB and a reviewer can read a trace; its seeds are disjoint from {@link #BUILD}'s.
     */
    public static final TraceSet GOLDEN = new TraceSet(List.of(1L, 2L, 3L), 4);

    /** The larger set every build writes under {@code target/traces/}: 10 seeds x 26 = 260 behaviours per model. */
    public static final TraceSet BUILD = new TraceSet(LongStream.rangeClosed(101, 110).boxed().toList(), 26);

    /** Where and what. {@code outDir} is the folder that gets a {@code <spec>/} subfolder. */
    public record Options(Path root, Path buildDir, String spec, String profile, Path outDir, TraceSet set) { }

    private static final Pattern TLC_TRACE_FILE = Pattern.compile("trace_(\\d+)_(\\d+)");

    private final Options options;
    private final PrintStream out;

    public TraceGenerator(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** The simulate models of the selected spec and profile. */
    List<ModelEntry> simulateModels() throws IOException {
        List<ModelEntry> all = ModelEntry.load(options.root().resolve("model-check").resolve("models.json"));
        List<ModelEntry> sims = new ArrayList<>();
        for (ModelEntry m : all) {
            if (m.isSimulate() && (options.spec() == null || m.spec().equals(options.spec()))
                    && m.inProfile(options.profile())) {
                sims.add(m);
            }
        }
        return sims;
    }

    /** Generates the trace set; returns the files written (sorted). */
    public List<Path> generate() throws IOException {
        List<ModelEntry> models = simulateModels();
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no simulate model for spec " + options.spec() + " in models.json");
        }
        List<Path> written = new ArrayList<>();
        for (ModelEntry m : models) {
            Path specOut = options.outDir().resolve(m.spec());
            Files.createDirectories(specOut);
            deleteOldTraces(specOut, m.name());
            boolean witness = isWitnessTraceModel(m);
            List<Long> seeds = !witness ? options.set().seeds()
                    : options.set() == GOLDEN ? m.simulate().seeds().subList(0, 1) : m.simulate().seeds();
            for (long seed : seeds) {
                long start = System.nanoTime();
                int num = options.set() == BUILD && m.simulate().buildNum() > 0 ? m.simulate().buildNum()
                        : options.set().num();
                List<Path> files = witness ? List.of(generateWitness(m, seed, specOut))
                        : generateSeed(m, seed, num, m.simulate().depth(), specOut);
                long bytes = 0;
                long lines = 0;
                for (Path f : files) {
                    bytes += Files.size(f);
                    try (Stream<String> s = Files.lines(f)) {
                        lines += s.count();
                    }
                }
                out.printf("traces: %s seed %d: %d traces, %d states, %,d bytes (%.1f s)%n", m.name(), seed,
                        files.size(), lines, bytes, (System.nanoTime() - start) / 1e9);
                written.addAll(files);
            }
        }
        written.sort(Comparator.comparing(Path::toString));
        return written;
    }

    /**
     * Writes the coverage of {@code files} (the traces just generated) to {@code <out>/<spec>/coverage.json}, prints it
     * one action per line, and, when {@code enforce}, compares it with {@code model-check/<dir>/coverage-minimums.json}
     * (a JSON object from {@code "Action"} or {@code "Action/branch"} to the least number of steps): returns false,
     * after printing each shortfall, if a count is below its minimum. Specs without a coverage classifier: true.
     */
    public boolean reportCoverage(List<Path> files, boolean enforce) throws IOException {
        return reportCoverage(files, enforce, false);
    }

    /**
     * As {@link #reportCoverage(List, boolean)}; with {@code updateManifest} the report also goes into the committed
     * manifest {@code model-check/results.json} ({@code traceCoverage.<spec>}, with the trace set's seeds).
     */
    public boolean reportCoverage(List<Path> files, boolean enforce, boolean updateManifest) throws IOException {
        if (!"consensus".equals(options.spec())) {
            return true;
        }
        ConsensusCoverage coverage = new ConsensusCoverage();
        Path minimumsFile = null;
        for (ModelEntry m : simulateModels()) {
            Path modelDir = options.root().resolve("model-check").resolve(m.dir());
            java.util.Set<String> valid = ConsensusCoverage.validValuesOf(modelDir.resolve(m.cfg()));
            minimumsFile = modelDir.resolve("coverage-minimums.json");
            for (Path f : files) {
                if (f.getFileName().toString().startsWith(m.name() + "-seed")) {
                    coverage.addTrace(f, valid);
                }
            }
        }
        Path report = options.outDir().resolve(options.spec()).resolve("coverage.json");
        Files.writeString(report, coverage.toJson(), StandardCharsets.UTF_8);
        out.printf("coverage: %d traces, %d steps (%s)%n", coverage.traces(), coverage.steps(), report);
        if (updateManifest) {
            Path manifestFile = options.root().resolve("model-check").resolve("results.json");
            Manifest manifest = Manifest.read(manifestFile);
            com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(coverage.toJson());
            node.put("traceSet", "models " + simulateModels().stream().map(ModelEntry::name).toList() + "; random "
                    + "models: seeds " + options.set().seeds() + " x " + options.set().num() + " behaviours; witness "
                    + "models: their own seeds");
            manifest.putCoverage(options.spec(), node);
            manifest.write(manifestFile, ModelEntry.load(options.root().resolve("model-check").resolve("models.json")));
            out.println("coverage: written to " + options.root().relativize(manifestFile) + " (traceCoverage."
                    + options.spec() + ")");
        }
        coverage.counts().forEach((action, branches) -> out.printf("coverage:   %-26s %s%n", action, branches));
        if (!enforce || minimumsFile == null || !Files.exists(minimumsFile)) {
            return true;
        }
        Map<String, Long> minimums = new TreeMap<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(minimumsFile.toFile()).fields()
                .forEachRemaining(e -> minimums.put(e.getKey(), e.getValue().asLong()));
        List<String> shortfalls = coverage.shortfalls(minimums);
        for (String s : shortfalls) {
            out.println("coverage: BELOW MINIMUM " + s);
        }
        out.printf("coverage: %d minimums from %s, %d not met%n", minimums.size(),
                options.root().relativize(minimumsFile), shortfalls.size());
        return shortfalls.isEmpty();
    }

    /**
     * A simulate model that TLC is expected to find violating an invariant (a reachability witness: the invariant
     * says a rare guard branch is never taken) yields that behaviour as its trace, one per seed of its own
     * {@code simulate.seeds} (the golden set takes the first): so the corpus holds branches random behaviours almost
     * never reach, each on a behaviour TLC found and checked.
     */
    static boolean isWitnessTraceModel(ModelEntry m) {
        return m.isSimulate() && "violation".equals(m.expect());
    }

    /** Runs a witness model's search for one seed and converts the violating behaviour; returns the file. */
    Path generateWitness(ModelEntry m, long seed, Path specOut) throws IOException {
        Path work = options.buildDir().resolve("tlc-traces").resolve(m.name() + "-seed" + seed);
        TlcProcess.prepareWorkDir(options.root(), m, work);
        Path simDir = work.resolve("sim");
        Files.createDirectories(simDir);
        Path log = work.resolve("tlc.log");
        TlcResult r = TlcProcess.run(work, ModelRunner.simulateArgs(m, simDir, m.simulate().num(),
                m.simulate().depth(), seed, false), log);
        if (r.exitCode() != 12 || !r.violated().containsAll(m.expectViolated())) {
            throw new IOException("witness model " + m.name() + " seed " + seed + " did not find a behaviour violating "
                    + m.expectViolated() + " (exit " + r.exitCode() + ", violated " + r.violated() + "); log: " + log);
        }
        String module = errorTraceModule(m.name() + "-seed" + seed, Files.readAllLines(log, StandardCharsets.UTF_8));
        Path target = specOut.resolve(m.name() + "-seed" + seed + "-0.ndjson");
        Files.writeString(target, toNdjson(m.spec(), m.name(), seed, TlaValueParser.parseTraceModule(log.toString(),
                module), target.getFileName().toString()), StandardCharsets.UTF_8);
        return target;
    }

    /**
     * TLC's error trace (the {@code State N: <...>} blocks after {@code Error: The behavior up to this point is:} in
     * its output) as a trace module in the format {@code -simulate file=} writes ({@link TlaValueParser#parseTraceModule}).
     */
    static String errorTraceModule(String name, List<String> lines) {
        StringBuilder sb = new StringBuilder("---- MODULE ").append(name).append(" ----\n");
        Pattern header = Pattern.compile("^State (\\d+): .*");
        boolean inTrace = false;
        int states = 0;
        for (String line : lines) {
            if (!inTrace) {
                inTrace = line.startsWith("Error: The behavior up to this point is:");
                continue;
            }
            Matcher h = header.matcher(line);
            if (h.matches()) {
                states++;
                if (Integer.parseInt(h.group(1)) != states) {
                    throw new IllegalArgumentException("error trace of " + name + ": state " + h.group(1)
                            + " where state " + states + " was expected");
                }
                sb.append("STATE_").append(states).append(" ==\n");
            } else if (line.startsWith("/\\") || line.startsWith(" ") || (line.isEmpty() && states > 0)) {
                sb.append(line).append('\n');
            } else if (states > 0) {
                break;
            }
        }
        if (states == 0) {
            throw new IllegalArgumentException("no error trace in the TLC output of " + name);
        }
        return sb.append("====\n").toString();
    }

    private static void deleteOldTraces(Path specOut, String model) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(specOut, model + "-seed*.ndjson")) {
            for (Path p : ds) {
                Files.delete(p);
            }
        }
    }

    /**
     * Runs TLC's simulation for one seed and converts its behaviours; TLC names them {@code trace_<worker>_<k>} (one
     * worker, so {@code trace_0_0 .. trace_0_<num-1>}); the k-th becomes {@code <model>-seed<seed>-<k>.ndjson}.
     */
    List<Path> generateSeed(ModelEntry m, long seed, int num, int depth, Path specOut) throws IOException {
        Path work = options.buildDir().resolve("tlc-traces").resolve(m.name() + "-seed" + seed);
        TlcProcess.prepareWorkDir(options.root(), m, work);
        Path simDir = work.resolve("sim");
        Files.createDirectories(simDir);
        Path log = work.resolve("tlc.log");
        TlcResult r = TlcProcess.run(work, ModelRunner.simulateArgs(m, simDir, num, depth, seed, true), log);
        if (r.exitCode() != 0) {
            throw new IOException("TLC simulation of " + m.name() + " seed " + seed + " ended with exit "
                    + r.exitCode() + " (" + ModelRunner.outcomeOf(r.exitCode(), r.violated()) + "); log: " + log
                    + "\n  | " + String.join("\n  | ", r.errorTail()));
        }
        List<Path> tlcFiles = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(simDir)) {
            for (Path p : ds) {
                if (TLC_TRACE_FILE.matcher(p.getFileName().toString()).matches()) {
                    tlcFiles.add(p);
                }
            }
        }
        tlcFiles.sort(Comparator.comparingLong((Path p) -> tlcIndex(p, 1)).thenComparingLong(p -> tlcIndex(p, 2)));
        List<Path> written = new ArrayList<>();
        for (int k = 0; k < tlcFiles.size(); k++) {
            Path target = specOut.resolve(m.name() + "-seed" + seed + "-" + k + ".ndjson");
            String text = Files.readString(tlcFiles.get(k), StandardCharsets.UTF_8);
            Files.writeString(target, toNdjson(m.spec(), m.name(), seed,
                    TlaValueParser.parseTraceModule(tlcFiles.get(k).toString(), text), target.getFileName().toString()),
                    StandardCharsets.UTF_8);
            written.add(target);
        }
        return written;
    }

    private static long tlcIndex(Path p, int group) {
        Matcher mt = TLC_TRACE_FILE.matcher(p.getFileName().toString());
        if (!mt.matches()) {
            throw new IllegalStateException(p.toString());
        }
        return Long.parseLong(mt.group(group));
    }

    /**
     * Converts one behaviour into NDJSON: one line per state; {@code action} is the state's {@code lastAction} record
     * ({@code name} first, other fields sorted), {@code state} every other variable, sorted by name.
     */
    public static String toNdjson(String spec, String model, long seed, List<Map<String, TlaValue>> states,
                                  String where) {
        StringBuilder sb = new StringBuilder();
        for (int step = 0; step < states.size(); step++) {
            Map<String, TlaValue> st = states.get(step);
            TlaValue last = st.get("lastAction");
            if (!(last instanceof TlaValue.Rcd action) || !(action.get("name") instanceof TlaValue.Str name)) {
                throw new IllegalArgumentException(where + " step " + step
                        + ": the state has no record variable lastAction with a string field name");
            }
            sb.append("{\"spec\":");
            CanonicalJson.quote(spec, sb);
            sb.append(",\"model\":");
            CanonicalJson.quote(model, sb);
            sb.append(",\"seed\":").append(seed).append(",\"step\":").append(step).append(",\"action\":{\"name\":");
            CanonicalJson.quote(name.value(), sb);
            TreeMap<String, TlaValue> params = new TreeMap<>();
            for (TlaValue.Field f : action.fields()) {
                if (!f.name().equals("name")) {
                    params.put(f.name(), f.value());
                }
            }
            for (Map.Entry<String, TlaValue> p : params.entrySet()) {
                sb.append(',');
                CanonicalJson.quote(p.getKey(), sb);
                sb.append(':');
                CanonicalJson.write(p.getValue(), sb);
            }
            sb.append("},\"state\":");
            TreeMap<String, TlaValue> vars = new TreeMap<>(st);
            vars.remove("lastAction");
            CanonicalJson.writeObject(vars, sb);
            sb.append("}\n");
        }
        return sb.toString();
    }

    /**
     * {@code check-golden}: regenerates the golden set into a scratch folder and compares it byte for byte with
     * {@code traces/<spec>/}; returns the differences (empty = identical).
     */
    public List<String> checkGolden() throws IOException {
        Path scratch = options.buildDir().resolve("golden-check");
        TlcProcess.deleteRecursively(scratch);
        TraceGenerator regen = new TraceGenerator(new Options(options.root(), options.buildDir(), options.spec(),
                options.profile(), scratch, GOLDEN), out);
        List<ModelEntry> models = regen.simulateModels();
        List<Path> fresh = regen.generate();
        List<String> problems = new ArrayList<>();
        List<String> specs = models.stream().map(ModelEntry::spec).distinct().sorted().toList();
        for (String spec : specs) {
            Path committedDir = options.root().resolve("traces").resolve(spec);
            List<String> modelNames = models.stream().filter(m -> m.spec().equals(spec)).map(ModelEntry::name).toList();
            List<String> committed = listTraces(committedDir, modelNames);
            List<String> regenerated = listTraces(scratch.resolve(spec), modelNames);
            for (String f : committed) {
                if (!regenerated.contains(f)) {
                    problems.add("traces/" + spec + "/" + f + " is committed but no longer generated");
                }
            }
            for (String f : regenerated) {
                if (!committed.contains(f)) {
                    problems.add("traces/" + spec + "/" + f + " is generated but not committed");
                    continue;
                }
                byte[] a = Files.readAllBytes(committedDir.resolve(f));
                byte[] b = Files.readAllBytes(scratch.resolve(spec).resolve(f));
                if (!Arrays.equals(a, b)) {
                    problems.add("traces/" + spec + "/" + f + " differs from the regenerated file "
                            + scratch.resolve(spec).resolve(f) + firstDifference(a, b));
                }
            }
        }
        out.printf("check-golden: %d files regenerated, %d differences%n", fresh.size(), problems.size());
        return problems;
    }

    private static List<String> listTraces(Path dir, List<String> models) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".ndjson") && models.stream().anyMatch(m -> n.startsWith(m + "-seed")))
                    .sorted().collect(Collectors.toList());
        }
    }

    private static String firstDifference(byte[] a, byte[] b) {
        int line = 1;
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return " (first difference on line " + line + ")";
            }
            if (a[i] == '\n') {
                line++;
            }
        }
        return " (one is a prefix of the other; lengths " + a.length + " and " + b.length + ")";
    }
}
