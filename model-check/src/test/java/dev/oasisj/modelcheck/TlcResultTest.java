package dev.oasisj.modelcheck;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLC console output (TLC 2.18) and how outcomes are judged against models.json. */
class TlcResultTest {

    @Test
    void parsesAViolationRun() {
        List<String> lines = List.of(
                "TLC2 Version 2.18 of 20 March 2023",
                "Computing initial states...",
                "Error: Invariant XSmall is violated.",
                "Error: The behavior up to this point is:",
                "State 1: <Initial predicate>",
                "/\\ x = 0",
                "4 states generated, 4 distinct states found, 1 states left on queue.",
                "The depth of the complete state graph search is 3.",
                "Finished in 03s at (2026-11-29 02:37:52)");
        TlcResult r = TlcResult.parse(12, lines, 3.2);
        assertEquals(List.of("XSmall"), r.violated());
        assertEquals(4L, r.statesGenerated());
        assertEquals(4L, r.distinctStates());
        assertEquals(3L, r.depth());
        assertEquals("2.18", r.tlcVersion());
        assertTrue(r.errorTail().get(0).startsWith("Error: The behavior"));
        assertEquals("violation", ModelRunner.outcomeOf(12, r.violated()));
    }

    @Test
    void parsesInitialStateViolationAndBigNumbers() {
        TlcResult r = TlcResult.parse(12, List.of("Error: Invariant Bad is violated by the initial state:",
                "1,234,567 states generated, 345,678 distinct states found, 0 states left on queue."), 1);
        assertEquals(List.of("Bad"), r.violated());
        assertEquals(1_234_567L, r.statesGenerated());
        assertEquals(345_678L, r.distinctStates());
    }

    @Test
    void judgesOutcomes() {
        ModelEntry ok = entry("ok", List.of());
        ModelEntry one = entry("violation", List.of("AgreementInv"));
        ModelEntry many = entry("violations", List.of("A", "B"));
        assertNull(ModelRunner.judge(ok, "ok", 0, List.of()));
        assertTrue(ModelRunner.judge(ok, "violation", 12, List.of("X")).contains("expected ok"));
        assertNull(ModelRunner.judge(one, "violation", 12, List.of("AgreementInv")));
        assertTrue(ModelRunner.judge(one, "ok", 0, List.of()) != null);
        assertTrue(ModelRunner.judge(one, "violation", 12, List.of("TypeOK")) != null);
        assertNull(ModelRunner.judge(many, "violations", 0, List.of("B", "A")));
        assertTrue(ModelRunner.judge(many, "violations", 0, List.of("A")).contains("never reported: [B]"));
        assertTrue(ModelRunner.judge(many, "violations", 0, List.of("A", "B", "C")).contains("not expected: [C]"));
        assertEquals("deadlock", ModelRunner.outcomeOf(11, List.of()));
        assertEquals("parse-error", ModelRunner.outcomeOf(150, List.of()));
    }

    private static ModelEntry entry(String expect, List<String> violated) {
        return new ModelEntry("s", "M", "d", "M", "M.cfg", "check", "ci", expect, violated, List.of(), "", "", null);
    }
}
