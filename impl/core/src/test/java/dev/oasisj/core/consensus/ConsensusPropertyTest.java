package dev.oasisj.core.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.oasisj.core.crypto.Hash32;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random schedules over four validators sharing one message pool: correct cores fire random enabled actions
 * (timeouts and proposals included) and receive random pool messages; Byzantine validators inject arbitrary signed
 * messages. [CONS-AGREEMENT.1] and [CONS-VALIDITY.1] must hold when Byzantine power is below one third; with half the
 * power Byzantine agreement may fail, but then [CONS-ACCOUNTABILITY.1] the provable misbehaviour must cover more than a
 * third of the power (the spec asks at least a third) and [CONS-ACCOUNTABILITY.2] no correct validator is blamed.
 */
class ConsensusPropertyTest {
    private static final int VALIDATORS = 4;
    private static final int MAX_ROUND = 3;
    private static final long MAX_HEIGHT = 2;
    private static final String[] VALID = {"v1", "v2"};
    private static final String[] INVALID = {"i1"};

    /** Counts across all examples, so the test can check that the schedules reach the interesting states. */
    private int decisionsSeen;
    private int disagreementsSeen;

    private final class Run {
        final TestNet net = TestNet.equalPowers(VALIDATORS);
        final int byzantine;
        final List<ConsensusCore> correct = new ArrayList<>();
        final List<SignedMessage> pool = new ArrayList<>();
        final List<Integer> byzantineIndices = new ArrayList<>();

        Run(int byzantine) {
            this.byzantine = byzantine;
            for (String v : VALID) {
                net.valid(v);
            }
            ConsensusConfig config = ConsensusConfig.of(TestNet.CHAIN).withMaxRound(MAX_ROUND)
                    .withMaxHeight(MAX_HEIGHT);
            // The Byzantine validators are v2 (and v3): the proposers of (1, 0) (and (1, 1)), so that they can
            // equivocate proposals early in a run; the others are correct.
            for (int i = 1; i <= byzantine; i++) {
                byzantineIndices.add(i);
            }
            for (int i = 0; i < VALIDATORS; i++) {
                if (!byzantineIndices.contains(i)) {
                    correct.add(net.core(i, config, 1));
                }
            }
        }

        void step(int x) {
            int op = x % 10;
            int arg = x / 10;
            ConsensusCore core = correct.get(arg % correct.size());
            int choice = arg / correct.size();
            switch (op) {
                case 0, 1, 2, 3 -> {
                    if (!pool.isEmpty()) {
                        core.deliver(pool.get(choice % pool.size()));
                    }
                }
                case 4, 5 -> fireOne(core, choice);
                case 6 -> core.fireEnabled().forEach(a -> pool.addAll(a.broadcast()));
                case 7, 8 -> inject(choice);
                default -> List.copyOf(pool).forEach(core::deliver);
            }
        }

        void fireOne(ConsensusCore core, int choice) {
            List<Action> options = new ArrayList<>(core.enabledActions());
            options.add(new Action.TimeoutPropose());
            options.add(new Action.TimeoutPrevote());
            options.add(new Action.TimeoutPrecommit());
            if (core.isProposer()) {
                Optional<ValuePayload> required = core.requiredProposal();
                String fresh = VALID[choice % VALID.length];
                options.add(required.isPresent()
                        ? new Action.Propose(required.get().value(), required.get().payload())
                        : new Action.Propose(TestNet.value(fresh), TestNet.payload(fresh)));
            }
            StepResult r = core.apply(options.get(choice % options.size()));
            if (r instanceof StepResult.Applied a) {
                pool.addAll(a.broadcast());
            }
        }

        void inject(int choice) {
            if (byzantine == 0) {
                return;
            }
            int b = byzantineIndices.get(choice % byzantine);
            choice /= byzantine;
            long h = 1 + choice % MAX_HEIGHT;
            choice /= (int) MAX_HEIGHT;
            int r = choice % (MAX_ROUND + 1);
            choice /= MAX_ROUND + 1;
            int kind = choice % 3;
            choice /= 3;
            String[] values = {"v1", "v2", "i1", "nil"};
            String value = values[choice % values.length];
            choice /= values.length;
            ConsensusMessage m;
            if (kind == 0) {
                if (net.proposerIndex(h, r) != b) {
                    return;
                }
                String block = value.equals("nil") ? INVALID[0] : value;
                m = TestNet.proposal(h, r, block, r == 0 ? -1 : (choice % (r + 1)) - 1);
            } else {
                VoteValue v = value.equals("nil") || value.equals("i1") ? VoteValue.NIL : TestNet.vv(value);
                m = kind == 1 ? TestNet.prevote(h, r, v) : TestNet.precommit(h, r, v);
            }
            pool.add(net.sign(b, m));
        }

        /** Checks agreement, validity and accountability over the correct cores' decisions. */
        void check() {
            for (long h = 1; h <= MAX_HEIGHT; h++) {
                TreeMap<Hash32, Integer> decided = new TreeMap<>();
                for (ConsensusCore c : correct) {
                    Optional<Decision> d = c.decision(h);
                    if (d.isPresent()) {
                        decisionsSeen++;
                        assertTrue(net.validValues.contains(d.get().value()), "[CONS-VALIDITY.1] " + d.get());
                        decided.merge(d.get().value(), 1, Integer::sum);
                    }
                }
                if (decided.size() > 1) {
                    disagreementsSeen++;
                    assertTrue(3 * byzantine >= VALIDATORS,
                            "[CONS-AGREEMENT.1] correct validators decided " + decided.keySet() + " at height " + h
                                    + " with " + byzantine + " Byzantine of " + VALIDATORS);
                    Evidence e = Evidence.of(net.set, pool);
                    assertTrue(3 * e.misbehavingPower() > net.set.totalPower(),
                            "[CONS-ACCOUNTABILITY.1] disagreement at height " + h + " but only "
                                    + e.misbehavingPower() + " misbehaving power: " + e);
                    for (ConsensusCore c : correct) {
                        assertTrue(!e.misbehaving().contains(c.ownKey().orElseThrow()),
                                "[CONS-ACCOUNTABILITY.2] a correct validator was blamed");
                    }
                }
            }
        }
    }

    private void run(int byzantine, List<Integer> schedule) {
        Run run = new Run(byzantine);
        for (int x : schedule) {
            run.step(x);
            run.check();
        }
    }

    @Test
    void withLessThanAThirdByzantine_agreementAndValidityHold() {
        decisionsSeen = 0;
        qt().withFixedSeed(20261129L).withExamples(150)
                .forAll(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(50, 300))
                .checkAssert(schedule -> run(1, schedule));
        assertTrue(decisionsSeen > 0, "the schedules never reached a decision: the property would be vacuous");
    }

    @Test
    void withHalfThePowerByzantine_disagreementIsAlwaysBlamedOnMoreThanAThird() {
        decisionsSeen = 0;
        qt().withFixedSeed(4242L).withExamples(150)
                .forAll(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(50, 300))
                .checkAssert(schedule -> run(2, schedule));
        assertTrue(decisionsSeen > 0, "the schedules never reached a decision: the property would be vacuous");
    }

    @Test
    void whenHalfThePowerEquivocates_correctValidatorsCanDisagree_andEvidenceBlamesMoreThanAThird() {
        // v2 (the proposer of (1, 0)) and v4 are Byzantine; v1 and v3 are correct and see different halves.
        TestNet net = TestNet.equalPowers(VALIDATORS);
        Hash32 a = net.valid("a");
        Hash32 b = net.valid("b");
        ConsensusCore c1 = net.core(0);
        ConsensusCore c3 = net.core(2);
        List<SignedMessage> pool = new ArrayList<>();
        pool.add(net.sign(1, TestNet.proposal(1, 0, "a", -1)));
        pool.add(net.sign(1, TestNet.proposal(1, 0, "b", -1)));
        for (int byz : new int[] {1, 3}) {
            for (String v : new String[] {"a", "b"}) {
                pool.add(net.sign(byz, TestNet.prevote(1, 0, TestNet.vv(v))));
                pool.add(net.sign(byz, TestNet.precommit(1, 0, TestNet.vv(v))));
            }
        }
        c1.deliver(pool.get(0));
        c3.deliver(pool.get(1));
        pool.addAll(TestNet.sent(c1.prevoteOnProposal(a)));
        pool.addAll(TestNet.sent(c3.prevoteOnProposal(b)));
        for (SignedMessage m : List.copyOf(pool)) {
            boolean aligned = !(m.message() instanceof ConsensusMessage.Proposal);
            if (aligned) {
                VoteValue v = m.message() instanceof ConsensusMessage.Prevote p ? p.value()
                        : ((ConsensusMessage.Precommit) m.message()).value();
                (v.equals(VoteValue.of(a)) ? c1 : c3).deliver(m);
            }
        }
        c1.fireEnabled().forEach(f -> pool.addAll(f.broadcast()));
        c3.fireEnabled().forEach(f -> pool.addAll(f.broadcast()));
        assertEquals(a, c1.decision(1).orElseThrow().value());
        assertEquals(b, c3.decision(1).orElseThrow().value());
        Evidence e = Evidence.of(net.set, pool);
        assertEquals(java.util.Set.of(net.key(1), net.key(3)), e.misbehaving());
        assertTrue(3 * e.misbehavingPower() > net.set.totalPower());
    }
}
