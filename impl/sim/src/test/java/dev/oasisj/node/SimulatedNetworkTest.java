package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest {

    private static SimulatedNetwork.Config faulty(long seed) {
        return SimulatedNetwork.Config.reliable(4, seed).withDelay(1, 6).withLoss(100_000, 100_000);
    }

    /** Every node broadcasts a numbered message each tick for 50 ticks; returns the delivery trace as text. */
    private static List<String> run(SimulatedNetwork.Config config) {
        SimulatedNetwork network = new SimulatedNetwork(config);
        List<String> trace = new ArrayList<>();
        network.observe(d -> trace.add(d.tick() + ":" + d.from() + "->" + d.to() + ":"
                + new String(d.bytes(), StandardCharsets.UTF_8)));
        List<SimulatedTransport> transports = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            transports.add(network.transport(i));
        }
        for (int t = 1; t <= 50; t++) {
            network.advanceTo(t);
            for (SimulatedTransport tr : transports) {
                tr.broadcast(("m" + t + "n" + tr.selfIndex()).getBytes(StandardCharsets.UTF_8));
                tr.poll((peer, bytes) -> {}, Integer.MAX_VALUE);
            }
        }
        network.advanceTo(100);
        return trace;
    }

    @Test
    void sameSeed_givesTheSameDeliverySequence() {
        List<String> a = run(faulty(42));
        List<String> b = run(faulty(42));
        assertTrue(a.size() > 100, "expected many deliveries, got " + a.size());
        assertEquals(a, b);
    }

    @Test
    void differentSeed_givesADifferentDeliverySequence() {
        assertNotEquals(run(faulty(42)), run(faulty(43)));
    }

    @Test
    void delayJitter_reordersMessagesOfOneLink_andDeliveryIsInTickOrder() {
        List<String> trace = run(SimulatedNetwork.Config.reliable(4, 9).withDelay(1, 8));
        // Messages 0->1 in delivery order: with jitter some later message must overtake an earlier one.
        List<Integer> sendTicks = new ArrayList<>();
        long previousTick = 0;
        for (String line : trace) {
            long tick = Long.parseLong(line.substring(0, line.indexOf(':')));
            assertTrue(tick >= previousTick, "delivery out of tick order: " + line);
            previousTick = tick;
            if (line.contains(":0->1:")) {
                sendTicks.add(Integer.parseInt(line.substring(line.indexOf(":m") + 2, line.lastIndexOf('n'))));
            }
        }
        assertEquals(50, sendTicks.size(), "a reliable network delivers every message exactly once");
        boolean reordered = false;
        for (int i = 1; i < sendTicks.size(); i++) {
            reordered |= sendTicks.get(i) < sendTicks.get(i - 1);
        }
        assertTrue(reordered, "expected at least one overtaking message: " + sendTicks);
    }

    @Test
    void lossAndDuplication_happenAndAreCounted() {
        SimulatedNetwork network = new SimulatedNetwork(faulty(5));
        SimulatedTransport a = network.transport(0);
        for (int i = 0; i < 1000; i++) {
            a.send(1, new byte[] {(byte) i});
        }
        network.advanceTo(10);
        int received = network.transport(1).poll((p, b) -> {}, Integer.MAX_VALUE);
        assertTrue(network.droppedRandomly() > 50 && network.duplicated() > 50,
                "dropped " + network.droppedRandomly() + " duplicated " + network.duplicated());
        assertEquals(1000 - network.droppedRandomly() + network.duplicated(), received);
    }

    @Test
    void partition_blocksMessagesBetweenGroups_andHealRestoresThem() {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(4, 1));
        network.partition(List.of(List.of(0, 1), List.of(2, 3)));
        network.transport(0).broadcast("x".getBytes(StandardCharsets.UTF_8));
        network.advanceTo(1);
        List<Integer> from0 = new ArrayList<>();
        for (int i = 1; i < 4; i++) {
            final int node = i;
            network.transport(i).poll((peer, bytes) -> from0.add(node), 10);
        }
        assertEquals(List.of(1), from0, "only node 1 is on node 0's side");
        assertEquals(2, network.droppedByPartition());

        network.heal();
        network.transport(0).broadcast("y".getBytes(StandardCharsets.UTF_8));
        network.advanceTo(2);
        from0.clear();
        for (int i = 1; i < 4; i++) {
            final int node = i;
            network.transport(i).poll((peer, bytes) -> from0.add(node), 10);
        }
        assertEquals(List.of(1, 2, 3), from0);
    }

    @Test
    void partitionStartedWhileAMessageIsInFlight_dropsIt() {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(2, 1).withDelay(5, 5));
        network.transport(0).send(1, new byte[] {1});
        network.partition(List.of(List.of(0), List.of(1)));
        network.advanceTo(10);
        assertEquals(0, network.transport(1).poll((p, b) -> {}, 10));
        assertEquals(1, network.droppedByPartition());
    }

    @Test
    void crashedNode_neitherSendsNorReceives_untilRestarted() {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(3, 1));
        network.crash(2);
        network.transport(0).send(2, new byte[] {1});
        network.transport(2).send(0, new byte[] {2});
        network.advanceTo(1);
        assertEquals(0, network.transport(0).poll((p, b) -> {}, 10));
        assertEquals(0, network.transport(2).poll((p, b) -> {}, 10));
        assertEquals(2, network.droppedByCrash());
        network.restart(2);
        network.transport(0).send(2, new byte[] {3});
        network.advanceTo(2);
        assertEquals(1, network.transport(2).poll((p, b) -> {}, 10));
    }

    @Test
    void fullInbox_dropsAndCounts_insteadOfGrowing() {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(2, 1).withBounds(1000, 10));
        for (int i = 0; i < 25; i++) {
            network.transport(0).send(1, new byte[] {(byte) i});
        }
        network.advanceTo(1);
        assertEquals(10, network.transport(1).poll((p, b) -> {}, 100));
        assertEquals(15, network.droppedInboxFull());
    }

    @Test
    void frameIsAttributedToItsSender_andNeverSentToSelf() {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(3, 1));
        assertEquals(2, network.transport(1).broadcast(new byte[] {9}));
        network.advanceTo(1);
        List<Integer> senders = new ArrayList<>();
        network.transport(0).poll((peer, bytes) -> senders.add(peer), 10);
        assertEquals(List.of(1), senders);
        assertEquals(0, network.transport(1).poll((p, b) -> {}, 10), "a broadcast is not delivered to its sender");
    }
}
