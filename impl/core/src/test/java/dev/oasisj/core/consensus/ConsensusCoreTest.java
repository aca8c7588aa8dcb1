package dev.oasisj.core.consensus;

import static dev.oasisj.core.consensus.TestNet.deliverAll;
import static dev.oasisj.core.consensus.TestNet.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ConsensusCoreTest {
    private final TestNet net = TestNet.equalPowers(4);
    private final Hash32 a = net.valid("a");
    private final Hash32 b = net.valid("b");

    private List<ConsensusCore> fourCores() {
        List<ConsensusCore> cores = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            cores.add(net.core(i));
        }
        return cores;
    }

    private static List<SignedMessage> all(List<ConsensusCore> cores, java.util.function.Function<ConsensusCore,
            StepResult> action) {
        List<SignedMessage> out = new ArrayList<>();
        for (ConsensusCore c : cores) {
            out.addAll(sent(action.apply(c)));
        }
        return out;
    }

    @Test
    void whenAllValidatorsPrevoteTheProposal_theyLockAndDecide() {
        List<ConsensusCore> cores = fourCores();
        int proposer = net.proposerIndex(1, 0);
        assertEquals(1, proposer, "slot (1 + 0) mod 4 belongs to v2");
        assertTrue(cores.get(proposer).isProposer());
        assertTrue(cores.get(proposer).requiredProposal().isEmpty());

        List<SignedMessage> proposal = sent(cores.get(proposer).propose(a, TestNet.payload("a")));
        assertEquals(List.of(new ConsensusMessage.Proposal(1, 0, a, -1, TestNet.payload("a"))),
                proposal.stream().map(SignedMessage::message).toList());
        deliverAll(cores, proposal);
        for (ConsensusCore c : cores) {
            assertTrue(c.enabledActions().contains(new Action.PrevoteOnProposal(a)));
        }
        List<SignedMessage> prevotes = all(cores, c -> c.prevoteOnProposal(a));
        assertEquals(4, prevotes.size());
        for (SignedMessage m : prevotes) {
            assertEquals(TestNet.prevote(1, 0, VoteValue.of(a)), m.message());
        }
        deliverAll(cores, prevotes);
        assertEquals(new Action.LockOnPol(a), cores.get(0).enabledActions().get(0));
        List<SignedMessage> precommits = all(cores, c -> c.lockOnPol(a));
        deliverAll(cores, precommits);
        for (ConsensusCore c : cores) {
            assertTrue(c.timeoutPrecommitArmed());
            StepResult r = c.decide(a, 0);
            StepResult.Applied applied = assertInstanceOf(StepResult.Applied.class, r);
            assertEquals(a, applied.decision().orElseThrow().value());
            assertTrue(net.set.isQuorum(applied.decision().orElseThrow().precommits().stream()
                    .map(SignedMessage::signer).toList()));
            ConsensusSnapshot s = c.snapshot();
            assertEquals(Step.DECIDED, s.step());
            assertEquals(VoteValue.of(a), s.lockedValue());
            assertEquals(0, s.lockedRound());
            assertEquals(VoteValue.of(a), s.validValue());
            assertEquals(Map.of(1L, a), s.decisions());
            assertFalse(c.timeoutPrecommitArmed());
            assertEquals(List.of(new Action.NextHeight()), c.enabledActions());
            sent(c.nextHeight());
            assertEquals(new ConsensusSnapshot(2, 0, Step.PROPOSE, VoteValue.NIL, -1, VoteValue.NIL, -1,
                    new TreeMap<>(Map.of(1L, a))), c.snapshot());
        }
    }

    @Test
    void whenTheDriverFiresEnabledActions_fourCoresDecideTheSameValueAtTwoHeights() {
        List<ConsensusCore> cores = fourCores();
        for (long h = 1; h <= 2; h++) {
            List<SignedMessage> pool = new ArrayList<>();
            int p = net.proposerIndex(h, 0);
            Hash32 v = net.valid("h" + h);
            pool.addAll(sent(cores.get(p).propose(v, TestNet.payload("h" + h))));
            for (int pass = 0; pass < 4; pass++) {
                for (ConsensusCore c : cores) {
                    if (c.height() == h) {
                        deliverAll(List.of(c), List.copyOf(pool));
                        for (StepResult.Applied fired : c.fireEnabled()) {
                            pool.addAll(fired.broadcast());
                        }
                    }
                }
            }
            for (ConsensusCore c : cores) {
                assertEquals(v, c.decision(h).orElseThrow().value());
                assertEquals(h + 1, c.height(), "NextHeight fired after Decide");
            }
        }
    }

    @Test
    void aLockedValidatorPrevotesNilOnAConflictingProposalWithoutPol_andAProposalWithPolUnlocksIt() {
        List<ConsensusCore> cores = fourCores();
        ConsensusCore c1 = cores.get(0);
        // Round 0: v2 proposes a, everybody prevotes a; only v1 locks on it, the others time out to Nil.
        deliverAll(cores, sent(cores.get(1).propose(a, TestNet.payload("a"))));
        deliverAll(cores, all(cores, c -> c.prevoteOnProposal(a)));
        List<SignedMessage> precommits0 = new ArrayList<>(sent(c1.lockOnPol(a)));
        precommits0.addAll(all(cores.subList(1, 4), ConsensusCore::timeoutPrevote));
        deliverAll(cores, precommits0);
        assertEquals(VoteValue.of(a), c1.snapshot().lockedValue());
        assertTrue(c1.enabledActions().isEmpty(), "no decide: only one precommit for a");
        all(cores, ConsensusCore::timeoutPrecommit);
        // Round 1: v3 proposes a fresh b; the locked v1 refuses it.
        assertEquals(2, net.proposerIndex(1, 1));
        deliverAll(cores, sent(cores.get(2).propose(b, TestNet.payload("b"))));
        List<SignedMessage> v1Prevote = sent(c1.prevoteOnProposal(b));
        assertEquals(TestNet.prevote(1, 1, VoteValue.NIL), v1Prevote.get(0).message());
        assertEquals(VoteValue.of(a), c1.snapshot().lockedValue());
        // The others prevote b and precommit Nil; v4 records b as its valid value (a POL at round 1).
        List<SignedMessage> prevotes1 = new ArrayList<>(v1Prevote);
        prevotes1.addAll(all(cores.subList(1, 4), c -> c.prevoteOnProposal(b)));
        deliverAll(cores, prevotes1);
        List<SignedMessage> precommits1 = all(cores, ConsensusCore::timeoutPrevote);
        ConsensusCore v4 = cores.get(3);
        assertTrue(sent(v4.lockOnPol(b)).isEmpty(), "in step precommit LockOnPOL only updates validValue");
        assertEquals(VoteValue.NIL, v4.snapshot().lockedValue());
        assertEquals(VoteValue.of(b), v4.snapshot().validValue());
        deliverAll(cores, precommits1);
        all(cores, ConsensusCore::timeoutPrecommit);
        // Round 2: v4 must re-propose b with validRound 1; a fresh value is refused.
        assertEquals(3, net.proposerIndex(1, 2));
        assertEquals(b, v4.requiredProposal().orElseThrow().value());
        Hash32 c = net.valid("c");
        assertInstanceOf(StepResult.NotEnabled.class, v4.propose(c, TestNet.payload("c")));
        List<SignedMessage> proposal2 = sent(v4.propose(b, TestNet.payload("b")));
        assertEquals(new ConsensusMessage.Proposal(1, 2, b, 1, TestNet.payload("b")), proposal2.get(0).message());
        deliverAll(cores, proposal2);
        assertInstanceOf(StepResult.NotEnabled.class, c1.prevoteOnProposal(b), "the proposal has validRound 1");
        assertEquals(new Action.PrevoteOnProposalWithPol(b, 1), c1.enabledActions().get(0));
        List<SignedMessage> unlocked = sent(c1.prevoteOnProposalWithPol(b, 1));
        assertEquals(TestNet.prevote(1, 2, VoteValue.of(b)), unlocked.get(0).message());
    }

    @Test
    void aLockedValidatorIgnoresAPolOlderThanItsLock() {
        List<ConsensusCore> cores = fourCores();
        ConsensusCore c1 = cores.get(0);
        // a POL for b at round 0 exists, then c1 locks on a at round 1; a re-proposal of b with validRound 0 at
        // round 2 must get a Nil prevote from c1.
        Hash32 v = b;
        deliverAll(cores, sent(cores.get(1).propose(v, TestNet.payload("b"))));
        deliverAll(cores, all(cores, x -> x.prevoteOnProposal(v)));
        deliverAll(cores, all(cores, ConsensusCore::timeoutPrevote));
        all(cores, ConsensusCore::timeoutPrecommit);
        deliverAll(cores, List.of(net.sign(2, TestNet.proposal(1, 1, "a", -1))));
        deliverAll(cores, all(cores, x -> x.prevoteOnProposal(a)));
        deliverAll(cores, sent(c1.lockOnPol(a)));
        deliverAll(cores, all(cores.subList(1, 4), ConsensusCore::timeoutPrevote));
        assertEquals(1, c1.snapshot().lockedRound());
        sent(c1.timeoutPrecommit());
        deliverAll(List.of(c1), List.of(net.sign(3, TestNet.proposal(1, 2, "b", 0))));
        assertEquals(TestNet.prevote(1, 2, VoteValue.NIL), sent(c1.prevoteOnProposalWithPol(b, 0)).get(0).message());
    }

    @Test
    void messagesOfARoundAheadFromMoreThanAThirdOfThePower_makeTheCoreSkipToThatRound() {
        ConsensusCore c1 = net.core(0);
        assertTrue(c1.deliver(net.sign(1, TestNet.prevote(1, 3, VoteValue.NIL))).accepted());
        assertInstanceOf(StepResult.NotEnabled.class, c1.roundSkip(3), "one quarter is not more than a third");
        assertTrue(c1.enabledActions().isEmpty());
        assertTrue(c1.deliver(net.sign(2, TestNet.precommit(1, 3, TestNet.vv("a")))).accepted());
        assertEquals(List.of(new Action.RoundSkip(3)), c1.enabledActions());
        assertInstanceOf(StepResult.NotEnabled.class, c1.roundSkip(2), "no messages at round 2");
        sent(c1.roundSkip(3));
        assertEquals(3, c1.round());
        assertEquals(Step.PROPOSE, c1.step());
    }

    /**
     * After a journal loss a validator replays nothing and may meet its own earlier votes again, echoed by its peers.
     * CI once saw such a node exit on OwnNoEquivocationInv: it held its echoed prevote and its new, different one.
     */
    @Test
    void anEchoOfItsOwnEarlierVote_isKeptInsteadOfSigningAnother_andOneThatConflictsWithItsVoteIsRejected() {
        ConsensusCore c1 = net.core(0);
        c1.deliver(net.sign(1, TestNet.proposal(1, 0, "a", -1)));
        // Before it prevotes: the echo of its old Nil prevote is kept, and prevoting signs nothing new.
        assertTrue(c1.deliver(net.sign(0, TestNet.prevote(1, 0, VoteValue.NIL))).accepted());
        StepResult.Applied prevoted = assertInstanceOf(StepResult.Applied.class, c1.prevoteOnProposal(a));
        assertEquals(List.of(), prevoted.broadcast(), "signed a second prevote at (1, 0)");
        assertEquals(Step.PREVOTE, c1.step(), "the step advances as if it had voted");
        // After it precommits: an echo of an old precommit for another value is refused, its own stays.
        assertTrue(c1.deliver(net.sign(1, TestNet.prevote(1, 0, VoteValue.NIL))).accepted());
        assertTrue(c1.deliver(net.sign(2, TestNet.prevote(1, 0, VoteValue.NIL))).accepted());
        List<SignedMessage> precommit = sent(c1.precommitOnNilQuorum());
        assertEquals(1, precommit.size());
        DeliverResult echo = c1.deliver(net.sign(0, TestNet.precommit(1, 0, TestNet.vv("b"))));
        assertEquals(DeliverResult.Reason.OWN_CONFLICT, ((DeliverResult.Rejected) echo).reason());
        assertEquals(List.of(precommit.get(0)), c1.messageLog().stream()
                .filter(m -> m.signer().equals(net.key(0)) && m.message() instanceof ConsensusMessage.Precommit)
                .toList());
        // Another validator's second precommit is evidence, not a conflict with itself.
        assertTrue(c1.deliver(net.sign(2, TestNet.precommit(1, 0, TestNet.vv("b")))).accepted());
        assertTrue(c1.deliver(net.sign(2, TestNet.precommit(1, 0, VoteValue.NIL))).accepted());
    }

    @Test
    void anEquivocatingSenderIsKeptAsEvidence_countsOnceTowardAQuorum_andIsCappedAtTheLimit() {
        ConsensusCore c1 = net.core(0);
        c1.deliver(net.sign(1, TestNet.proposal(1, 0, "a", -1)));
        // v4 prevotes a and seven other values at (1, 0): all kept; the 9th different prevote is refused.
        assertTrue(c1.deliver(net.sign(3, TestNet.prevote(1, 0, VoteValue.of(a)))).accepted());
        assertTrue(c1.deliver(net.sign(3, TestNet.prevote(1, 0, VoteValue.NIL))).accepted());
        for (int i = 0; i < 6; i++) {
            assertTrue(c1.deliver(net.sign(3, TestNet.prevote(1, 0, TestNet.vv("x" + i)))).accepted());
        }
        DeliverResult ninth = c1.deliver(net.sign(3, TestNet.prevote(1, 0, TestNet.vv("x9"))));
        assertEquals(DeliverResult.Reason.EQUIVOCATION_LIMIT, ((DeliverResult.Rejected) ninth).reason());
        DeliverResult again = c1.deliver(net.sign(3, TestNet.prevote(1, 0, VoteValue.of(a))));
        assertEquals(DeliverResult.Reason.DUPLICATE, ((DeliverResult.Rejected) again).reason());
        // c1's own prevote plus v4's: two of four senders for a, not a quorum, however many v4 sent.
        sent(c1.prevoteOnProposal(a));
        assertInstanceOf(StepResult.NotEnabled.class, c1.lockOnPol(a));
        assertInstanceOf(StepResult.NotEnabled.class, c1.precommitOnNilQuorum());
        assertTrue(c1.deliver(net.sign(2, TestNet.prevote(1, 0, VoteValue.of(a)))).accepted());
        assertEquals(new Action.LockOnPol(a), c1.enabledActions().get(0));
        Evidence e = Evidence.of(net.set, c1.messageLog());
        assertEquals(java.util.Set.of(net.key(3)), e.equivocations().keySet());
        assertEquals(1, e.misbehavingPower());
        assertEquals(8 + 1 + 1 + 1, c1.messageLog().size());
    }

    @Test
    void rejectedInputsAndDisabledActionsLeaveTheStateUnchanged() {
        ConsensusCore c = net.core(0, ConsensusConfig.of(TestNet.CHAIN), 5);
        ConsensusSnapshot before = c.snapshot();
        List<SignedMessage> logBefore = c.messageLog();
        Signer outsider = Signer.deterministic("outsider", 1);
        Map<DeliverResult.Reason, SignedMessage> bad = new TreeMap<>();
        bad.put(DeliverResult.Reason.STALE_HEIGHT, net.sign(1, TestNet.prevote(4, 0, VoteValue.NIL)));
        bad.put(DeliverResult.Reason.FUTURE_HEIGHT_TOO_FAR, net.sign(1, TestNet.prevote(7, 0, VoteValue.NIL)));
        bad.put(DeliverResult.Reason.ROUND_TOO_FAR, net.sign(1, TestNet.prevote(5, 65, VoteValue.NIL)));
        int notProposer = (net.proposerIndex(5, 0) + 1) % 4;
        bad.put(DeliverResult.Reason.NOT_PROPOSER, net.sign(notProposer, TestNet.proposal(5, 0, "a", -1)));
        bad.put(DeliverResult.Reason.UNKNOWN_VALIDATOR,
                SignedMessage.sign(TestNet.CHAIN, TestNet.prevote(5, 0, VoteValue.NIL), outsider));
        bad.put(DeliverResult.Reason.BAD_SIGNATURE,
                SignedMessage.sign("other-chain", TestNet.prevote(5, 0, VoteValue.NIL), net.signers.get(1)));
        for (Map.Entry<DeliverResult.Reason, SignedMessage> e : bad.entrySet()) {
            DeliverResult r = c.deliver(e.getValue());
            assertEquals(e.getKey(), assertInstanceOf(DeliverResult.Rejected.class, r).reason(), e.getKey().name());
            assertEquals(before, c.snapshot());
            assertEquals(logBefore, c.messageLog());
        }
        assertTrue(c.deliver(net.sign(1, TestNet.prevote(6, 64, VoteValue.NIL))).accepted(), "next height kept");
        assertTrue(c.deliver(net.sign(1, TestNet.prevote(5, 64, VoteValue.NIL))).accepted(), "round window edge");
        ConsensusSnapshot s = c.snapshot();
        List<Action> disabled = List.of(new Action.Decide(a, 0), new Action.LockOnPol(a),
                new Action.PrecommitOnNilQuorum(), new Action.TimeoutPrevote(), new Action.TimeoutPrecommit(),
                new Action.NextHeight(), new Action.PrevoteOnProposal(a), new Action.PrevoteOnProposalWithPol(a, 0),
                new Action.RoundSkip(64), new Action.Propose(a, TestNet.payload("a")));
        for (Action action : disabled) {
            assertInstanceOf(StepResult.NotEnabled.class, c.apply(action), action.toString());
            assertEquals(s, c.snapshot());
        }
    }

    @Test
    void aProposerCannotProposeAnInvalidValueNorTwice() {
        int p = net.proposerIndex(1, 0);
        ConsensusCore c = net.core(p);
        assertInstanceOf(StepResult.NotEnabled.class, c.propose(TestNet.value("bad"), TestNet.payload("bad")));
        assertInstanceOf(StepResult.NotEnabled.class, c.propose(a, TestNet.payload("b")), "payload must hash to value");
        sent(c.propose(a, TestNet.payload("a")));
        assertInstanceOf(StepResult.NotEnabled.class, c.propose(b, TestNet.payload("b")));
        assertInstanceOf(StepResult.NotEnabled.class, net.core((p + 1) % 4).propose(a, TestNet.payload("a")));
    }

    @Test
    void anInvalidProposalGetsANilPrevoteAndIsNeverDecided() {
        List<ConsensusCore> cores = fourCores();
        SignedMessage bad = net.sign(1, TestNet.proposal(1, 0, "bad", -1)); // a Byzantine proposer
        deliverAll(cores, List.of(bad));
        List<SignedMessage> prevotes = all(cores, c -> c.prevoteOnProposal(TestNet.value("bad")));
        for (SignedMessage m : prevotes) {
            assertEquals(VoteValue.NIL, ((ConsensusMessage.Prevote) m.message()).value());
        }
        List<SignedMessage> byzantineVotes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byzantineVotes.add(net.sign(i, TestNet.precommit(1, 0, TestNet.vv("bad"))));
        }
        ConsensusCore observer = net.observer();
        deliverAll(List.of(observer), List.of(bad));
        deliverAll(List.of(observer), byzantineVotes);
        assertInstanceOf(StepResult.NotEnabled.class, observer.decide(TestNet.value("bad"), 0));
    }

    @Test
    void anObserverFollowsAndDecidesButSendsNothing() {
        List<ConsensusCore> cores = fourCores();
        ConsensusCore observer = net.observer();
        List<ConsensusCore> everyone = new ArrayList<>(cores);
        everyone.add(observer);
        deliverAll(everyone, sent(cores.get(1).propose(a, TestNet.payload("a"))));
        assertTrue(sent(observer.prevoteOnProposal(a)).isEmpty());
        deliverAll(everyone, all(cores, c -> c.prevoteOnProposal(a)));
        deliverAll(everyone, all(cores, c -> c.lockOnPol(a)));
        List<StepResult.Applied> fired = observer.fireEnabled();
        assertEquals(new Action.Decide(a, 0), fired.get(0).action(), "Decide has the highest priority");
        assertEquals(a, fired.get(0).decision().orElseThrow().value());
        assertTrue(fired.stream().allMatch(f -> f.broadcast().isEmpty()));
        assertEquals(2, observer.height());
    }

    @Test
    void messagesOfTheNextHeightAreKeptAndUsedAfterNextHeight() {
        List<ConsensusCore> cores = fourCores();
        ConsensusCore late = cores.get(0);
        List<ConsensusCore> others = cores.subList(1, 4);
        List<SignedMessage> pool = new ArrayList<>(sent(cores.get(1).propose(a, TestNet.payload("a"))));
        deliverAll(others, pool);
        for (ConsensusCore c : others) {
            for (StepResult.Applied f : c.fireEnabled()) {
                pool.addAll(f.broadcast());
            }
        }
        deliverAll(others, pool);
        for (ConsensusCore c : others) {
            for (StepResult.Applied f : c.fireEnabled()) {
                pool.addAll(f.broadcast());
            }
        }
        deliverAll(others, pool);
        for (ConsensusCore c : others) {
            for (StepResult.Applied f : c.fireEnabled()) {
                pool.addAll(f.broadcast());
            }
            assertEquals(2, c.height());
        }
        int p2 = net.proposerIndex(2, 0);
        List<SignedMessage> h2 = new ArrayList<>(sent(cores.get(p2).propose(b, TestNet.payload("b"))));
        deliverAll(others, h2);
        for (ConsensusCore c : others) {
            h2.addAll(sent(c.prevoteOnProposal(b)));
        }
        // The late core gets height-2 messages before the height-1 ones: they are kept, then used.
        for (SignedMessage m : h2) {
            assertTrue(late.deliver(m).accepted(), m.toString());
        }
        for (SignedMessage m : pool) {
            late.deliver(m);
        }
        late.fireEnabled();
        assertEquals(a, late.decision(1).orElseThrow().value());
        assertEquals(2, late.height());
        assertEquals(Step.PRECOMMIT, late.step(), "prevoted b and locked on the height-2 quorum");
        assertEquals(VoteValue.of(b), late.snapshot().lockedValue());
    }
}
