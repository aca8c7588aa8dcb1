package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.node.ValidatorNode;
import dev.oasisj.node.ChronicleJournal;
import dev.oasisj.node.CoreInputCodec;
import dev.oasisj.node.NodeAgent;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** End to end with the real validator state machine (in-process, simulated network and clock). */
@Timeout(300)
class LocalnetAndSimulateTest {
    @TempDir
    Path dir;

    @Test
    void localnet_commitsTheRequestedBlocks_printsOneLinePerBlock_andReportsSafetyOk() throws Exception {
        MainTest.Result r = MainTest.run("localnet", "--blocks", "5", "--data-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        List<String> blockLines = r.out().lines().filter(l -> l.startsWith("block ")).toList();
        assertEquals(5, blockLines.size(), r.out());
        for (int h = 1; h <= 5; h++) {
            assertTrue(blockLines.get(h - 1).matches(
                    "block height=" + h + " round=\\d+ txs=\\d+ proposer=validator-\\d latency=\\d+ticks"),
                    blockLines.get(h - 1));
        }
        String last = r.out().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("summary: blocks=5 txs=\\d+ safety=ok"), last);
    }

    @Test
    void localnetJournal_replayedIntoAFreshValidator_reproducesItsChain() throws Exception {
        MainTest.Result r = MainTest.run("localnet", "--blocks", "4", "--data-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        // Every node's journal, replayed into a fresh ValidatorNode, reaches a committed height of at least 4, and
        // all of them agree on the block hash at the lowest height they all reached.
        long minHeight = Long.MAX_VALUE;
        ValidatorNode[] replayed = new ValidatorNode[4];
        for (int i = 0; i < 4; i++) {
            // the default run: four validators running the services, seed 1
            var genesis = LocalnetRun.genesis(new LocalnetRun.Options(4, 0, 4, 1, dir, true));
            assertTrue(genesis.hasServices());
            replayed[i] = new ValidatorNode(genesis, LocalnetSetup.validatorKey(i, 1));
            try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("node-" + i))) {
                NodeAgent.Recovery recovery = NodeAgent.recover(journal, replayed[i], CoreInputCodec.INSTANCE);
                assertTrue(recovery.inputsReplayed() > 0);
            }
            assertTrue(replayed[i].height() >= 4, "node " + i + " replayed to height " + replayed[i].height());
            minHeight = Math.min(minHeight, replayed[i].height());
        }
        for (int i = 1; i < 4; i++) {
            assertEquals(replayed[0].committedBlock(4).orElseThrow().block().hash(),
                    replayed[i].committedBlock(4).orElseThrow().block().hash(), "block 4 of node " + i);
        }
    }

    @Test
    void simulate_sameSeeds_printTheSameBytes_andFindNoViolation() {
        MainTest.Result a = MainTest.run("simulate", "--seeds", "2", "--start", "7", "--ticks", "600", "--jobs", "1");
        MainTest.Result b = MainTest.run("simulate", "--seeds", "2", "--start", "7", "--ticks", "600", "--jobs", "2");
        assertEquals(0, a.exitCode(), a.out() + a.err());
        assertEquals(a.out(), b.out(), "the output must not depend on the seed order of execution (--jobs)");
        List<String> lines = a.out().lines().toList();
        assertEquals(10, lines.size(), a.out());
        String seedLine = " validators=[4-7] byzantine=[0-2] blocks=\\d+ crashes=\\d+ partitions=\\d+ lost=\\d+"
                + " misbehaviours=\\d+ evidence=\\d+ ok";
        assertTrue(lines.get(0).matches("seed=7" + seedLine), a.out());
        assertTrue(lines.get(1).matches("seed=8" + seedLine), a.out());
        Matcher totals = Pattern.compile("totals: blocks=(\\d+) crashes=(\\d+) partitions=(\\d+)"
                + " seeds-with-byzantine=\\d+ misbehaviours=(\\d+) evidence=\\d+").matcher(lines.get(2));
        assertTrue(totals.matches(), lines.get(2));
        // The coverage summary agrees with the totals it refines.
        assertTrue(lines.get(3).startsWith("coverage crashes: seeds=") && lines.get(3).contains(" total="
                + totals.group(2) + " "), lines.get(3));
        assertTrue(lines.get(4).startsWith("coverage partitions: seeds=") && lines.get(4).contains(" total="
                + totals.group(3) + " "), lines.get(4));
        assertTrue(lines.get(5).startsWith("coverage network: drop-% 0-1="), lines.get(5));
        assertTrue(lines.get(6).startsWith("coverage byzantine: coalition-size 0="), lines.get(6));
        Matcher kinds = Pattern.compile("=(\\d+)@\\d+").matcher(lines.get(6));
        long misbehaviours = 0;
        while (kinds.find()) {
            misbehaviours += Long.parseLong(kinds.group(1));
        }
        assertEquals(Long.parseLong(totals.group(4)), misbehaviours, "Byzantine behaviours by kind sum to the total");
        assertTrue(lines.get(7).startsWith("coverage heights: min="), lines.get(7));
        assertTrue(lines.get(8).startsWith("coverage services: epochs="), lines.get(8));
        assertEquals("summary: seeds=2 violations=0", lines.get(9));
    }

    @Test
    void localnetWithAByzantineValidator_staysSafe_andItsEquivocationsAreProven() throws Exception {
        MainTest.Result r = MainTest.run("localnet", "--byzantine", "1", "--blocks", "5", "--data-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().startsWith("localnet: validators=4 byzantine=1 "), r.out());
        assertEquals(5, r.out().lines().filter(l -> l.startsWith("block ")).count(), r.out());
        String byzantine = misbehavingValidator1(r);
        Matcher m = Pattern.compile(" evidence=(\\d+) \\(held by (.*)\\)").matcher(byzantine);
        assertTrue(m.find(), byzantine);
        assertTrue(Long.parseLong(m.group(1)) > 0, "honest validators must prove its equivocation: " + byzantine);
        assertTrue(!m.group(2).contains("validator-1") && !m.group(2).equals("nobody"), byzantine);
        String last = r.out().strip().lines().reduce((x, y) -> y).orElse("");
        assertTrue(last.matches("summary: blocks=5 txs=\\d+ safety=ok"), last);
    }

    /** The report line of Byzantine validator-1, which must show conflicting or nil votes. */
    private static String misbehavingValidator1(MainTest.Result r) {
        String byzantine = r.out().lines().filter(l -> l.startsWith("byzantine validator-1: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no Byzantine report line: " + r.out()));
        Matcher m = Pattern.compile("conflicting-votes=(\\d+) nil-votes=(\\d+)").matcher(byzantine);
        assertTrue(m.find(), byzantine);
        assertTrue(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) > 0, "it must misbehave: " + byzantine);
        return byzantine;
    }

    @Test
    void localnet_refusesAByzantineThirdOrMore() {
        MainTest.Result r = MainTest.run("localnet", "--byzantine", "2");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("not less than one third") && r.err().contains("at most 1 Byzantine of 4"),
                r.err());
        assertEquals("", r.out());
        assertEquals(2, MainTest.run("localnet", "--validators", "6", "--byzantine", "2").exitCode(), "2/6 = 1/3");
        MainTest.Result p = MainTest.run("localnet", "--processes", "--byzantine", "2");
        assertEquals(2, p.exitCode(), p.out() + p.err());
        assertTrue(p.err().contains("not less than one third"), p.err());
    }

    /**
     * Four node processes over TCP running the consensus services (epochs of 3 blocks), validator-1 Byzantine: the
     * chain changes epoch at heights 3 and 6, and node 0's event lines (epoch, validators, committee, and the freeze
     * and slash lines of the evidence against validator-1) are printed under the block lines they belong to.
     */
    @Test
    void localnetProcesses_runTheConsensusServices_withAByzantineValidator_andStaySafe() throws Exception {
        MainTest.Result r = MainTest.run("localnet", "--processes", "--byzantine", "1", "--blocks", "6",
                "--epoch-length", "3", "--data-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().startsWith("localnet: validators=4 byzantine=1 processes=yes "), r.out());
        assertTrue(r.out().lines().findFirst().orElse("").endsWith(" application=services epoch-length=3"), r.out());
        assertTrue(dev.oasisj.core.ledger.Genesis.fromJson(java.nio.file.Files.readString(dir.resolve("genesis.json")))
                .hasServices());
        List<String> lines = r.out().lines().toList();
        assertEquals(6, lines.stream().filter(l -> l.startsWith("block ")).count(), r.out());
        // every event line sits under a block line; the epoch's lines under the last block of an epoch
        long height = 0;
        int epochs = 0;
        String byzantineNode = LocalnetSetup.validatorKey(1, 1).publicKey().shortId();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            Matcher block = Pattern.compile("^block height=(\\d+) ").matcher(l);
            if (block.find()) {
                height = Long.parseLong(block.group(1));
            } else if (l.startsWith("  ")) {
                assertTrue(lines.get(i - 1).startsWith("block ") || lines.get(i - 1).startsWith("  "), l);
            }
            if (l.startsWith("  epoch: ")) {
                epochs++;
                assertEquals(0, height % 3, "an epoch line under block " + height + ":\n" + r.out());
                assertTrue(l.startsWith("  epoch: epoch " + (height / 3) + " from height " + (height + 1)
                        + ": beacon "), l);
                assertTrue(lines.get(i + 1).startsWith("  validators: epoch " + (height / 3) + ": ["), r.out());
                assertTrue(lines.get(i + 2).startsWith("  committee: epoch " + (height / 3) + " runtime:"), r.out());
            }
            if (l.startsWith("  freeze: ")) {
                assertTrue(l.contains("node " + byzantineNode + " frozen"), "only validator-1 equivocates: " + l);
            }
        }
        assertEquals(2, epochs, r.out());
        misbehavingValidator1(r);
        assertTrue(java.nio.file.Files.readString(dir.resolve("node-1/config.json")).contains("\"byzantine\""));
        assertTrue(java.nio.file.Files.readString(dir.resolve("node-1.log")).contains("BYZANTINE"));
        String last = r.out().strip().lines().reduce((x, y) -> y).orElse("");
        Matcher summary = Pattern.compile("summary: blocks=6 txs=(\\d+) safety=ok").matcher(last);
        assertTrue(summary.matches(), last);
        // the workload's staking.Transfer envelopes were committed (a services node refuses v1 transfers)
        assertTrue(Long.parseLong(summary.group(1)) > 0, last);
    }

    /** The same with the plain transfer ledger: v1 transfers, no epochs, no event lines. */
    @Test
    void localnetProcesses_withTheTransferLedger_andAByzantineValidator_staysSafe() throws Exception {
        MainTest.Result r = MainTest.run("localnet", "--processes", "--transfer-ledger", "--byzantine", "1",
                "--blocks", "6", "--data-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().startsWith("localnet: validators=4 byzantine=1 processes=yes "), r.out());
        assertTrue(r.out().lines().findFirst().orElse("").endsWith(" application=transfer-ledger"), r.out());
        assertTrue(!dev.oasisj.core.ledger.Genesis.fromJson(java.nio.file.Files.readString(dir.resolve("genesis.json")))
                .hasServices());
        assertEquals(6, r.out().lines().filter(l -> l.startsWith("block ")).count(), r.out());
        assertEquals(0, r.out().lines().filter(l -> l.startsWith("  ")).count(), r.out());
        misbehavingValidator1(r);
        String last = r.out().strip().lines().reduce((x, y) -> y).orElse("");
        Matcher summary = Pattern.compile("summary: blocks=6 txs=(\\d+) safety=ok").matcher(last);
        assertTrue(summary.matches(), last);
        assertTrue(Long.parseLong(summary.group(1)) > 0, last);
    }

    @Test
    void localnet_refusesABadEpochLength_andAnEpochLengthForTheTransferLedger() {
        MainTest.Result zero = MainTest.run("localnet", "--epoch-length", "0");
        assertEquals(2, zero.exitCode(), zero.out() + zero.err());
        assertTrue(zero.err().contains("--epoch-length must be in 1..1000000, got 0"), zero.err());
        MainTest.Result ledger = MainTest.run("localnet", "--processes", "--transfer-ledger", "--epoch-length", "3");
        assertEquals(2, ledger.exitCode(), ledger.out() + ledger.err());
        assertTrue(ledger.err().contains("the transfer ledger (--transfer-ledger) has no epochs"), ledger.err());
        assertEquals("", ledger.out());
    }
}
