package dev.oasisj.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code oasis} command line. Exit codes: 0 success, 1 the command ran and found a failure (e.g. a safety
 * violation), 2 bad usage (picocli's default for a parameter error), 3 the subcommand is not implemented in this build.
 */
@Command(name = "oasis", mixinStandardHelpOptions = true, version = "oasisj 0.1.0-SNAPSHOT",
        description = "A formally specified implementation of the Oasis Network consensus layer.",
        subcommands = {LocalnetCommand.class, SimulateCommand.class, NodeCommand.class, KeygenCommand.class,
                GenesisCommand.class, TxCommand.class, StatusCommand.class, QueryCommand.class, BenchCommand.class,
                ModelCheckCommand.class, FuzzCommand.class, MutationCommand.class})
public final class Main implements Callable<Integer> {
    static {
        // Chronicle pulls in SLF4J without a provider; its three-line warning on every run is noise for CLI users.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    /** Exit code of bad arguments or of a command used the wrong way (picocli's usage-error code). */
    public static final int EXIT_USAGE = 2;
    /** Exit code when a run completed and found a failure (safety violation, rejected transaction...). */
    public static final int EXIT_FAILURE = 1;

    @Spec
    @SuppressWarnings("initialization.field.uninitialized") // injected by picocli before call()
    CommandSpec spec;

    @Override
    public Integer call() {
        // No subcommand: show what there is, as a usage error.
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** Builds the command line (tests use this with their own writers). */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    /** Runs with the given writers and returns the exit code (no System.exit). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
