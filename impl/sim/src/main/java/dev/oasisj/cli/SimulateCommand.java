package dev.oasisj.cli;

import dev.oasisj.node.CoreInputCodec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code oasis simulate}: seeded fault-injection runs (Byzantine validators included) checked at every step. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Seeded whole-network simulations that check Agreement and Validity at every step.",
                "Crashes and restarts from the journal, partitions, loss, duplication and Byzantine validators (less "
                        + "than one third of the power); same seed, same output.",
                "Every generator of a seed is derived from (seed, purpose) by one mix, so seeds are independent runs.",
                "One line per seed, then totals, coverage lines (crashes by role and step, partitions by shape, loss "
                        + "rates, Byzantine behaviours by kind, heights reached) and 'summary: seeds=N violations=V'; "
                        + "exit 1 on any violation."})
final class SimulateCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Option(names = "--seeds", defaultValue = "10", paramLabel = "N", description = "How many seeds (default: ${DEFAULT-VALUE}).")
    int seeds = 10;

    @Option(names = "--start", defaultValue = "1", paramLabel = "S", description = "First seed (default: ${DEFAULT-VALUE}).")
    long start = 1;

    @Option(names = "--ticks", defaultValue = "800", paramLabel = "T",
            description = "Logical ticks per seed (default: ${DEFAULT-VALUE}).")
    long ticks = 800;

    @Option(names = "--jobs", paramLabel = "J",
            description = "Seeds simulated in parallel (default: the number of processors, at most 4); the output "
                    + "does not depend on it.")
    int jobs = Math.min(4, Runtime.getRuntime().availableProcessors());

    @Override
    public Integer call() {
        if (seeds < 1 || seeds > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--seeds must be in 1..1000000, got " + seeds);
        }
        if (ticks < 1 || ticks > 100_000_000) {
            throw new ParameterException(spec.commandLine(), "--ticks must be in 1..100000000, got " + ticks);
        }
        if (jobs < 1 || jobs > 256) {
            throw new ParameterException(spec.commandLine(), "--jobs must be in 1..256, got " + jobs);
        }
        return SimulationRun.run(new SimulationRun.Options(seeds, start, ticks, jobs), ValidatorNodes.factory(),
                CoreInputCodec.INSTANCE, spec.commandLine().getOut());
    }
}
