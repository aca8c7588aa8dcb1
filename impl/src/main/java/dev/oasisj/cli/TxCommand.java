package dev.oasisj.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code oasis tx ...}: build, sign and submit transactions. */
@Command(name = "tx", mixinStandardHelpOptions = true, description = "Sign and submit transactions (tx transfer).",
        subcommands = TransferCommand.class)
final class TxCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return picocli.CommandLine.ExitCode.USAGE;
    }
}
