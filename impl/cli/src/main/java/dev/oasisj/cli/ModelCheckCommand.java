package dev.oasisj.cli;

import picocli.CommandLine.Command;

/** {@code oasis model-check}: the launcher runs the model-check module's TLC runner ({@code dev.oasisj.modelcheck.Main}). */
@Command(name = "model-check", mixinStandardHelpOptions = true,
        description = {"Run the TLC models of a spec against model-check/results.json (model-check consensus).",
                "Run by ./oasis: the model-check module's runner (a progress line per model, then a summary).",
                "With --mutants: run the spec mutants of model-check/mutants.json and print the model that killed each."})
final class ModelCheckCommand extends LauncherRoutedCommand {
    @Override
    String runBy() {
        return "the model-check runner (dev.oasisj.modelcheck.Main run)";
    }
}
