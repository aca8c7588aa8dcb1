package dev.oasisj.cli;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.core.node.ByzantineValidator;
import dev.oasisj.core.node.EvidencePool;
import dev.oasisj.core.node.EvidenceRecordingNode;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.core.node.ValidatorNode;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisterNode;
import dev.oasisj.core.registry.RegistryMethods;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.services.ServicesApplication;
import dev.oasisj.core.staking.AddEscrow;
import dev.oasisj.core.staking.ReclaimEscrow;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.staking.Transfer;
import dev.oasisj.core.tx.Fee;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.SignedTransactionCodec;
import dev.oasisj.core.tx.TxMethod;
import dev.oasisj.node.ChronicleJournal;
import dev.oasisj.node.JournalCodec;
import dev.oasisj.node.LockstepCluster;
import dev.oasisj.node.NodeAgent;
import dev.oasisj.node.SimulatedNetwork;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The embedded localnet: N validators in one process, each behind a node agent with a simulated transport and a
 * Chronicle journal under the data folder, a simulated clock advanced in lockstep, and a workload of signed transfers
 * between genesis accounts. Prints one line per committed height and a summary whose {@code safety=ok} means every
 * honest node committed the identical block hash at every height.
 */
final class LocalnetRun {
    /** {@code services}: the chain runs the consensus services (epochs, staking, registry); else the transfer ledger. */
    record Options(int validators, int byzantine, int blocks, long seed, Path dataDir, boolean services,
            long epochLengthBlocks) {
        Options(int validators, int byzantine, int blocks, long seed, Path dataDir) {
            this(validators, byzantine, blocks, seed, dataDir, false);
        }

        Options(int validators, int byzantine, int blocks, long seed, Path dataDir, boolean services) {
            this(validators, byzantine, blocks, seed, dataDir, services, LocalnetSetup.EPOCH_LENGTH_BLOCKS);
        }

        /** What the first line of a run says about its application. */
        String application() {
            return services ? "application=services epoch-length=" + epochLengthBlocks : "application=transfer-ledger";
        }
    }

    /**
     * What the localnet's Byzantine validators do: equivocate every proposal they make (sometimes with an invalid
     * block), split their votes between the honest halves, vote nil or for other values, double-send, drop messages,
     * fall silent now and then and replay old messages.
     */
    static final ByzantineValidator.Profile BYZANTINE_PROFILE = new ByzantineValidator.Profile(1000, 150, 150, 300, 50,
            1000, 300, 2, 10);

    /** Transfers are submitted every this many ticks per account (if its previous one has been answered). */
    static final int TRANSFER_INTERVAL_TICKS = 20;

    private LocalnetRun() {}

    /** The funded accounts of a run: two per validator, at least 4. */
    static int accounts(Options o) {
        return Math.max(4, 2 * o.validators());
    }

    /** The genesis a run starts from (a pure function of the options). */
    static Genesis genesis(Options o) {
        return o.services()
                ? LocalnetSetup.servicesGenesis(LocalnetSetup.equalStakes(o.validators()), accounts(o), o.seed(),
                        Genesis.ConsensusParams.DEFAULT, o.epochLengthBlocks())
                : LocalnetSetup.genesis(o.validators(), accounts(o), o.seed(), Genesis.ConsensusParams.DEFAULT);
    }

    static int run(Options o, NodeFactory factory, JournalCodec codec, PrintWriter out, PrintWriter err) {
        int accounts = accounts(o);
        Genesis genesis = genesis(o);
        List<Integer> honest = new ArrayList<>();
        boolean[] byzantine = new boolean[o.validators()];
        TreeSet<Integer> coalition = new TreeSet<>();
        // Validators 1..F are the Byzantine ones; validator-0 stays honest. With equal power 10 (rotation length 4,
        // stride 3), validator-1 proposes round 0 of heights 3, 7, 11, 15, 19 (of 1..20), so a 20-block run sees
        // Byzantine proposals, and no validator proposes two consecutive rounds.
        for (int i = 0; i < o.validators(); i++) {
            byzantine[i] = i >= 1 && i <= o.byzantine();
            if (byzantine[i]) {
                coalition.add(i);
            } else {
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
                return factory.createByzantine(genesis, i, key, o.seed(), coalition, BYZANTINE_PROFILE);
            }
            return new EvidenceRecordingNode(genesis, factory.create(genesis, i, key));
        };
        LockstepCluster.CommitObserver observer = (node, block, replayed) -> {
            if (!replayed && !byzantine[node] && block.height() <= o.blocks() && !lines.containsKey(block.height())) {
                lines.put(block.height(), BlockLines.line(block) + BlockLines.eventLines(block));
                txs[0] += block.transactionCount();
            }
        };
        out.println("localnet: validators=" + o.validators() + " byzantine=" + o.byzantine() + " blocks=" + o.blocks()
                + " seed=" + o.seed() + " data-dir=" + o.dataDir() + " genesis=" + genesis.hash().shortHex() + " "
                + o.application());
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
            for (int i = 0; i < o.validators(); i++) {
                NodeAgent agent = cluster.agent(i);
                if (byzantine[i] && agent != null && agent.stateMachine() instanceof ByzantineValidator b) {
                    ByzantineValidator.Misbehaviour m = b.misbehaviour();
                    TreeSet<String> accusers = new TreeSet<>();
                    long proofs = 0;
                    for (int j : honest) {
                        NodeAgent h = cluster.agent(j);
                        if (h != null && h.stateMachine() instanceof EvidenceRecordingNode r) {
                            long against = 0;
                            for (EvidencePool.Equivocation e : r.evidence().records()) {
                                if (e.validator().equals(key(i, o.seed()))) {
                                    against++;
                                }
                            }
                            if (against > 0) {
                                accusers.add(LocalnetSetup.validatorName(j));
                            }
                            proofs += against;
                        }
                    }
                    String holders = accusers.isEmpty() ? "nobody" : String.join(",", accusers);
                    out.println(byzantineLine(LocalnetSetup.validatorName(i), m) + " evidence=" + proofs + " (held by "
                            + holders + ")");
                }
                if (!byzantine[i] && agent != null && agent.stateMachine() instanceof EvidenceRecordingNode r) {
                    for (EvidencePool.Equivocation e : r.evidence().records()) {
                        boolean againstByzantine = false;
                        for (int b : coalition) {
                            againstByzantine |= e.validator().equals(key(b, o.seed()));
                        }
                        if (!againstByzantine) {
                            problems.add("validator " + i + " holds evidence against an honest validator: " + e);
                        }
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

    private static dev.oasisj.core.crypto.PublicKey key(int i, long seed) {
        return LocalnetSetup.validatorKey(i, seed).publicKey();
    }

    /** A services transaction of the localnet workloads: {@code body} for {@code method}, fee 1, signed. */
    static <T extends Object> byte[] envelope(Genesis genesis, Signer signer, long nonce, TxMethod<T> method, T body) {
        return SignedTransactionCodec.encode(SignedTransaction.sign(signer, genesis.chainId(), nonce, new Fee(1, 0),
                method.name(), method.codec().encode(body)));
    }

    /** What a Byzantine validator did so far, as localnet reports it (in-process and as a node process). */
    static String byzantineLine(String name, ByzantineValidator.Misbehaviour m) {
        return "byzantine " + name + ": equivocated-proposals=" + m.equivocatedProposals() + " invalid-proposals="
                + m.invalidProposals() + " conflicting-votes=" + m.conflictingVotes() + " nil-votes=" + m.nilVotes()
                + " dropped=" + m.droppedMessages() + " silences=" + m.silentPeriods() + " replays=" + m.replays();
    }

    /**
     * Signed transfers from every genesis account to the next one, each account always through the same honest node
     * (so its nonces chain in that node's mempool). A nonce advances only when the node accepted the transaction. An
     * account waits while {@code maxOutstanding} of its transactions are accepted but not yet committed by its node (so
     * a network that stalls does not pile up transactions).
     *
     * <p>On a services chain the accounts also move escrow (every fourth attempt of an account escrows to an entity,
     * every fourth after it reclaims shares from one, which is refused while it holds none), and every entity renews
     * its compute node's registration (three epochs ahead) every tenth interval; so epochs see escrow changes,
     * debonding and registrations besides transfers.
     */
    static final class Workload {
        static final int DEFAULT_MAX_OUTSTANDING = 16;
        /** Entities renew their compute node's registration every this many intervals. */
        static final int REGISTRATION_INTERVALS = 10;

        private final Genesis genesis;
        private final long seed;
        private final int intervalTicks;
        private final int maxOutstanding;
        private final int accounts;
        private final List<Signer> keys = new ArrayList<>();
        private final List<PublicKey> recipients = new ArrayList<>();
        private final long[] nonces;
        private final long[] attempts;
        private final List<@Nullable CompletableFuture<String>> pending = new ArrayList<>();
        private final List<Integer> nodes;

        Workload(Genesis genesis, int accounts, long seed, List<Integer> nodes) {
            this(genesis, accounts, seed, nodes, TRANSFER_INTERVAL_TICKS, DEFAULT_MAX_OUTSTANDING);
        }

        Workload(Genesis genesis, int accounts, long seed, List<Integer> nodes, int intervalTicks, int maxOutstanding) {
            this.genesis = genesis;
            this.seed = seed;
            this.intervalTicks = intervalTicks;
            this.maxOutstanding = maxOutstanding;
            this.accounts = accounts;
            this.nodes = List.copyOf(nodes);
            for (int j = 0; j < accounts; j++) {
                keys.add(LocalnetSetup.accountKey(j, seed));
            }
            for (int j = 0; j < accounts; j++) {
                recipients.add(keys.get((j + 1) % accounts).publicKey());
            }
            if (genesis.hasServices()) {
                for (int e = 0; e < genesis.validators().size(); e++) {
                    keys.add(LocalnetSetup.entityKey(e, seed));
                }
            }
            for (int j = 0; j < keys.size(); j++) {
                pending.add(null);
            }
            this.nonces = new long[keys.size()];
            this.attempts = new long[keys.size()];
        }

        void beforeStep(LockstepCluster cluster) {
            if (cluster.tick() % intervalTicks != 0) {
                return;
            }
            boolean registrationRound = (cluster.tick() / intervalTicks) % REGISTRATION_INTERVALS == 0;
            for (int j = 0; j < keys.size(); j++) {
                if (pending.get(j) != null || j >= accounts && !registrationRound) {
                    continue;
                }
                int node = nodes.get(j % nodes.size());
                NodeAgent agent = cluster.agent(node);
                if (agent == null || nonces[j] - committedNonce(agent, keys.get(j).publicKey()) >= maxOutstanding) {
                    continue;
                }
                byte[] tx = genesis.hasServices() ? servicesTransaction(j, agent)
                        : TransactionCodec.encode(Transaction.sign(keys.get(j), genesis.chainId(), recipients.get(j),
                                1 + j, 1, nonces[j]));
                pending.set(j, cluster.submit(node, tx));
            }
        }

        /** Sender {@code j}'s next call on a services chain (see the class comment). */
        private byte[] servicesTransaction(int j, NodeAgent agent) {
            int validators = genesis.validators().size();
            Signer signer = keys.get(j);
            if (j >= accounts) {
                int e = j - accounts;
                long epoch = epochOf(agent);
                NodeDescriptor d = new NodeDescriptor(LocalnetSetup.computeKey(e, seed).publicKey(),
                        signer.publicKey(), EnumSet.of(Role.COMPUTE), false, epoch + 3);
                return envelope(signer, nonces[j], RegistryMethods.REGISTER_NODE, RegisterNode.sign(d,
                        genesis.chainId(), LocalnetSetup.computeKey(e, seed), signer));
            }
            long n = attempts[j];
            PublicKey entity = LocalnetSetup.entityKey((int) ((n / 4 + j) % validators), seed).publicKey();
            return switch ((int) (n % 4)) {
                case 2 -> envelope(signer, nonces[j], StakingMethods.ADD_ESCROW, new AddEscrow(entity, 100 + j));
                case 3 -> envelope(signer, nonces[j], StakingMethods.RECLAIM_ESCROW, new ReclaimEscrow(entity, 50));
                default -> envelope(signer, nonces[j], StakingMethods.TRANSFER, new Transfer(recipients.get(j), 1 + j));
            };
        }

        private <T extends Object> byte[] envelope(Signer signer, long nonce, TxMethod<T> method, T body) {
            return LocalnetRun.envelope(genesis, signer, nonce, method, body);
        }

        private static long epochOf(NodeAgent agent) {
            NodeStateMachine sm = agent.stateMachine();
            if (sm instanceof EvidenceRecordingNode r) {
                sm = r.node();
            }
            return sm instanceof ValidatorNode v && v.application() instanceof ServicesApplication a
                    ? a.state().epoch() : 0;
        }

        /** The next nonce of {@code account} in the node's committed ledger (0 if the node has no ledger to ask). */
        private static long committedNonce(NodeAgent agent, PublicKey account) {
            NodeStateMachine sm = agent.stateMachine();
            if (sm instanceof EvidenceRecordingNode r) {
                sm = r.node();
            }
            if (sm instanceof ValidatorNode v && v.application() instanceof ServicesApplication a) {
                return a.state().staking().account(account).nonce();
            }
            return sm instanceof ValidatorNode v ? v.ledger().nextNonce(account) : 0;
        }

        void afterStep() {
            for (int j = 0; j < keys.size(); j++) {
                CompletableFuture<String> f = pending.get(j);
                if (f == null || !f.isDone()) {
                    continue;
                }
                String answer = f.getNow("");
                if (dev.oasisj.node.ClientJson.accepted(answer)) {
                    nonces[j]++;
                }
                attempts[j]++;
                pending.set(j, null);
            }
        }
    }
}
