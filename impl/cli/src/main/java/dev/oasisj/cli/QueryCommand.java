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
                        + "'supply' (value: total supply, fee pool).",
                "The consensus services answer (value: JSON, also printed as 'answer'): epoch, supply, "
                        + "account <key>, escrow <entity key>, entity <key>, node <key>, runtime <id>, runtimes, "
                        + "validators, committees [--epoch E]."})
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

    @picocli.CommandLine.Option(names = "--epoch", paramLabel = "E",
            description = "The epoch asked about (committees: the current epoch or one of the 16 before it): the "
                    + "same as 8 bytes of HEX.")
    java.lang.@org.checkerframework.checker.nullness.qual.Nullable Long epoch;

    @Override
    public Integer call() {
        Long e = epoch;
        if (e != null) {
            if (!data.isEmpty() || e < 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--epoch takes the place of HEX, and is at least 0");
            }
            data = String.format(java.util.Locale.ROOT, "%016x", e);
        }
        return client.printAnswer("query " + path + (data.isEmpty() ? "" : " " + data), "query",
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
