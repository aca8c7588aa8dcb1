package dev.oasisj.cli;

import picocli.CommandLine.Command;

/** {@code oasis model-check}: to be wired by the lead; until then it reports that and exits 3. */
@Command(name = "model-check", mixinStandardHelpOptions = true,
        description = {"Run the TLC models (not yet implemented in this build).",
                "Planned: Run the TLC models of the specs and compare with the results manifest. Until then it exits 3."})
final class ModelCheckCommand extends NotImplementedCommand {}
