package dev.oasisj.cli;

import picocli.CommandLine.Command;

/** {@code oasis bench}: to be wired by the lead; until then it reports that and exits 3. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Throughput benchmark (not yet implemented in this build).",
                "Planned: Measure transaction throughput against the one-core signature-verification limit. Until then it exits 3."})
final class BenchCommand extends NotImplementedCommand {}
