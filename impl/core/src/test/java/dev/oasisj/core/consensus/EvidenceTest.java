package dev.oasisj.core.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Equivocation and amnesia exactly as ACTIONS.md "Misbehaviour" defines them: the predicates both accountability
 * requirements are stated with ([CONS-ACCOUNTABILITY.1] counts the power of {@code Misbehaved(h)},
 * [CONS-ACCOUNTABILITY.2] requires that no correct validator satisfies them).
 */
class EvidenceTest {
    private final TestNet net = TestNet.equalPowers(4);

    @Test
    void precommitThenPrevoteForAnotherValueWithoutAQuorumInBetween_isAmnesia() {
        List<SignedMessage> log = new ArrayList<>(List.of(
                net.sign(0, TestNet.precommit(1, 0, TestNet.vv("a"))),
                net.sign(0, TestNet.prevote(1, 2, TestNet.vv("b")))));
        Evidence e = Evidence.of(net.set, log);
        assertEquals(Set.of(net.key(0)), e.amnesia().keySet());
        assertEquals(Set.of(1L), e.amnesia().get(net.key(0)));
        assertTrue(e.equivocations().isEmpty());
        assertEquals(1, e.misbehavingPower());

        // A quorum of prevotes for b at round 1 (r1 <= 1 < r2) justifies the change of mind.
        for (int i = 1; i < 4; i++) {
            log.add(net.sign(i, TestNet.prevote(1, 1, TestNet.vv("b"))));
        }
        assertTrue(Evidence.of(net.set, log).isEmpty());
    }

    @Test
    void aQuorumAtTheSecondRoundItselfDoesNotJustify_andNilOrTheSameValueIsNoAmnesia() {
        List<SignedMessage> log = new ArrayList<>(List.of(
                net.sign(0, TestNet.precommit(1, 0, TestNet.vv("a"))),
                net.sign(0, TestNet.prevote(1, 2, TestNet.vv("b"))),
                net.sign(0, TestNet.prevote(1, 1, VoteValue.NIL)),
                net.sign(0, TestNet.prevote(1, 3, TestNet.vv("a")))));
        for (int i = 1; i < 4; i++) {
            log.add(net.sign(i, TestNet.prevote(1, 2, TestNet.vv("b"))));
        }
        assertEquals(Set.of(net.key(0)), Evidence.of(net.set, log).amnesia().keySet());
        assertTrue(Evidence.of(net.set, log.subList(2, 4)).isEmpty());
    }

    @Test
    void twoDifferentMessagesOfOneKindAtOneRound_isEquivocation_butTheSameMessageTwiceIsNot() {
        SignedMessage p1 = net.sign(2, TestNet.prevote(3, 1, TestNet.vv("a")));
        assertTrue(Evidence.of(net.set, List.of(p1, p1)).isEmpty());
        Evidence e = Evidence.of(net.set, List.of(p1, net.sign(2, TestNet.prevote(3, 1, VoteValue.NIL)),
                net.sign(1, TestNet.prevote(3, 1, VoteValue.NIL)), net.sign(1, TestNet.precommit(3, 1, VoteValue.NIL))));
        assertEquals(Set.of(net.key(2)), e.equivocations().keySet());
        assertEquals(Set.of(3L), e.equivocations().get(net.key(2)));
        SignedMessage q1 = net.sign(1, TestNet.proposal(2, 0, "a", -1));
        SignedMessage q2 = net.sign(1, TestNet.proposal(2, 0, "b", -1));
        assertEquals(Set.of(net.key(1)), Evidence.of(net.set, List.of(q1, q2)).equivocations().keySet());
    }
}
