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
    /**
     * Sends one request line and prints the node's JSON answer to {@code out}: exit 0; or, when the node cannot be
     * reached or answers an error (e.g. {"error":"too many client connections"}), a line on {@code err}: exit 1.
     */
    int printAnswer(String line, String command, PrintWriter out, PrintWriter err) {
        String answer = request(line, command, err);
        if (answer == null) {
            return Main.EXIT_FAILURE;
        }
        com.fasterxml.jackson.databind.JsonNode json = dev.oasisj.node.ClientJson.parse(answer);
        if (json == null || json.has("error")) {
            err.println("oasis " + command + ": " + node + " answered: " + answer);
            return Main.EXIT_FAILURE;
        }
        out.println(answer);
        return 0;
    }

    @Nullable String request(String line, String command, PrintWriter err) {
        try {
            return ClientConnection.request(node, line);
        } catch (IOException e) {
            err.println("oasis " + command + ": cannot reach " + node + ": " + e.getMessage());
            return null;
        }
    }
}
