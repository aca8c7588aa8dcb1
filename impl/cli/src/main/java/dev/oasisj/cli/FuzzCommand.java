package dev.oasisj.cli;

import picocli.CommandLine.Command;

/** {@code oasis fuzz}: the launcher runs {@code fuzz/fuzz.sh} (Jazzer in fuzzing mode). */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Fuzz one Jazzer target for real (fuzz TARGET --duration 60s).",
                "Run by ./oasis: fuzz/fuzz.sh, which lists the targets and where findings go."})
final class FuzzCommand extends LauncherRoutedCommand {
    @Override
    String runBy() {
        return "fuzz/fuzz.sh (Jazzer)";
    }
}
