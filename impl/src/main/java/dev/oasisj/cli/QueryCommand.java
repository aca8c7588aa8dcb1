package dev.oasisj.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code oasis query --node HOST:PORT PATH [HEX]}: asks a running node's application to read its committed state
 * ({@code Application.query}) and prints the JSON answer: {@code height}, {@code path}, {@code found}, {@code value}
 * (hex) and {@code detail}.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Read a running node's committed application state and print the JSON answer.",
                "The transfer ledger answers 'account <public key hex>' (value: balance, nonce; 8 bytes each) and "
                        + "'supply' (value: total supply, fee pool)."})
final class QueryCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Mixin
    @SuppressWarnings("initialization.field.uninitialized")
    NodeClientOption client;

    @Parameters(index = "0", paramLabel = "PATH", description = "What to read, e.g. account or supply.")
    @SuppressWarnings("initialization.field.uninitialized")
    String path;

    @Parameters(index = "1", arity = "0..1", paramLabel = "HEX", description = "The query's data in hex (e.g. a key).")
    String data = "";

    @Override
    public Integer call() {
        return client.printAnswer("query " + path + (data.isEmpty() ? "" : " " + data), "query",
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
