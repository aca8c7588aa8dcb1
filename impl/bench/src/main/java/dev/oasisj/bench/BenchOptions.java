package dev.oasisj.bench;

import dev.oasisj.core.ledger.LedgerLimits;
import java.nio.file.Path;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Settings of {@link ConsensusBench}.
 *
 * @param phaseSeconds how long each timed phase runs (verify limit, pipeline); replay runs over the whole journal
 * @param warmupSeconds untimed run of the same code before each timed phase (lets the JIT compile it)
 * @param accounts accounts in the benchmark's genesis
 * @param dataDir where the journal is written; null means a temporary folder. The bench writes into a fresh subfolder
 *     and deletes that subfolder afterwards (never the given folder itself)
 * @param memoryChild whether to run the memory phase in a child JVM (-Xmx512m)
 * @param memoryAccounts accounts the memory child builds
 * @param memoryTransactions transactions the memory child applies
 * @param seed seed of the workload (keys, recipients, amounts)
 * @param ledgerOnly measure {@link BenchLedgerMachine} (transfers applied to the ledger directly, blocks on ticks, no
 *     mempool or consensus) even when the ValidatorNode is available: isolates the ledger pipeline's cost
 * @param blockTransactions client transfers submitted between two ticks; the node proposes on a tick, so this is the
 *     size of the blocks (1 to {@link LedgerLimits#MAX_BLOCK_TRANSACTIONS})
 */
public record BenchOptions(double phaseSeconds, double warmupSeconds, int accounts, @Nullable Path dataDir,
        boolean memoryChild, int memoryAccounts, int memoryTransactions, long seed, boolean ledgerOnly,
        int blockTransactions) {

    /** Full blocks: what a proposer under sustained load builds. */
    public static final int DEFAULT_BLOCK_TRANSACTIONS = LedgerLimits.MAX_BLOCK_TRANSACTIONS;

    public BenchOptions {
        if (!(phaseSeconds > 0) || !(warmupSeconds >= 0)) {
            throw new IllegalArgumentException("phase seconds must be > 0 and warm-up >= 0");
        }
        if (accounts < 2 || memoryAccounts < 2) {
            throw new IllegalArgumentException("need at least 2 accounts");
        }
        if (accounts > LedgerLimits.MAX_GENESIS_ACCOUNTS || memoryAccounts > LedgerLimits.MAX_GENESIS_ACCOUNTS) {
            throw new IllegalArgumentException("at most " + LedgerLimits.MAX_GENESIS_ACCOUNTS + " accounts");
        }
        if (memoryTransactions < 0) {
            throw new IllegalArgumentException("memory transactions must be >= 0");
        }
        if (blockTransactions < 1 || blockTransactions > LedgerLimits.MAX_BLOCK_TRANSACTIONS) {
            throw new IllegalArgumentException("transfers per block must be in 1.."
                    + LedgerLimits.MAX_BLOCK_TRANSACTIONS + ", got " + blockTransactions);
        }
    }

    /**
     * 5 s phases after 2 s of warm-up, 100,000 accounts, temporary data folder, memory child with 100,000 accounts and
     * 5,000 transfers, seed 1, the ValidatorNode, full blocks.
     */
    public static BenchOptions defaults() {
        return new BenchOptions(5, 2, 100_000, null, true, 100_000, 5_000, 1, false, DEFAULT_BLOCK_TRANSACTIONS);
    }

    public BenchOptions withPhaseSeconds(double seconds) {
        return new BenchOptions(seconds, warmupSeconds, accounts, dataDir, memoryChild, memoryAccounts,
                memoryTransactions, seed, ledgerOnly, blockTransactions);
    }

    public BenchOptions withWarmupSeconds(double seconds) {
        return new BenchOptions(phaseSeconds, seconds, accounts, dataDir, memoryChild, memoryAccounts,
                memoryTransactions, seed, ledgerOnly, blockTransactions);
    }

    /** Sets the accounts of both the main run and the memory child. */
    public BenchOptions withAccounts(int n) {
        return new BenchOptions(phaseSeconds, warmupSeconds, n, dataDir, memoryChild, n, memoryTransactions, seed,
                ledgerOnly, blockTransactions);
    }

    public BenchOptions withDataDir(@Nullable Path dir) {
        return new BenchOptions(phaseSeconds, warmupSeconds, accounts, dir, memoryChild, memoryAccounts,
                memoryTransactions, seed, ledgerOnly, blockTransactions);
    }

    public BenchOptions withMemoryChild(boolean run, int childAccounts, int childTransactions) {
        return new BenchOptions(phaseSeconds, warmupSeconds, accounts, dataDir, run, childAccounts, childTransactions,
                seed, ledgerOnly, blockTransactions);
    }

    public BenchOptions withLedgerOnly(boolean only) {
        return new BenchOptions(phaseSeconds, warmupSeconds, accounts, dataDir, memoryChild, memoryAccounts,
                memoryTransactions, seed, only, blockTransactions);
    }

    public BenchOptions withSeed(long s) {
        return new BenchOptions(phaseSeconds, warmupSeconds, accounts, dataDir, memoryChild, memoryAccounts,
                memoryTransactions, s, ledgerOnly, blockTransactions);
    }

    public BenchOptions withBlockTransactions(int n) {
        return new BenchOptions(phaseSeconds, warmupSeconds, accounts, dataDir, memoryChild, memoryAccounts,
                memoryTransactions, seed, ledgerOnly, n);
    }
}
