package dev.oasisj.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A subcommand that the {@code ./oasis} launcher runs outside this JVM (the TLC runner of the model-check module, the
 * Jazzer script, the PIT script). It is listed here so that {@code --help} shows every subcommand; reached directly
 * (not through the launcher), it says where the command runs and exits 2, so no script mistakes it for a run.
 */
abstract class LauncherRoutedCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized") // injected by picocli before call()
    CommandSpec spec;

    @Parameters(arity = "0..*", hidden = true, description = "passed on by the launcher")
    @SuppressWarnings("initialization.field.uninitialized")
    List<String> ignored;

    /** What the launcher starts for this command, for the message. */
    abstract String runBy();

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("oasis " + spec.name() + ": run it through the ./oasis launcher, which starts "
                + runBy() + " (./oasis " + spec.name() + " --help)");
        spec.commandLine().getErr().flush();
        return Main.EXIT_USAGE;
    }
}
