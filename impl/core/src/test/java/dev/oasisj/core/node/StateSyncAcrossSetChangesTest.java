package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.app.ValidatorPowerApplication;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * State sync across validator-set changes, end to end in the lockstep network: a node that lost its data, whose peers
 * were restored from checkpoints (so no peer holds the early blocks it would need to sync by blocks), catches up by a
 * snapshot whose head names a set two changes away from the genesis set, proving each change with one set-change link
 * from the peer that offered the snapshot.
 */
class StateSyncAcrossSetChangesTest {
    private static final int NODES = LocalnetTest.VALIDATORS;

    private static ApplicationFactory factory() {
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            keys.add(LocalnetTest.validatorKey(i).publicKey());
        }
        return ValidatorPowerApplication.factory(keys);
    }

    /** Node {@code i} restarted from a checkpoint of its state now: it holds no block below its height. */
    private static ValidatorNode restoredNow(LocalnetTest.Net net, int i) {
        ValidatorNode n = net.nodes[i];
        ApplicationFactory f = java.util.Objects.requireNonNull(net.factory);
        Application app = f.restore(n.application().snapshot().entries());
        return ValidatorNode.restore(net.genesis, LocalnetTest.validatorKey(i), f,
                n.committedBlock(n.height()).orElseThrow(), n.validatorSetChanges(), app, n.nowTick());
    }

    /** Runs until node 0's set of its committed height + 2 differs from {@code before}; returns that height's set. */
    private static ValidatorSet runUntilSetChanges(LocalnetTest.Net net, ValidatorSet before) {
        for (int s = 0; s < 2_000; s++) {
            ValidatorSet now = net.nodes[0].validatorsAt(net.nodes[0].height() + 2).orElseThrow();
            if (!now.hash().equals(before.hash())) {
                return now;
            }
            net.step();
        }
        throw new AssertionError("the set did not change");
    }

    @Test
    void aNodeThatLostItsData_statesSyncsAcrossTwoSetChanges_andAgreesWithItsPeers() {
        LocalnetTest.Net net = new LocalnetTest.Net(factory(), NODES);
        net.runUntilHeight(8, 2_000);
        // Nodes 0-2 restart from checkpoints taken now; node 3 is down, and will come back with no data.
        for (int i = 0; i < 3; i++) {
            net.nodes[i] = restoredNow(net, i);
        }
        net.crashed[3] = true;
        long restoredAt = net.nodes[0].height();
        ValidatorSet genesisSet = ValidatorSets.genesisSet(net.genesis);

        // Two set changes, well below the first snapshot height: validator 0's power 1 -> 2, then validator 1's.
        net.input(0, new dev.oasisj.core.node.NodeInput.ClientTransaction(ValidatorPowerApplication.setPower(0, 2)));
        net.pump();
        ValidatorSet first = runUntilSetChanges(net, genesisSet);
        net.input(1, new dev.oasisj.core.node.NodeInput.ClientTransaction(ValidatorPowerApplication.setPower(1, 2)));
        net.pump();
        ValidatorSet second = runUntilSetChanges(net, first);
        assertNotEquals(genesisSet.hash(), second.hash());
        assertTrue(net.nodes[0].height() + 2 < NodeLimits.SNAPSHOT_INTERVAL_BLOCKS, "both changes before the snapshot");

        net.runUntilHeight(NodeLimits.SNAPSHOT_INTERVAL_BLOCKS + 5, 20_000);
        assertTrue(net.nodes[0].committedBlock(restoredAt - 1).isEmpty(), "no peer holds the early blocks");
        assertEquals(second.hash(), net.nodes[0].committedBlock(NodeLimits.SNAPSHOT_INTERVAL_BLOCKS).orElseThrow()
                .block().validatorsHash(), "the snapshot's head names the second changed set");

        net.restart(3);
        net.committed.get(3).clear();
        net.rejections.get(3).clear();
        int sentBefore = net.sent.size();
        long target = net.nodes[0].height() + 5;
        net.runUntilHeight(target, 5_000);

        // Node 3 installed the snapshot (its first commit), which it could take only by proving both changes.
        long installed = net.committed.get(3).firstKey();
        assertEquals(NodeLimits.SNAPSHOT_INTERVAL_BLOCKS, installed, "installed the snapshot");
        List<String> reasons = net.rejections.get(3).stream().map(NodeOutput.Rejection::reason).toList();
        assertTrue(reasons.contains("SNAPSHOT_PAST_SET_CHANGE"), "the offer was not taken as it came: " + reasons);
        assertTrue(reasons.stream().noneMatch(r -> r.startsWith("SET_CHANGE_") || r.equals("SNAPSHOT_BAD_COMMIT")
                || r.equals("SNAPSHOT_ROOT_MISMATCH") || r.equals("SNAPSHOT_TIMEOUT")), reasons.toString());
        int links = 0;
        int refusals = 0;
        for (LocalnetTest.Net.Delivery d : net.sent.subList(sentBefore, net.sent.size())) {
            if (d.to() == 3 && d.bytes()[0] == PeerWire.TAG_SET_CHANGE_LINK) {
                PeerWire.SetChangeLink l = (PeerWire.SetChangeLink) decode(d.bytes());
                if (l.committed() == null) {
                    refusals++;
                } else {
                    links++;
                }
            }
        }
        assertEquals(2, links, "one link per set change");
        assertEquals(0, refusals);

        // Same blocks, roots and sets as its peers from the snapshot on, and it goes on with them.
        for (long h = installed; h <= target; h++) {
            assertEquals(net.committed.get(0).get(h).blockHash(), net.committed.get(3).get(h).blockHash(), "height " + h);
            assertEquals(net.committed.get(0).get(h).stateRoot(), net.committed.get(3).get(h).stateRoot(), "height " + h);
        }
        assertEquals(net.nodes[0].stateRoot(), net.nodes[3].stateRoot());
        assertEquals(net.nodes[0].lastBlockHash(), net.nodes[3].lastBlockHash());
        assertEquals(second.hash(), net.nodes[3].validatorsAt(net.nodes[3].height() + 2).orElseThrow().hash());
        net.runUntilHeight(target + 3, 2_000);
        assertEquals(net.nodes[0].stateRoot(), net.nodes[3].stateRoot());
    }

    /**
     * The fallback: the peers were restored from checkpoints taken after the change, so they hold neither its block
     * nor the change to serve. The lagging node asks the peer that offered a snapshot for the proof, is told it does
     * not hold it ({@code SET_CHANGE_UNAVAILABLE}), installs nothing and keeps asking for blocks, as before this
     * proof existed. Its old votes (height 1, whose set the peers pruned long ago) are dropped as stale by the
     * peers: before, the consensus core looked their set up first and the peers stopped on ValidatorSetKnownInv.
     */
    @Test
    void whenNoPeerHoldsTheChange_theNodeInstallsNothing_andItsOldVotesDoNotStopThePeers() {
        LocalnetTest.Net net = new LocalnetTest.Net(factory(), NODES);
        net.crashed[3] = true;
        net.runUntilHeight(3, 2_000);
        net.input(0, new dev.oasisj.core.node.NodeInput.ClientTransaction(ValidatorPowerApplication.setPower(0, 2)));
        net.pump();
        ValidatorSet changed = runUntilSetChanges(net, ValidatorSets.genesisSet(net.genesis));
        net.runUntilHeight(net.nodes[0].height() + 3, 2_000);
        for (int i = 0; i < 3; i++) {
            net.nodes[i] = restoredNow(net, i);
        }
        net.runUntilHeight(NodeLimits.SNAPSHOT_INTERVAL_BLOCKS + 5, 20_000);
        assertTrue(net.nodes[0].validatorsAt(1).isEmpty(), "the genesis set is pruned");
        assertEquals(changed.hash(), net.nodes[0].committedBlock(NodeLimits.SNAPSHOT_INTERVAL_BLOCKS).orElseThrow()
                .block().validatorsHash());

        net.restart(3);
        net.committed.get(3).clear();
        net.rejections.get(3).clear();
        long target = net.nodes[0].height() + 10;
        for (int s = 0; s < 5_000 && net.nodes[0].height() < target; s++) {
            net.step(); // node 3 is not waited for: it cannot reach the height
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(net.nodes[i].height() >= target, "node " + i + " goes on: " + net.nodes[i]);
        }
        assertEquals(0, net.nodes[3].height(), "installed nothing");
        assertTrue(net.committed.get(3).isEmpty());
        List<String> reasons = net.rejections.get(3).stream().map(NodeOutput.Rejection::reason).toList();
        assertTrue(reasons.contains("SET_CHANGE_UNAVAILABLE"), reasons.toString());
        assertTrue(reasons.stream().noneMatch(r -> r.startsWith("SNAPSHOT_") && !r.equals("SNAPSHOT_PAST_SET_CHANGE")),
                reasons.toString());
        net.assertAgreementUpTo(target, 0, 1, 2);
    }

    /**
     * The same with the consensus services: escrow added to validator 1's entity changes its power in the set the
     * services elect at the end of the epoch (in effect two heights later). The peers restored from checkpoints
     * before it; the node that lost its data proves that change and takes the snapshot.
     */
    /**
     * A network of the consensus services (rewards of {@code reward} per epoch) run to height 2, where nodes 0-2
     * restart from checkpoints (so they hold no earlier block) and node 3 goes down.
     */
    private static LocalnetTest.Net servicesNetWithNodes0to2RestoredAt2AndNode3Down(long reward) {
        dev.oasisj.core.services.ServicesFixture fx = new dev.oasisj.core.services.ServicesFixture(
                LocalnetTest.VALIDATORS, LocalnetTest::validatorKey, LocalnetTest.FAST, reward);
        LocalnetTest.Net net = new LocalnetTest.Net(fx.genesis,
                dev.oasisj.core.services.ServicesApplication.factory(fx.genesis), LocalnetTest.VALIDATORS);
        net.runUntilHeight(2, 2_000);
        for (int i = 0; i < 3; i++) {
            net.nodes[i] = restoredNow(net, i);
        }
        net.crashed[3] = true;
        return net;
    }

    @Test
    void withTheServices_theSetElectedAtAnEpochEnd_isProved_andTheSnapshotTaken() {
        LocalnetTest.Net net = servicesNetWithNodes0to2RestoredAt2AndNode3Down(0);
        ValidatorSet before = net.nodes[0].validatorsAt(net.nodes[0].height() + 2).orElseThrow();
        net.input(0, new NodeInput.ClientTransaction(dev.oasisj.core.services.ServicesFixture.tx(
                dev.oasisj.core.services.ServicesFixture.account("alice"), 0, 0,
                dev.oasisj.core.staking.StakingMethods.ADD_ESCROW, new dev.oasisj.core.staking.AddEscrow(
                        dev.oasisj.core.services.ServicesFixture.entity(1).publicKey(), 400))));
        net.pump();
        ValidatorSet changed = runUntilSetChanges(net, before);
        net.runUntilHeight(NodeLimits.SNAPSHOT_INTERVAL_BLOCKS + 5, 20_000);
        assertEquals(changed.hash(), net.nodes[0].committedBlock(NodeLimits.SNAPSHOT_INTERVAL_BLOCKS).orElseThrow()
                .block().validatorsHash(), "the snapshot's head names the elected set");
        assertNotEquals(ValidatorSets.genesisSet(net.genesis).hash(), changed.hash());

        net.restart(3);
        net.committed.get(3).clear();
        net.rejections.get(3).clear();
        long target = net.nodes[0].height() + 5;
        net.runUntilHeight(target, 5_000);
        assertEquals(NodeLimits.SNAPSHOT_INTERVAL_BLOCKS, net.committed.get(3).firstKey(), "installed the snapshot");
        List<String> reasons = net.rejections.get(3).stream().map(NodeOutput.Rejection::reason).toList();
        assertTrue(reasons.contains("SNAPSHOT_PAST_SET_CHANGE"), reasons.toString());
        assertTrue(reasons.stream().noneMatch(r -> r.startsWith("SET_CHANGE_")), reasons.toString());
        for (long h = NodeLimits.SNAPSHOT_INTERVAL_BLOCKS; h <= target; h++) {
            assertEquals(net.committed.get(0).get(h).blockHash(), net.committed.get(3).get(h).blockHash(), "height " + h);
            assertEquals(net.committed.get(0).get(h).stateRoot(), net.committed.get(3).get(h).stateRoot(), "height " + h);
        }
        assertEquals(net.nodes[0].stateRoot(), net.nodes[3].stateRoot());
    }

    /**
     * With rewards, the services change every validator's power at every epoch's end, and the test's epochs of 4
     * blocks make the snapshot interval's multiple an epoch's end: the set changes two heights after it, so no
     * syncing node could take that state. The peers then keep the state two heights later, the interval's first
     * height around which the set stays the same (before, they kept none, and a services chain served no snapshot),
     * and the node that lost its data proves every epoch's change and takes it.
     */
    @Test
    void whenTheSetChangesEveryEpoch_theSnapshotIsTakenTwoHeightsAfterTheIntervalsEpochEnd_andInstalled() {
        long interval = NodeLimits.SNAPSHOT_INTERVAL_BLOCKS;
        assertEquals(0, interval % dev.oasisj.core.services.ServicesFixture.EPOCH_LENGTH, "the multiple ends an epoch");
        LocalnetTest.Net net = servicesNetWithNodes0to2RestoredAt2AndNode3Down(
                dev.oasisj.core.services.ServicesFixture.REWARD);
        net.runUntilHeight(interval + 8, 40_000);
        ValidatorNode peer = net.nodes[0];
        assertNotEquals(peer.validatorsAt(interval).orElseThrow().hash(),
                peer.validatorsAt(interval + 2).orElseThrow().hash(), "the set changes two heights after the multiple");
        assertNotEquals(ValidatorSets.genesisSet(net.genesis).hash(), peer.validatorsAt(interval).orElseThrow().hash());

        net.restart(3);
        net.committed.get(3).clear();
        net.rejections.get(3).clear();
        long target = net.nodes[0].height() + 5;
        net.runUntilHeight(target, 10_000);
        assertEquals(interval + 2, net.committed.get(3).firstKey(), "installed the state two heights after the multiple");
        List<String> reasons = net.rejections.get(3).stream().map(NodeOutput.Rejection::reason).toList();
        assertTrue(reasons.stream().noneMatch(r -> r.startsWith("SET_CHANGE_")), reasons.toString());
        for (long h = interval + 2; h <= target; h++) {
            assertEquals(net.committed.get(0).get(h).blockHash(), net.committed.get(3).get(h).blockHash(), "height " + h);
            assertEquals(net.committed.get(0).get(h).stateRoot(), net.committed.get(3).get(h).stateRoot(), "height " + h);
        }
        assertEquals(net.nodes[0].stateRoot(), net.nodes[3].stateRoot());
    }

    private static PeerWire.Message decode(byte[] bytes) {
        try {
            return PeerWire.decode(bytes);
        } catch (dev.oasisj.core.codec.DecodeException e) {
            throw new AssertionError(e);
        }
    }
}
