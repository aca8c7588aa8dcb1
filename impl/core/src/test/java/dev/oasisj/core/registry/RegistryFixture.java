package dev.oasisj.core.registry;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds registry states through the real {@link Registry} operations (so every fixture state passed its checks), with
 * keys named in the test: {@code key("e1")} is always the same {@link Signer}. Used by the registry, scheduler and
 * beacon tests. Not thread-safe; one per test.
 */
public final class RegistryFixture {
    public static final String CHAIN = "oasisj-test";

    /** A config where every role is allowed, no stake is required, and nodes may expire up to 100 epochs ahead. */
    public static final RegistryConfig OPEN_CONFIG =
            new RegistryConfig(0, 0, 0, EnumSet.allOf(Role.class), 100);

    private final Registry registry;
    private RegistryState state = RegistryState.EMPTY;
    private long epoch;
    private final TreeMap<PublicKey, Long> escrow = new TreeMap<>();

    public RegistryFixture() {
        this(OPEN_CONFIG);
    }

    public RegistryFixture(RegistryConfig config) {
        this.registry = new Registry(config);
    }

    public static Signer key(String name) {
        return Signer.deterministic(name, 9);
    }

    public static PublicKey pub(String name) {
        return key(name).publicKey();
    }

    public static RuntimeId runtimeId(String name) {
        return new RuntimeId(Hash32.sha256(name.getBytes(StandardCharsets.UTF_8)));
    }

    public Registry registry() {
        return registry;
    }

    public RegistryState state() {
        return state;
    }

    public RegistryFixture atEpoch(long e) {
        this.epoch = e;
        return this;
    }

    public long epoch() {
        return epoch;
    }

    public CallContext call(String signer) {
        return new CallContext(CHAIN, pub(signer), epoch);
    }

    public RegistryFixture escrow(String entity, long baseUnits) {
        escrow.put(pub(entity), baseUnits);
        return this;
    }

    public EscrowBalances escrow() {
        return EscrowBalances.of(escrow);
    }

    public Map<PublicKey, Long> escrowMap() {
        return new TreeMap<>(escrow);
    }

    public RegistryFixture entity(String name) {
        state = applied(registry.registerEntity(state, call(name), new RegisterEntity(pub(name))));
        return this;
    }

    public static NodeDescriptor descriptor(String node, String entity, Set<Role> roles, boolean tee, long expiry) {
        return new NodeDescriptor(pub(node), pub(entity), roles, tee, expiry);
    }

    public static RegisterNode signed(NodeDescriptor d, String node, String entity) {
        return RegisterNode.sign(d, CHAIN, key(node), key(entity));
    }

    public RegistryFixture node(String node, String entity, Set<Role> roles, boolean tee, long expiry) {
        RegisterNode body = signed(descriptor(node, entity, roles, tee, expiry), node, entity);
        state = applied(registry.registerNode(state, call(entity), body, escrow()));
        return this;
    }

    /** A compute node without TEE, expiring far ahead. */
    public RegistryFixture computeNode(String node, String entity) {
        return node(node, entity, EnumSet.of(Role.COMPUTE), false, epoch + 50);
    }

    /** A validator node without TEE, expiring far ahead. */
    public RegistryFixture validator(String node, String entity) {
        return node(node, entity, EnumSet.of(Role.VALIDATOR), false, epoch + 50);
    }

    public RegistryFixture runtime(String owner, RuntimeDescriptor d) {
        state = applied(registry.registerRuntime(state, call(owner), d));
        return this;
    }

    public RegistryFixture freeze(String node, long untilEpoch) {
        state = applied(registry.freezeNode(state, pub(node), untilEpoch));
        return this;
    }

    public RegistryFixture deregister(String node, String entity) {
        state = applied(registry.deregisterNode(state, call(entity), new DeregisterNode(pub(node))));
        return this;
    }

    private static RegistryState applied(RegistryOutcome outcome) {
        if (outcome instanceof RegistryOutcome.Applied a) {
            return a.state();
        }
        throw new AssertionError("fixture step refused: " + outcome);
    }

    /**
     * A permissionless runtime named {@code name}: {@code workers}, {@code backups}, stragglers 0, timeout 5 blocks,
     * {@code minPoolSize}, {@code maxNodesPerEntity}, min stake 0, no TEE, engine 0.
     */
    public static RuntimeDescriptor runtime(String name, int workers, int backups, int minPoolSize,
            int maxNodesPerEntity) {
        return new RuntimeDescriptor(runtimeId(name), workers, backups, 0, 5, minPoolSize, maxNodesPerEntity, 0,
                new Admission.Permissionless(), false, 0);
    }
}
