package dev.oasisj.cli;

import dev.oasisj.node.PeerAddress;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code oasis status --node HOST:PORT}: asks a node's client port for its status and prints the JSON. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print a node's height, block hash, state root, peers.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Option(names = "--node", required = true, paramLabel = "HOST:PORT", converter = PeerAddressConverter.class,
            description = "The node's client port.")
    @SuppressWarnings("initialization.field.uninitialized")
    PeerAddress node;

    @Override
    public Integer call() {
        try {
            spec.commandLine().getOut().println(ClientConnection.request(node, "status"));
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("oasis status: cannot reach " + node + ": " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }
}
