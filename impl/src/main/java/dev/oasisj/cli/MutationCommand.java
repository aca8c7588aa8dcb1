package dev.oasisj.cli;

import picocli.CommandLine.Command;

/** {@code oasis mutation}: the launcher runs {@code conformance/mutation.sh} (PIT with the conformance suites). */
@Command(name = "mutation", mixinStandardHelpOptions = true,
        description = {"PIT mutation score of the consensus core under the conformance suites (mutation consensus).",
                "Run by ./oasis: conformance/mutation.sh, which prints the score against its threshold."})
final class MutationCommand extends LauncherRoutedCommand {
    @Override
    String runBy() {
        return "conformance/mutation.sh (PIT)";
    }
}
