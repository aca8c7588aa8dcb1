package dev.oasisj.cli;

import dev.oasisj.node.PeerAddress;
import java.io.IOException;
import java.io.PrintWriter;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Option;

/** The {@code --node HOST:PORT} option of the commands that talk to a running node's client port, and the request. */
final class NodeClientOption {
    @Option(names = "--node", required = true, paramLabel = "HOST:PORT", converter = PeerAddressConverter.class,
            description = "The node's client port.")
    @SuppressWarnings("initialization.field.uninitialized")
    PeerAddress node;

    /**
     * Sends one request line and returns the node's one-line answer, or null after printing
     * {@code oasis COMMAND: cannot reach NODE: why} to {@code err}.
     */
    @Nullable String request(String line, String command, PrintWriter err) {
        try {
            return ClientConnection.request(node, line);
        } catch (IOException e) {
            err.println("oasis " + command + ": cannot reach " + node + ": " + e.getMessage());
            return null;
        }
    }
}
