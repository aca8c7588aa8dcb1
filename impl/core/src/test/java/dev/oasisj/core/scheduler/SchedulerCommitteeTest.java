package dev.oasisj.core.scheduler;

import static dev.oasisj.core.registry.RegistryFixture.pub;
import static dev.oasisj.core.registry.RegistryFixture.runtimeId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.registry.Admission;
import dev.oasisj.core.registry.RegisteredNode;
import dev.oasisj.core.registry.RegistryFixture;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.registry.RuntimeDescriptor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Committee elections with exact expected committees. Most cases inject a {@link SortingHash} that ranks nodes by a
 * list written in the test (as a TLA+ trace's constant {@code Hash} would), so the expected committee follows from the
 * rules by hand; the real hash is checked against its documented encoding and for determinism.
 */
class SchedulerCommitteeTest {
    private static final Hash32 BEACON = Hash32.sha256("beacon".getBytes(StandardCharsets.UTF_8));
    private static final long EPOCH = 5;

    /** 32 bytes encoding {@code v} big-endian: unsigned byte order is integer order. */
    static Hash32 h(long v) {
        byte[] b = new byte[32];
        ByteBuffer.wrap(b).putLong(24, v);
        return Hash32.of(b);
    }

    /** Ranks nodes by their position in {@code workerOrder} / {@code backupOrder}; unlisted nodes rank last, tied. */
    static SortingHash ranks(List<String> workerOrder, List<String> backupOrder) {
        return (beacon, epoch, runtime, role, node) -> {
            List<String> order = role == CommitteeRole.WORKER ? workerOrder : backupOrder;
            for (int i = 0; i < order.size(); i++) {
                if (pub(order.get(i)).equals(node)) {
                    return h(i);
                }
            }
            return h(1_000);
        };
    }

    static SortingHash ranks(List<String> order) {
        return ranks(order, order);
    }

    private static List<PublicKey> keys(String... names) {
        List<PublicKey> keys = new ArrayList<>();
        for (String n : names) {
            keys.add(pub(n));
        }
        return keys;
    }

    private static RuntimeCommittee.Elected elected(RuntimeCommittee c) {
        return assertInstanceOf(RuntimeCommittee.Elected.class, c, c.toString());
    }

    private static void suspended(SuspensionReason reason, RuntimeCommittee c) {
        assertEquals(reason, assertInstanceOf(RuntimeCommittee.Suspended.class, c, c.toString()).reason());
    }

    private static RuntimeCommittee elect(RegistryFixture f, RuntimeDescriptor rt, SortingHash hash) {
        return Scheduler.electCommittee(f.state(), rt, EPOCH, BEACON, f.escrow(), hash);
    }

    /** e1 has a1, a2, a3; e2 has b1; e3 has c1: all compute nodes without TEE, registered at epoch 3. */
    private static RegistryFixture fiveNodes() {
        return new RegistryFixture().atEpoch(3).entity("e1").entity("e2").entity("e3").computeNode("a1", "e1")
                .computeNode("a2", "e1").computeNode("a3", "e1").computeNode("b1", "e2").computeNode("c1", "e3");
    }

    private static final SortingHash A_FIRST = ranks(List.of("a1", "a2", "a3", "b1", "c1"));

    @Test
    void anEntityAtItsCap_isSkipped_andTheNextNodeInHashOrderTaken() {
        RegistryFixture f = fiveNodes();
        assertEquals(keys("a1", "a2", "b1"),
                elected(elect(f, RegistryFixture.runtime("r", 3, 0, 1, 2), A_FIRST)).workers());
        assertEquals(keys("a1", "a2", "a3"),
                elected(elect(f, RegistryFixture.runtime("r", 3, 0, 1, 3), A_FIRST)).workers());
        assertEquals(keys("a1", "b1", "c1"),
                elected(elect(f, RegistryFixture.runtime("r", 3, 0, 1, 1), A_FIRST)).workers());
    }

    @Test
    void whenTheEntityCapLeavesAGroupShort_theRuntimeIsSuspended() {
        RegistryFixture f = new RegistryFixture().atEpoch(3).entity("e1").entity("e2").computeNode("a1", "e1")
                .computeNode("a2", "e1").computeNode("a3", "e1").computeNode("b1", "e2");
        suspended(SuspensionReason.ENTITY_CAP_LEAVES_WORKERS_SHORT,
                elect(f, RegistryFixture.runtime("r", 3, 0, 1, 1), A_FIRST));
        suspended(SuspensionReason.ENTITY_CAP_LEAVES_BACKUPS_SHORT,
                elect(f, RegistryFixture.runtime("r", 1, 3, 1, 1), A_FIRST));
        assertEquals(keys("a1", "a2", "b1"), elected(elect(f, RegistryFixture.runtime("r", 1, 3, 1, 2), A_FIRST))
                .backups());
    }

    @Test
    void aPoolExactlyAtMinPoolSize_elects_oneBelowSuspends() {
        RegistryFixture f = fiveNodes();
        RuntimeCommittee.Elected c = elected(elect(f, RegistryFixture.runtime("r", 2, 1, 5, 3), A_FIRST));
        assertEquals(keys("a1", "a2"), c.workers());
        assertEquals(keys("a1"), c.backups());
        suspended(SuspensionReason.POOL_BELOW_MIN_POOL_SIZE,
                elect(f, RegistryFixture.runtime("r", 2, 1, 6, 3), A_FIRST));
        f.deregister("c1", "e3");
        suspended(SuspensionReason.POOL_BELOW_MIN_POOL_SIZE,
                elect(f, RegistryFixture.runtime("r", 2, 1, 5, 3), A_FIRST));
    }

    @Test
    void aPoolSmallerThanAGroup_suspends_evenAboveMinPoolSize() {
        RegistryFixture f = fiveNodes();
        suspended(SuspensionReason.POOL_BELOW_WORKERS, elect(f, RegistryFixture.runtime("r", 6, 0, 1, 6), A_FIRST));
        suspended(SuspensionReason.POOL_BELOW_BACKUPS, elect(f, RegistryFixture.runtime("r", 1, 6, 1, 6), A_FIRST));
        RuntimeCommittee.Elected c = elected(elect(f, RegistryFixture.runtime("r", 5, 5, 1, 5), A_FIRST));
        assertEquals(keys("a1", "a2", "a3", "b1", "c1"), c.workers());
    }

    @Test
    void workersAndBackups_areDrawnIndependently_soANodeMayBeInBoth() {
        RegistryFixture f = fiveNodes();
        SortingHash hash = ranks(List.of("c1", "b1", "a1"), List.of("b1", "a3", "c1"));
        RuntimeCommittee.Elected c = elected(elect(f, RegistryFixture.runtime("r", 2, 2, 1, 3), hash));
        assertEquals(keys("c1", "b1"), c.workers());
        assertEquals(keys("b1", "a3"), c.backups());
    }

    @Test
    void equalHashes_areOrderedByNodeKey() {
        RegistryFixture f = fiveNodes();
        SortingHash constant = (beacon, epoch, runtime, role, node) -> h(7);
        List<PublicKey> all = keys("a1", "a2", "a3", "b1", "c1");
        all.sort(null);
        RuntimeDescriptor rt = RegistryFixture.runtime("r", 3, 0, 1, 3);
        assertEquals(all.subList(0, 3), elected(elect(f, rt, constant)).workers());
        // the pool comes in key order from the registry; the draw itself must not rely on that
        List<RegisteredNode> reversed = new ArrayList<>(Scheduler.eligibleNodes(f.state(), rt, EPOCH, f.escrow()));
        Collections.reverse(reversed);
        assertEquals(all.subList(0, 3), Scheduler.drawGroup(reversed, rt, EPOCH, BEACON, CommitteeRole.WORKER,
                constant));
    }

    @Test
    void stakeExactlyAtTheRuntimesMinimum_isEligible_oneBelowIsNot() {
        RegistryFixture f = fiveNodes().escrow("e1", 100).escrow("e2", 99).escrow("e3", 101);
        RuntimeDescriptor rt = new RuntimeDescriptor(runtimeId("r"), 5, 0, 0, 5, 1, 3, 100,
                new Admission.Permissionless(), false, 0);
        suspended(SuspensionReason.POOL_BELOW_WORKERS, elect(f, rt, A_FIRST));
        f.escrow("e2", 100);
        assertEquals(keys("a1", "a2", "a3", "b1", "c1"), elected(elect(f, rt, A_FIRST)).workers());
    }

    @Test
    void aPermissionedRuntime_electsOnlyNodesOfListedEntities() {
        RegistryFixture f = fiveNodes();
        List<PublicKey> listed = keys("e2", "e3");
        listed.sort(null);
        RuntimeDescriptor rt = new RuntimeDescriptor(runtimeId("r"), 2, 0, 0, 5, 1, 3, 0,
                new Admission.Permissioned(listed), false, 0);
        assertEquals(keys("b1", "c1"), elected(elect(f, rt, A_FIRST)).workers());
    }

    @Test
    void aTeeRequiringRuntime_electsOnlyTeeNodes() {
        RegistryFixture f = fiveNodes().node("t1", "e2", EnumSet.of(Role.COMPUTE), true, 10)
                .node("t2", "e3", EnumSet.of(Role.COMPUTE, Role.VALIDATOR), true, 10);
        RuntimeDescriptor rt = new RuntimeDescriptor(runtimeId("r"), 2, 0, 0, 5, 2, 3, 0,
                new Admission.Permissionless(), true, 0);
        assertEquals(keys("t1", "t2"), elected(elect(f, rt, ranks(List.of("a1", "t1", "t2")))).workers());
        RuntimeDescriptor three = new RuntimeDescriptor(runtimeId("r"), 3, 0, 0, 5, 1, 3, 0,
                new Admission.Permissionless(), true, 0);
        suspended(SuspensionReason.POOL_BELOW_WORKERS, elect(f, three, A_FIRST));
    }

    @Test
    void frozenExpiredAndNonComputeNodes_areExcluded_untilTheirBoundary() {
        RegistryFixture f = new RegistryFixture().atEpoch(3).entity("e1").computeNode("ok", "e1")
                .node("expiring", "e1", EnumSet.of(Role.COMPUTE), false, EPOCH)
                .node("validatorOnly", "e1", EnumSet.of(Role.VALIDATOR), false, 20)
                .computeNode("frozen", "e1").freeze("frozen", EPOCH + 1);
        SortingHash hash = ranks(List.of("validatorOnly", "frozen", "expiring", "ok"));
        RuntimeDescriptor rt = RegistryFixture.runtime("r", 1, 0, 1, 4);
        RuntimeDescriptor all = RegistryFixture.runtime("r", 3, 0, 1, 4);
        // epoch 5: frozen (until 6, exclusive) is out, expiring (expiry 5) is in
        assertEquals(keys("expiring"), elected(Scheduler.electCommittee(f.state(), rt, EPOCH, BEACON, f.escrow(),
                hash)).workers());
        suspended(SuspensionReason.POOL_BELOW_WORKERS,
                Scheduler.electCommittee(f.state(), all, EPOCH, BEACON, f.escrow(), hash));
        // epoch 6: frozen is thawed, expiring has expired
        assertEquals(keys("frozen"), elected(Scheduler.electCommittee(f.state(), rt, EPOCH + 1, BEACON, f.escrow(),
                hash)).workers());
        suspended(SuspensionReason.POOL_BELOW_WORKERS,
                Scheduler.electCommittee(f.state(), all, EPOCH + 1, BEACON, f.escrow(), hash));
    }

    @Test
    void everyRegisteredRuntime_getsACommitteeOrASuspension() {
        RegistryFixture f = fiveNodes().runtime("e1", RegistryFixture.runtime("small", 2, 1, 1, 3))
                .runtime("e2", RegistryFixture.runtime("big", 9, 0, 1, 9));
        CommitteeElection e = Scheduler.electCommittees(f.state(), EPOCH, BEACON, f.escrow(), A_FIRST);
        assertEquals(2, e.committees().size());
        assertEquals(keys("a1", "a2"), elected(e.committees().get(runtimeId("small"))).workers());
        suspended(SuspensionReason.POOL_BELOW_WORKERS, e.committees().get(runtimeId("big")));
    }

    @Test
    void theRealHash_isSha256OfTheDocumentedEncoding() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 + 34 + 32 + 8 + 32 + 1 + 32);
        b.putInt(34).put("oasisj/scheduler/committee-sort/v1".getBytes(StandardCharsets.US_ASCII))
                .put(BEACON.toBytes()).putLong(EPOCH).put(runtimeId("r").value().toBytes()).put((byte) 2)
                .put(pub("a1").toBytes());
        Hash32 expected = Hash32.of(MessageDigest.getInstance("SHA-256").digest(b.array()));
        assertEquals(expected, SortingHash.SHA256.hash(BEACON, EPOCH, runtimeId("r"), CommitteeRole.BACKUP,
                pub("a1")));
        assertNotEquals(expected, SortingHash.SHA256.hash(BEACON, EPOCH, runtimeId("r"), CommitteeRole.WORKER,
                pub("a1")));
    }

    @Test
    void theSameInputs_electTheSameCommittees_whateverTheOrderOfRegistration() {
        RegistryFixture a = fiveNodes().runtime("e1", RegistryFixture.runtime("r", 3, 2, 1, 2));
        RegistryFixture b = new RegistryFixture().atEpoch(3).entity("e3").computeNode("c1", "e3").entity("e1")
                .computeNode("a3", "e1").entity("e2").computeNode("b1", "e2").computeNode("a2", "e1")
                .computeNode("a1", "e1").runtime("e1", RegistryFixture.runtime("r", 3, 2, 1, 2));
        CommitteeElection x = Scheduler.electCommittees(a.state(), EPOCH, BEACON, a.escrow(), SortingHash.SHA256);
        CommitteeElection y = Scheduler.electCommittees(b.state(), EPOCH, BEACON, b.escrow(), SortingHash.SHA256);
        assertEquals(x, y);
        assertEquals(x, Scheduler.electCommittees(a.state(), EPOCH, BEACON, a.escrow(), SortingHash.SHA256));
        RuntimeCommittee.Elected c = elected(x.committees().get(runtimeId("r")));
        assertEquals(3, c.workers().size());
        assertEquals(2, c.backups().size());
    }

    @Test
    void theBeaconDecidesTheOrder() {
        RegistryFixture f = new RegistryFixture().atEpoch(3);
        for (int e = 0; e < 20; e++) {
            f.entity("e" + e).computeNode("n" + e, "e" + e);
        }
        RuntimeDescriptor rt = RegistryFixture.runtime("r", 5, 0, 1, 1);
        List<PublicKey> first = elected(elect(f, rt, SortingHash.SHA256)).workers();
        List<PublicKey> other = elected(Scheduler.electCommittee(f.state(), rt, EPOCH,
                Hash32.sha256("another beacon".getBytes(StandardCharsets.UTF_8)), f.escrow(), SortingHash.SHA256))
                .workers();
        assertNotEquals(first, other);
    }
}
