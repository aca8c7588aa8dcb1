package dev.oasisj.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLC traces of {@code spec/committee/CommitteeSelection.tla} (models {@code SIMCommittee*}, generated from
 * {@link CommitteeWorld}) replayed into the real staking, registry and scheduler cores with the real sorting hash,
 * comparing the abstract state after every step ({@link CommitteeReplayer}; mapping in conformance/README.md). The
 * traces of {@code WITCommittee*} end in a step the Java cores once refused (findings 1 and 2, resolved): they must
 * conform whole, like every other trace.
 */
class CommitteeTraceConformanceTest {
    /** The floor for one {@code mvn verify}: at least this many traces and steps are replayed. */
    static final int MIN_TRACES = 200;
    static final int MIN_STEPS = 6_000;

    /**
     * The models of the resolved findings 1 and 2 (their traces were refused at the last step before the registry kept
     * freezes apart from registrations) -> the action of that last step.
     */
    static final Map<String, String> PINNED = Map.of(
            "WITCommitteeDeregisterFrozen", "Deregister",
            "WITCommitteeSlashDeregistered", "Slash");

    private static List<Trace> traces = List.of();

    @BeforeAll
    static void loadCorpus() {
        traces = MutationMode.select(TraceCorpus.load("committee"));
    }

    @Test
    void everyTraceInTheCorpus_isReproducedByTheCoresAfterEveryStep() {
        int steps = 0;
        int replayed = 0;
        List<String> failures = new ArrayList<>();
        for (Trace t : traces) {
            Optional<CommitteeReplayer.Mismatch> m = CommitteeReplayer.replay(t, Integer.MAX_VALUE);
            m.ifPresent(x -> failures.add(x.report()));
            steps += t.steps().size() - 1;
            replayed++;
            if (MutationMode.on() && m.isPresent()) {
                break;
            }
        }
        System.out.printf("committee conformance: replayed %d traces, %d steps, %d mismatches%n", replayed, steps,
                failures.size());
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + replayed + " traces diverge; first:\n" + failures.get(0));
        }
        if (MutationMode.on()) {
            assertTrue(replayed >= MIN_TRACES / MutationMode.SAMPLE_EVERY, "mutation-mode sample of only " + replayed
                    + " traces: are the generated traces missing?");
            return;
        }
        assertTrue(replayed >= MIN_TRACES, "only " + replayed + " committee traces (need " + MIN_TRACES
                + "): did the model-check module generate model-check/target/traces/committee?");
        assertTrue(steps >= MIN_STEPS, "only " + steps + " steps replayed (need " + MIN_STEPS + ")");
    }

    /**
     * The traces of the resolved findings 1 and 2 (conformance/README.md) pin the behaviour that once differed: each
     * conforms whole (above: it is replayed with the others) and ends in that step. In the state before its last step
     * the node of {@code WITCommitteeDeregisterFrozen} is frozen (and deregisters: the registry once refused it,
     * {@code FROZEN}), and the node of {@code WITCommitteeSlashDeregistered} is not registered but holds a role of the
     * epoch (and is slashed and frozen: the registry once could not freeze it, {@code UNKNOWN_NODE}).
     */
    @Test
    void theTracesOfTheResolvedFindings_conformWhole_andEndInTheStepThatOnceDiffered() {
        int seen = 0;
        for (Trace t : traces) {
            if (!PINNED.containsKey(t.model())) {
                continue;
            }
            seen++;
            Optional<CommitteeReplayer.Mismatch> m = CommitteeReplayer.replay(t, Integer.MAX_VALUE);
            assertTrue(m.isEmpty(), () -> m.get().report());
            Trace.Step last = t.steps().get(t.steps().size() - 1);
            var before = t.steps().get(t.steps().size() - 2).state();
            String node = last.action().path("node").asText();
            assertEquals(PINNED.get(t.model()), last.action().path("name").asText(), t.describe());
            boolean frozen = false;
            for (var f : before.path("frozen")) {
                frozen |= f.asText().equals(node);
            }
            if (t.model().equals("WITCommitteeDeregisterFrozen")) {
                assertTrue(frozen, t.describe() + ": " + node + " is not frozen before it deregisters");
            } else {
                assertEquals(-1, before.path("reg").path(node).asLong(), t.describe());
                assertTrue(!frozen && (before.path("validators").has(node)
                        || CommitteeRandomRun.hasCommitteeRole(before, node)), t.describe());
                assertTrue(StateDiff.canonical(last.state().path("frozen")).contains("\"" + node + "\""),
                        t.describe());
            }
        }
        assertTrue(seen >= PINNED.size(), "traces of the resolved findings missing: " + seen);
    }

    /**
     * Nodes that reach the same spec state must agree on the state roots, whatever the order of the steps that led
     * there: across the whole corpus (the sample in mutation mode), two states of one model with equal staking
     * variables (and the same number of escrow pools and accounts, which are never deleted and not in the spec) have
     * the same {@code StakingState.stateRoot()}, and two with equal {@code reg} and {@code frozen} the same
     * {@code RegistryState.stateRoot()}.
     */
    @Test
    void equalSpecStates_haveEqualStateRoots_whateverTheHistory() {
        java.util.Map<String, dev.oasisj.core.crypto.Hash32> stakingRoots = new java.util.HashMap<>();
        java.util.Map<String, dev.oasisj.core.crypto.Hash32> registryRoots = new java.util.HashMap<>();
        int repeated = 0;
        for (Trace t : traces) {
            String model = CommitteeReplayer.baseModel(t.model()); // a witness runs over its base model's world
            CommitteeReplayer r = new CommitteeReplayer(CommitteeWorld.byModel(model));
            for (int i = 0; i < t.steps().size(); i++) {
                if (i > 0 && r.apply(t.steps().get(i).action()).isPresent()) {
                    fail(t.describe() + " step " + i + " refused");
                }
                ObjectNode st = r.abstractState(CommitteeReplayer.STAKING_VARIABLES);
                String sKey = model + " " + StateDiff.canonical(st) + " pools=" + r.staking.escrowPoolCount()
                        + " accounts=" + r.staking.accountCount();
                var sRoot = r.staking.stateRoot();
                var prev = stakingRoots.putIfAbsent(sKey, sRoot);
                if (prev != null && !prev.equals(sRoot)) {
                    fail(t.describe() + " step " + i + ": the same staking state as earlier in the corpus has another"
                            + " state root: " + sKey);
                }
                repeated += prev == null ? 0 : 1;
                String rKey = model + " " + StateDiff.canonical(r.abstractState(
                        CommitteeReplayer.REGISTRY_VARIABLES));
                var rRoot = r.reg.stateRoot();
                var prevR = registryRoots.putIfAbsent(rKey, rRoot);
                if (prevR != null && !prevR.equals(rRoot)) {
                    fail(t.describe() + " step " + i + ": the same registrations and freezes as earlier in the corpus"
                            + " have another registry state root: " + rKey);
                }
            }
        }
        System.out.printf("committee roots: %d staking states, %d registry states, %d staking states met again%n",
                stakingRoots.size(), registryRoots.size(), repeated);
        assertTrue(repeated > (MutationMode.on() ? 20 : 200), "too few repeated states: " + repeated);
    }

    private static Trace longestTrace() {
        Trace best = null;
        for (Trace t : traces) {
            if ((best == null || t.steps().size() > best.steps().size())) {
                best = t;
            }
        }
        return best;
    }

    /** The comparison bites: a trace whose state is changed in one field is reported at that step, naming it. */
    @Test
    void aTraceWithOneCorruptedField_isReportedAtThatStepNamingTheField() {
        Trace t = longestTrace();
        int at = t.steps().size() / 2;
        for (String field : List.of("commonPool", "valKept")) {
            List<Trace.Step> steps = new ArrayList<>(t.steps());
            Trace.Step s = steps.get(at);
            ObjectNode state = s.state().deepCopy();
            if (field.equals("commonPool")) {
                state.put("commonPool", state.path("commonPool").asLong() + 1);
            } else {
                state.put("valKept", !state.path("valKept").asBoolean());
            }
            steps.set(at, new Trace.Step(s.index(), s.action(), state));
            Trace corrupted = new Trace(t.file(), t.spec(), t.model(), t.seed(), steps);
            CommitteeReplayer.Mismatch m = CommitteeReplayer.replay(corrupted, Integer.MAX_VALUE)
                    .orElseThrow(() -> new AssertionError("a corrupted trace was accepted"));
            assertEquals(at, m.step());
            assertTrue(m.differences().stream().anyMatch(d -> d.startsWith(field)), m.report());
        }
    }

    /** The replay bites on actions too: a step a core refuses is reported with its reason. */
    @Test
    void aTraceStepThatACoreRefuses_isReported() {
        Trace t = longestTrace();
        List<Trace.Step> steps = new ArrayList<>(t.steps().subList(0, 1));
        ObjectNode transfer = JsonNodeFactory.instance.objectNode();
        transfer.put("name", "Transfer").put("from", "e1").put("to", "e2").put("amount", 1_000_000);
        steps.add(new Trace.Step(1, transfer, t.steps().get(0).state()));
        Trace bogus = new Trace(t.file(), t.spec(), t.model(), t.seed(), steps);
        CommitteeReplayer.Mismatch m = CommitteeReplayer.replay(bogus, Integer.MAX_VALUE)
                .orElseThrow(() -> new AssertionError("an overdrawn transfer was accepted"));
        assertEquals(1, m.step());
        assertTrue(m.differences().get(0).contains("INSUFFICIENT_BALANCE"), m.report());
    }
}
