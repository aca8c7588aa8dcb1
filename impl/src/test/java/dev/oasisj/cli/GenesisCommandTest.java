package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.ledger.Genesis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oasis genesis}: validators with the stakes the operator gives, and clear refusals of bad stakes. */
class GenesisCommandTest {
    @TempDir
    Path dir;

    @Test
    void stakes_becomeTheValidatorsVotingPower() throws Exception {
        Path out = dir.resolve("g.json");
        MainTest.Result r = MainTest.run("genesis", "--out", out.toString(), "--validators", "4", "--stakes",
                "40,10,10,5", "--accounts", "3");
        assertEquals(0, r.exitCode(), r.err());
        Genesis g = Genesis.fromJson(Files.readString(out));
        assertEquals(List.of(40L, 10L, 10L, 5L), g.validators().stream().map(Genesis.Validator::power).toList());
        assertEquals(3, g.accounts().size());
    }

    @Test
    void defaultStakes_areEqual() throws Exception {
        Path out = dir.resolve("g.json");
        assertEquals(0, MainTest.run("genesis", "--out", out.toString(), "--validators", "3").exitCode());
        Genesis g = Genesis.fromJson(Files.readString(out));
        assertEquals(1, g.validators().stream().map(Genesis.Validator::power).distinct().count());
    }

    @Test
    void badStakes_exit2_withTheReason_andWriteNothing() {
        Path out = dir.resolve("bad.json");
        MainTest.Result count = MainTest.run("genesis", "--out", out.toString(), "--validators", "4", "--stakes", "1,2");
        assertEquals(2, count.exitCode());
        assertTrue(count.err().contains("--stakes lists 2 powers for 4 validators"), count.err());
        MainTest.Result zero = MainTest.run("genesis", "--out", out.toString(), "--validators", "2", "--stakes", "5,0");
        assertEquals(2, zero.exitCode());
        assertTrue(zero.err().contains("power must be"), zero.err());
        MainTest.Result text = MainTest.run("genesis", "--out", out.toString(), "--stakes", "a,b,c,d");
        assertEquals(2, text.exitCode());
        assertFalse(Files.exists(out));
    }
}
