package dev.oasisj.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code oasis} command line. Exit codes: 0 success, 1 the command ran and found a failure (e.g. a safety
 * violation), 2 bad usage (picocli's default for a parameter error), 3 the subcommand is not implemented in this build.
 *
 * <p>The production commands are built in; the test-only ones ({@code localnet}, {@code simulate}, {@code bench}) are
 * added by the {@link CommandProvider} services on the classpath (oasisj-sim, oasisj-bench), so a production build
 * without those modules has no such command.
 */
@Command(name = "oasis", mixinStandardHelpOptions = true, version = "oasisj 0.1.0-SNAPSHOT",
        description = "A formally specified implementation of the Oasis Network consensus layer.")
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

    /** The order {@code --help} lists the subcommands in; a provided command not named here comes after them. */
    static final List<String> ORDER = List.of("localnet", "simulate", "node", "keygen", "genesis", "tx", "status",
            "query", "bench", "model-check", "fuzz", "mutation");

    /**
     * Builds the command line (tests use this with their own writers): the built-in commands plus those of every
     * {@link CommandProvider} on the classpath.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        List<CommandLine> commands = new ArrayList<>();
        for (Object c : List.of(new NodeCommand(), new KeygenCommand(), new GenesisCommand(), new TxCommand(),
                new StatusCommand(), new QueryCommand(), new ModelCheckCommand(), new FuzzCommand(),
                new MutationCommand())) {
            commands.add(new CommandLine(c));
        }
        for (CommandProvider provider : ServiceLoader.load(CommandProvider.class)) {
            for (Object c : provider.commands()) {
                commands.add(new CommandLine(c));
            }
        }
        commands.sort(Comparator.comparingInt(c -> {
            int i = ORDER.indexOf(c.getCommandName());
            return i < 0 ? ORDER.size() : i;
        }));
        for (CommandLine c : commands) {
            cl.addSubcommand(c.getCommandName(), c);
        }
        return cl;
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
