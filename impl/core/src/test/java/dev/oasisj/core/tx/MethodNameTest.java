package dev.oasisj.core.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The grammar {@code [a-z][a-z0-9]*\.[A-Z][A-Za-z0-9]*}, 3..64 characters, at every edge: each character class is
 * probed with its first and last member and with the ASCII neighbours just outside it.
 */
class MethodNameTest {

    @Test
    void lengthsFrom3To64AreAccepted_2And65AreNot() {
        assertTrue(MethodName.isValid("a.B"));
        assertTrue(MethodName.isValid(Envelopes.methodOfLength(64)));
        assertTrue(MethodName.isValid("a" + "b".repeat(61) + ".C"));
        assertEquals("length 2 outside 3..64", MethodName.problem("aB"));
        assertEquals("length 2 outside 3..64", MethodName.problem("a."));
        assertEquals("length 0 outside 3..64", MethodName.problem(""));
        assertEquals("length 65 outside 3..64", MethodName.problem(Envelopes.methodOfLength(65)));
    }

    @Test
    void theServiceStartsWithALowercaseLetter() {
        for (String ok : new String[] {"a.B", "z.B", "ab.B"}) {
            assertNull(MethodName.problem(ok), ok);
        }
        for (String bad : new String[] {"`a.B", "{a.B", "Aa.B", "0a.B", "9a.B", ".aB", "-a.B"}) {
            assertTrue(MethodName.problem(bad).startsWith("the service name must start"), bad);
        }
    }

    @Test
    void theRestOfTheServiceIsLowercaseLettersAndDigits_thenADot() {
        for (String ok : new String[] {"aa.B", "az.B", "a0.B", "a9.B", "staking2.Transfer"}) {
            assertNull(MethodName.problem(ok), ok);
        }
        for (String bad : new String[] {"a`.B", "a{.B", "a/.B", "a:.B", "aA.B", "aZ.B", "a-.B", "a_B", "abc",
            "staking"}) {
            assertTrue(MethodName.problem(bad).startsWith("the service name must be"), bad);
        }
    }

    @Test
    void theMethodStartsWithAnUppercaseLetter() {
        for (String ok : new String[] {"a.A", "a.Z"}) {
            assertNull(MethodName.problem(ok), ok);
        }
        for (String bad : new String[] {"a.@", "a.[", "a.a", "a.z", "a.0", "a..B", "ab.", "abc.", "a.\u00c9"}) {
            assertTrue(MethodName.problem(bad).startsWith("the method name after '.' must start"), bad);
        }
    }

    @Test
    void theRestOfTheMethodIsLettersAndDigits() {
        for (String ok : new String[] {"a.Ba", "a.Bz", "a.BA", "a.BZ", "a.B0", "a.B9", "staking.AddEscrow2"}) {
            assertNull(MethodName.problem(ok), ok);
        }
        for (String bad : new String[] {"a.B`", "a.B{", "a.B@", "a.B[", "a.B/", "a.B:", "a.B.C", "a.B-", "a.B_",
            "a.B ", "a.B\u00e9"}) {
            assertTrue(MethodName.problem(bad).startsWith("the method name after '.' must be"), bad);
            assertFalse(MethodName.isValid(bad), bad);
        }
    }
}
