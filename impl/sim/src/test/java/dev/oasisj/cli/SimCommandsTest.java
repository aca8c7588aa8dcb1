package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The commands oasisj-sim adds to {@code oasis} (through {@link SimCommands}): their usage errors. */
class SimCommandsTest {
    @Test
    void localnetAndSimulate_areListedByHelp() {
        MainTest.Result r = MainTest.run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  localnet ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  simulate ")), r.out());
    }

    @Test
    void unknownOption_printsAClearMessageAndExits2() {
        MainTest.Result r = MainTest.run("localnet", "--validatorz", "4");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown options: '--validatorz'"), r.err());
    }

    @Test
    void badOptionValue_exits2() {
        MainTest.Result r = MainTest.run("localnet", "--blocks", "many");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--blocks"), r.err());
        assertEquals(2, MainTest.run("localnet", "--byzantine", "4").exitCode(), "F must be below N");
        assertEquals(2, MainTest.run("simulate", "--seeds", "0").exitCode());
    }
}
