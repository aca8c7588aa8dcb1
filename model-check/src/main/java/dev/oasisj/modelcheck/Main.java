package dev.oasisj.modelcheck;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line entry of the model-check module (run by the Maven build through {@code exec:exec}, or by hand).
 *
 * <p>Plain argument parsing: four subcommands with a handful of options do not justify a CLI library. Exit codes:
 * 0 success, 1 a model/trace check failed, 2 bad arguments or unreadable input.
 */
public final class Main {

    static final String USAGE = String.join("\n",
            "usage: java -cp <classpath> dev.oasisj.modelcheck.Main [--root DIR] [--build-dir DIR] <command> [options]",
            "",
            "commands:",
            "  run [S | --spec S] [--profile ci|large] [--model NAME] [--update-manifest] [--jobs J] [--mutants]",
            "      run the selected models of model-check/models.json with TLC (one JVM each), compare each outcome with",
            "      its expectation, write <build-dir>/results.json (or, with --update-manifest, merge into the committed",
            "      model-check/results.json); fails if an outcome is unexpected or a distinct-state count differs from",
            "      the committed manifest; --jobs J runs up to J seeds of a simulate model as parallel TLC JVMs;",
            "      --mutants instead runs every spec mutant of model-check/mutants.json (--model NAME: one mutant)",
            "      against the positive check models of the profile, stops at the first model that kills it (an",
            "      invariant violated), prints the killer of each, writes the score to the manifest's mutation",
            "      section, and fails if a mutant survives",
            "  traces (S | --spec S) [--out DIR] [--golden] [--seeds 1,2,3] [--num N] [--profile ci|large] [--update-manifest]",
            "      simulate every simulate model of spec S from fixed seeds and write NDJSON traces to DIR/S/",
            "      (default DIR: <build-dir>/traces); --golden writes the committed golden set (default DIR: traces/);",
            "      writes the set's per-action and per-branch coverage to DIR/S/coverage.json, and for the build's set",
            "      (no --golden, --seeds, --num) fails if a count is below model-check/<S>/coverage-minimums.json;",
            "      --update-manifest (build set only) also records that coverage in model-check/results.json",
            "  check-golden [S | --spec S]",
            "      regenerate the golden set into <build-dir>/golden-check and fail if any byte differs from traces/",
            "  --help",
            "",
            "  --root DIR       repository root (default: the current folder, or its parent when it is model-check)",
            "  --build-dir DIR  where work folders and results go (default: <root>/model-check/target)");

    private Main() { }

    /** Bad command-line input: reported with the usage, exit code 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) { super(message); }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit code instead of exiting, so tests can call it. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return dispatch(new ArrayList<>(List.of(args)), out);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IllegalArgumentException | TlaParseException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: " + e);
            return 1;
        }
    }

    /**
     * The spec may also be given as the first positional argument ({@code run consensus}); either way it must name a
     * spec that models.json knows.
     */
    private static String positionalSpec(List<String> args, String flagged, Path root)
            throws UsageException, IOException {
        String spec = flagged;
        if (!args.isEmpty() && !args.get(0).startsWith("-")) {
            if (spec != null) {
                throw new UsageException("spec given twice: --spec " + spec + " and " + args.get(0));
            }
            spec = args.remove(0);
        }
        if (spec != null) {
            java.util.Set<String> known = new java.util.TreeSet<>();
            for (ModelEntry m : ModelEntry.load(root.resolve("model-check").resolve("models.json"))) {
                known.add(m.spec());
            }
            if (!known.contains(spec)) {
                throw new UsageException("unknown spec '" + spec + "' (models.json has: " + String.join(", ", known) + ")");
            }
        }
        return spec;
    }

    private static int dispatch(List<String> args, PrintStream out) throws UsageException, IOException {
        if (args.isEmpty()) {
            throw new UsageException("no command given");
        }
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        String rootArg = takeValue(args, "--root");
        String buildArg = takeValue(args, "--build-dir");
        Path root = rootArg != null ? Path.of(rootArg) : defaultRoot();
        root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("model-check").resolve("models.json"))) {
            throw new UsageException("no model-check/models.json under " + root + " (pass --root <repository root>)");
        }
        Path buildDir = (buildArg != null ? Path.of(buildArg) : root.resolve("model-check").resolve("target"))
                .toAbsolutePath().normalize();
        if (args.isEmpty()) {
            throw new UsageException("no command given");
        }
        String command = args.remove(0);
        switch (command) {
            case "run": {
                String spec = takeValue(args, "--spec");
                String profile = profile(takeValue(args, "--profile"));
                String model = takeValue(args, "--model");
                boolean update = takeFlag(args, "--update-manifest");
                String jobsArg = takeValue(args, "--jobs");
                int jobs = jobsArg == null ? 1 : positiveInt("--jobs", jobsArg);
                boolean mutants = takeFlag(args, "--mutants");
                spec = positionalSpec(args, spec, root);
                noneLeft(args);
                if (mutants) {
                    return new MutantRunner(new ModelRunner.Options(root, buildDir, spec, profile, model, update, jobs),
                            out).run();
                }
                return new ModelRunner(new ModelRunner.Options(root, buildDir, spec, profile, model, update, jobs), out)
                        .run();
            }
            case "traces": {
                String spec = takeValue(args, "--spec");
                String outArg = takeValue(args, "--out");
                boolean golden = takeFlag(args, "--golden");
                String seedsArg = takeValue(args, "--seeds");
                String numArg = takeValue(args, "--num");
                String profile = profile(takeValue(args, "--profile"));
                boolean updateManifest = takeFlag(args, "--update-manifest");
                spec = positionalSpec(args, spec, root);
                noneLeft(args);
                if (spec == null) {
                    throw new UsageException("traces needs a spec (e.g. `traces consensus` or `traces --spec consensus`)");
                }
                if (golden && (seedsArg != null || numArg != null)) {
                    throw new UsageException("--golden writes the fixed golden set; it takes no --seeds or --num");
                }
                TraceGenerator.TraceSet set = golden ? TraceGenerator.GOLDEN : TraceGenerator.BUILD;
                if (seedsArg != null || numArg != null) {
                    set = new TraceGenerator.TraceSet(seedsArg != null ? seeds(seedsArg) : set.seeds(),
                            numArg != null ? positiveInt("--num", numArg) : set.num());
                }
                Path outDir = outArg != null ? Path.of(outArg).toAbsolutePath().normalize()
                        : golden ? root.resolve("traces") : buildDir.resolve("traces");
                List<Path> files = new TraceGenerator(
                        new TraceGenerator.Options(root, buildDir, spec, profile, outDir, set), out).generate();
                long bytes = 0;
                for (Path f : files) {
                    bytes += Files.size(f);
                }
                out.printf("traces: wrote %d files, %,d bytes, to %s%n", files.size(), bytes, outDir.resolve(spec));
                boolean enforce = !golden && seedsArg == null && numArg == null;
                return new TraceGenerator(new TraceGenerator.Options(root, buildDir, spec, profile, outDir, set), out)
                        .reportCoverage(files, enforce, updateManifest && enforce) ? 0 : 1;
            }
            case "check-golden": {
                String spec = takeValue(args, "--spec");
                String profile = profile(takeValue(args, "--profile"));
                spec = positionalSpec(args, spec, root);
                noneLeft(args);
                List<String> problems = new TraceGenerator(new TraceGenerator.Options(root, buildDir, spec, profile,
                        null, TraceGenerator.GOLDEN), out).checkGolden();
                for (String p : problems) {
                    out.println("  " + p);
                }
                if (!problems.isEmpty()) {
                    out.println("golden traces differ: if the spec or the converter changed on purpose, regenerate them "
                            + "with `traces --spec <S> --golden` and commit");
                    return 1;
                }
                return 0;
            }
            default:
                throw new UsageException("unknown command: " + command);
        }
    }

    /** The repository root when none is given: the current folder, or its parent inside {@code model-check}. */
    static Path defaultRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        if (cwd.getFileName() != null && cwd.getFileName().toString().equals("model-check")) {
            return cwd.getParent();
        }
        return cwd;
    }

    private static String profile(String p) throws UsageException {
        if (p == null) {
            return "ci";
        }
        if (!p.equals("ci") && !p.equals("large")) {
            throw new UsageException("--profile must be ci or large, not " + p);
        }
        return p;
    }

    private static List<Long> seeds(String s) throws UsageException {
        List<Long> out = new ArrayList<>();
        for (String part : s.split(",")) {
            try {
                out.add(Long.parseLong(part.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("--seeds must be a comma-separated list of integers, not " + s);
            }
        }
        return out;
    }

    private static int positiveInt(String option, String s) throws UsageException {
        try {
            int v = Integer.parseInt(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " must be a positive integer, not " + s);
    }

    private static String takeValue(List<String> args, String option) throws UsageException {
        int i = args.indexOf(option);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        if (args.contains(option)) {
            throw new UsageException(option + " given twice");
        }
        return v;
    }

    private static boolean takeFlag(List<String> args, String flag) {
        return args.remove(flag);
    }

    private static void noneLeft(List<String> args) throws UsageException {
        if (!args.isEmpty()) {
            throw new UsageException("unexpected argument(s): " + String.join(" ", args));
        }
    }
}
