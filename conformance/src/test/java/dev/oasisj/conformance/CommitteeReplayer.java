package dev.oasisj.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.registry.RegistryCodecs;
import dev.oasisj.core.staking.AddEscrowCodec;
import dev.oasisj.core.staking.ReclaimEscrowCodec;
import dev.oasisj.core.staking.TransferCodec;
import dev.oasisj.core.tx.BodyCodec;
import dev.oasisj.core.registry.Admission;
import dev.oasisj.core.registry.CallContext;
import dev.oasisj.core.registry.DeregisterNode;
import dev.oasisj.core.registry.EscrowBalances;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisterEntity;
import dev.oasisj.core.registry.RegisterNode;
import dev.oasisj.core.registry.RegisteredNode;
import dev.oasisj.core.registry.Registry;
import dev.oasisj.core.registry.RegistryConfig;
import dev.oasisj.core.registry.RegistryOutcome;
import dev.oasisj.core.registry.RegistryState;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.registry.RuntimeDescriptor;
import dev.oasisj.core.registry.RuntimeId;
import dev.oasisj.core.scheduler.CommitteeElection;
import dev.oasisj.core.scheduler.RuntimeCommittee;
import dev.oasisj.core.scheduler.Scheduler;
import dev.oasisj.core.scheduler.SortingHash;
import dev.oasisj.core.scheduler.SuspensionReason;
import dev.oasisj.core.scheduler.Validator;
import dev.oasisj.core.scheduler.ValidatorElection;
import dev.oasisj.core.scheduler.ValidatorElectionConfig;
import dev.oasisj.core.staking.AddEscrow;
import dev.oasisj.core.staking.DebondingEntry;
import dev.oasisj.core.staking.EpochTransition;
import dev.oasisj.core.staking.EscrowPool;
import dev.oasisj.core.staking.ReclaimEscrow;
import dev.oasisj.core.staking.StakingAccount;
import dev.oasisj.core.staking.StakingParameters;
import dev.oasisj.core.staking.StakingResult;
import dev.oasisj.core.staking.StakingState;
import dev.oasisj.core.staking.Transfer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Drives the real committee-services cores ({@link StakingState}, {@link Registry}/{@link RegistryState},
 * {@link Scheduler} with {@link SortingHash#SHA256}) through the actions of {@code CommitteeSelection.tla} and maps
 * their state to the spec's variables (the refinement mapping of conformance/README.md, "Committee services"). One
 * instance is one run; {@link #apply} returns the reason when a core refuses an action the spec took.
 */
final class CommitteeReplayer {
    /** The spec variables compared after every step (the history variables are not: see the README). */
    static final List<String> COMPARED = List.of("epoch", "reg", "balance", "poolBalance", "shares", "debonding",
            "commonPool", "frozen", "validators", "valKept", "committee", "suspended");
    static final Set<String> SET_VARIABLES = Set.of("debonding", "frozen");
    /** The freeze of a slashed node: the spec's {@code frozen} lasts to the end of the run. */
    static final long FROZEN_FOREVER = Long.MAX_VALUE;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Map<NodeDescriptor, RegisterNode> SIGNED = new java.util.concurrent.ConcurrentHashMap<>();

    final CommitteeWorld world;
    final Registry registry;
    final ValidatorElectionConfig validatorConfig;
    private final Map<PublicKey, String> entityName = new TreeMap<>();
    private final Map<PublicKey, String> nodeName = new TreeMap<>();
    private final Map<RuntimeId, String> runtimeName = new TreeMap<>();

    long epoch;
    StakingState staking;
    RegistryState reg;
    List<Validator> validators;
    boolean kept;
    CommitteeElection committees;
    /** The last transition's Java answer: entities paid (ascending) and the validator entities it was given. */
    List<String> lastPaid = List.of();
    Set<String> lastRewarded = Set.of();
    List<String> lastUnpaid = List.of();
    /** The debonding entries the last transition released, as the abstract state writes them. */
    Set<String> lastReleased = Set.of();

    /** The sorting hash the scheduler runs with: the real one, except in the deliberately wrong runs of the tests. */
    final SortingHash hash;

    /** The spec's Init: genesis staking, registry and both elections for epoch 0. */
    CommitteeReplayer(CommitteeWorld world) {
        this(world, SortingHash.SHA256);
    }

    CommitteeReplayer(CommitteeWorld world, SortingHash hash) {
        this.world = world;
        this.hash = hash;
        for (String e : world.entities()) {
            entityName.put(CommitteeWorld.entityKey(e), e);
        }
        for (CommitteeWorld.NodeSpec n : world.nodes()) {
            nodeName.put(CommitteeWorld.nodeKey(n.name()), n.name());
        }
        for (CommitteeWorld.RuntimeSpec r : world.runtimes()) {
            runtimeName.put(CommitteeWorld.runtimeId(r.name()), r.name());
        }
        // Registration needs no stake in the spec: every role's minimum is 0, so the registry's check always passes.
        registry = new Registry(new RegistryConfig(0, 0, 0, EnumSet.allOf(Role.class), 1_000));
        validatorConfig = new ValidatorElectionConfig(world.minValidatorStake(), world.maxValidatorsPerEntity(),
                world.maxValidators(), world.minValidators());
        Map<PublicKey, Long> balances = new TreeMap<>();
        for (String e : world.entities()) {
            balances.put(CommitteeWorld.entityKey(e), world.genesisBalance().get(e) + world.genesisEscrow().get(e));
        }
        StakingState s = StakingState.genesis(new StakingParameters(world.debondingDelay(), world.rewardPerEpoch()), 0,
                balances, world.genesisCommonPool());
        for (String e : world.entities()) {
            long escrow = world.genesisEscrow().get(e);
            if (escrow > 0) {
                s = applied(s.addEscrow(CommitteeWorld.entityKey(e), new AddEscrow(CommitteeWorld.entityKey(e),
                        escrow)), "genesis escrow of " + e);
            }
        }
        staking = s;
        RegistryState r = RegistryState.EMPTY;
        for (String e : world.entities()) {
            PublicKey k = CommitteeWorld.entityKey(e);
            r = applied(registry.registerEntity(r, new CallContext(CommitteeWorld.CHAIN_ID, k, 0),
                    wire(RegistryCodecs.REGISTER_ENTITY, new RegisterEntity(k))), "entity " + e);
        }
        PublicKey owner = CommitteeWorld.entityKey(world.entities().get(0));
        for (CommitteeWorld.RuntimeSpec rt : world.runtimes()) {
            r = applied(registry.registerRuntime(r, new CallContext(CommitteeWorld.CHAIN_ID, owner, 0),
                    wire(RegistryCodecs.REGISTER_RUNTIME, descriptor(rt))), "runtime " + rt.name());
        }
        for (CommitteeWorld.NodeSpec n : world.nodes()) {
            if (n.genesisExpiry() >= 0) {
                RegistryOutcome o = registerNode(r, n.name(), n.genesisExpiry());
                r = applied(o, "genesis node " + n.name());
            }
        }
        reg = r;
        epoch = 0;
        ValidatorElection ve = Scheduler.electValidators(reg, 0, escrow(), validatorConfig, List.of());
        validators = ve.validators();
        kept = ve.keptPrevious();
        committees = Scheduler.electCommittees(reg, 0, CommitteeWorld.beacon(0), escrow(), hash);
    }

    private static RuntimeDescriptor descriptor(CommitteeWorld.RuntimeSpec rt) {
        Admission admission = rt.permissioned()
                ? new Admission.Permissioned(rt.allowed().stream().map(CommitteeWorld::entityKey).sorted().toList())
                : new Admission.Permissionless();
        return new RuntimeDescriptor(CommitteeWorld.runtimeId(rt.name()), rt.workers(), rt.backups(),
                rt.allowedStragglers(), rt.roundTimeout(), rt.minPoolSize(), rt.maxNodesPerEntity(), rt.minStake(),
                admission, rt.teeRequired(), 0);
    }

    private RegistryOutcome registerNode(RegistryState r, String node, long expiry) {
        CommitteeWorld.NodeSpec n = world.node(node);
        NodeDescriptor d = new NodeDescriptor(CommitteeWorld.nodeKey(node), CommitteeWorld.entityKey(n.entity()),
                n.roles(), n.tee(), expiry);
        // Ed25519 signatures are deterministic: sign each descriptor once (the registry verifies every time)
        RegisterNode body = SIGNED.computeIfAbsent(d, x -> RegisterNode.sign(x, CommitteeWorld.CHAIN_ID,
                CommitteeWorld.nodeSigner(node), CommitteeWorld.entitySigner(n.entity())));
        return registry.registerNode(r, new CallContext(CommitteeWorld.CHAIN_ID, d.entity(), epoch),
                wire(RegistryCodecs.REGISTER_NODE, body), escrow());
    }

    private static RegistryState applied(RegistryOutcome o, String what) {
        if (o instanceof RegistryOutcome.Rejected rj) {
            throw new IllegalStateException("genesis: " + what + " refused: " + rj.reason() + " " + rj.detail());
        }
        return ((RegistryOutcome.Applied) o).state();
    }

    private static StakingState applied(StakingResult o, String what) {
        if (o instanceof StakingResult.Rejected rj) {
            throw new IllegalStateException("genesis: " + what + " refused: " + rj.reason() + " " + rj.detail());
        }
        return o.state();
    }

    /**
     * The body as the cores receive it in a block: encoded by its transaction codec and decoded again (a codec that
     * does not round-trip fails the replay).
     */
    static <T> T wire(BodyCodec<T> codec, T body) {
        byte[] bytes = codec.encode(body);
        for (byte[] malformed : List.of(java.util.Arrays.copyOf(bytes, bytes.length + 1),
                java.util.Arrays.copyOf(bytes, bytes.length - 1))) {
            try {
                codec.decode(malformed);
                throw new IllegalStateException("the codec of " + body + " decodes a body one byte "
                        + (malformed.length > bytes.length ? "longer" : "shorter") + " than its encoding");
            } catch (DecodeException expected) {
                // a transaction body is exactly its encoding
            }
        }
        try {
            T decoded = codec.decode(bytes);
            if (!decoded.equals(body)) {
                throw new IllegalStateException("codec round trip changed " + body + " into " + decoded);
            }
            return decoded;
        } catch (DecodeException e) {
            throw new IllegalStateException("codec refused its own encoding of " + body, e);
        }
    }

    /** The staking core's active pools, as the registry and scheduler read them. */
    EscrowBalances escrow() {
        // the registry's own adapter from a map (what the seam will pass): every entity of the model, by key
        Map<PublicKey, Long> pools = new TreeMap<>();
        for (String e : world.entities()) {
            PublicKey k = CommitteeWorld.entityKey(e);
            long b = staking.escrowPool(k).activeBalanceBaseUnits();
            if (b > 0) {
                pools.put(k, b);
            }
        }
        return EscrowBalances.of(pools);
    }

    private static String text(JsonNode action, String field) {
        return action.path(field).asText();
    }

    /**
     * Applies one spec action to the cores; returns empty when every core applied it, else why one refused (the
     * cores' state is then unchanged).
     */
    Optional<String> apply(JsonNode action) {
        String name = action.path("name").asText();
        switch (name) {
            case "Register": {
                return registry(registerNode(reg, text(action, "node"), action.path("expiry").asLong()));
            }
            case "Deregister": {
                PublicKey node = CommitteeWorld.nodeKey(text(action, "node"));
                PublicKey entity = CommitteeWorld.entityKey(world.node(text(action, "node")).entity());
                return registry(registry.deregisterNode(reg, new CallContext(CommitteeWorld.CHAIN_ID, entity, epoch),
                        wire(RegistryCodecs.DEREGISTER_NODE, new DeregisterNode(node))));
            }
            case "Transfer":
                return staking(staking.transfer(CommitteeWorld.entityKey(text(action, "from")),
                        wire(TransferCodec.INSTANCE, new Transfer(CommitteeWorld.entityKey(text(action, "to")),
                                action.path("amount").asLong()))));
            case "AddEscrow":
                return staking(staking.addEscrow(CommitteeWorld.entityKey(text(action, "delegator")),
                        wire(AddEscrowCodec.INSTANCE, new AddEscrow(CommitteeWorld.entityKey(text(action, "entity")),
                                action.path("amount").asLong()))));
            case "ReclaimEscrow":
                return staking(staking.reclaimEscrow(CommitteeWorld.entityKey(text(action, "delegator")),
                        wire(ReclaimEscrowCodec.INSTANCE, new ReclaimEscrow(
                                CommitteeWorld.entityKey(text(action, "entity")), action.path("shares").asLong()))));
            case "Slash": {
                String node = text(action, "node");
                // The seam's part: freeze the node (registry), then slash its entity's pool (staking).
                RegistryOutcome frozen = registry.freezeNode(reg, CommitteeWorld.nodeKey(node), FROZEN_FOREVER);
                if (frozen instanceof RegistryOutcome.Rejected rj) {
                    return Optional.of("registry.freezeNode refused " + node + ": " + rj.reason() + " (" + rj.detail()
                            + ")");
                }
                reg = ((RegistryOutcome.Applied) frozen).state();
                staking = staking.slash(CommitteeWorld.entityKey(world.node(node).entity()), world.slashAmount())
                        .state();
                return Optional.empty();
            }
            case "EpochTransition": {
                long next = epoch + 1;
                if (action.path("epoch").asLong() != next) {
                    return Optional.of("EpochTransition to " + action.path("epoch") + " but the cores are in epoch "
                            + epoch);
                }
                TreeSet<PublicKey> rewarded = new TreeSet<>();
                validators.forEach(v -> rewarded.add(v.entity()));
                EpochTransition t = staking.transitionEpoch(next, rewarded);
                staking = t.state();
                epoch = next;
                lastRewarded = new TreeSet<>(rewarded.stream().map(entityName::get).toList());
                lastPaid = t.rewardedEntities().stream().map(entityName::get).toList();
                lastUnpaid = t.unpaidEntities().stream().map(entityName::get).toList();
                TreeSet<String> released = new TreeSet<>();
                for (DebondingEntry d : t.released()) {
                    released.add(StateDiff.canonical(debondingJson(d)));
                }
                lastReleased = released;
                ValidatorElection ve = Scheduler.electValidators(reg, next, escrow(), validatorConfig, validators);
                validators = ve.validators();
                kept = ve.keptPrevious();
                committees = Scheduler.electCommittees(reg, next, CommitteeWorld.beacon(next), escrow(), hash);
                return Optional.empty();
            }
            default:
                return Optional.of("unknown action " + name);
        }
    }

    private Optional<String> registry(RegistryOutcome o) {
        if (o instanceof RegistryOutcome.Rejected rj) {
            return Optional.of("registry refused: " + rj.reason() + " (" + rj.detail() + ")");
        }
        reg = ((RegistryOutcome.Applied) o).state();
        return Optional.empty();
    }

    private Optional<String> staking(StakingResult o) {
        if (o instanceof StakingResult.Rejected rj) {
            if (rj.state() != staking) {
                throw new IllegalStateException("a refused staking operation returned another state: " + rj.reason());
            }
            return Optional.of("staking refused: " + rj.reason() + " (" + rj.detail() + ")");
        }
        staking = o.state();
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------------ refinement mapping

    /** The spec's name of a Java suspension reason: the two "pool below a group size" reasons are "size". */
    static String reasonName(SuspensionReason r) {
        return switch (r) {
            case POOL_BELOW_MIN_POOL_SIZE -> "pool";
            case POOL_BELOW_WORKERS, POOL_BELOW_BACKUPS -> "size";
            case ENTITY_CAP_LEAVES_WORKERS_SHORT, ENTITY_CAP_LEAVES_BACKUPS_SHORT -> "cap";
        };
    }

    /** The abstract state of the cores, in the spec's variables {@link #COMPARED}. */
    ObjectNode abstractState() {
        return abstractState(COMPARED);
    }

    /** The abstract state restricted to {@code vars} (a subset of {@link #COMPARED}). */
    ObjectNode abstractState(List<String> vars) {
        ObjectNode s = F.objectNode();
        if (vars.contains("epoch")) {
            s.put("epoch", epoch);
        }
        if (vars.contains("reg")) {
            ObjectNode regs = s.putObject("reg");
            for (CommitteeWorld.NodeSpec n : world.nodes()) {
                RegisteredNode rn = reg.node(CommitteeWorld.nodeKey(n.name()));
                regs.put(n.name(), rn == null ? -1 : rn.descriptor().expiryEpoch());
            }
        }
        for (String e : world.entities()) {
            PublicKey ek = CommitteeWorld.entityKey(e);
            if (vars.contains("balance")) {
                s.with("balance").put(e, staking.account(ek).generalBalanceBaseUnits());
            }
            if (vars.contains("poolBalance")) {
                s.with("poolBalance").put(e, staking.escrowPool(ek).activeBalanceBaseUnits());
            }
            if (vars.contains("shares")) {
                ObjectNode se = s.with("shares").putObject(e);
                for (String d : world.entities()) {
                    se.put(d, staking.delegationShares(ek, CommitteeWorld.entityKey(d)));
                }
            }
        }
        if (vars.contains("debonding")) {
            ArrayNode deb = s.putArray("debonding");
            for (DebondingEntry d : staking.debondingEntries()) {
                deb.add(debondingJson(d));
            }
        }
        if (vars.contains("commonPool")) {
            s.put("commonPool", staking.commonPoolBaseUnits());
        }
        if (vars.contains("frozen")) {
            // the registry's freeze table, registered nodes or not (as the spec's frozen, apart from reg)
            ArrayNode frozen = s.putArray("frozen");
            for (PublicKey k : reg.freezes().keySet()) {
                if (reg.isFrozenIn(k, epoch)) {
                    frozen.add(name(nodeName, k));
                }
            }
        }
        if (!vars.contains("validators")) {
            return s;
        }
        ObjectNode vals = s.putObject("validators");
        for (Validator v : validators) {
            vals.put(name(nodeName, v.node()), v.votingPower());
        }
        s.put("valKept", kept);
        ObjectNode com = s.putObject("committee");
        ObjectNode sus = s.putObject("suspended");
        for (CommitteeWorld.RuntimeSpec rt : world.runtimes()) {
            RuntimeCommittee c = committees.committees().get(CommitteeWorld.runtimeId(rt.name()));
            ObjectNode groups = com.putObject(rt.name());
            ArrayNode workers = groups.putArray("worker");
            ArrayNode backups = groups.putArray("backup");
            if (c instanceof RuntimeCommittee.Elected el) {
                el.workers().forEach(k -> workers.add(name(nodeName, k)));
                el.backups().forEach(k -> backups.add(name(nodeName, k)));
                sus.put(rt.name(), "none");
            } else if (c instanceof RuntimeCommittee.Suspended su) {
                sus.put(rt.name(), reasonName(su.reason()));
            } else {
                sus.put(rt.name(), "<no election result>");
            }
        }
        return s;
    }

    ObjectNode debondingJson(DebondingEntry d) {
        ObjectNode x = F.objectNode();
        x.put("amount", d.amountBaseUnits());
        x.put("delegator", name(entityName, d.delegator()));
        x.put("end", d.endEpoch());
        x.put("entity", name(entityName, d.entity()));
        return x;
    }

    private static <K> String name(Map<K, String> names, K key) {
        String n = names.get(key);
        return n == null ? "<unknown " + key + ">" : n;
    }

    /** The compared variables of a trace state, normalised (an empty function prints as {@code []}: an empty map). */
    static ObjectNode expectedState(JsonNode traceState) {
        ObjectNode s = F.objectNode();
        for (String v : COMPARED) {
            JsonNode x = traceState.get(v);
            if (x != null && v.equals("validators") && x.isArray() && x.isEmpty()) {
                x = F.objectNode();
            }
            if (x != null && v.equals("committee")) {
                ObjectNode c = F.objectNode();
                x.fields().forEachRemaining(r -> {
                    ObjectNode g = c.putObject(r.getKey());
                    r.getValue().fields().forEachRemaining(k -> g.set(k.getKey(), k.getValue()));
                });
                x = c;
            }
            if (x != null) {
                s.set(v, x);
            }
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------ replay

    record Mismatch(Trace trace, int step, JsonNode action, List<String> differences) {
        String report() {
            return "committee conformance mismatch: " + trace.describe() + " step=" + step + " action=" + action
                    + "\n  " + String.join("\n  ", differences)
                    + "\n  replay: the trace file above, prefix of " + (step + 1) + " states";
        }
    }

    /** Replays the first {@code maxSteps} steps of {@code t}; the first step whose state or outcome differs, if any. */
    static Optional<Mismatch> replay(Trace t, int maxSteps) {
        CommitteeReplayer r = new CommitteeReplayer(CommitteeWorld.byModel(baseModel(t.model())));
        int last = Math.min(t.steps().size() - 1, maxSteps);
        ObjectNode before = null;
        Hash32 stakingRoot = null;
        Hash32 registryRoot = null;
        for (int i = 0; i <= last; i++) {
            Trace.Step step = t.steps().get(i);
            if (i > 0) {
                before = r.abstractState();
                stakingRoot = r.staking.stateRoot();
                registryRoot = r.reg.stateRoot();
                Optional<String> refused = r.apply(step.action());
                if (refused.isPresent()) {
                    return Optional.of(new Mismatch(t, i, step.action(), List.of("not enabled in the implementation: "
                            + refused.get())));
                }
            }
            List<String> diff = new ArrayList<>(StateDiff.differences(expectedState(step.state()), r.abstractState(),
                    SET_VARIABLES));
            if (i > 0 && step.actionName().equals("EpochTransition")) {
                Set<String> rewarded = new TreeSet<>();
                step.action().path("rewarded").forEach(x -> rewarded.add(x.asText()));
                Set<String> paid = new TreeSet<>();
                step.action().path("paid").forEach(x -> paid.add(x.asText()));
                if (!rewarded.equals(r.lastRewarded)) {
                    diff.add("lastAction.rewarded: trace=" + rewarded + " impl=" + r.lastRewarded);
                }
                if (!paid.equals(new TreeSet<>(r.lastPaid))) {
                    diff.add("lastAction.paid: trace=" + paid + " impl=" + r.lastPaid);
                }
                Set<String> unpaid = new TreeSet<>(rewarded);
                unpaid.removeAll(paid);
                if (r.world.rewardPerEpoch() > 0 && !unpaid.equals(new TreeSet<>(r.lastUnpaid))) {
                    diff.add("unpaid entities: trace=" + unpaid + " impl=" + r.lastUnpaid);
                }
                Set<String> released = new TreeSet<>();
                step.state().path("debonding").forEach(x -> released.add(StateDiff.canonical(x)));
                Set<String> wasDebonding = new TreeSet<>();
                t.steps().get(i - 1).state().path("debonding").forEach(x -> wasDebonding.add(StateDiff.canonical(x)));
                wasDebonding.removeAll(released);
                if (!wasDebonding.equals(r.lastReleased)) {
                    diff.add("released debonding: trace=" + wasDebonding + " impl=" + r.lastReleased);
                }
            }
            diff.addAll(validatorOrder(r));
            diff.addAll(queryApi(r, step.state()));
            diff.addAll(restoreChecks(r));
            diff.addAll(rootModelChecks(r));
            if (i > 0) {
                diff.addAll(rootChecks(step.actionName(), before, r.abstractState(), stakingRoot, r.staking.stateRoot(),
                        registryRoot, r.reg.stateRoot()));
            }
            if (!diff.isEmpty()) {
                return Optional.of(new Mismatch(t, i, step.action(), diff));
            }
        }
        return Optional.empty();
    }

    /**
     * State sync preserves every state of a behaviour: the staking state rebuilt from its parts
     * ({@code StakingState.restore} of its accounts, pools, delegations and debonding entries, as a snapshot carries
     * them) and the registry rebuilt from its entities, nodes, runtimes and freezes ({@code RegistryState.of}) have the
     * same roots, the registry is equal, and the refinement mapping of the restored cores is the same abstract state.
     */
    static List<String> restoreChecks(CommitteeReplayer r) {
        List<String> out = new ArrayList<>();
        StakingState st = r.staking;
        Map<PublicKey, StakingAccount> accounts = new TreeMap<>();
        st.forEachAccount(accounts::put);
        Map<PublicKey, EscrowPool> pools = new TreeMap<>();
        st.forEachEscrowPool(pools::put);
        StakingState restoredStaking;
        RegistryState restoredRegistry;
        try {
            restoredStaking = StakingState.restore(st.parameters(), st.epoch(), st.totalSupplyBaseUnits(),
                    st.commonPoolBaseUnits(), accounts, pools, st.delegations(), st.debondingEntries());
            restoredRegistry = RegistryState.of(r.reg.entities(), r.reg.nodes(), r.reg.runtimes(), r.reg.freezes());
        } catch (RuntimeException e) {
            out.add("a state of the behaviour does not restore from its parts: " + e);
            return out;
        }
        if (!restoredStaking.stateRoot().equals(st.stateRoot())) {
            out.add("restored staking root " + restoredStaking.stateRoot().shortHex() + " != " + st.stateRoot().shortHex());
        }
        if (!restoredRegistry.equals(r.reg) || restoredRegistry.hashCode() != r.reg.hashCode()
                || !restoredRegistry.stateRoot().equals(r.reg.stateRoot())) {
            out.add("restored registry differs (equality, hash or root)");
        }
        ObjectNode live = r.abstractState();
        StakingState keptStaking = r.staking;
        RegistryState keptRegistry = r.reg;
        r.staking = restoredStaking;
        r.reg = restoredRegistry;
        try {
            ObjectNode restored = r.abstractState();
            if (!restored.equals(live)) {
                out.add("the restored cores map to another abstract state: " + StateDiff.differences(live, restored,
                        SET_VARIABLES));
            }
        } finally {
            r.staking = keptStaking;
            r.reg = keptRegistry;
        }
        return out;
    }

    /**
     * The cores' roots are the ones their documented definitions give for their contents ({@link CommitteeRootModel}),
     * and their tables are the trees their classes define (a tree that answers correctly but is out of balance, or a
     * treap out of heap order, shows only here).
     */
    static List<String> rootModelChecks(CommitteeReplayer r) {
        List<String> out = new ArrayList<>();
        Hash32 staking = CommitteeRootModel.stakingRoot(r.staking);
        if (!staking.equals(r.staking.stateRoot())) {
            out.add("staking root " + r.staking.stateRoot().shortHex() + " is not its definition's " + staking.shortHex());
        }
        if (!r.staking.tablesWellFormed()) {
            out.add("a staking table is not a well-formed treap (key order, priorities, kept sums or sizes)");
        }
        if (!r.reg.tablesWellFormed()) {
            out.add("a registry table is not a well-formed AVL tree (key order, balance, kept heights or sizes)");
        }
        Hash32 registry = CommitteeRootModel.registryRoot(r.reg);
        if (!registry.equals(r.reg.stateRoot())) {
            out.add("registry root " + r.reg.stateRoot().shortHex() + " is not its definition's " + registry.shortHex());
        }
        return out;
    }

    static final List<String> STAKING_VARIABLES = List.of("epoch", "balance", "poolBalance", "shares", "debonding",
            "commonPool");
    static final List<String> REGISTRY_VARIABLES = List.of("reg", "frozen");

    /**
     * The state roots commit to the abstract state: a step that changes a core's part of the abstract state changes
     * that core's root, and a step of the other core leaves it as it was (registry actions do not touch staking, and
     * money actions do not touch the registry).
     */
    static List<String> rootChecks(String action, ObjectNode before, ObjectNode after, Hash32 stakingBefore,
            Hash32 stakingAfter, Hash32 registryBefore, Hash32 registryAfter) {
        List<String> out = new ArrayList<>();
        boolean stakingChanged = STAKING_VARIABLES.stream().anyMatch(v -> !before.get(v).equals(after.get(v)));
        boolean registryChanged = REGISTRY_VARIABLES.stream().anyMatch(v -> !before.get(v).equals(after.get(v)));
        if (stakingChanged && stakingBefore.equals(stakingAfter)) {
            out.add("staking state root unchanged although the staking state changed");
        }
        if (registryChanged && registryBefore.equals(registryAfter)) {
            out.add("registry state root unchanged although the registrations or freezes changed");
        }
        boolean registryAction = action.equals("Register") || action.equals("Deregister");
        boolean moneyAction = action.equals("Transfer") || action.equals("AddEscrow") || action.equals("ReclaimEscrow");
        if (registryAction && !stakingBefore.equals(stakingAfter)) {
            out.add("a registry action changed the staking state root");
        }
        if (moneyAction && !registryBefore.equals(registryAfter)) {
            out.add("a staking action changed the registry state root");
        }
        return out;
    }

    /**
     * The cores' query API agrees with the spec's variables too (not only the accessors the mapping reads):
     * {@code epoch()}, {@code totalSupplyBaseUnits()} = GenesisTotal = the four terms of STAKE-SUPPLY,
     * {@code delegationsTo(e)} and {@code delegationCount()} = the non-zero {@code shares}, {@code debondingOf(d)} = d's
     * {@code debonding} entries, and the registry's entities, runtimes (with the model's parameters), node count and
     * freeze count ({@code frozen}).
     */
    static List<String> queryApi(CommitteeReplayer r, JsonNode st) {
        List<String> out = new ArrayList<>();
        CommitteeWorld w = r.world;
        if (r.staking.epoch() != st.path("epoch").asLong()) {
            out.add("StakingState.epoch() " + r.staking.epoch() + ", spec epoch " + st.path("epoch"));
        }
        long genesisTotal = w.genesisCommonPool();
        for (String e : w.entities()) {
            genesisTotal += w.genesisBalance().get(e) + w.genesisEscrow().get(e);
        }
        long terms = st.path("commonPool").asLong();
        for (String e : w.entities()) {
            terms += st.path("balance").path(e).asLong() + st.path("poolBalance").path(e).asLong();
        }
        for (JsonNode x : st.path("debonding")) {
            terms += x.path("amount").asLong();
        }
        if (r.staking.totalSupplyBaseUnits() != genesisTotal || terms != genesisTotal) {
            out.add("supply: totalSupplyBaseUnits() " + r.staking.totalSupplyBaseUnits() + ", GenesisTotal "
                    + genesisTotal + ", the spec state's four terms " + terms);
        }
        int nonZero = 0;
        for (String e : w.entities()) {
            Set<String> spec = new TreeSet<>();
            for (String d : w.entities()) {
                long sh = st.path("shares").path(e).path(d).asLong();
                if (sh > 0) {
                    spec.add(d + "=" + sh);
                    nonZero++;
                }
            }
            Set<String> impl = new TreeSet<>();
            r.staking.delegationsTo(CommitteeWorld.entityKey(e)).forEach(x -> impl.add(name(r.entityName,
                    x.delegator()) + "=" + x.shares()));
            if (!spec.equals(impl)) {
                out.add("delegationsTo(" + e + "): spec " + spec + ", impl " + impl);
            }
            Set<String> specDeb = new TreeSet<>();
            for (JsonNode x : st.path("debonding")) {
                if (x.path("delegator").asText().equals(e)) {
                    specDeb.add(StateDiff.canonical(x));
                }
            }
            Set<String> implDeb = new TreeSet<>();
            r.staking.debondingOf(CommitteeWorld.entityKey(e)).forEach(x -> implDeb.add(StateDiff.canonical(
                    r.debondingJson(x))));
            if (!specDeb.equals(implDeb)) {
                out.add("debondingOf(" + e + "): spec " + specDeb + ", impl " + implDeb);
            }
        }
        if (r.staking.delegationCount() != nonZero) {
            out.add("delegationCount() " + r.staking.delegationCount() + ", non-zero shares " + nonZero);
        }
        Set<String> entities = new TreeSet<>();
        r.reg.entities().forEach(k -> entities.add(name(r.entityName, k)));
        if (!entities.equals(new TreeSet<>(w.entities())) || r.reg.entityCount() != w.entities().size()) {
            out.add("registry entities " + entities + " (count " + r.reg.entityCount() + "), spec " + w.entities());
        }
        if (r.reg.runtimeCount() != w.runtimes().size() || r.reg.runtimes().size() != w.runtimes().size()) {
            out.add("registry runtimes: " + r.reg.runtimeCount() + ", spec " + w.runtimes().size());
        }
        for (CommitteeWorld.RuntimeSpec rt : w.runtimes()) {
            var stored = r.reg.runtime(CommitteeWorld.runtimeId(rt.name()));
            if (stored == null || !stored.descriptor().equals(descriptor(rt))) {
                out.add("registry runtime " + rt.name() + ": " + stored + ", spec RuntimeParams " + rt);
            }
        }
        long registered = 0;
        for (CommitteeWorld.NodeSpec n : w.nodes()) {
            registered += st.path("reg").path(n.name()).asLong() == -1 ? 0 : 1;
        }
        if (r.reg.nodeCount() != registered || r.reg.nodes().size() != registered) {
            out.add("registry nodeCount() " + r.reg.nodeCount() + ", nodes with reg # -1: " + registered);
        }
        // the freeze table is the spec's frozen (the model's freezes last to the end of the run), registered or not
        if (r.reg.freezeCount() != st.path("frozen").size() || r.reg.freezes().size() != st.path("frozen").size()) {
            out.add("registry freezeCount() " + r.reg.freezeCount() + ", spec frozen " + st.path("frozen"));
        }
        return out;
    }

    /** The validator list is in the spec's ranking order (StakeBefore: power descending, node key ascending). */
    static List<String> validatorOrder(CommitteeReplayer r) {
        for (int k = 1; k < r.validators.size(); k++) {
            Validator a = r.validators.get(k - 1);
            Validator b = r.validators.get(k);
            boolean ordered = a.votingPower() > b.votingPower()
                    || (a.votingPower() == b.votingPower() && a.node().compareTo(b.node()) < 0);
            if (!ordered) {
                return List.of("validators not in ranking order at index " + k + ": " + r.validators);
            }
        }
        return List.of();
    }

    /** The world of a trace model: a witness model runs over its base model's constants. */
    static String baseModel(String model) {
        for (CommitteeModelFiles.Witness w : CommitteeModelFiles.WITNESSES) {
            if (w.name().equals(model)) {
                return w.world().name();
            }
        }
        return model;
    }
}
