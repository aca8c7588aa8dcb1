package dev.oasisj.bench;

import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.ref.Reference;
import java.util.Locale;

/**
 * The memory phase, run by {@link ConsensusBench} in a child JVM ({@code -Xmx512m}): builds the benchmark genesis with
 * the given number of accounts, applies the given number of transfers through the node the bench measures
 * ({@link ConsensusBench#newMachine}: the ValidatorNode, a tick after every block's worth of transfers, until all are
 * committed), forces garbage collection and prints one line
 * {@code MEMORY-PROBE key=value ...}: heap used after GC, the sum of the heap pools' peak usage (an upper bound of the
 * true peak: pools peak at different moments) and the maximum heap. Exits 0; 3 if it ran out of memory; 2 on bad
 * arguments; 1 if a transfer was refused (a bug).
 */
public final class MemoryProbe {
    static final String RESULT_PREFIX = "MEMORY-PROBE ";
    static final int EXIT_OUT_OF_MEMORY = 3;

    private MemoryProbe() {}

    private record Built(Genesis genesis, CountingMachine machine, long rejected) {}

    public static void main(String[] args) {
        if (args.length != 3 && args.length != 4) {
            System.out.println("usage: MemoryProbe <accounts> <transactions> <seed> [<transfers per block>]");
            System.exit(2);
        }
        int accounts = Integer.parseInt(args[0]);
        int transactions = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        int perBlock = args.length == 4 ? Integer.parseInt(args[3]) : BenchOptions.DEFAULT_BLOCK_TRANSACTIONS;
        try {
            long start = System.nanoTime();
            Built built = build(accounts, transactions, seed, perBlock);
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            long max = Runtime.getRuntime().maxMemory();
            System.out.println(String.format(Locale.ROOT,
                    "%saccounts=%d transactions=%d committed=%d rejected=%d blocks=%d heapAfterGcBytes=%d "
                            + "peakBytes=%d maxHeapBytes=%d seconds=%.1f stateRoot=%s",
                    RESULT_PREFIX, built.genesis().accounts().size(), transactions,
                    built.machine().committedTransactions(), built.rejected(), built.machine().height(), used, peak,
                    max, (System.nanoTime() - start) / 1e9, built.machine().stateRoot().shortHex()));
            Reference.reachabilityFence(built);
            System.out.println("MEMORY-PROBE-NODE " + built.machine().description());
            System.exit(built.rejected() == 0 && built.machine().committedTransactions() == transactions ? 0 : 1);
        } catch (OutOfMemoryError e) {
            System.out.println("MEMORY-PROBE-OUT-OF-MEMORY " + e.getMessage());
            System.exit(EXIT_OUT_OF_MEMORY);
        }
    }

    /** Everything the workload needed only to sign is unreachable once this returns. */
    private static Built build(int accounts, int transactions, long seed, int perBlock) {
        BenchWorkload workload = new BenchWorkload(accounts, seed);
        Genesis genesis = workload.genesis();
        CountingMachine machine = ConsensusBench.newMachine(genesis, Ledger.fromGenesis(genesis), workload.validator(),
                false, perBlock);
        long rejected = 0;
        long tick = 0;
        for (int i = 0; i < transactions; i++) {
            NodeOutput out = machine.apply(
                    new NodeInput.ClientTransaction(workload.next().encoded()));
            rejected += out.rejections().size();
            if ((i + 1) % perBlock == 0) {
                machine.apply(new NodeInput.Tick(++tick));
            }
        }
        for (int i = 0; i < MAX_FINAL_TICKS && machine.committedTransactions() < transactions; i++) {
            machine.apply(new NodeInput.Tick(++tick));
        }
        return new Built(genesis, machine, rejected);
    }

    private static final int MAX_FINAL_TICKS = 10_000;
}
