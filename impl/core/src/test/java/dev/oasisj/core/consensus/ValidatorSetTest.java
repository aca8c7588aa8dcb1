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
    void proposerOwnsSlotPositionTimesStride_positionHeightPlusRoundModRotationLength() {
        assertEquals(6, net.set.totalPower());
        assertEquals(1, net.set.powerUnit(), "gcd(3, 1, 2) = 1: the rotation has TotalPower slots");
        assertEquals(6, net.set.rotationLength());
        // stride: the least integer from 6 * 618 / 1000 = 3 on coprime with 6 is 5, so positions 0..5 are slots
        // 0, 5, 4, 3, 2, 1: owners a, c, c, b, a, a
        assertEquals(5, ValidatorSet.strideFor(6));
        assertEquals(c, net.set.proposer(1, 0).key());
        assertEquals(c, net.set.proposer(1, 1).key());
        assertEquals(b, net.set.proposer(1, 2).key());
        assertEquals(a, net.set.proposer(2, 2).key());
        assertEquals(a, net.set.proposer(5, 0).key());
        assertEquals(a, net.set.proposer(6, 0).key());
        assertEquals(b, net.set.proposer(1_000_000_000_000L * 6 + 3, 0).key());
        assertEquals(b, net.set.proposer(3, 6 * 1000).key(), "rounds wrap around the slots too");
    }

    @Test
    void strideIsTheLeastCoprimeFromSixTenthsOfTheTotal() {
        assertEquals(0, ValidatorSet.strideFor(1));
        assertEquals(1, ValidatorSet.strideFor(2));
        assertEquals(3, ValidatorSet.strideFor(4));
        assertEquals(27, ValidatorSet.strideFor(40)); // 24, 25, 26 share a factor with 40
        long big = 1L << 40;
        long from = big / 1000 * 618 + big % 1000 * 618 / 1000; // no overflow: 2^40 * 618 / 1000
        assertEquals(679_498_185_965L, from);
        assertEquals(from, ValidatorSet.strideFor(big), "odd, so coprime with 2^40");
        assertEquals(1_000_000_000_000L / 1000 * 618 + 1, ValidatorSet.strideFor(1_000_000_000_000L),
                "618 * 10^9 is even; the next integer is coprime with 10^12 (not divisible by 2 or 5)");
    }

    @Test
    void withSpreadSlots_aValidatorWithLessThanAThirdNeverProposesTwoConsecutivePositions() {
        TestNet four = new TestNet(10, 10, 10, 10); // the localnet's stakes: unit 10, 4 slots, stride 3
        assertEquals(4, four.set.rotationLength());
        for (int k = 0; k < 40; k++) {
            assertTrue(!four.set.proposer(k, 0).key().equals(four.set.proposer(k, 1).key()),
                    "positions " + k + " and " + (k + 1) + " have the same proposer");
            assertEquals(four.set.proposer(k + 1, 0), four.set.proposer(k, 1), "only h + r matters");
        }
        // with consecutive slots over TotalPower, validator 0 would have proposed positions 0..9
        int[] counts = new int[4];
        for (int k = 0; k < 40; k++) {
            counts[four.set.validators().indexOf(four.set.proposer(k, 0))]++;
        }
        assertEquals(List.of(10, 10, 10, 10), java.util.Arrays.stream(counts).boxed().toList());
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
    void powersAreDividedByTheirGcd_soTheUnitOfPowerDoesNotChangeTheRotation() {
        TestNet scaled = new TestNet(30, 10, 20); // net's powers times 10
        assertEquals(10, scaled.set.powerUnit());
        assertEquals(6, scaled.set.rotationLength());
        for (long h = 0; h < 30; h++) {
            for (int r = 0; r < 7; r++) {
                assertEquals(net.proposerIndex(h, r), scaled.proposerIndex(h, r), "(" + h + ", " + r + ")");
            }
        }
        // validator 3 of four equal ones (power 10 each) proposes at position 3 of the rotation, not 10
        TestNet four = new TestNet(10, 10, 10, 10);
        assertEquals(List.of(0, 3, 2, 1), java.util.stream.IntStream.range(0, 4)
                .map(k -> four.proposerIndex(k, 0)).boxed().toList(), "positions 0..3 are slots 0, 3, 2, 1");
        assertEquals(7, new TestNet(7).set.powerUnit());
        assertEquals(1, new TestNet(7).set.rotationLength());
        assertEquals(1, new TestNet(6, 4, 9).set.powerUnit(), "pairwise common factors are not a common unit");
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
