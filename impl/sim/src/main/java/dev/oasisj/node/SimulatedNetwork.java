package dev.oasisj.node;

import dev.oasisj.core.SeedStreams;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A deterministic message network for {@code N} nodes in one process, in the spirit of TigerBeetle's VOPR and MicroRaft's
 * {@code LocalTransport}/{@code Firewall}: every fault is drawn from one seeded {@link SplittableRandom} (the seed's
 * {@link SeedStreams#NETWORK} stream), so the same seed and the same sequence of sends give the same delivery sequence,
 * byte for byte.
 *
 * <p>Faults: per-message delay in {@code [minDelayTicks, maxDelayTicks]} (messages overtake each other when their delays
 * differ, which is how reordering happens); loss and duplication with probabilities in parts per million (integers, so
 * the draw is the same on every machine); partitions into groups (a message crosses only inside a group); crashed nodes
 * (a down node sends nothing and receives nothing, and its undelivered inbox is lost).
 *
 * <p>Time: messages sent while the network is at tick {@code t} are due at {@code t + delay}; {@link #advanceTo} moves
 * every due message, in (due tick, send sequence) order, into its receiver's inbox. A partition or crash is checked both
 * when a message is sent and when it is delivered (a message in flight when the link is cut is lost).
 *
 * <p>Bounds: at most {@link Config#maxInFlight} messages in flight and {@link Config#inboxCapacity} per inbox; excess is
 * dropped and counted. Single-threaded.
 */
public final class SimulatedNetwork {

    /** The network's fault model; validated at construction. */
    public record Config(int nodeCount, long seed, int minDelayTicks, int maxDelayTicks, int dropPerMillion,
            int duplicatePerMillion, int maxInFlight, int inboxCapacity) {
        public Config {
            if (nodeCount < 1) {
                throw new IllegalArgumentException("nodeCount must be >= 1, got " + nodeCount);
            }
            if (minDelayTicks < 1 || maxDelayTicks < minDelayTicks) {
                throw new IllegalArgumentException("need 1 <= minDelayTicks <= maxDelayTicks, got " + minDelayTicks
                        + ".." + maxDelayTicks);
            }
            if (dropPerMillion < 0 || dropPerMillion > 1_000_000 || duplicatePerMillion < 0
                    || duplicatePerMillion > 1_000_000) {
                throw new IllegalArgumentException("probabilities are parts per million in 0..1000000");
            }
            if (maxInFlight < 1 || inboxCapacity < 1) {
                throw new IllegalArgumentException("queue bounds must be >= 1");
            }
        }

        /** A reliable network: delay exactly one tick, no loss, no duplicates, default bounds. */
        public static Config reliable(int nodeCount, long seed) {
            return new Config(nodeCount, seed, 1, 1, 0, 0, ShellLimits.SIMULATED_IN_FLIGHT_MESSAGES,
                    ShellLimits.SIMULATED_INBOX_MESSAGES);
        }

        public Config withDelay(int minTicks, int maxTicks) {
            return new Config(nodeCount, seed, minTicks, maxTicks, dropPerMillion, duplicatePerMillion, maxInFlight,
                    inboxCapacity);
        }

        public Config withLoss(int dropPpm, int duplicatePpm) {
            return new Config(nodeCount, seed, minDelayTicks, maxDelayTicks, dropPpm, duplicatePpm, maxInFlight,
                    inboxCapacity);
        }

        public Config withBounds(int inFlight, int inbox) {
            return new Config(nodeCount, seed, minDelayTicks, maxDelayTicks, dropPerMillion, duplicatePerMillion,
                    inFlight, inbox);
        }
    }

    /** One message delivered to a node's inbox (or handed to a trace observer). */
    public record Delivery(long tick, long sequence, int from, int to, byte[] bytes) {}

    private record InFlight(long dueTick, long sequence, int from, int to, byte[] bytes) {}

    private final Config config;
    private final SplittableRandom random;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>((a, b) -> {
        int c = Long.compare(a.dueTick, b.dueTick);
        return c != 0 ? c : Long.compare(a.sequence, b.sequence);
    });
    private final List<ArrayDeque<Delivery>> inboxes = new ArrayList<>();
    private final boolean[] down;
    /** Partition group of each node; all equal (0) when healed. */
    private final int[] group;
    private long currentTick;
    private long nextSequence;
    private @org.checkerframework.checker.nullness.qual.Nullable Consumer<Delivery> observer;
    private @org.checkerframework.checker.nullness.qual.Nullable Consumer<Delivery> sendObserver;

    private long sent;
    private long delivered;
    private long droppedRandomly;
    private long droppedByPartition;
    private long droppedByCrash;
    private long droppedInFlightFull;
    private long droppedInboxFull;
    private long duplicated;

    public SimulatedNetwork(Config config) {
        this.config = config;
        this.random = SeedStreams.random(config.seed(), SeedStreams.NETWORK);
        this.down = new boolean[config.nodeCount()];
        this.group = new int[config.nodeCount()];
        for (int i = 0; i < config.nodeCount(); i++) {
            inboxes.add(new ArrayDeque<>());
        }
    }

    public Config config() {
        return config;
    }

    public long currentTick() {
        return currentTick;
    }

    /** A transport for node {@code index}, backed by this network. */
    public SimulatedTransport transport(int index) {
        checkNode(index);
        return new SimulatedTransport(this, index);
    }

    /** Sees every delivery, in delivery order (for traces and determinism tests). */
    public void observe(Consumer<Delivery> deliveryObserver) {
        this.observer = deliveryObserver;
    }

    /**
     * Sees every message a node sends, in send order and before any fault applies to it (a send from a down node, or
     * across a partition, is seen too): {@code tick} is the network's current tick and {@code sequence} counts the sends
     * so far. For simulators that want to know what a node said last (for example, the step it had reached).
     */
    public void observeSends(Consumer<Delivery> sendObserver) {
        this.sendObserver = sendObserver;
    }

    /** Sends one message; the draws for loss, duplication and delay happen here, in send order. */
    void send(int from, int to, byte[] bytes) {
        checkNode(from);
        checkNode(to);
        sent++;
        Consumer<Delivery> s = sendObserver;
        if (s != null) {
            s.accept(new Delivery(currentTick, sent, from, to, bytes));
        }
        // Draw every random number for a message unconditionally, so that the fault pattern of later messages does not
        // depend on whether an earlier one happened to be cut by a partition.
        boolean drop = random.nextInt(1_000_000) < config.dropPerMillion();
        boolean duplicate = random.nextInt(1_000_000) < config.duplicatePerMillion();
        int delay = delay();
        int duplicateDelay = delay();
        if (down[from] || down[to]) {
            droppedByCrash++;
            return;
        }
        if (group[from] != group[to]) {
            droppedByPartition++;
            return;
        }
        if (drop) {
            droppedRandomly++;
            return;
        }
        enqueue(from, to, bytes, delay);
        if (duplicate) {
            duplicated++;
            enqueue(from, to, bytes, duplicateDelay);
        }
    }

    private int delay() {
        int span = config.maxDelayTicks() - config.minDelayTicks();
        return config.minDelayTicks() + (span == 0 ? 0 : random.nextInt(span + 1));
    }

    private void enqueue(int from, int to, byte[] bytes, int delayTicks) {
        if (inFlight.size() >= config.maxInFlight()) {
            droppedInFlightFull++;
            return;
        }
        inFlight.add(new InFlight(currentTick + delayTicks, nextSequence++, from, to, bytes));
    }

    /** Moves the network's time to {@code tick} and delivers every message due by then, in (tick, sequence) order. */
    public void advanceTo(long tick) {
        if (tick < currentTick) {
            throw new IllegalArgumentException("network time never goes back: " + tick + " < " + currentTick);
        }
        currentTick = tick;
        while (true) {
            InFlight next = inFlight.peek();
            if (next == null || next.dueTick > tick) {
                return;
            }
            inFlight.poll();
            if (down[next.to] || down[next.from]) {
                droppedByCrash++;
                continue;
            }
            if (group[next.from] != group[next.to]) {
                droppedByPartition++;
                continue;
            }
            ArrayDeque<Delivery> inbox = inboxes.get(next.to);
            if (inbox.size() >= config.inboxCapacity()) {
                droppedInboxFull++;
                continue;
            }
            Delivery d = new Delivery(next.dueTick, next.sequence, next.from, next.to, next.bytes);
            inbox.add(d);
            delivered++;
            Consumer<Delivery> o = observer;
            if (o != null) {
                o.accept(d);
            }
        }
    }

    /** Hands up to {@code max} messages from node {@code index}'s inbox to {@code handler}. */
    int poll(int index, FrameHandler handler, int max) {
        ArrayDeque<Delivery> inbox = inboxes.get(index);
        int n = 0;
        while (n < max) {
            Delivery d = inbox.poll();
            if (d == null) {
                break;
            }
            n++;
            handler.onFrame(d.from(), d.bytes());
        }
        return n;
    }

    /**
     * Splits the network into groups: a message crosses only between nodes of the same group. Every node must appear in
     * exactly one group.
     */
    public void partition(List<? extends List<Integer>> groups) {
        int[] assigned = new int[config.nodeCount()];
        Arrays.fill(assigned, -1);
        for (int g = 0; g < groups.size(); g++) {
            for (int node : groups.get(g)) {
                checkNode(node);
                if (assigned[node] != -1) {
                    throw new IllegalArgumentException("node " + node + " is in two groups");
                }
                assigned[node] = g;
            }
        }
        for (int i = 0; i < assigned.length; i++) {
            if (assigned[i] == -1) {
                throw new IllegalArgumentException("node " + i + " is in no group");
            }
        }
        System.arraycopy(assigned, 0, group, 0, assigned.length);
    }

    /** Removes every partition. */
    public void heal() {
        Arrays.fill(group, 0);
    }

    public boolean isPartitioned() {
        for (int g : group) {
            if (g != group[0]) {
                return true;
            }
        }
        return false;
    }

    /** Node {@code index} goes down: it sends and receives nothing, and its undelivered inbox is lost. */
    public void crash(int index) {
        checkNode(index);
        down[index] = true;
        droppedByCrash += inboxes.get(index).size();
        inboxes.get(index).clear();
    }

    /** Node {@code index} is up again (its state machine is rebuilt by the caller, from its journal). */
    public void restart(int index) {
        checkNode(index);
        down[index] = false;
    }

    public boolean isDown(int index) {
        checkNode(index);
        return down[index];
    }

    private void checkNode(int index) {
        if (index < 0 || index >= config.nodeCount()) {
            throw new IllegalArgumentException("node index " + index + " outside 0.." + (config.nodeCount() - 1));
        }
    }

    public long sent() {
        return sent;
    }

    public long delivered() {
        return delivered;
    }

    public long droppedRandomly() {
        return droppedRandomly;
    }

    public long droppedByPartition() {
        return droppedByPartition;
    }

    public long droppedByCrash() {
        return droppedByCrash;
    }

    public long droppedInFlightFull() {
        return droppedInFlightFull;
    }

    public long droppedInboxFull() {
        return droppedInboxFull;
    }

    public long duplicated() {
        return duplicated;
    }

    public int inFlightCount() {
        return inFlight.size();
    }
}
