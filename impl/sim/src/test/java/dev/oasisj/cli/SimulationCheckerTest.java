package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.ByzantineValidator;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.node.CoreInputCodec;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulator's checks can fail: runs built to break Agreement or Validity must be reported as violations. */
@Timeout(600)
class SimulationCheckerTest {
    private static final List<Long> FOUR_EQUAL = List.of(1L, 1L, 1L, 1L);

    private static TreeMap<Integer, ByzantineValidator.Profile> splitBrain(int... indices) {
        TreeMap<Integer, ByzantineValidator.Profile> m = new TreeMap<>();
        for (int i : indices) {
            m.put(i, ByzantineValidator.Profile.SPLIT_BRAIN);
        }
        return m;
    }

    @Test
    void halfThePowerByzantine_splitsTheHonestValidators_andAgreementViolationIsReported() {
        // Validators 0 and 1 propose heights 4k and 4k+3 at round 0 (stride 3 of 4): the coalition proposes two
        // blocks, sends each to one honest validator and votes for each towards that validator, which then has a quorum
        // (2 + itself of 4).
        for (long seed = 1; seed <= 3; seed++) {
            SimulationRun.Plan plan = new SimulationRun.Plan(seed, 600, FOUR_EQUAL, splitBrain(0, 1), false, false);
            SimulationRun.SeedResult r = SimulationRun.runSeed(plan, ValidatorNodes.factory(), CoreInputCodec.INSTANCE);
            assertTrue(r.violations().stream().anyMatch(v -> v.startsWith("AgreementInv")), r.line());
            assertTrue(r.line().contains(" VIOLATED "), r.line());
        }
    }

    @Test
    void theSameAttackByAQuarterOfThePower_breaksNothing() {
        // Control: one split-brain validator of four (less than a third) cannot make two honest validators disagree.
        for (long seed = 1; seed <= 3; seed++) {
            SimulationRun.Plan plan = new SimulationRun.Plan(seed, 600, FOUR_EQUAL, splitBrain(0), false, true);
            SimulationRun.SeedResult r = SimulationRun.runSeed(plan, ValidatorNodes.factory(), CoreInputCodec.INSTANCE);
            assertEquals(List.of(), r.violations(), r.line());
            assertTrue(r.blocks() > 0 && r.misbehaviours() > 0, r.line());
        }
    }

    @Test
    void aPlanWithAThirdOfThePowerByzantine_isRefusedUnlessATestAsksForIt() {
        SimulationRun.Plan plan = new SimulationRun.Plan(1, 10, List.of(1L, 1L, 1L), splitBrain(2), true, true);
        assertThrows(IllegalArgumentException.class,
                () -> SimulationRun.runSeed(plan, ValidatorNodes.factory(), CoreInputCodec.INSTANCE));
    }

    @Test
    void seedPlans_keepTheByzantinePowerBelowAThird() {
        for (long seed = 1; seed <= 2000; seed++) {
            SimulationRun.Plan p = SimulationRun.Plan.of(seed, 1);
            assertTrue(3 * p.byzantinePower() < p.totalPower(), "seed " + seed + ": " + p);
            assertEquals(p, SimulationRun.Plan.of(seed, 1), "a plan is a function of its seed");
        }
    }

    @Test
    void anHonestNodeWhoseLedgerDisagreesWithItsBlocks_isAValidityViolation() {
        // Validator 2 reports a state root its committed blocks do not name (as a node with a broken ledger would).
        NodeFactory broken = new NodeFactory() {
            @Override
            public NodeStateMachine create(Genesis genesis, int index, Signer key) {
                NodeStateMachine real = ValidatorNodes.factory().create(genesis, index, key);
                if (index != 2) {
                    return real;
                }
                return new NodeStateMachine() {
                    @Override
                    public NodeOutput apply(NodeInput input) {
                        return real.apply(input);
                    }

                    @Override
                    public long height() {
                        return real.height();
                    }

                    @Override
                    public Hash32 lastBlockHash() {
                        return real.lastBlockHash();
                    }

                    @Override
                    public Hash32 stateRoot() {
                        return real.height() >= 2 ? Hash32.ZERO : real.stateRoot();
                    }
                };
            }

            @Override
            public NodeStateMachine createByzantine(Genesis genesis, int index, Signer key, long seed,
                    SortedSet<Integer> coalition, ByzantineValidator.Profile profile) {
                return ValidatorNodes.factory().createByzantine(genesis, index, key, seed, coalition, profile);
            }
        };
        SimulationRun.Plan plan = new SimulationRun.Plan(5, 400, FOUR_EQUAL, new TreeMap<>(), false, true);
        SimulationRun.SeedResult r = SimulationRun.runSeed(plan, broken, CoreInputCodec.INSTANCE);
        assertTrue(r.violations().stream().anyMatch(v -> v.startsWith("ValidityInv: node 2 at height 2")), r.line());
        SimulationRun.SeedResult control = SimulationRun.runSeed(plan, ValidatorNodes.factory(),
                CoreInputCodec.INSTANCE);
        assertEquals(List.of(), control.violations(), control.line());
    }
}
