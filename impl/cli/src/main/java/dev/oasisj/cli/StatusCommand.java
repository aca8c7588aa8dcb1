package dev.oasisj.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code oasis status --node HOST:PORT}: asks a node's client port for its status and prints the JSON. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print a node's height, block hash, state root, peers.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Mixin
    @SuppressWarnings("initialization.field.uninitialized")
    NodeClientOption client;

    @Override
    public Integer call() {
        return client.printAnswer("status", "status", spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
