package dev.oasisj.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.scheduler.SortingHash;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Trace validation, implementation -> spec, for the committee services: seeded random runs of the real staking,
 * registry and scheduler cores (real sorting hash) are written as TLA+ and TLC checks that each is a behaviour of
 * {@code CommitteeSelection.tla} ({@code CommitteeTraceCheck.tla}). The negative tests: a recorded run corrupted in
 * one step, and a run of a deliberately wrong implementation (the scheduler sorting by the hash descending), must be
 * rejected by TLC, the first at exactly the step before the corruption.
 */
class CommitteeImplTraceValidationTest {
    static final int RUNS = 12;
    static final int STEPS = 40;

    static Path work(String name) {
        return Path.of("target", "committee-tracecheck", name).toAbsolutePath();
    }

    static List<CommitteeRandomRun.Run> runs(long first, int n) {
        List<CommitteeRandomRun.Run> out = new ArrayList<>();
        for (long seed = first; seed < first + n; seed++) {
            out.add(CommitteeRandomRun.run(CommitteeWorld.SIM, seed, STEPS));
        }
        return out;
    }

    @Test
    void seededRandomRunsOfTheCoresAreBehavioursOfTheSpec() throws IOException {
        List<CommitteeRandomRun.Run> runs = runs(1, RUNS);
        Map<String, Integer> actions = new TreeMap<>();
        int steps = 0;
        // the steps of the resolved findings 1 and 2: a frozen node deregisters, a deregistered node is slashed
        int deregisterFrozen = 0;
        int slashDeregistered = 0;
        for (CommitteeRandomRun.Run r : runs) {
            steps += r.states().size() - 1;
            r.states().forEach(x -> actions.merge(x.action().path("name").asText(), 1, Integer::sum));
            for (int i = 1; i < r.states().size(); i++) {
                var before = r.states().get(i - 1).state();
                var a = r.states().get(i).action();
                String node = a.path("node").asText();
                boolean frozen = false;
                for (var f : before.path("frozen")) {
                    frozen |= f.asText().equals(node);
                }
                deregisterFrozen += a.path("name").asText().equals("Deregister") && frozen ? 1 : 0;
                slashDeregistered += a.path("name").asText().equals("Slash") && before.path("reg").path(node).asLong()
                        == -1 ? 1 : 0;
            }
        }
        CommitteeTraceValidator.Verdict v = CommitteeTraceValidator.validate(work("random"), runs);
        System.out.printf("committee tracecheck: %d runs, %d steps, actions %s (Deregister of a frozen node %d, Slash"
                + " of a deregistered node %d): %s%n", runs.size(), steps, actions, deregisterFrozen,
                slashDeregistered, v.report());
        assertTrue(v.matched(), v.report());
        assertTrue(actions.keySet().containsAll(CommitteeWorld.ALL_ACTIONS), "an action never ran: " + actions);
        assertTrue(deregisterFrozen > 0 && slashDeregistered > 0, "the steps of the resolved findings 1 and 2 never"
                + " ran: " + deregisterFrozen + ", " + slashDeregistered);
    }

    @Test
    void aRecordedRunCorruptedInOneStep_isRejectedByTlcAtThatStep() throws IOException {
        CommitteeRandomRun.Run good = runs(1, 1).get(0);
        int at = good.states().size() / 2;
        List<CommitteeRandomRun.Recorded> states = new ArrayList<>(good.states());
        ObjectNode bad = states.get(at).state().deepCopy();
        bad.put("commonPool", bad.path("commonPool").asLong() + 1);
        states.set(at, new CommitteeRandomRun.Recorded(bad, states.get(at).action()));
        CommitteeRandomRun.Run corrupted = new CommitteeRandomRun.Run(good.world(), good.seed(), states,
                good.offered(), good.refused());
        CommitteeTraceValidator.Verdict v = CommitteeTraceValidator.validate(work("corrupted"), List.of(corrupted));
        assertFalse(v.matched(), "TLC accepted a run with a minted common-pool unit: " + v.report());
        assertEquals(11, v.exitCode(), v.report());
        assertEquals(at - 1, v.lastMatchedStep(), v.report());
    }

    /** A wrong implementation: committees drawn by the sorting hash descending. TLC must reject its runs. */
    @Test
    void runsOfAnImplementationThatSortsByTheHashDescending_areRejectedByTlc() throws IOException {
        SortingHash descending = (beacon, epoch, runtime, role, node) -> {
            byte[] h = SortingHash.SHA256.hash(beacon, epoch, runtime, role, node).toBytes();
            for (int k = 0; k < h.length; k++) {
                h[k] = (byte) ~h[k];
            }
            return Hash32.of(h);
        };
        List<CommitteeRandomRun.Run> runs = List.of(CommitteeRandomRun.run(CommitteeWorld.SIM, 1, STEPS, descending));
        CommitteeTraceValidator.Verdict v = CommitteeTraceValidator.validate(work("descending"), runs);
        assertFalse(v.matched(), "TLC accepted the runs of a scheduler sorting by the hash descending: " + v.report());
    }
}
