package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.node.ValidatorNode;
import dev.oasisj.node.ChronicleJournal;
import dev.oasisj.node.CoreInputCodec;
import dev.oasisj.node.NodeAgent;
import java.nio.file.Path;
import java.util.List;
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
            var genesis = LocalnetSetup.genesis(4, 8, 1, dev.oasisj.core.ledger.Genesis.ConsensusParams.DEFAULT);
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
        MainTest.Result a = MainTest.run("simulate", "--seeds", "2", "--start", "7", "--ticks", "1200");
        MainTest.Result b = MainTest.run("simulate", "--seeds", "2", "--start", "7", "--ticks", "1200");
        assertEquals(0, a.exitCode(), a.out() + a.err());
        assertEquals(a.out(), b.out());
        List<String> lines = a.out().lines().toList();
        assertTrue(lines.get(0).matches("seed=7 blocks=\\d+ ok"), a.out());
        assertTrue(lines.get(1).matches("seed=8 blocks=\\d+ ok"), a.out());
        assertEquals("summary: seeds=2 violations=0", lines.get(2));
    }
}
