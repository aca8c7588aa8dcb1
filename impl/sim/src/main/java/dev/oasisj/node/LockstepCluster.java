package dev.oasisj.node;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.NodeStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * N node agents in one process and one thread, over a {@link SimulatedNetwork}, with one {@link ManualClock} advanced in
 * lockstep: the embedded localnet and the seeded simulator are both built on it. Each {@link #step()} advances time by
 * one tick, delivers due messages, and runs every live node's duty cycle until it is idle (bounded), in index order, so
 * a run is a pure function of the seed and the inputs.
 *
 * <p>Crash and restart are real: {@link #crash} throws the node's state machine away and closes its journal;
 * {@link #restart} reopens the journal, builds a fresh state machine from genesis and replays the journal into it
 * ({@link NodeAgent#recover}) before the node rejoins.
 *
 * <p>Agreement ([CONS-AGREEMENT]) is checked on every commit, live or replayed: no two nodes may commit different block
 * hashes at one height, and each node commits heights 1, 2, 3... in order with no gap and no change on replay.
 */
public final class LockstepCluster implements AutoCloseable {

    /** Builds node {@code index}'s state machine from genesis (called at start and at every restart). */
    @FunctionalInterface
    public interface StateMachineFactory {
        NodeStateMachine create(int index);
    }

    /** Opens node {@code index}'s journal (called at start and at every restart; must return the same records). */
    @FunctionalInterface
    public interface JournalFactory {
        Journal open(int index);
    }

    /** Sees each commit once per node: live commits and (flagged) commits re-derived by replay after a restart. */
    public interface CommitObserver {
        void onCommit(int node, NodeOutput.CommittedBlock block, boolean replayed);
    }

    /** Upper bound on duty cycles per node per tick, so a node that always has work cannot stall the simulation. */
    public static final int MAX_DUTY_CYCLES_PER_TICK = 64;

    private final SimulatedNetwork network;
    private final StateMachineFactory stateMachines;
    private final JournalFactory journals;
    private final JournalCodec codec;
    private final CommitObserver observer;
    private final ManualClock clock = new ManualClock(0);
    private final @Nullable NodeAgent[] agents;
    private final @Nullable Journal[] openJournals;
    /** Per node: height -> block hash it committed (kept across restarts: a node's history must not change). */
    private final List<TreeMap<Long, Hash32>> committedByNode = new ArrayList<>();
    /** First hash committed at each height by any node. */
    private final TreeMap<Long, Hash32> agreed = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    /** Nodes whose commits do not take part in the agreement check (Byzantine validators may commit anything). */
    private final boolean[] exempt;
    private long tick;

    public LockstepCluster(SimulatedNetwork network, StateMachineFactory stateMachines, JournalFactory journals,
            JournalCodec codec, CommitObserver observer) {
        this.network = network;
        this.stateMachines = stateMachines;
        this.journals = journals;
        this.codec = codec;
        this.observer = observer;
        int n = network.config().nodeCount();
        this.agents = new NodeAgent[n];
        this.openJournals = new Journal[n];
        this.exempt = new boolean[n];
        for (int i = 0; i < n; i++) {
            committedByNode.add(new TreeMap<>());
        }
    }

    /** Starts every node (replaying its journal, which is empty on a fresh data folder). */
    public void start() {
        for (int i = 0; i < agents.length; i++) {
            startNode(i);
        }
    }

    private void startNode(int i) {
        Journal journal = journals.open(i);
        NodeStateMachine sm = stateMachines.create(i);
        NodeAgent.Recovery recovery = NodeAgent.recover(journal, sm, codec, i, (node, block) -> record(node, block, true));
        NodeAgent.Listener live = new NodeAgent.Listener() {
            @Override
            public void onCommitted(int node, NodeOutput.CommittedBlock block) {
                record(node, block, false);
            }
        };
        openJournals[i] = journal;
        agents[i] = new NodeAgent(sm, journal, network.transport(i), clock, codec, live, recovery.lastTick());
    }

    /** Excludes (or re-includes) node {@code i} from the agreement check: for Byzantine validators only. */
    public void exemptFromAgreement(int i, boolean isExempt) {
        exempt[i] = isExempt;
    }

    private void record(int node, NodeOutput.CommittedBlock block, boolean replayed) {
        if (exempt[node]) {
            observer.onCommit(node, block, replayed);
            return;
        }
        TreeMap<Long, Hash32> mine = committedByNode.get(node);
        Hash32 before = mine.get(block.height());
        if (replayed) {
            if (before == null) {
                violations.add("node " + node + " replayed a commit at height " + block.height()
                        + " that it never committed live");
            } else if (!before.equals(block.blockHash())) {
                violations.add("node " + node + " replay changed height " + block.height() + " from " + before.shortHex()
                        + " to " + block.blockHash().shortHex());
            }
            observer.onCommit(node, block, true);
            return;
        }
        if (before != null) {
            violations.add("node " + node + " committed height " + block.height() + " twice");
        }
        long expected = mine.isEmpty() ? 1 : mine.lastKey() + 1;
        if (block.height() != expected) {
            violations.add("node " + node + " committed height " + block.height() + " but expected " + expected);
        }
        mine.put(block.height(), block.blockHash());
        Hash32 first = agreed.putIfAbsent(block.height(), block.blockHash());
        if (first != null && !first.equals(block.blockHash())) {
            violations.add("AgreementInv: node " + node + " committed " + block.blockHash().shortHex() + " at height "
                    + block.height() + " but another node committed " + first.shortHex());
        }
        observer.onCommit(node, block, false);
    }

    /** Advances one tick and runs every live node until idle (at most {@link #MAX_DUTY_CYCLES_PER_TICK} cycles each). */
    public void step() {
        tick++;
        clock.advanceTo(tick);
        network.advanceTo(tick);
        for (NodeAgent agent : agents) {
            if (agent == null) {
                continue;
            }
            for (int cycle = 0; cycle < MAX_DUTY_CYCLES_PER_TICK; cycle++) {
                if (agent.doWork() == 0) {
                    break;
                }
            }
        }
    }

    /** Stops node {@code i}: its state machine is discarded, its journal closed, its network links cut. */
    public void crash(int i) {
        if (agents[i] == null) {
            return;
        }
        agents[i] = null;
        Journal j = openJournals[i];
        openJournals[i] = null;
        if (j != null) {
            j.close();
        }
        network.crash(i);
    }

    /** Restarts node {@code i} from genesis plus its journal. */
    public void restart(int i) {
        if (agents[i] != null) {
            return;
        }
        startNode(i);
        network.restart(i);
    }

    public boolean isUp(int i) {
        return agents[i] != null;
    }

    /** Hands a client transaction to node {@code i}; the answer (JSON) completes at its next duty cycle. */
    public CompletableFuture<String> submit(int i, byte[] transaction) {
        ClientRequest.Submit request = new ClientRequest.Submit(transaction, new CompletableFuture<>());
        NodeAgent agent = agents[i];
        if (agent == null) {
            request.reply().complete(ClientJson.error("node down"));
        } else {
            agent.offerClientRequest(request);
        }
        return request.reply();
    }

    public @Nullable NodeAgent agent(int i) {
        return agents[i];
    }

    public SimulatedNetwork network() {
        return network;
    }

    public long tick() {
        return tick;
    }

    public int nodeCount() {
        return agents.length;
    }

    /** Lowest committed height over the given nodes (what every one of them has finalized). */
    public long minCommittedHeight(List<Integer> nodes) {
        long min = Long.MAX_VALUE;
        for (int i : nodes) {
            TreeMap<Long, Hash32> m = committedByNode.get(i);
            min = Math.min(min, m.isEmpty() ? 0 : m.lastKey());
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /** Highest height committed by any node. */
    public long maxCommittedHeight() {
        return agreed.isEmpty() ? 0 : agreed.lastKey();
    }

    /** Node {@code i}'s committed history, height -> block hash (a copy). */
    public TreeMap<Long, Hash32> committedBy(int i) {
        return new TreeMap<>(committedByNode.get(i));
    }

    /** Every agreement or history violation seen so far (empty = safe). */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() {
        for (int i = 0; i < openJournals.length; i++) {
            Journal j = openJournals[i];
            if (j != null) {
                j.close();
                openJournals[i] = null;
            }
            agents[i] = null;
        }
    }
}
