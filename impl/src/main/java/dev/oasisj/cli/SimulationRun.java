package dev.oasisj.cli;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.node.InMemoryJournal;
import dev.oasisj.node.JournalCodec;
import dev.oasisj.node.LockstepCluster;
import dev.oasisj.node.SimulatedNetwork;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The seeded simulator (after TigerBeetle's VOPR): per seed, a 4-validator network with message delay, loss and
 * duplication, random partitions, and random crashes followed by restarts from the journal (a new state machine from
 * genesis plus a replay of the node's journal). Agreement is checked on every commit, live or replayed, at every step.
 * Everything is drawn from the seed, so the same seed prints the same bytes.
 */
final class SimulationRun {
    static final int VALIDATORS = 4;

    record Options(int seeds, long start, long ticks, boolean byzantine) {}

    /** Outcome of one seed. */
    record SeedResult(long seed, long blocks, List<String> violations) {}

    private SimulationRun() {}

    static int run(Options o, NodeFactory factory, JournalCodec codec, PrintWriter out) {
        int violations = 0;
        for (long seed = o.start(); seed < o.start() + o.seeds(); seed++) {
            SeedResult r = runSeed(seed, o.ticks(), o.byzantine(), factory, codec);
            if (r.violations().isEmpty()) {
                out.println("seed=" + seed + " blocks=" + r.blocks() + " ok");
            } else {
                violations++;
                out.println("seed=" + seed + " blocks=" + r.blocks() + " VIOLATED " + r.violations().get(0));
            }
            out.flush();
        }
        out.println("summary: seeds=" + o.seeds() + " violations=" + violations);
        out.flush();
        return violations == 0 ? 0 : Main.EXIT_FAILURE;
    }

    static SeedResult runSeed(long seed, long ticks, boolean withByzantine, NodeFactory factory, JournalCodec codec) {
        SplittableRandom faults = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
        Genesis genesis = LocalnetSetup.genesis(VALIDATORS, 8, seed, Genesis.ConsensusParams.DEFAULT);
        int byzantineNode = withByzantine ? faults.nextInt(VALIDATORS) : -1;
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(VALIDATORS, seed)
                .withDelay(1, 1 + faults.nextInt(20)).withLoss(faults.nextInt(100_000), faults.nextInt(50_000)));
        InMemoryJournal[] journals = new InMemoryJournal[VALIDATORS];
        for (int i = 0; i < VALIDATORS; i++) {
            journals[i] = new InMemoryJournal();
        }
        LockstepCluster.StateMachineFactory machines = i -> {
            Signer key = LocalnetSetup.validatorKey(i, seed);
            if (i == byzantineNode) {
                @Nullable NodeStateMachine b = factory.createByzantine(genesis, i, key, seed);
                if (b != null) {
                    return b;
                }
            }
            return factory.create(genesis, i, key);
        };
        List<Integer> honest = new ArrayList<>();
        for (int i = 0; i < VALIDATORS; i++) {
            if (i != byzantineNode) {
                honest.add(i);
            }
        }
        try (LockstepCluster cluster = new LockstepCluster(network, machines, i -> journals[i].reopen(), codec,
                (node, block, replayed) -> {})) {
            if (byzantineNode >= 0) {
                cluster.exemptFromAgreement(byzantineNode, true);
            }
            cluster.start();
            LocalnetRun.Workload workload = new LocalnetRun.Workload(genesis, 8, seed, honest);
            long restartAt = -1;
            int crashed = -1;
            long healAt = -1;
            for (long t = 0; t < ticks && cluster.violations().isEmpty(); t++) {
                // At most one honest node is down at a time, and partitions heal, so progress stays possible.
                if (crashed < 0 && faults.nextInt(1000) < 3) {
                    crashed = honest.get(faults.nextInt(honest.size()));
                    cluster.crash(crashed);
                    restartAt = cluster.tick() + 20 + faults.nextInt(400);
                } else if (crashed >= 0 && cluster.tick() >= restartAt) {
                    cluster.restart(crashed);
                    crashed = -1;
                }
                if (healAt < 0 && faults.nextInt(1000) < 2) {
                    List<Integer> a = new ArrayList<>();
                    List<Integer> b = new ArrayList<>();
                    for (int i = 0; i < VALIDATORS; i++) {
                        (faults.nextBoolean() ? a : b).add(i);
                    }
                    if (!a.isEmpty() && !b.isEmpty()) {
                        network.partition(List.of(a, b));
                        healAt = cluster.tick() + 20 + faults.nextInt(500);
                    }
                } else if (healAt >= 0 && cluster.tick() >= healAt) {
                    network.heal();
                    healAt = -1;
                }
                workload.beforeStep(cluster);
                cluster.step();
                workload.afterStep();
            }
            return new SeedResult(seed, cluster.maxCommittedHeight(), cluster.violations());
        }
    }
}
