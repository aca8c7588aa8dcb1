package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CI's whole-network simulation: {@code oasis simulate --seeds 100} through the CLI, with the default ticks per seed.
 * Every seed must be free of Agreement, Validity and Accountability violations, and the faults must really have
 * happened across the run: crashes with restarts from the journal, partitions, lost messages, Byzantine validators that
 * misbehaved, and equivocations that honest validators proved.
 */
@Timeout(1800)
class SimulateHundredSeedsTest {
    private static final Pattern SEED = Pattern.compile("seed=(\\d+) validators=([4-7]) byzantine=(\\d) blocks=(\\d+)"
            + " crashes=(\\d+) partitions=(\\d+) lost=(\\d+) misbehaviours=(\\d+) evidence=(\\d+) ok");
    private static final Pattern TOTALS = Pattern.compile("totals: blocks=(\\d+) crashes=(\\d+) partitions=(\\d+)"
            + " seeds-with-byzantine=(\\d+) misbehaviours=(\\d+) evidence=(\\d+)");

    @Test
    void hundredSeeds_noViolation_andEveryKindOfFaultHappened() {
        long started = System.nanoTime();
        MainTest.Result r = MainTest.run("simulate", "--seeds", "100");
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.println("simulate --seeds 100 took " + seconds + " s; " + r.out().lines()
                .filter(l -> l.startsWith("totals:")).findFirst().orElse(""));
        assertEquals(0, r.exitCode(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(108, lines.size(), r.out());
        assertEquals("summary: seeds=100 violations=0", lines.get(107));
        long blocks = 0;
        long crashes = 0;
        long partitions = 0;
        long lost = 0;
        long byzantineSeeds = 0;
        long twoByzantine = 0;
        long misbehaviours = 0;
        long evidence = 0;
        for (int i = 0; i < 100; i++) {
            Matcher m = SEED.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            assertEquals(i + 1, Long.parseLong(m.group(1)), "seeds in order from 1");
            int n = Integer.parseInt(m.group(2));
            int f = Integer.parseInt(m.group(3));
            assertTrue(f <= (n - 1) / 3, "at most (n - 1) / 3 Byzantine validators are drawn: " + lines.get(i));
            blocks += Long.parseLong(m.group(4));
            crashes += Long.parseLong(m.group(5));
            partitions += Long.parseLong(m.group(6));
            lost += Long.parseLong(m.group(7));
            byzantineSeeds += f > 0 ? 1 : 0;
            twoByzantine += f > 1 ? 1 : 0;
            misbehaviours += Long.parseLong(m.group(8));
            evidence += Long.parseLong(m.group(9));
            if (f == 0) {
                assertEquals("0", m.group(8), "no Byzantine validator, no misbehaviour: " + lines.get(i));
                assertEquals("0", m.group(9), "no Byzantine validator, no evidence: " + lines.get(i));
            }
        }
        Matcher t = TOTALS.matcher(lines.get(100));
        assertTrue(t.matches(), lines.get(100));
        assertEquals(blocks, Long.parseLong(t.group(1)));
        assertEquals(evidence, Long.parseLong(t.group(6)));
        // The coverage lines (between the totals and the summary) count the same crashes and partitions.
        assertTrue(lines.get(101).startsWith("coverage crashes: seeds=")
                && lines.get(101).contains(" total=" + crashes + " "), lines.get(101));
        assertTrue(lines.get(102).startsWith("coverage partitions: seeds=")
                && lines.get(102).contains(" total=" + partitions + " "), lines.get(102));
        assertTrue(lines.get(105).startsWith("coverage heights: "), lines.get(105));
        // The services: every seed changes epochs; Byzantine seeds freeze a node and shrink the validator set;
        // escrow moves, debonding and registration renewals happen
        Matcher services = Pattern.compile("coverage services: epochs=(\\d+) seeds-with-epoch-change=(\\d+) "
                + "frozen-nodes=(\\d+) seeds-with-freeze=(\\d+) seeds-with-smaller-validator-set=(\\d+) "
                + "delegations=(\\d+) debonding=(\\d+) renewed-compute-registrations=(\\d+)")
                .matcher(lines.get(106));
        assertTrue(services.matches(), lines.get(106));
        assertTrue(Long.parseLong(services.group(2)) >= 95, "seeds past an epoch change: " + lines.get(106));
        assertTrue(Long.parseLong(services.group(4)) >= byzantineSeeds / 2, "seeds that froze a double signer: "
                + lines.get(106));
        assertTrue(Long.parseLong(services.group(5)) > 0 && Long.parseLong(services.group(7)) > 0
                && Long.parseLong(services.group(8)) > 0, lines.get(106));
        assertTrue(blocks >= 100 * 5, "the networks must make progress despite the faults: " + blocks + " blocks");
        assertTrue(crashes >= 20, "crashes and restarts from the journal: " + crashes);
        assertTrue(partitions >= 20, "partitions: " + partitions);
        assertTrue(lost > 0, "lost messages: " + lost);
        assertTrue(byzantineSeeds >= 50, "seeds with Byzantine validators: " + byzantineSeeds);
        assertTrue(twoByzantine > 0, "some seed with two Byzantine validators: " + twoByzantine);
        assertTrue(misbehaviours > 0, "Byzantine misbehaviour: " + misbehaviours);
        assertTrue(evidence >= byzantineSeeds, "equivocation evidence proven by honest validators: " + evidence);
    }
}
