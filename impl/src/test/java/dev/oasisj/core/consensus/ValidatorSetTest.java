package dev.oasisj.core.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.PublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorSetTest {
    private final TestNet net = new TestNet(3, 1, 2); // slots 0-2: v1, 3: v2, 4-5: v3
    private final PublicKey a = net.key(0);
    private final PublicKey b = net.key(1);
    private final PublicKey c = net.key(2);

    @Test
    void proposerIsTheOwnerOfSlotHeightPlusRoundModTotalPower() {
        assertEquals(6, net.set.totalPower());
        assertEquals(a, net.set.proposer(1, 0).key());
        assertEquals(a, net.set.proposer(1, 1).key());
        assertEquals(b, net.set.proposer(1, 2).key());
        assertEquals(c, net.set.proposer(2, 2).key());
        assertEquals(c, net.set.proposer(5, 0).key());
        assertEquals(a, net.set.proposer(6, 0).key());
        assertEquals(b, net.set.proposer(1_000_000_000_000L * 6 + 3, 0).key());
        assertEquals(b, net.set.proposer(3, 6 * 1000).key(), "rounds wrap around the slots too");
    }

    @Test
    void overTotalPowerConsecutiveRounds_eachValidatorProposesAsOftenAsItsPower() {
        int[] counts = new int[3];
        for (int r = 0; r < 6; r++) {
            PublicKey p = net.set.proposer(7, r).key();
            counts[p.equals(a) ? 0 : p.equals(b) ? 1 : 2]++;
        }
        assertEquals(3, counts[0]);
        assertEquals(1, counts[1]);
        assertEquals(2, counts[2]);
    }

    @Test
    void quorumIsMoreThanTwoThirdsAndOneThirdIsMoreThanOneThird_eachSenderCountedOnce() {
        assertTrue(net.set.isQuorum(List.of(a, c))); // 5 of 6
        assertFalse(net.set.isQuorum(List.of(a, b))); // 4 of 6 is exactly two thirds: not more
        assertFalse(net.set.isQuorum(List.of(a, b, b, b, b)));
        assertTrue(net.set.isOneThird(List.of(a))); // 3 of 6
        assertFalse(net.set.isOneThird(List.of(c))); // 2 of 6 is exactly one third: not more
        assertEquals(1, net.set.powerOf(List.of(b, b, b)));
        assertEquals(0, net.set.powerOf(List.of(TestNet.equalPowers(5).key(4))), "unknown keys have no power");
    }

    @Test
    void invalidSetsAreRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new ValidatorSet(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ValidatorSet.Validator("x", a, 0));
        assertThrows(IllegalArgumentException.class, () -> new ValidatorSet(List.of(
                new ValidatorSet.Validator("x", a, 1), new ValidatorSet.Validator("y", a, 1))));
        assertThrows(IllegalArgumentException.class, () -> new ValidatorSet(List.of(
                new ValidatorSet.Validator("x", a, ValidatorSet.MAX_TOTAL_POWER),
                new ValidatorSet.Validator("y", b, 1))));
    }
}
