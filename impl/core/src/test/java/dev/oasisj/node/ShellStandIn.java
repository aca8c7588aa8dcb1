package dev.oasisj.node;

/**
 * A class of the shell's package for the determinism fixture ({@code dev.oasisj.archfixture.DeterminismViolations})
 * to depend on: the core module cannot see the real shell (oasisj-node comes after it), yet the rule that the cores do
 * not depend on the shell must be shown to fail on a violation. Not in the core's test-jar.
 */
public final class ShellStandIn {
    private ShellStandIn() {}
}
