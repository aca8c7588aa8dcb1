package dev.oasisj.cli;

import picocli.CommandLine.Command;

/** {@code oasis fuzz}: to be wired by the lead; until then it reports that and exits 3. */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Jazzer fuzzing (not yet implemented in this build).",
                "Planned: Fuzz transaction and message handling with Jazzer. Until then it exits 3."})
final class FuzzCommand extends NotImplementedCommand {}
