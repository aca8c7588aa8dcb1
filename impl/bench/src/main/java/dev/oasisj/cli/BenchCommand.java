package dev.oasisj.cli;

import dev.oasisj.bench.BenchOptions;
import dev.oasisj.bench.ConsensusBench;
import dev.oasisj.core.ledger.LedgerLimits;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code oasis bench}: benchmarks. Without a subcommand it prints its usage and exits 2. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks, each result printed against its goal.",
        subcommands = {BenchCommand.Consensus.class})
final class BenchCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized") // injected by picocli before call()
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("oasis bench: name a benchmark (consensus)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** {@code oasis bench consensus}: {@link ConsensusBench} with options from the command line. */
    @Command(name = "consensus", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Tx/s through the whole node against the one-core Ed25519 limit; journal latency, replay, memory.",
                "One run on one thread: raw Bouncy Castle Ed25519 verifications/s (the physical limit) and "
                        + "transactions/s through the node's whole pipeline (client request, journal append, decode, "
                        + "hash, verify, mempool, block proposal, consensus with itself as the only validator, apply, "
                        + "commit), measured in alternating slices, and their ratio (goal >= 0.80); also, as a "
                        + "stricter limit without a goal, verifications/s with each key decoded beforehand (the node "
                        + "keeps senders' decoded keys) and the pipeline's ratio to it; journal append "
                        + "latency p50/p99/p99.9; replay of the journal into a fresh node against the live rate "
                        + "(goal >= 1.0, the replayed state root must match); peak heap of a validator holding the "
                        + "memory accounts, in a child JVM with -Xmx512m (goal: runs in 512 MiB).",
                "Progress goes to standard error, results to standard output. Exit 0 when the bench ran (whether or "
                        + "not the goals are met), 1 when it failed (a refused transfer, a replay mismatch, a crash), "
                        + "2 on bad options.",
                "Timings depend on what else runs on the machine; the ratios are measured in the same run and are "
                        + "the comparable numbers."},
            footer = {"", "Example: oasis bench consensus --seconds 10 --accounts 100000"})
    static final class Consensus implements Callable<Integer> {
        @Spec
        @SuppressWarnings("initialization.field.uninitialized") // injected by picocli before call()
        CommandSpec spec;

        @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
                description = "Timed seconds of each of the verify and pipeline phases (default ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--warmup", paramLabel = "S", defaultValue = "2",
                description = "Untimed warm-up seconds before the timed phases (default ${DEFAULT-VALUE}).")
        double warmup;

        @Option(names = "--accounts", paramLabel = "N", defaultValue = "100000",
                description = "Accounts in the benchmark genesis (default ${DEFAULT-VALUE}).")
        int accounts;

        @Option(names = "--block-txs", paramLabel = "N", defaultValue = "1000",
                description = "Client transfers between two ticks, i.e. transfers per block, 1..1000 "
                        + "(default ${DEFAULT-VALUE}: full blocks, as under sustained load).")
        int blockTxs;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
                description = "Seed of the workload: keys, recipients, amounts (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--memory-accounts", paramLabel = "N", defaultValue = "100000",
                description = "Accounts the validator in the memory child holds (default ${DEFAULT-VALUE}).")
        int memoryAccounts;

        @Option(names = "--memory-txs", paramLabel = "N", defaultValue = "5000",
                description = "Transfers the memory child commits (default ${DEFAULT-VALUE}).")
        int memoryTxs;

        @Option(names = "--no-memory", description = "Skip the memory child.")
        boolean noMemory;

        @Option(names = "--ledger-only",
                description = "Drive the ledger directly (no mempool, no consensus) instead of the ValidatorNode: "
                        + "isolates the ledger's cost.")
        boolean ledgerOnly;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Folder for the journal (a fresh subfolder, deleted afterwards); default: a temporary "
                        + "folder.")
        @Nullable Path dataDir;

        @Override
        public Integer call() {
            BenchOptions options = options();
            PrintStream out = linesTo(spec.commandLine().getOut());
            PrintStream err = linesTo(spec.commandLine().getErr());
            int rc = ConsensusBench.run(options, out, err);
            out.flush();
            err.flush();
            return rc == 0 ? 0 : Main.EXIT_FAILURE;
        }

        /** A PrintStream over picocli's writer (so that tests capture it), passing text on line by line. */
        private static PrintStream linesTo(PrintWriter writer) {
            OutputStream lines = new OutputStream() {
                private final ByteArrayOutputStream line = new ByteArrayOutputStream();

                @Override
                public void write(int b) {
                    line.write(b);
                    if (b == '\n') {
                        flush();
                    }
                }

                @Override
                public void flush() {
                    if (line.size() > 0) {
                        writer.print(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    }
                    writer.flush();
                }
            };
            return new PrintStream(lines, false, StandardCharsets.UTF_8);
        }

        private BenchOptions options() {
            CommandLine cl = spec.commandLine();
            if (!(seconds > 0) || seconds > 3600) {
                throw new ParameterException(cl, "--seconds must be in (0, 3600], got " + seconds);
            }
            if (!(warmup >= 0) || warmup > 3600) {
                throw new ParameterException(cl, "--warmup must be in [0, 3600], got " + warmup);
            }
            int maxAccounts = LedgerLimits.MAX_GENESIS_ACCOUNTS;
            if (accounts < 2 || accounts > maxAccounts) {
                throw new ParameterException(cl, "--accounts must be in 2.." + maxAccounts + ", got " + accounts);
            }
            if (memoryAccounts < 2 || memoryAccounts > maxAccounts) {
                throw new ParameterException(cl,
                        "--memory-accounts must be in 2.." + maxAccounts + ", got " + memoryAccounts);
            }
            if (memoryTxs < 0 || memoryTxs > 10_000_000) {
                throw new ParameterException(cl, "--memory-txs must be in 0..10000000, got " + memoryTxs);
            }
            if (blockTxs < 1 || blockTxs > LedgerLimits.MAX_BLOCK_TRANSACTIONS) {
                throw new ParameterException(cl, "--block-txs must be in 1.." + LedgerLimits.MAX_BLOCK_TRANSACTIONS
                        + ", got " + blockTxs);
            }
            return BenchOptions.defaults().withPhaseSeconds(seconds).withWarmupSeconds(warmup)
                    .withAccounts(accounts).withMemoryChild(!noMemory, memoryAccounts, memoryTxs).withSeed(seed)
                    .withBlockTransactions(blockTxs).withLedgerOnly(ledgerOnly).withDataDir(dataDir);
        }
    }
}
