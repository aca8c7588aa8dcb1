package dev.oasisj;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.Invariant;
import org.junit.jupiter.api.Test;

class InvariantTest {
    @Test
    void aFalseConditionThrowsWithTheInvariantName() {
        var e = assertThrows(Invariant.ViolationException.class, () -> Invariant.check(false, "AgreementInv", "x"));
        assertTrue(e.getMessage().startsWith("AgreementInv violated"));
    }
}
