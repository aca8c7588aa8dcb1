package dev.oasisj.core.registry;

import static dev.oasisj.core.registry.RegistryFixture.CHAIN;
import static dev.oasisj.core.registry.RegistryFixture.descriptor;
import static dev.oasisj.core.registry.RegistryFixture.key;
import static dev.oasisj.core.registry.RegistryFixture.pub;
import static dev.oasisj.core.registry.RegistryFixture.runtime;
import static dev.oasisj.core.registry.RegistryFixture.runtimeId;
import static dev.oasisj.core.registry.RegistryFixture.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every registry operation applies when its rules hold and is refused with its specific reason when one does not,
 * leaving the state and its root as they were. Boundaries are tested on both sides (exactly at a bound applies, one
 * past is refused), so moving a comparison by one fails a test.
 */
class RegistryTest {
    private static final Set<Role> COMPUTE = EnumSet.of(Role.COMPUTE);

    /** Two entities e1, e2 registered; no node, no runtime; epoch 10. */
    private static RegistryFixture base() {
        return new RegistryFixture().atEpoch(10).entity("e1").entity("e2");
    }

    private static RegistryState applied(RegistryOutcome outcome) {
        return assertInstanceOf(RegistryOutcome.Applied.class, outcome, outcome::toString).state();
    }

    private static void assertRejected(RegistryRejectReason reason, RegistryState before, Hash32 rootBefore,
            RegistryOutcome outcome) {
        RegistryOutcome.Rejected r = assertInstanceOf(RegistryOutcome.Rejected.class, outcome, outcome::toString);
        assertEquals(reason, r.reason(), r.detail());
        assertEquals(rootBefore, before.stateRoot(), "a refused operation changed the state it was given");
    }

    // ---- entities ----

    @Test
    void anEntityRegistersItself_once() {
        RegistryFixture f = base();
        RegistryState s = f.state();
        Hash32 root = s.stateRoot();
        assertTrue(s.hasEntity(pub("e1")));
        assertRejected(RegistryRejectReason.DUPLICATE, s, root,
                f.registry().registerEntity(s, f.call("e1"), new RegisterEntity(pub("e1"))));
        assertRejected(RegistryRejectReason.BAD_SIGNATURE, s, root,
                f.registry().registerEntity(s, f.call("e1"), new RegisterEntity(pub("e3"))));
        RegistryState s2 = applied(f.registry().registerEntity(s, f.call("e3"), new RegisterEntity(pub("e3"))));
        assertNotEquals(root, s2.stateRoot());
    }

    @Test
    void aNodeKeyCannotBecomeAnEntity_andAnEntityKeyCannotBecomeANode() {
        RegistryFixture f = base().computeNode("n1", "e1");
        RegistryState s = f.state();
        Hash32 root = s.stateRoot();
        assertRejected(RegistryRejectReason.DUPLICATE, s, root,
                f.registry().registerEntity(s, f.call("n1"), new RegisterEntity(pub("n1"))));
        RegisterNode entityAsNode = signed(descriptor("e2", "e1", COMPUTE, false, 20), "e2", "e1");
        assertRejected(RegistryRejectReason.DUPLICATE, s, root,
                f.registry().registerNode(s, f.call("e1"), entityAsNode, f.escrow()));
    }

    // ---- nodes: signatures ----

    @Test
    void aNodeRegistration_needsTheNodesAndTheEntitysSignatures_forThisChain() {
        RegistryFixture f = base();
        RegistryState s = f.state();
        Hash32 root = s.stateRoot();
        NodeDescriptor d = descriptor("n1", "e1", COMPUTE, false, 20);
        Registry reg = f.registry();
        // signed by the wrong node key, by the wrong entity key, for another chain
        assertRejected(RegistryRejectReason.BAD_SIGNATURE, s, root,
                reg.registerNode(s, f.call("e1"), RegisterNode.sign(d, CHAIN, key("n2"), key("e1")), f.escrow()));
        assertRejected(RegistryRejectReason.BAD_SIGNATURE, s, root,
                reg.registerNode(s, f.call("e1"), RegisterNode.sign(d, CHAIN, key("n1"), key("e2")), f.escrow()));
        assertRejected(RegistryRejectReason.BAD_SIGNATURE, s, root,
                reg.registerNode(s, f.call("e1"), RegisterNode.sign(d, "other-chain", key("n1"), key("e1")),
                        f.escrow()));
        // the signatures swapped between the two slots
        RegisterNode good = signed(d, "n1", "e1");
        assertRejected(RegistryRejectReason.BAD_SIGNATURE, s, root, reg.registerNode(s, f.call("e1"),
                new RegisterNode(d, good.entitySignature(), good.nodeSignature()), f.escrow()));
        // an envelope signed by a third party
        assertRejected(RegistryRejectReason.BAD_SIGNATURE, s, root,
                reg.registerNode(s, f.call("e2"), good, f.escrow()));
        // the node or the entity may submit it
        assertNotNull(applied(reg.registerNode(s, f.call("e1"), good, f.escrow())).node(pub("n1")));
        assertNotNull(applied(reg.registerNode(s, f.call("n1"), good, f.escrow())).node(pub("n1")));
    }

    @Test
    void aSignatureOverOneDescriptor_doesNotCoverAnother() {
        RegistryFixture f = base();
        RegistryState s = f.state();
        RegisterNode good = signed(descriptor("n1", "e1", COMPUTE, false, 20), "n1", "e1");
        NodeDescriptor more = descriptor("n1", "e1", EnumSet.of(Role.COMPUTE, Role.VALIDATOR), false, 20);
        assertRejected(RegistryRejectReason.BAD_SIGNATURE, s, s.stateRoot(), f.registry().registerNode(s,
                f.call("e1"), new RegisterNode(more, good.nodeSignature(), good.entitySignature()), f.escrow()));
    }

    // ---- nodes: the other rules ----

    @Test
    void aNodeOfAnUnknownEntity_isRefused() {
        RegistryFixture f = base();
        RegistryState s = f.state();
        assertRejected(RegistryRejectReason.UNKNOWN_ENTITY, s, s.stateRoot(), f.registry().registerNode(s,
                f.call("e9"), signed(descriptor("n1", "e9", COMPUTE, false, 20), "n1", "e9"), f.escrow()));
    }

    @Test
    void aNodeOfAnotherEntity_orAnIdenticalRegistration_isADuplicate() {
        RegistryFixture f = base().computeNode("n1", "e1");
        RegistryState s = f.state();
        Hash32 root = s.stateRoot();
        assertRejected(RegistryRejectReason.DUPLICATE, s, root, f.registry().registerNode(s, f.call("e2"),
                signed(descriptor("n1", "e2", COMPUTE, false, 20), "n1", "e2"), f.escrow()));
        NodeDescriptor same = s.node(pub("n1")).descriptor();
        assertRejected(RegistryRejectReason.DUPLICATE, s, root,
                f.registry().registerNode(s, f.call("e1"), signed(same, "n1", "e1"), f.escrow()));
        // a changed descriptor updates the node
        RegistryState s2 = applied(f.registry().registerNode(s, f.call("e1"),
                signed(descriptor("n1", "e1", COMPUTE, true, 20), "n1", "e1"), f.escrow()));
        assertTrue(s2.node(pub("n1")).descriptor().teeCapable());
        assertEquals(1, s2.nodeCount());
    }

    @Test
    void aNodeWithoutRoles_isBadParameters() {
        RegistryFixture f = base();
        RegistryState s = f.state();
        assertRejected(RegistryRejectReason.BAD_PARAMETERS, s, s.stateRoot(), f.registry().registerNode(s,
                f.call("e1"), signed(descriptor("n1", "e1", Set.of(), false, 20), "n1", "e1"), f.escrow()));
    }

    @Test
    void aRoleTheChainDoesNotAllow_orAKeyManagerWithoutTee_isRefused() {
        RegistryFixture f = new RegistryFixture(new RegistryConfig(0, 0, 0, EnumSet.of(Role.COMPUTE,
                Role.KEYMANAGER), 100)).atEpoch(10).entity("e1");
        RegistryState s = f.state();
        Hash32 root = s.stateRoot();
        Registry reg = f.registry();
        assertRejected(RegistryRejectReason.ROLE_NOT_ALLOWED, s, root, reg.registerNode(s, f.call("e1"),
                signed(descriptor("n1", "e1", EnumSet.of(Role.VALIDATOR), false, 20), "n1", "e1"), f.escrow()));
        assertRejected(RegistryRejectReason.ROLE_NOT_ALLOWED, s, root, reg.registerNode(s, f.call("e1"),
                signed(descriptor("n1", "e1", EnumSet.of(Role.KEYMANAGER), false, 20), "n1", "e1"), f.escrow()));
        applied(reg.registerNode(s, f.call("e1"),
                signed(descriptor("n1", "e1", EnumSet.of(Role.KEYMANAGER), true, 20), "n1", "e1"), f.escrow()));
    }

    @Test
    void expiry_beforeTheEpochIsExpired_atTheEpochApplies_andAtMostMaxAhead() {
        RegistryFixture f = base();
        RegistryState s = f.state();
        Hash32 root = s.stateRoot();
        Registry reg = f.registry();
        assertRejected(RegistryRejectReason.EXPIRED, s, root, reg.registerNode(s, f.call("e1"),
                signed(descriptor("n1", "e1", COMPUTE, false, 9), "n1", "e1"), f.escrow()));
        applied(reg.registerNode(s, f.call("e1"), signed(descriptor("n1", "e1", COMPUTE, false, 10), "n1", "e1"),
                f.escrow()));
        applied(reg.registerNode(s, f.call("e1"), signed(descriptor("n1", "e1", COMPUTE, false, 110), "n1", "e1"),
                f.escrow()));
        assertRejected(RegistryRejectReason.BAD_PARAMETERS, s, root, reg.registerNode(s, f.call("e1"),
                signed(descriptor("n1", "e1", COMPUTE, false, 111), "n1", "e1"), f.escrow()));
    }

    @Test
    void stake_mustCoverTheSumOfTheRolesMinimums_exactlyIsEnough() {
        RegistryConfig config = new RegistryConfig(100, 30, 7, EnumSet.allOf(Role.class), 100);
        Set<Role> both = EnumSet.of(Role.VALIDATOR, Role.COMPUTE);
        for (long escrow : new long[] {129, 130}) {
            RegistryFixture f = new RegistryFixture(config).atEpoch(10).entity("e1").escrow("e1", escrow);
            RegistryState s = f.state();
            RegistryOutcome o = f.registry().registerNode(s, f.call("e1"),
                    signed(descriptor("n1", "e1", both, false, 20), "n1", "e1"), f.escrow());
            if (escrow < 130) {
                assertRejected(RegistryRejectReason.INSUFFICIENT_STAKE, s, s.stateRoot(), o);
            } else {
                applied(o);
            }
        }
        assertEquals(137, new Registry(config).requiredStake(descriptor("n", "e", EnumSet.allOf(Role.class), true,
                1)));
        assertEquals(Long.MAX_VALUE, new Registry(new RegistryConfig(Long.MAX_VALUE, 1, 0, EnumSet.allOf(Role.class),
                1)).requiredStake(descriptor("n", "e", both, true, 1)), "the sum saturates, never wraps negative");
    }

    // ---- deregistration and freezing ----

    @Test
    void onlyTheEntityDeregistersItsNode_evenAFrozenOne_whoseFreezeStays() {
        RegistryFixture f = base().computeNode("n1", "e1").freeze("n1", 12);
        Registry reg = f.registry();
        RegistryState s = f.state();
        Hash32 root = s.stateRoot();
        DeregisterNode body = new DeregisterNode(pub("n1"));
        assertRejected(RegistryRejectReason.UNKNOWN_NODE, s, root,
                reg.deregisterNode(s, f.call("e1"), new DeregisterNode(pub("n9"))));
        assertRejected(RegistryRejectReason.NOT_OWNER, s, root, reg.deregisterNode(s, f.call("e2"), body));
        assertRejected(RegistryRejectReason.NOT_OWNER, s, root, reg.deregisterNode(s, f.call("n1"), body));
        // frozen in epoch 11: it may deregister (as the spec's Deregister), and the freeze stays with the key
        RegistryState gone = applied(reg.deregisterNode(s, new CallContext(CHAIN, pub("e1"), 11), body));
        assertNull(gone.node(pub("n1")));
        assertEquals(0, gone.nodeCount());
        assertEquals(12, gone.frozenUntilEpoch(pub("n1")));
        assertTrue(gone.isFrozenIn(pub("n1"), 11));
        assertEquals(base().freeze("n1", 12).state().stateRoot(), gone.stateRoot(),
                "deregistering leaves the state of the entities and the freeze alone");
        assertNotEquals(base().state().stateRoot(), gone.stateRoot(), "the root covers the freeze of a deregistered"
                + " node");
    }

    @Test
    void aFrozenNodeThatDeregistersAndRegistersAgain_isStillFrozen() {
        RegistryFixture f = base().computeNode("n1", "e1").freeze("n1", 12);
        Registry reg = f.registry();
        CallContext at11 = new CallContext(CHAIN, pub("e1"), 11);
        RegistryState gone = applied(reg.deregisterNode(f.state(), at11, new DeregisterNode(pub("n1"))));
        RegistryState back = applied(reg.registerNode(gone, at11,
                signed(descriptor("n1", "e1", COMPUTE, false, 20), "n1", "e1"), f.escrow()));
        RegisteredNode n = back.node(pub("n1"));
        assertNotNull(n);
        assertEquals(12, n.frozenUntilEpoch());
        assertTrue(n.isFrozenIn(11), "deregistering and registering again does not escape the freeze");
        assertTrue(!n.isFrozenIn(12));
        assertEquals(List.of(n), back.nodes());
        // thawed: the deregistration is refused for no freeze either
        RegistryState later = applied(reg.deregisterNode(back, new CallContext(CHAIN, pub("e1"), 12),
                new DeregisterNode(pub("n1"))));
        assertNull(later.node(pub("n1")));
    }

    @Test
    void anExpiredNode_cannotBeDeregistered_untilItIsRenewed() {
        RegistryFixture f = base().node("n1", "e1", COMPUTE, false, 10);
        Registry reg = f.registry();
        RegistryState s = f.state();
        DeregisterNode body = new DeregisterNode(pub("n1"));
        applied(reg.deregisterNode(s, new CallContext(CHAIN, pub("e1"), 10), body)); // registered in its expiry epoch
        CallContext at11 = new CallContext(CHAIN, pub("e1"), 11);
        assertRejected(RegistryRejectReason.EXPIRED, s, s.stateRoot(), reg.deregisterNode(s, at11, body));
        // ownership is checked first: another entity hears NOT_OWNER, not that the node has expired
        assertRejected(RegistryRejectReason.NOT_OWNER, s, s.stateRoot(),
                reg.deregisterNode(s, new CallContext(CHAIN, pub("e2"), 11), body));
        RegistryState renewed = applied(reg.registerNode(s, at11,
                signed(descriptor("n1", "e1", COMPUTE, false, 11), "n1", "e1"), f.escrow()));
        assertNull(applied(reg.deregisterNode(renewed, at11, body)).node(pub("n1")));
    }

    @Test
    void aKeyThatIsNotRegistered_canBeFrozen_andIsFrozenWhenItRegisters() {
        RegistryFixture f = base();
        Registry reg = f.registry();
        RegistryState s = f.state();
        RegistryState frozen = applied(reg.freezeNode(s, pub("n9"), 20));
        assertNull(frozen.node(pub("n9")));
        assertEquals(0, frozen.nodeCount());
        assertEquals(20, frozen.frozenUntilEpoch(pub("n9")));
        assertEquals(java.util.Map.of(pub("n9"), 20L), frozen.freezes());
        assertEquals(1, frozen.freezeCount());
        assertNotEquals(s.stateRoot(), frozen.stateRoot());
        assertEquals(frozen, applied(reg.freezeNode(frozen, pub("n9"), 19)), "a freeze only extends");
        RegistryState registered = applied(reg.registerNode(frozen, f.call("e1"),
                signed(descriptor("n9", "e1", COMPUTE, false, 30), "n9", "e1"), f.escrow()));
        assertEquals(20, registered.node(pub("n9")).frozenUntilEpoch());
        assertTrue(registered.node(pub("n9")).isFrozenIn(19));
    }

    @Test
    void aStateOfGivenContents_refusesFreezesThatDisagreeWithTheNodes() {
        NodeDescriptor n1 = descriptor("n1", "e1", COMPUTE, false, 20);
        List<PublicKey> entities = List.of(pub("e1"));
        RegistryState s = RegistryState.of(entities, List.of(new RegisteredNode(n1, 12)), List.of(),
                java.util.Map.of(pub("n1"), 12L, pub("n9"), 14L));
        assertEquals(12, s.node(pub("n1")).frozenUntilEpoch());
        assertEquals(14, s.frozenUntilEpoch(pub("n9")));
        assertEquals(RegistryState.of(entities, List.of(new RegisteredNode(n1, 12)), List.of(),
                java.util.Map.of(pub("n1"), 12L)), RegistryState.of(entities, List.of(new RegisteredNode(n1, 12)),
                List.of()), "the genesis form takes each node's freeze from the node");
        assertThrows(IllegalArgumentException.class, () -> RegistryState.of(entities,
                List.of(new RegisteredNode(n1, 0)), List.of(), java.util.Map.of(pub("n1"), 12L)));
        assertThrows(IllegalArgumentException.class, () -> RegistryState.of(entities,
                List.of(new RegisteredNode(n1, 12)), List.of(), java.util.Map.of()));
        assertThrows(IllegalArgumentException.class, () -> RegistryState.of(entities,
                List.of(new RegisteredNode(n1, 0)), List.of(), java.util.Map.of(pub("n9"), 0L)));
    }

    @Test
    void aFreezeOnlyExtends_andSurvivesAReRegistration() {
        RegistryFixture f = base().computeNode("n1", "e1").freeze("n1", 15);
        Registry reg = f.registry();
        RegistryState s = f.state();
        assertEquals(15, s.node(pub("n1")).frozenUntilEpoch());
        assertEquals(s, applied(reg.freezeNode(s, pub("n1"), 14)));
        assertEquals(s.stateRoot(), applied(reg.freezeNode(s, pub("n1"), 15)).stateRoot());
        assertEquals(16, applied(reg.freezeNode(s, pub("n1"), 16)).node(pub("n1")).frozenUntilEpoch());
        assertRejected(RegistryRejectReason.BAD_PARAMETERS, s, s.stateRoot(), reg.freezeNode(s, pub("n1"), -1));
        RegistryState updated = applied(reg.registerNode(s, f.call("e1"),
                signed(descriptor("n1", "e1", COMPUTE, true, 30), "n1", "e1"), f.escrow()));
        assertEquals(15, updated.node(pub("n1")).frozenUntilEpoch());
        RegisteredNode n = updated.node(pub("n1"));
        assertTrue(n.isFrozenIn(14));
        assertTrue(!n.isFrozenIn(15));
    }

    // ---- runtimes ----

    @Test
    void aRuntimeIsOwnedByTheEntityThatRegistersIt() {
        RegistryFixture f = base().runtime("e1", runtime("r1", 2, 1, 2, 1));
        Registry reg = f.registry();
        RegistryState s = f.state();
        Hash32 root = s.stateRoot();
        assertEquals(pub("e1"), s.runtime(runtimeId("r1")).owner());
        assertRejected(RegistryRejectReason.NOT_OWNER, s, root, reg.registerRuntime(s, f.call("e2"),
                runtime("r1", 3, 1, 3, 1)));
        assertRejected(RegistryRejectReason.UNKNOWN_ENTITY, s, root, reg.registerRuntime(s, f.call("e9"),
                runtime("r2", 3, 1, 3, 1)));
        assertRejected(RegistryRejectReason.DUPLICATE, s, root, reg.registerRuntime(s, f.call("e1"),
                runtime("r1", 2, 1, 2, 1)));
        RegistryState s2 = applied(reg.registerRuntime(s, f.call("e1"), runtime("r1", 3, 1, 3, 1)));
        assertEquals(3, s2.runtime(runtimeId("r1")).descriptor().workers());
    }

    private static RuntimeDescriptor params(int workers, int backups, int stragglers, long timeout, int minPool,
            int maxPerEntity, long minStake, Admission admission) {
        return new RuntimeDescriptor(runtimeId("r"), workers, backups, stragglers, timeout, minPool, maxPerEntity,
                minStake, admission, false, 0);
    }

    @Test
    void everyRuntimeParameter_isCheckedAtItsBound() {
        RegistryFixture f = base();
        Registry reg = f.registry();
        RegistryState s = f.state();
        Hash32 root = s.stateRoot();
        Admission open = new Admission.Permissionless();
        List<RuntimeDescriptor> bad = List.of(
                params(0, 0, 0, 1, 1, 1, 0, open),
                params(101, 0, 0, 1, 1, 1, 0, open),
                params(1, -1, 0, 1, 1, 1, 0, open),
                params(1, 101, 0, 1, 1, 1, 0, open),
                params(3, 0, 3, 1, 1, 1, 0, open),
                params(3, 0, -1, 1, 1, 1, 0, open),
                params(1, 0, 0, 0, 1, 1, 0, open),
                params(1, 0, 0, 1, 0, 1, 0, open),
                params(1, 0, 0, 1, RegistryLimits.MAX_MIN_POOL_SIZE + 1, 1, 0, open),
                params(1, 0, 0, 1, 1, 0, 0, open),
                params(1, 0, 0, 1, 1, 1, -1, open),
                params(1, 0, 0, 1, 1, 1, 0, new Admission.Permissioned(List.of())));
        for (RuntimeDescriptor d : bad) {
            assertRejected(RegistryRejectReason.BAD_PARAMETERS, s, root, reg.registerRuntime(s, f.call("e1"), d));
        }
        List<RuntimeDescriptor> good = List.of(
                params(1, 0, 0, 1, 1, 1, 0, open),
                params(100, 100, 99, 1, RegistryLimits.MAX_MIN_POOL_SIZE, 1, 0, open),
                params(3, 0, 2, 1, 1, 1, 0, new Admission.Permissioned(List.of(pub("e1")))));
        for (RuntimeDescriptor d : good) {
            applied(reg.registerRuntime(s, f.call("e1"), d));
        }
    }

    @Test
    void aPermissionedRuntime_mayListOnlyRegisteredEntities() {
        RegistryFixture f = base();
        RegistryState s = f.state();
        List<PublicKey> listed = new java.util.ArrayList<>(List.of(pub("e1"), pub("e9")));
        listed.sort(null);
        assertRejected(RegistryRejectReason.UNKNOWN_ENTITY, s, s.stateRoot(), f.registry().registerRuntime(s,
                f.call("e1"), params(1, 0, 0, 1, 1, 1, 0, new Admission.Permissioned(listed))));
    }

    @Test
    void aFullRegistry_refusesANewRuntime_butStillUpdatesOne() {
        RegistryFixture f = base();
        Registry reg = f.registry();
        RegistryState s = f.state();
        for (int i = 0; i < RegistryLimits.MAX_RUNTIMES; i++) {
            s = applied(reg.registerRuntime(s, f.call("e1"), runtime("r" + i, 1, 0, 1, 1)));
        }
        assertRejected(RegistryRejectReason.REGISTRY_FULL, s, s.stateRoot(),
                reg.registerRuntime(s, f.call("e1"), runtime("one-more", 1, 0, 1, 1)));
        applied(reg.registerRuntime(s, f.call("e1"), runtime("r0", 2, 0, 1, 1)));
    }

    @Test
    void aFullRegistry_refusesANewEntity() {
        Registry reg = new Registry(RegistryFixture.OPEN_CONFIG);
        RegistryState s = RegistryState.EMPTY;
        for (int i = 0; i < RegistryLimits.MAX_ENTITIES; i++) {
            byte[] key = new byte[32];
            ByteBuffer.wrap(key).putInt(i);
            PublicKey k = PublicKey.of(key);
            s = applied(reg.registerEntity(s, new CallContext(CHAIN, k, 0), new RegisterEntity(k)));
        }
        PublicKey one = pub("one-more");
        assertRejected(RegistryRejectReason.REGISTRY_FULL, s, s.stateRoot(),
                reg.registerEntity(s, new CallContext(CHAIN, one, 0), new RegisterEntity(one)));
    }

    // ---- the root ----

    @Test
    void theRoot_dependsOnTheContentsOnly_notOnTheOrderOfOperations() {
        RegistryFixture a = new RegistryFixture().atEpoch(3).entity("e1").entity("e2").computeNode("n1", "e1")
                .computeNode("n2", "e2").runtime("e1", runtime("r1", 1, 0, 1, 1)).freeze("n2", 9);
        RegistryFixture b = new RegistryFixture().atEpoch(3).entity("e2").computeNode("n2", "e2").freeze("n2", 9)
                .entity("e1").runtime("e1", runtime("r1", 1, 0, 1, 1)).computeNode("n1", "e1");
        assertEquals(a.state(), b.state());
        assertEquals(a.state().stateRoot(), b.state().stateRoot());
        assertNotEquals(a.state().stateRoot(), a.freeze("n2", 10).state().stateRoot());
    }

    @Test
    void theRoot_isTheDocumentedHash() throws Exception {
        RegistryFixture f = new RegistryFixture().atEpoch(3).entity("e1").computeNode("n1", "e1").freeze("n1", 7)
                .runtime("e1", runtime("r1", 1, 0, 1, 1)).freeze("n9", 5);
        RegistryState s = f.state();
        // written from the class comment, independently of RegistryState's code
        MessageDigest entities = MessageDigest.getInstance("SHA-256");
        entities.update(ByteBuffer.allocate(4).putInt(1).array());
        entities.update(ByteBuffer.allocate(4).putInt(32).array());
        entities.update(pub("e1").toBytes());
        MessageDigest nodes = MessageDigest.getInstance("SHA-256");
        nodes.update(ByteBuffer.allocate(4).putInt(1).array());
        ByteBuffer node = ByteBuffer.allocate(74).put(pub("n1").toBytes()).put(pub("e1").toBytes()).put((byte) 2)
                .put((byte) 0).putLong(53);
        nodes.update(ByteBuffer.allocate(4).putInt(74).array());
        nodes.update(node.array());
        MessageDigest runtimes = MessageDigest.getInstance("SHA-256");
        runtimes.update(ByteBuffer.allocate(4).putInt(1).array());
        byte[] rt = RegistryCodecs.REGISTER_RUNTIME.encode(runtime("r1", 1, 0, 1, 1));
        runtimes.update(ByteBuffer.allocate(4).putInt(32 + rt.length).array());
        runtimes.update(pub("e1").toBytes());
        runtimes.update(rt);
        // the freezes, apart from the nodes: n1's (registered) and n9's (not registered), in key order
        MessageDigest freezes = MessageDigest.getInstance("SHA-256");
        freezes.update(ByteBuffer.allocate(4).putInt(2).array());
        List<PublicKey> frozen = new java.util.ArrayList<>(List.of(pub("n1"), pub("n9")));
        frozen.sort(null);
        for (PublicKey k : frozen) {
            freezes.update(ByteBuffer.allocate(4).putInt(40).array());
            freezes.update(ByteBuffer.allocate(40).put(k.toBytes()).putLong(k.equals(pub("n1")) ? 7 : 5).array());
        }
        Hash32 expected = Hash32.sha256Parts("oasisj/registry/state/v2".getBytes(StandardCharsets.UTF_8),
                entities.digest(), nodes.digest(), runtimes.digest(), freezes.digest());
        assertEquals(expected, s.stateRoot());
        assertNotEquals(RegistryState.EMPTY.stateRoot(), s.stateRoot());
    }
}
