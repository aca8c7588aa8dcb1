package dev.oasisj.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A subcommand that is part of the interface but not wired in this build. It says so on stderr and exits 3, so that no
 * script can mistake it for a command that ran.
 */
abstract class NotImplementedCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized") // injected by picocli before call()
    CommandSpec spec;

    @Parameters(arity = "0..*", hidden = true, description = "ignored")
    @SuppressWarnings("initialization.field.uninitialized")
    List<String> ignored;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("oasis " + spec.name() + ": not yet implemented in this build");
        spec.commandLine().getErr().flush();
        return Main.EXIT_NOT_IMPLEMENTED;
    }
}
