package dev.oasisj.cli;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.node.ChronicleJournal;
import dev.oasisj.node.JournalCodec;
import dev.oasisj.node.LockstepCluster;
import dev.oasisj.node.SimulatedNetwork;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The embedded localnet: N validators in one process, each behind a node agent with a simulated transport and a
 * Chronicle journal under the data folder, a simulated clock advanced in lockstep, and a workload of signed transfers
 * between genesis accounts. Prints one line per committed height and a summary whose {@code safety=ok} means every
 * honest node committed the identical block hash at every height.
 */
final class LocalnetRun {
    record Options(int validators, int byzantine, int blocks, long seed, Path dataDir) {}

    /** Transfers are submitted every this many ticks per account (if its previous one has been answered). */
    static final int TRANSFER_INTERVAL_TICKS = 20;

    private LocalnetRun() {}

    static int run(Options o, NodeFactory factory, JournalCodec codec, PrintWriter out, PrintWriter err) {
        int accounts = Math.max(4, 2 * o.validators());
        Genesis genesis = LocalnetSetup.genesis(o.validators(), accounts, o.seed(), Genesis.ConsensusParams.DEFAULT);
        List<Integer> honest = new ArrayList<>();
        boolean[] byzantine = new boolean[o.validators()];
        // The last F validators are the Byzantine ones, so validator-0 (usually the first proposer) is honest.
        for (int i = 0; i < o.validators(); i++) {
            byzantine[i] = i >= o.validators() - o.byzantine();
            if (!byzantine[i]) {
                honest.add(i);
            }
        }
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(o.validators(), o.seed())
                .withDelay(1, 3));
        TreeMap<Long, String> lines = new TreeMap<>();
        long[] txs = {0};
        LockstepCluster.StateMachineFactory machines = i -> {
            Signer key = LocalnetSetup.validatorKey(i, o.seed());
            if (byzantine[i]) {
                NodeStateMachine b = factory.createByzantine(genesis, i, key, o.seed());
                if (b == null) {
                    throw new IllegalStateException("no Byzantine behaviour in this build");
                }
                return b;
            }
            return factory.create(genesis, i, key);
        };
        LockstepCluster.CommitObserver observer = (node, block, replayed) -> {
            if (!replayed && !byzantine[node] && block.height() <= o.blocks() && !lines.containsKey(block.height())) {
                lines.put(block.height(), line(block));
                txs[0] += block.transactionCount();
            }
        };
        out.println("localnet: validators=" + o.validators() + " byzantine=" + o.byzantine() + " blocks=" + o.blocks()
                + " seed=" + o.seed() + " data-dir=" + o.dataDir() + " genesis=" + genesis.hash().shortHex());
        out.flush();
        try (LockstepCluster cluster = new LockstepCluster(network, machines,
                i -> ChronicleJournal.open(o.dataDir().resolve("node-" + i)), codec, observer)) {
            for (int i : honest) {
                cluster.exemptFromAgreement(i, false);
            }
            for (int i = 0; i < o.validators(); i++) {
                if (byzantine[i]) {
                    cluster.exemptFromAgreement(i, true);
                }
            }
            cluster.start();
            Workload workload = new Workload(genesis, accounts, o.seed(), honest);
            long maxTicks = 10_000L + 5_000L * o.blocks();
            long printed = 0;
            while (cluster.minCommittedHeight(honest) < o.blocks() && cluster.tick() < maxTicks
                    && cluster.violations().isEmpty()) {
                workload.beforeStep(cluster);
                cluster.step();
                workload.afterStep();
                while (lines.containsKey(printed + 1)) {
                    printed++;
                    out.println(lines.get(printed));
                    out.flush();
                }
            }
            List<String> problems = new ArrayList<>(cluster.violations());
            long reached = cluster.minCommittedHeight(honest);
            for (long h = 1; h <= Math.min(reached, o.blocks()); h++) {
                Hash32 first = null;
                for (int i : honest) {
                    Hash32 hash = cluster.committedBy(i).get(h);
                    if (first == null) {
                        first = hash;
                    } else if (hash == null || !hash.equals(first)) {
                        problems.add("height " + h + ": validator " + i + " committed " + hash + ", validator "
                                + honest.get(0) + " committed " + first);
                    }
                }
            }
            boolean safe = problems.isEmpty();
            if (reached < o.blocks()) {
                err.println("localnet: only " + reached + " of " + o.blocks() + " blocks committed by every honest "
                        + "validator within " + maxTicks + " ticks");
            }
            for (String p : problems) {
                err.println("localnet: " + p);
            }
            out.println("summary: blocks=" + Math.min(reached, o.blocks()) + " txs=" + txs[0] + " safety="
                    + (safe ? "ok" : "VIOLATED"));
            out.flush();
            err.flush();
            if (!safe) {
                return Main.EXIT_FAILURE;
            }
            return reached < o.blocks() ? Main.EXIT_FAILURE : 0;
        }
    }

    static String line(NodeOutput.CommittedBlock b) {
        return "block height=" + b.height() + " round=" + b.round() + " txs=" + b.transactionCount() + " proposer="
                + b.proposer() + " latency=" + (b.committedAtTick() - b.proposedAtTick()) + "ticks";
    }

    /**
     * Signed transfers from every genesis account to the next one, each account always through the same honest node
     * (so its nonces chain in that node's mempool). A nonce advances only when the node accepted the transfer.
     */
    static final class Workload {
        private final Genesis genesis;
        private final List<Signer> keys = new ArrayList<>();
        private final List<PublicKey> recipients = new ArrayList<>();
        private final long[] nonces;
        private final List<@Nullable CompletableFuture<String>> pending = new ArrayList<>();
        private final List<Integer> nodes;

        Workload(Genesis genesis, int accounts, long seed, List<Integer> nodes) {
            this.genesis = genesis;
            this.nodes = List.copyOf(nodes);
            this.nonces = new long[accounts];
            for (int j = 0; j < accounts; j++) {
                keys.add(LocalnetSetup.accountKey(j, seed));
                pending.add(null);
            }
            for (int j = 0; j < accounts; j++) {
                recipients.add(keys.get((j + 1) % accounts).publicKey());
            }
        }

        void beforeStep(LockstepCluster cluster) {
            if (cluster.tick() % TRANSFER_INTERVAL_TICKS != 0) {
                return;
            }
            for (int j = 0; j < keys.size(); j++) {
                if (pending.get(j) != null) {
                    continue;
                }
                int node = nodes.get(j % nodes.size());
                if (!cluster.isUp(node)) {
                    continue;
                }
                Transaction tx = Transaction.sign(keys.get(j), genesis.chainId(), recipients.get(j), 1 + j, 1, nonces[j]);
                pending.set(j, cluster.submit(node, TransactionCodec.encode(tx)));
            }
        }

        void afterStep() {
            for (int j = 0; j < keys.size(); j++) {
                CompletableFuture<String> f = pending.get(j);
                if (f == null || !f.isDone()) {
                    continue;
                }
                String answer = f.getNow("");
                if (answer.contains("\"accepted\":true")) {
                    nonces[j]++;
                }
                pending.set(j, null);
            }
        }
    }
}
