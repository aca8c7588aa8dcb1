package dev.oasisj.cli;

import dev.oasisj.node.CoreInputCodec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code oasis simulate}: seeded fault-injection runs that check agreement at every step. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Seeded fault-injection runs that check agreement.",
                "Crashes and restarts from the journal, partitions, loss, duplication; same seed, same output."})
final class SimulateCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Option(names = "--seeds", defaultValue = "10", paramLabel = "N", description = "How many seeds (default: ${DEFAULT-VALUE}).")
    int seeds = 10;

    @Option(names = "--start", defaultValue = "1", paramLabel = "S", description = "First seed (default: ${DEFAULT-VALUE}).")
    long start = 1;

    @Option(names = "--ticks", defaultValue = "4000", paramLabel = "T",
            description = "Logical ticks per seed (default: ${DEFAULT-VALUE}).")
    long ticks = 4000;

    @Override
    public Integer call() {
        if (seeds < 1 || seeds > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--seeds must be in 1..1000000, got " + seeds);
        }
        if (ticks < 1 || ticks > 100_000_000) {
            throw new ParameterException(spec.commandLine(), "--ticks must be in 1..100000000, got " + ticks);
        }
        NodeFactory factory = ValidatorNodes.factory();
        if (!ValidatorNodes.hasByzantine()) {
            spec.commandLine().getErr().println("simulate: note: this build has no Byzantine validator behaviour; "
                    + "runs use crash faults, partitions, loss and duplication only");
            spec.commandLine().getErr().flush();
        }
        return SimulationRun.run(new SimulationRun.Options(seeds, start, ticks, ValidatorNodes.hasByzantine()), factory,
                CoreInputCodec.INSTANCE, spec.commandLine().getOut());
    }
}
