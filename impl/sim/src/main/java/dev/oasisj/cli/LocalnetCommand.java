package dev.oasisj.cli;

import dev.oasisj.node.CoreInputCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code oasis localnet}: the main job, an embedded network committing blocks, with a safety verdict. */
@Command(name = "localnet", mixinStandardHelpOptions = true,
        description = {"Run an embedded validator network and check its safety.",
                "Commits blocks under a workload of signed transfers; prints one line per block (the services' events, "
                        + "such as epoch changes, elections, freezes and slashes, indented under it) and a safety "
                        + "verdict."})
final class LocalnetCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Option(names = "--validators", defaultValue = "4", paramLabel = "N", description = "Validators (default: ${DEFAULT-VALUE}).")
    int validators = 4;

    @Option(names = "--byzantine", defaultValue = "0", paramLabel = "F",
            description = {"How many of them are Byzantine: they equivocate, split and withhold votes, replay old "
                    + "messages (default: ${DEFAULT-VALUE}).",
                    "Must hold less than one third of the power (with 4 validators, at most 1)."})
    int byzantine;

    @Option(names = "--blocks", defaultValue = "20", paramLabel = "B",
            description = "Stop when every honest validator committed B blocks (default: ${DEFAULT-VALUE}).")
    int blocks = 20;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed for keys, network delays and workload (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the nodes' journals go (default: a fresh temporary folder).")
    @Nullable Path dataDir;

    @Option(names = "--transfer-ledger",
            description = {"Run the plain transfer ledger (a workload of v1 transfers) instead of the consensus "
                    + "services (the default, in-process and with --processes: epochs of --epoch-length blocks, "
                    + "staking, registry, a VRF beacon, validator and committee elections, printed at each epoch "
                    + "change; a workload of staking.Transfer transactions)."})
    boolean transferLedger;

    @Option(names = "--epoch-length", defaultValue = "" + LocalnetSetup.EPOCH_LENGTH_BLOCKS, paramLabel = "E",
            description = "Blocks per epoch of the consensus services (default: ${DEFAULT-VALUE}; not with "
                    + "--transfer-ledger).")
    long epochLength = LocalnetSetup.EPOCH_LENGTH_BLOCKS;

    @Option(names = "--processes",
            description = {"Run each validator as its own OS process (oasis node) over TCP instead of in this process; "
                    + "prints node 0's block and event lines."})
    boolean processes;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (validators < 1 || validators > 128) {
            throw new ParameterException(spec.commandLine(), "--validators must be in 1..128, got " + validators);
        }
        if (byzantine < 0 || byzantine >= validators) {
            throw new ParameterException(spec.commandLine(),
                    "--byzantine must be in 0.." + (validators - 1) + ", got " + byzantine);
        }
        if (blocks < 1 || blocks > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--blocks must be in 1..1000000, got " + blocks);
        }
        if (epochLength < 1 || epochLength > 1_000_000) {
            throw new ParameterException(spec.commandLine(),
                    "--epoch-length must be in 1..1000000, got " + epochLength);
        }
        if (transferLedger && spec.commandLine().getParseResult().hasMatchedOption("--epoch-length")) {
            throw new ParameterException(spec.commandLine(),
                    "--epoch-length applies to the consensus services; the transfer ledger (--transfer-ledger) has "
                            + "no epochs");
        }
        // Equal stake: F Byzantine validators hold F/N of the power, which must stay below one third for BFT safety.
        long total = validators * LocalnetSetup.VALIDATOR_POWER;
        long byzantinePower = byzantine * LocalnetSetup.VALIDATOR_POWER;
        if (3 * byzantinePower >= total) {
            throw new ParameterException(spec.commandLine(), "--byzantine " + byzantine + ": " + byzantine + " of "
                    + validators + " equal-stake validators hold " + byzantinePower + " of " + total
                    + " voting power, not less than one third; BFT safety allows at most " + ((validators - 1) / 3)
                    + " Byzantine of " + validators + " validators");
        }
        PrintWriter err = spec.commandLine().getErr();
        NodeFactory factory = ValidatorNodes.factory();
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("oasis-localnet-");
        Files.createDirectories(dir);
        LocalnetRun.Options options = new LocalnetRun.Options(validators, byzantine, blocks, seed, dir, !transferLedger,
                epochLength);
        if (processes) {
            return LocalnetProcesses.run(options, spec.commandLine().getOut(), err);
        }
        return LocalnetRun.run(options, factory, CoreInputCodec.INSTANCE, spec.commandLine().getOut(), err);
    }
}
