package dev.oasisj.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * [CONS-AGREEMENT.1] [CONS-VALIDITY.1] [CONS-ACCOUNTABILITY.1]: TLC traces of {@code spec/consensus} replayed into
 * the Java consensus core, comparing the abstract state after every step (see {@link ConsensusReplayer}).
 */
class ConsensusTraceConformanceTest {
    /** The floor for one {@code mvn verify}: at least this many traces and steps are replayed. */
    static final int MIN_TRACES = 200;
    static final int MIN_STEPS = 10_000;

    private static List<Trace> traces = List.of();
    private static Map<String, ModelConstants> constants = Map.of();

    @BeforeAll
    static void loadCorpus() {
        traces = MutationMode.select(TraceCorpus.load("consensus"));
        constants = ModelConstants.load();
    }

    private static ModelConstants constantsFor(Trace t) {
        return ModelConstants.forTrace(constants, t);
    }

    @Test
    void everyTraceInTheCorpus_isReproducedByTheImplementationAfterEveryStep() {
        int steps = 0;
        List<String> failures = new ArrayList<>();
        for (Trace t : traces) {
            Optional<ConsensusReplayer.Mismatch> m = ConsensusReplayer.replay(t, constantsFor(t), Integer.MAX_VALUE);
            m.ifPresent(x -> failures.add(x.report()));
            steps += t.steps().size() - 1;
            if (MutationMode.on() && m.isPresent()) {
                break; // under PIT one mismatch kills the mutant; replaying the rest only costs time
            }
        }
        System.out.printf("conformance: replayed %d traces, %d steps, %d mismatches%n", traces.size(), steps,
                failures.size());
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + traces.size() + " traces diverge; first:\n" + failures.get(0));
        }
        if (MutationMode.on()) {
            // a fixed subset (MutationMode): its floor is the golden set plus a sample, not the corpus floor
            assertTrue(traces.size() >= MIN_TRACES / MutationMode.SAMPLE_EVERY, "mutation-mode sample of only "
                    + traces.size() + " traces: are the generated traces missing?");
            return;
        }
        assertTrue(traces.size() >= MIN_TRACES, "only " + traces.size() + " traces in the corpus (need "
                + MIN_TRACES + "): did the model-check module generate model-check/target/traces?");
        assertTrue(steps >= MIN_STEPS, "only " + steps + " steps replayed (need " + MIN_STEPS + ")");
    }

    /**
     * The same check as a QuickTheories property over (trace, prefix length): on a failure QuickTheories shrinks
     * towards the first trace and the shortest prefix that still fails, and reports it.
     */
    @Test
    void randomTracePrefixes_conform_andFailuresShrinkToTheShortestPrefix() {
        assertTrue(!traces.isEmpty(), "empty trace corpus");
        qt().withExamples(MutationMode.on() ? 40 : 300).withFixedSeed(20261129L)
                .forAll(integers().between(0, traces.size() - 1), integers().between(1, 200))
                .checkAssert((index, prefix) -> {
                    Trace t = traces.get(index);
                    ConsensusReplayer.replay(t, constantsFor(t), prefix).ifPresent(m -> fail(m.report()));
                });
    }

    private static Trace longestTrace() {
        Trace best = traces.get(0);
        for (Trace t : traces) {
            if (t.steps().size() > best.steps().size()) {
                best = t;
            }
        }
        return best;
    }

    /** The comparison bites: a trace whose state is changed in one field is reported at that step, naming the field. */
    @Test
    void aTraceWithOneCorruptedField_isReportedAtThatStepNamingTheField() {
        Trace t = longestTrace();
        int at = t.steps().size() / 2;
        List<Trace.Step> steps = new ArrayList<>(t.steps());
        Trace.Step s = steps.get(at);
        ObjectNode state = s.state().deepCopy();
        String p = state.path("round").fieldNames().next();
        ((ObjectNode) state.get("round")).put(p, state.path("round").path(p).asInt() + 1);
        steps.set(at, new Trace.Step(s.index(), s.action(), state));
        Trace corrupted = new Trace(t.file(), t.spec(), t.model(), t.seed(), steps);

        ConsensusReplayer.Mismatch m = ConsensusReplayer.replay(corrupted, constantsFor(t), Integer.MAX_VALUE)
                .orElseThrow(() -> new AssertionError("a corrupted trace was accepted"));
        assertEquals(at, m.step());
        assertTrue(m.differences().stream().anyMatch(d -> d.startsWith("round." + p)), m.report());
    }

    /** The replay bites on actions too: a step the implementation does not allow is reported with its reason. */
    @Test
    void aTraceStepThatIsNotEnabledInTheImplementation_isReported() {
        Trace t = longestTrace();
        List<Trace.Step> steps = new ArrayList<>(t.steps().subList(0, 1));
        JsonNode init = t.steps().get(0).state();
        String p = init.path("round").fieldNames().next();
        ObjectNode decide = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        decide.put("name", "Decide").put("p", p).put("value", "v1").put("round", 0);
        steps.add(new Trace.Step(1, decide, init));
        Trace bogus = new Trace(t.file(), t.spec(), t.model(), t.seed(), steps);

        ConsensusReplayer.Mismatch m = ConsensusReplayer.replay(bogus, constantsFor(t), Integer.MAX_VALUE)
                .orElseThrow(() -> new AssertionError("Decide without a precommit quorum was accepted"));
        assertEquals(1, m.step());
        assertTrue(m.differences().get(0).contains("not enabled"), m.report());
    }
}
