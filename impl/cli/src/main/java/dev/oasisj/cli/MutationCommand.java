package dev.oasisj.cli;

import picocli.CommandLine.Command;

/** {@code oasis mutation}: the launcher runs {@code conformance/mutation.sh} (PIT with the conformance suites). */
@Command(name = "mutation", mixinStandardHelpOptions = true,
        description = {"PIT mutation score of a core under the conformance suites alone: mutation consensus (the consensus",
                "core, threshold 85%) or mutation committee (the staking, registry and scheduler cores under the committee",
                "trace conformance suites, threshold 70%).",
                "Run by ./oasis: conformance/mutation.sh, which prints the score against its threshold."})
final class MutationCommand extends LauncherRoutedCommand {
    @Override
    String runBy() {
        return "conformance/mutation.sh (PIT)";
    }
}
