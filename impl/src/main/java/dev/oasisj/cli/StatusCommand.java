package dev.oasisj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oasisj.node.ClientJson;
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
        String answer = client.request("status", "status", spec.commandLine().getErr());
        if (answer == null) {
            return Main.EXIT_FAILURE;
        }
        JsonNode json = ClientJson.parse(answer);
        if (json == null || json.has("error")) {
            // e.g. {"error":"too many client connections"}: the node answered, but not with its status
            spec.commandLine().getErr().println("oasis status: " + client.node + " answered: " + answer);
            return Main.EXIT_FAILURE;
        }
        spec.commandLine().getOut().println(answer);
        return 0;
    }
}
