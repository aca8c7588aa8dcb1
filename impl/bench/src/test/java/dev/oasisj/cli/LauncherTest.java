package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The full launcher's command line ({@code ./oasis}): this module's classpath is the launcher's (core, node, cli, sim,
 * bench), so every subcommand is there, in the order of {@link Main#ORDER}.
 */
class LauncherTest {
    @Test
    void help_listsEverySubcommandWithADescription_andExits0() {
        MainTest.assertHelpLists(MainTest.SUBCOMMANDS);
    }

    @Test
    void noSubcommand_showsUsageWithTheTestOnlyCommandsToo_andExits2() {
        MainTest.Result r = MainTest.run();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("localnet") && r.err().contains("bench"), r.err());
    }
}
