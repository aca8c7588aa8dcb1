package dev.oasisj.conformance.tracecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.conformance.tracecheck.AbstractState.Msg;
import dev.oasisj.conformance.tracecheck.RandomNetworkRun.RecordedRun;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Trace validation, implementation -> spec (issue point 6): randomized, seeded runs of real consensus cores (message
 * loss, duplication, reordering, random timeouts, a Byzantine validator that equivocates and sends out-of-model noise)
 * are written as TLA+ modules and TLC checks that each is a behaviour of {@code Consensus.tla}. The negative tests
 * corrupt a recorded run and require TLC to reject it, reporting the step before the corruption as the last matched.
 */
class ImplTraceValidationTest {
    /** Seeds per model; each model's runs are checked in one TLC run (one JVM). */
    static final int RUNS_PER_MODEL = 20;
    static final int MAX_EVENTS = 600;
    static final int MAX_STEPS = 150;

    static Path buildDir() {
        try {
            Path testClasses = Path.of(ImplTraceValidationTest.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            return testClasses.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<RecordedRun> runs(TraceModel model, long firstSeed, int n) {
        List<RecordedRun> out = new ArrayList<>();
        for (long seed = firstSeed; seed < firstSeed + n; seed++) {
            try {
                out.add(new RandomNetworkRun(model, seed).run(MAX_EVENTS, MAX_STEPS));
            } catch (RuntimeException e) {
                // e.g. a core's own invariant check failed, or a core accepted noise or a duplicate
                throw new AssertionError("implementation run failed: model " + model.name() + " seed " + seed
                        + " (replay: new RandomNetworkRun(TraceModel." + model.name().toUpperCase(java.util.Locale.ROOT)
                        + ", " + seed + "L).run(" + MAX_EVENTS + ", " + MAX_STEPS + "))", e);
            }
        }
        return out;
    }

    static TraceValidator.Verdict validate(String folder, List<RecordedRun> runs) throws IOException {
        return TraceValidator.validate(TraceValidator.repositoryRoot(), buildDir().resolve("tracecheck")
                .resolve(folder), runs);
    }

    @Test
    void randomizedImplementationRunsAreBehavioursOfTheSpec() throws IOException {
        int runsTotal = 0;
        int stepsTotal = 0;
        int withByzantine = 0;
        int withFaults = 0;
        int withEquivocation = 0;
        int withDecision = 0;
        SortedSet<String> actions = new TreeSet<>();
        long start = System.nanoTime();
        for (TraceModel model : List.of(TraceModel.EQUAL, TraceModel.UNEQUAL)) {
            List<RecordedRun> runs = runs(model, 1, RUNS_PER_MODEL);
            for (RecordedRun r : runs) {
                runsTotal++;
                stepsTotal += r.steps();
                withByzantine += r.stats().byzantineMessages() > 0 ? 1 : 0;
                withFaults += r.stats().faulty() ? 1 : 0;
                withEquivocation += r.stats().equivocations() > 0 ? 1 : 0;
                withDecision += r.stats().decisions() > 0 ? 1 : 0;
                actions.addAll(r.stats().actions());
                System.out.println("[tracecheck] " + model.name() + " seed " + r.seed() + ": " + r.steps()
                        + " steps; " + r.stats());
            }
            TraceValidator.Verdict v = validate("runs-" + model.name(), runs);
            System.out.println("[tracecheck] " + v.report() + " (TLC " + String.format("%.1f", v.tlc().seconds())
                    + " s)");
            assertTrue(v.matched(), v.report());
        }
        System.out.printf("[tracecheck] %d runs, %d steps validated by TLC in %.1f s; %d with Byzantine messages, %d"
                + " with equivocation, %d with network faults, %d with a decision; actions seen: %s%n", runsTotal,
                stepsTotal, (System.nanoTime() - start) / 1e9, withByzantine, withEquivocation, withFaults,
                withDecision, actions);
        // the runs must exercise what they claim to (fixed seeds: these are deterministic)
        assertTrue(runsTotal >= 20);
        assertTrue(withByzantine * 10 >= runsTotal * 7, "Byzantine messages in most runs");
        assertTrue(withFaults * 10 >= runsTotal * 7, "network faults in most runs");
        assertTrue(withEquivocation > 0, "some run has an equivocating Byzantine validator");
        assertTrue(withDecision * 2 >= runsTotal, "decisions in at least half the runs");
    }

    /** The first step {@code k >= 5} whose action is a correct validator's prevote; -1 if none. */
    private static int correctPrevoteStep(RecordedRun r) {
        for (int k = 5; k < r.states().size(); k++) {
            String name = r.states().get(k).lastAction().name();
            if (Set.of("PrevoteOnProposal", "TimeoutPropose", "PrevoteOnProposalWithPOL").contains(name)) {
                return k;
            }
        }
        return -1;
    }

    /** The first run from {@code firstSeed} on with at least {@code minSteps} steps and a late correct prevote. */
    private static RecordedRun longRun(TraceModel model, long firstSeed, int minSteps) {
        for (long seed = firstSeed; seed < firstSeed + 100; seed++) {
            RecordedRun r = runs(model, seed, 1).get(0);
            if (r.steps() >= minSteps && correctPrevoteStep(r) > 0) {
                return r;
            }
        }
        throw new IllegalStateException("no run of " + minSteps + " steps");
    }

    @Test
    void aFlippedVoteIsRejectedAndTheStepBeforeItIsTheLastMatched() throws IOException {
        RecordedRun run = longRun(TraceModel.EQUAL, 101, 10);
        int k = correctPrevoteStep(run);
        assertTrue(k >= 1, "the run has a correct prevote");
        // the prevote step k added exactly one message; flip its value in state k and every later state, as an
        // implementation that broadcast the wrong vote (and then went on consistently) would have recorded it
        TreeSet<Msg> added = new TreeSet<>(run.states().get(k).msgsPrevote());
        added.removeAll(run.states().get(k - 1).msgsPrevote());
        assertEquals(1, added.size());
        Msg vote = added.first();
        Msg flipped = vote.withValue(vote.value().equals("Nil") ? "v1" : "Nil");
        List<AbstractState> corrupted = new ArrayList<>(run.states());
        for (int j = k; j < corrupted.size(); j++) {
            corrupted.set(j, corrupted.get(j).replacePrevote(vote, flipped));
        }
        TraceValidator.Verdict v = validate("negative-flipped-vote", List.of(run.withStates(corrupted)));
        System.out.println("[tracecheck] negative test (vote " + vote + " flipped to " + flipped.value()
                + " at step " + k + "):\n" + v.report());
        assertFalse(v.matched(), "TLC accepted a run with a flipped vote:\n" + v.report());
        assertNotNull(v.lastMatchedStep(), v.report());
        assertEquals(k - 1, v.lastMatchedStep(), v.report());
        assertEquals("/\\ i = " + k, v.tlcLine(), v.report());
    }

    /** True if the Nil prevotes at (h, r) in {@code s} come from more than two thirds of the power. */
    private static boolean nilPrevoteQuorum(TraceModel model, AbstractState s, long h, int r) {
        Set<String> senders = new TreeSet<>();
        for (Msg m : s.msgsPrevote()) {
            if (m.height() == h && m.round() == r && m.value().equals("Nil")) {
                senders.add(m.src());
            }
        }
        long power = senders.stream().mapToLong(v -> model.power().get(v)).sum();
        return 3 * power > 2 * model.totalPower();
    }

    @Test
    void aMislabelledActionIsRejected() throws IOException {
        // TimeoutPrevote and PrecommitOnNilQuorum have the same effect (precommit Nil, step precommit); only the action
        // name the implementation reports tells them apart. Relabel a TimeoutPrevote taken without a Nil quorum.
        for (long seed = 1; seed < 200; seed++) {
            RecordedRun run = runs(TraceModel.EQUAL, seed, 1).get(0);
            for (int k = 1; k < run.states().size(); k++) {
                AbstractState at = run.states().get(k);
                AbstractState.LastAction a = at.lastAction();
                if (!a.name().equals("TimeoutPrevote")) {
                    continue;
                }
                String p = a.params().get("p");
                AbstractState before = run.states().get(k - 1);
                if (nilPrevoteQuorum(run.model(), before, before.height().get(p), before.round().get(p))) {
                    continue;
                }
                List<AbstractState> corrupted = new ArrayList<>(run.states());
                corrupted.set(k, at.withLastAction(new AbstractState.LastAction("PrecommitOnNilQuorum", a.params())));
                TraceValidator.Verdict v = validate("negative-mislabelled-action", List.of(run.withStates(corrupted)));
                System.out.println("[tracecheck] negative test (step " + k + " " + a + " relabelled"
                        + " PrecommitOnNilQuorum, no Nil quorum):\n" + v.report());
                assertFalse(v.matched(), "TLC accepted a mislabelled action:\n" + v.report());
                assertEquals(k - 1, v.lastMatchedStep(), v.report());
                return;
            }
        }
        throw new AssertionError("no TimeoutPrevote without a Nil quorum in 200 runs");
    }

    @Test
    void aSkippedStepIsRejectedAndTheStepBeforeItIsTheLastMatched() throws IOException {
        RecordedRun run = longRun(TraceModel.UNEQUAL, 202, 20);
        // drop a step in the middle that added a message: its successor then differs by two messages
        int k = -1;
        for (int j = run.steps() / 2; j < run.steps(); j++) {
            AbstractState before = run.states().get(j - 1);
            AbstractState at = run.states().get(j);
            int added = at.msgsPropose().size() + at.msgsPrevote().size() + at.msgsPrecommit().size()
                    - before.msgsPropose().size() - before.msgsPrevote().size() - before.msgsPrecommit().size();
            if (added == 1) {
                k = j;
                break;
            }
        }
        assertTrue(k >= 1, "a message-adding step to drop");
        List<AbstractState> corrupted = new ArrayList<>(run.states());
        AbstractState dropped = corrupted.remove(k);
        TraceValidator.Verdict v = validate("negative-skipped-step", List.of(run.withStates(corrupted)));
        System.out.println("[tracecheck] negative test (step " + k + " " + dropped.lastAction() + " skipped):\n"
                + v.report());
        assertFalse(v.matched(), "TLC accepted a run with a skipped step:\n" + v.report());
        assertEquals(k - 1, v.lastMatchedStep(), v.report());
    }
}
