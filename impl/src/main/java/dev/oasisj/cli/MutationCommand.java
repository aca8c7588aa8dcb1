package dev.oasisj.cli;

import picocli.CommandLine.Command;

/** {@code oasis mutation}: to be wired by the lead; until then it reports that and exits 3. */
@Command(name = "mutation", mixinStandardHelpOptions = true,
        description = {"PIT mutation testing (not yet implemented in this build).",
                "Planned: Mutation-test the deterministic cores with the conformance suites (PIT). Until then it exits 3."})
final class MutationCommand extends NotImplementedCommand {}
