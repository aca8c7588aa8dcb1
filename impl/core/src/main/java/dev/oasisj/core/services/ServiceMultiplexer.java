package dev.oasisj.core.services;

import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.BlockContext;
import dev.oasisj.core.app.Misbehaviour;
import dev.oasisj.core.beacon.BeaconMethods;
import dev.oasisj.core.beacon.BeaconOutcome;
import dev.oasisj.core.beacon.BeaconProof;
import dev.oasisj.core.beacon.BeaconRound;
import dev.oasisj.core.beacon.BeaconSubmission;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.InvalidGenesisException;
import dev.oasisj.core.registry.CallContext;
import dev.oasisj.core.registry.DeregisterNode;
import dev.oasisj.core.registry.EscrowBalances;
import dev.oasisj.core.registry.RegisterEntity;
import dev.oasisj.core.registry.RegisterNode;
import dev.oasisj.core.registry.RegisteredNode;
import dev.oasisj.core.registry.RuntimeId;
import dev.oasisj.core.registry.Registry;
import dev.oasisj.core.registry.RegistryMethods;
import dev.oasisj.core.registry.RegistryOutcome;
import dev.oasisj.core.registry.RegistryState;
import dev.oasisj.core.registry.RuntimeDescriptor;
import dev.oasisj.core.scheduler.CommitteeElection;
import dev.oasisj.core.scheduler.RuntimeCommittee;
import dev.oasisj.core.scheduler.Scheduler;
import dev.oasisj.core.scheduler.SortingHash;
import dev.oasisj.core.scheduler.Validator;
import dev.oasisj.core.scheduler.ValidatorElection;
import dev.oasisj.core.staking.AddEscrow;
import dev.oasisj.core.staking.EpochTransition;
import dev.oasisj.core.staking.ReclaimEscrow;
import dev.oasisj.core.staking.SlashResult;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.staking.StakingResult;
import dev.oasisj.core.staking.StakingState;
import dev.oasisj.core.staking.Transfer;
import dev.oasisj.core.tx.MethodRegistry;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.TxDecodeResult;
import dev.oasisj.core.tx.TxMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The consensus services as one state machine: the pure functions behind {@link ServicesApplication}. It routes each
 * transaction to its service by method name, runs the block hooks in a fixed order, and delivers the services'
 * messages to each other. Deterministic: no clock, no randomness (the beacon is the validators' VRF outputs).
 *
 * <p><b>Services, in their fixed order</b>: staking, registry, beacon, scheduler. Methods: {@code staking.Transfer},
 * {@code staking.AddEscrow}, {@code staking.ReclaimEscrow}, {@code registry.RegisterEntity},
 * {@code registry.RegisterNode}, {@code registry.DeregisterNode}, {@code registry.RegisterRuntime},
 * {@code beacon.SubmitProof} (the scheduler has no transactions: it runs in the end-block hook).
 *
 * <p><b>A transaction</b> ({@link #execute}): staking charges the envelope first (nonce, fee into the common pool);
 * if the charge is refused the transaction is not executable at all (a block with it is invalid). Then its service
 * runs the method; if the method is refused, the charge stands and the method's changes do not ({@code failed}).
 *
 * <p><b>Begin-block hook</b> ({@link #beginBlock}): each piece of double-signing evidence in the block not yet
 * punished becomes two messages: registry, freeze the node for {@code doubleSignFreezeEpochs}; staking, slash its
 * entity by {@code doubleSignSlashBaseUnits}. The offence is remembered (for the evidence age) so it is punished
 * once, and evidence against a node that is already frozen slashes nothing more (one slashing per freeze, like
 * CometBFT's tombstone: a validator caught equivocating at several heights before the first evidence lands pays
 * once). A frozen validator stays in the set until the epoch ends, and is not elected again while frozen. Evidence
 * against a validator of the epoch that has deregistered since freezes it all the same (the registry keeps freezes
 * apart from registrations, so the freeze holds if the node registers again) and slashes the entity of its seat;
 * evidence against a key that is neither registered nor a validator of the epoch punishes nothing (an event says so).
 *
 * <p><b>End-block hook</b> ({@link #endBlock}), on the last block of an epoch E, in the order of the agreed semantics
 * ({@code spec/committee/SEMANTICS.md}): staking pays E's rewards to the entities of E's validators that signed blocks
 * of E (whose precommits are in the commits E's blocks carried: {@link ServicesState#signers()}; the spec abstracts
 * signing away, as if every validator signed) and releases
 * matured debonding (epoch E+1); the beacon round of E closes into beacon(E+1); the scheduler elects the validators and
 * then the committees of E+1 (registrations with expiry at least E+1, escrow after the rewards, beacon(E+1)); the round
 * of E+1 opens for the new validators. The validator-set changes are returned to the consensus engine, which applies
 * them two heights later.
 */
public final class ServiceMultiplexer {
    /** How long a punished offence is remembered, in heights: longer than the engine keeps evidence valid. */
    public static final long OFFENCE_MEMORY_BLOCKS = 1_000;

    /** Every method of every service. */
    public static final MethodRegistry METHODS = methods();

    private final String chainId;
    private final ServicesParameters parameters;
    private final Registry registry;
    private final SortingHash sortingHash;

    public ServiceMultiplexer(String chainId, ServicesParameters parameters) {
        this(chainId, parameters, SortingHash.SHA256);
    }

    ServiceMultiplexer(String chainId, ServicesParameters parameters, SortingHash sortingHash) {
        this.chainId = chainId;
        this.parameters = parameters;
        this.registry = new Registry(parameters.registry());
        this.sortingHash = sortingHash;
    }

    private static MethodRegistry methods() {
        MethodRegistry r = new MethodRegistry();
        StakingMethods.ALL.forEach(r::register);
        RegistryMethods.ALL.forEach(r::register);
        BeaconMethods.ALL.forEach(r::register);
        return r;
    }

    public String chainId() {
        return chainId;
    }

    public ServicesParameters parameters() {
        return parameters;
    }

    // ------------------------------------------------------------------------------------------ genesis

    /** The staking state and registry a genesis starts with, and the validators they elect for epoch 0. */
    public record GenesisElection(StakingState staking, RegistryState registry, ValidatorElection validators) {}

    /**
     * The staking state of the genesis {@code accounts} with the common pool and the genesis escrows applied in order,
     * the registry of the section's entities, nodes and runtimes, and the validator set they elect: the set the
     * consensus genesis must declare (the {@code genesis} command computes it from a declaration with this).
     *
     * @throws InvalidGenesisException naming every problem found
     */
    public GenesisElection electAtGenesis(List<Genesis.InitialAccount> accounts, ServicesGenesis services) {
        List<String> problems = new ArrayList<>();
        TreeMap<PublicKey, Long> balances = new TreeMap<>();
        for (Genesis.InitialAccount a : accounts) {
            if (balances.put(a.publicKey(), a.balanceBaseUnits()) != null) {
                problems.add("accounts: " + a.publicKey().shortId() + " listed twice");
            }
        }
        StakingState staking;
        RegistryState reg;
        try {
            staking = StakingState.genesis(parameters.staking(), 0, balances, services.commonPoolBaseUnits());
            for (ServicesGenesis.Escrow e : services.escrows()) {
                StakingResult r = staking.addEscrow(e.delegator(), new AddEscrow(e.entity(), e.amountBaseUnits()));
                if (r instanceof StakingResult.Rejected rej) {
                    problems.add("services.escrows: " + e.delegator().shortId() + " to " + e.entity().shortId()
                            + ": " + rej.reason() + " (" + rej.detail() + ")");
                }
                staking = r.state();
            }
            reg = RegistryState.of(services.entities(), services.nodes(), services.runtimes());
        } catch (IllegalArgumentException e) {
            problems.add("services: " + e.getMessage());
            throw new InvalidGenesisException(problems);
        }
        long supply = staking.totalSupplyBaseUnits();
        long maxPower = dev.oasisj.core.consensus.ValidatorSet.MAX_TOTAL_POWER;
        if (supply > maxPower / parameters.validators().maxValidatorsPerEntity()) {
            problems.add("services: total supply " + supply + " times maxValidatorsPerEntity "
                    + parameters.validators().maxValidatorsPerEntity() + " exceeds the consensus power bound "
                    + maxPower + " (voting power is escrow)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidGenesisException(problems);
        }
        EscrowBalances escrow = ServicesState.escrowOf(staking);
        ValidatorElection validators = Scheduler.electValidators(reg, 0, escrow, parameters.validators(), List.of());
        if (validators.keptPrevious() || validators.validators().isEmpty()) {
            throw new InvalidGenesisException(List.of("services: the genesis registry and escrow elect "
                    + validators.validators().size() + " validators (" + validators.qualified()
                    + " qualified), fewer than minValidators " + parameters.validators().minValidators()));
        }
        return new GenesisElection(staking, reg, validators);
    }

    /**
     * The state at genesis: staking with the genesis accounts' balances and the common pool, the genesis escrows
     * applied in order, the registry's entities, nodes and runtimes, the epoch-0 elections with the genesis beacon.
     * The consensus genesis's validator set must be exactly the elected one (node key and power, in any order).
     *
     * @throws InvalidGenesisException naming the problem
     */
    public ServicesState genesis(Genesis genesis, ServicesGenesis services) {
        GenesisElection g = electAtGenesis(genesis.accounts(), services);
        StakingState staking = g.staking();
        RegistryState reg = g.registry();
        ValidatorElection validators = g.validators();
        EscrowBalances escrow = ServicesState.escrowOf(staking);
        TreeMap<PublicKey, Long> elected = powers(validators);
        TreeMap<PublicKey, Long> declared = new TreeMap<>();
        genesis.validators().forEach(v -> declared.put(v.publicKey(), v.power()));
        if (!elected.equals(declared)) {
            throw new InvalidGenesisException(List.of("validators: the consensus validators " + describe(declared)
                    + " are not the set the services elect at genesis " + describe(elected)
                    + " (node key and power = its entity's escrow); the genesis command computes them"));
        }
        Hash32 beacon = BeaconRound.genesisBeacon(chainId);
        CommitteeElection committees = Scheduler.electCommittees(reg, 0, beacon, escrow, sortingHash);
        return new ServicesState(0, staking, reg, beacon, BeaconRound.open(chainId, 0, beacon, elected), validators,
                committees, new TreeMap<>(), new TreeSet<>(), new TreeSet<>());
    }

    /** The validator powers of an election, by node key. */
    public static TreeMap<PublicKey, Long> powers(ValidatorElection election) {
        TreeMap<PublicKey, Long> m = new TreeMap<>();
        for (Validator v : election.validators()) {
            m.put(v.node(), v.votingPower());
        }
        return m;
    }

    private static String describe(Map<PublicKey, Long> powers) {
        List<String> parts = new ArrayList<>();
        powers.forEach((k, p) -> parts.add(k.shortId() + "=" + p));
        return "[" + String.join(", ", parts) + "]";
    }

    // ------------------------------------------------------------------------------------------ transactions

    /** What executing one transaction did. */
    public sealed interface Execution {
        /** The envelope's charge was refused: the transaction cannot be executed (nor included in a block). */
        record NotExecutable(String reason, String detail) implements Execution {}

        /**
         * Executed: {@code state} has the charge, and the method's changes unless {@code failure} names the
         * method's refusal ({@code service.REASON}).
         */
        record Executed(ServicesState state, @Nullable String failure, String detail) implements Execution {}
    }

    /**
     * Executes {@code decoded} (a well-formed envelope for this chain with a registered method and canonical body,
     * whose signature the caller has checked) on {@code state}.
     */
    public Execution execute(ServicesState state, TxDecodeResult.Decoded<?> decoded) {
        SignedTransaction tx = decoded.transaction();
        StakingResult charged = state.staking().chargeTransaction(tx.signer(), tx.nonce(), tx.fee().amountBaseUnits());
        if (charged instanceof StakingResult.Rejected rej) {
            return new Execution.NotExecutable(rej.reason().name(), rej.detail());
        }
        ServicesState s = state.withStaking(charged.state());
        return method(s, decoded);
    }

    private Execution method(ServicesState s, TxDecodeResult.Decoded<?> d) {
        PublicKey signer = d.transaction().signer();
        TxMethod<?> m = d.method();
        @Nullable Transfer transfer = StakingMethods.TRANSFER.bodyOf(d).orElse(null);
        if (transfer != null) {
            return staking(s, s.staking().transfer(signer, transfer), "transfer of " + transfer.amountBaseUnits());
        }
        @Nullable AddEscrow add = StakingMethods.ADD_ESCROW.bodyOf(d).orElse(null);
        if (add != null) {
            return staking(s, s.staking().addEscrow(signer, add), "escrow " + add.amountBaseUnits() + " to "
                    + add.entity().shortId());
        }
        @Nullable ReclaimEscrow reclaim = StakingMethods.RECLAIM_ESCROW.bodyOf(d).orElse(null);
        if (reclaim != null) {
            return staking(s, s.staking().reclaimEscrow(signer, reclaim), "reclaim " + reclaim.shares()
                    + " shares from " + reclaim.entity().shortId());
        }
        CallContext call = new CallContext(chainId, signer, s.epoch());
        @Nullable RegisterEntity entity = RegistryMethods.REGISTER_ENTITY.bodyOf(d).orElse(null);
        if (entity != null) {
            return registry(s, registry.registerEntity(s.registry(), call, entity), "entity "
                    + entity.entity().shortId());
        }
        @Nullable RegisterNode node = RegistryMethods.REGISTER_NODE.bodyOf(d).orElse(null);
        if (node != null) {
            return registry(s, registry.registerNode(s.registry(), call, node, s.escrow()), "node "
                    + node.descriptor().nodeKey().shortId() + " of " + node.descriptor().entity().shortId()
                    + " until epoch " + node.descriptor().expiryEpoch());
        }
        @Nullable DeregisterNode deregister = RegistryMethods.DEREGISTER_NODE.bodyOf(d).orElse(null);
        if (deregister != null) {
            return registry(s, registry.deregisterNode(s.registry(), call, deregister), "deregister node");
        }
        @Nullable RuntimeDescriptor runtime = RegistryMethods.REGISTER_RUNTIME.bodyOf(d).orElse(null);
        if (runtime != null) {
            return registry(s, registry.registerRuntime(s.registry(), call, runtime), "runtime " + runtime.id());
        }
        @Nullable BeaconProof proof = BeaconMethods.SUBMIT_PROOF.bodyOf(d).orElse(null);
        if (proof != null) {
            BeaconSubmission sub = s.beaconRound().submit(proof);
            if (sub instanceof BeaconSubmission.Accepted acc) {
                return new Execution.Executed(s.withBeaconRound(acc.round()), null, "beacon proof of "
                        + proof.validator().shortId() + " for epoch " + proof.epoch());
            }
            BeaconSubmission.Rejected rej = (BeaconSubmission.Rejected) sub;
            return new Execution.Executed(s, "beacon." + rej.reason().name(), rej.detail());
        }
        throw new IllegalStateException("method " + m.name() + " is registered but not routed");
    }

    private static Execution staking(ServicesState s, StakingResult r, String what) {
        if (r instanceof StakingResult.Rejected rej) {
            return new Execution.Executed(s, "staking." + rej.reason().name(), rej.detail());
        }
        return new Execution.Executed(s.withStaking(r.state()), null, what);
    }

    private static Execution registry(ServicesState s, RegistryOutcome r, String what) {
        if (r instanceof RegistryOutcome.Rejected rej) {
            return new Execution.Executed(s, "registry." + rej.reason().name(), rej.detail());
        }
        return new Execution.Executed(s.withRegistry(((RegistryOutcome.Applied) r).state()), null, what);
    }

    // ------------------------------------------------------------------------------------------ block hooks

    /** A message one service sends another, delivered by the multiplexer in the order sent. */
    public sealed interface ServiceMessage {
        /** To staking: slash {@code entity}'s active escrow by up to {@code amountBaseUnits}. */
        record Slash(PublicKey entity, long amountBaseUnits, String why) implements ServiceMessage {}

        /** To the registry: freeze {@code node} until {@code untilEpoch} (exclusive). */
        record Freeze(PublicKey node, long untilEpoch, String why) implements ServiceMessage {}
    }

    /** A hook's outcome: the state, and the events (and validator updates, at an epoch's end) for the engine. */
    public record HookResult(ServicesState state, List<Application.Event> events,
            List<Application.ValidatorUpdate> validatorUpdates) {
        public HookResult {
            events = List.copyOf(events);
            validatorUpdates = List.copyOf(validatorUpdates);
        }
    }

    /**
     * The begin-block hook of block {@code block} (see the class comment): records the signers of the previous block
     * that are validators of this epoch, and punishes the block's evidence.
     */
    public HookResult beginBlock(ServicesState state, BlockContext block) {
        state = recordSigners(state, block);
        if (block.evidence().isEmpty()
                && state.punished().stream().noneMatch(o -> o.height() < block.height() - OFFENCE_MEMORY_BLOCKS)) {
            return new HookResult(state, List.of(), List.of()); // nothing to punish or forget: the same state
        }
        List<Application.Event> events = new ArrayList<>();
        List<ServiceMessage> messages = new ArrayList<>();
        TreeSet<ServicesState.Offence> punished = new TreeSet<>(state.punished());
        // nodes frozen by this block's evidence: the freeze messages are delivered after the loop, so a second
        // piece of evidence against the same node in this block must see it here (one slashing per freeze)
        TreeSet<PublicKey> frozenNow = new TreeSet<>();
        long epoch = state.epoch();
        for (Misbehaviour m : block.evidence()) {
            ServicesState.Offence offence = new ServicesState.Offence(m.validator(), m.height());
            if (punished.contains(offence)) {
                continue;
            }
            @Nullable RegisteredNode node = state.registry().node(m.validator());
            punished.add(offence);
            // a node deregistered since keeps its validator seat until the epoch ends: frozen all the same (the
            // registry keeps freezes apart from registrations) and the entity of its seat slashed
            @Nullable PublicKey entity = node != null ? node.descriptor().entity() : seatEntity(state, m.validator());
            if (entity == null) {
                events.add(new Application.Event("slash", "double signing by " + m.validator().shortId()
                        + " at height " + m.height() + ": neither registered nor a validator of this epoch"));
                continue;
            }
            if (state.registry().isFrozenIn(m.validator(), epoch) || !frozenNow.add(m.validator())) {
                // already punished and frozen for an earlier offence: one slashing per freeze (CometBFT's tombstone)
                events.add(new Application.Event("slash", "double signing by " + m.validator().shortId()
                        + " at height " + m.height() + ": already frozen, not slashed again"));
                continue;
            }
            String why = "double signing (" + m.kind() + ") at height " + m.height() + " round " + m.round()
                    + (node == null ? " (deregistered since)" : "");
            messages.add(new ServiceMessage.Freeze(m.validator(), epoch + parameters.doubleSignFreezeEpochs(), why));
            messages.add(new ServiceMessage.Slash(entity, parameters.doubleSignSlashBaseUnits(),
                    why + " by node " + m.validator().shortId()));
        }
        punished.removeIf(o -> o.height() < block.height() - OFFENCE_MEMORY_BLOCKS);
        ServicesState s = state.with(state.height(), state.staking(), state.registry(), state.beacon(),
                state.beaconRound(), state.validators(), state.committees(), punished);
        s = deliver(s, messages, events);
        return new HookResult(s, events, List.of());
    }

    /**
     * Punishes a compute node for an incorrect runtime result, as the roothash service of the ParaTime layer will ask
     * when discrepancy detection resolves a round against the node's commitment (oasis-core's
     * {@code runtime-incorrect-results} slashing): the node must be a worker or backup of {@code runtime}'s committee
     * of {@code epoch} (the current epoch or a kept past one, {@link ServicesState#committeesOf}), where the round
     * ran. It is frozen for {@link ServicesParameters#incorrectResultsFreezeEpochs} epochs from the current one (so
     * the next elections leave it out) and its entity's active escrow is slashed by
     * {@link ServicesParameters#incorrectResultsSlashBaseUnits}, once per freeze: a node already frozen in the current
     * epoch is not slashed again. The messages go through {@link #deliver}, as double signing's do.
     *
     * <p>Nothing happens (an event says why) when the committee of that epoch is not kept, the node is not in it, or
     * it is already frozen. A node that deregistered since is frozen (freezes outlive registrations) but its entity,
     * which only its registration names, is not slashed: the roothash service must act before then (its rounds end
     * within their timeout, long before an epoch's registrations lapse).
     */
    public HookResult punishIncorrectResults(ServicesState state, PublicKey node, RuntimeId runtime, long epoch,
            long round) {
        List<Application.Event> events = new ArrayList<>();
        String what = "incorrect results of node " + node.shortId() + " for runtime " + runtime + " round " + round
                + " (epoch " + epoch + ")";
        @Nullable RuntimeCommittee committee = state.committeesOf(epoch).map(e -> e.committees().get(runtime))
                .orElse(null);
        if (!(committee instanceof RuntimeCommittee.Elected elected)) {
            events.add(new Application.Event("slash", what + ": not punished, no elected committee of that runtime"
                    + " is kept for that epoch"));
            return new HookResult(state, events, List.of());
        }
        if (!elected.workers().contains(node) && !elected.backups().contains(node)) {
            events.add(new Application.Event("slash", what + ": not punished, not a member of that committee"));
            return new HookResult(state, events, List.of());
        }
        long current = state.epoch();
        if (state.registry().isFrozenIn(node, current)) {
            events.add(new Application.Event("slash", what + ": already frozen, not slashed again"));
            return new HookResult(state, events, List.of());
        }
        List<ServiceMessage> messages = new ArrayList<>();
        messages.add(new ServiceMessage.Freeze(node, current + parameters.incorrectResultsFreezeEpochs(), what));
        @Nullable RegisteredNode registered = state.registry().node(node);
        if (registered != null) {
            messages.add(new ServiceMessage.Slash(registered.descriptor().entity(),
                    parameters.incorrectResultsSlashBaseUnits(), what));
        } else {
            events.add(new Application.Event("slash", what + ": deregistered since, its entity is not known"));
        }
        return new HookResult(deliver(state, messages, events), events, List.of());
    }

    /**
     * {@code state} with the block's {@code lastCommitSigners} that are validators of the epoch added to its signers;
     * the same state object when they are all there already (most blocks), so the check state stays reusable.
     */
    private static ServicesState recordSigners(ServicesState state, BlockContext block) {
        TreeSet<PublicKey> validators = new TreeSet<>();
        for (Validator v : state.validators().validators()) {
            validators.add(v.node());
        }
        TreeSet<PublicKey> added = null;
        for (PublicKey k : block.lastCommitSigners()) {
            if (validators.contains(k) && !state.signers().contains(k)) {
                if (added == null) {
                    added = new TreeSet<>(state.signers());
                }
                added.add(k);
            }
        }
        return added == null ? state : state.withSigners(added);
    }

    /** The entity of {@code node}'s seat in the current validator set, or null if it holds none. */
    private static @Nullable PublicKey seatEntity(ServicesState state, PublicKey node) {
        for (Validator v : state.validators().validators()) {
            if (v.node().equals(node)) {
                return v.entity();
            }
        }
        return null;
    }

    /** Delivers {@code messages} in order, each to its service. */
    ServicesState deliver(ServicesState state, List<ServiceMessage> messages, List<Application.Event> events) {
        ServicesState s = state;
        for (ServiceMessage msg : messages) {
            if (msg instanceof ServiceMessage.Slash slash) {
                SlashResult r = s.staking().slash(slash.entity(), slash.amountBaseUnits());
                s = s.withStaking(r.state());
                events.add(new Application.Event("slash", "entity " + slash.entity().shortId() + " lost "
                        + r.slashedBaseUnits() + " of escrow to the common pool: " + slash.why()));
            } else if (msg instanceof ServiceMessage.Freeze freeze) {
                RegistryOutcome r = registry.freezeNode(s.registry(), freeze.node(), freeze.untilEpoch());
                if (r instanceof RegistryOutcome.Applied a) {
                    s = s.withRegistry(a.state());
                    events.add(new Application.Event("freeze", "node " + freeze.node().shortId()
                            + " frozen until epoch " + freeze.untilEpoch() + ": " + freeze.why()));
                } else if (r instanceof RegistryOutcome.Rejected rej) {
                    events.add(new Application.Event("freeze", "node " + freeze.node().shortId()
                            + " not frozen: " + rej.reason() + " (" + rej.detail() + ")"));
                }
            }
        }
        return s;
    }

    /** The end-block hook of block {@code height} (see the class comment). */
    public HookResult endBlock(ServicesState state, long height) {
        ServicesState s = state.withHeight(height);
        if (!parameters.endsEpoch(height)) {
            return new HookResult(s, List.of(), List.of());
        }
        List<Application.Event> events = new ArrayList<>();
        long next = s.epoch() + 1;
        List<PublicKey> entities = new ArrayList<>();
        int absent = 0;
        for (Validator v : s.validators().validators()) {
            if (s.signers().contains(v.node())) {
                entities.add(v.entity()); // rewarded: it signed blocks of this epoch
            } else {
                absent++;
            }
        }
        EpochTransition t = s.staking().transitionEpoch(next, entities);
        s = s.withStaking(t.state());
        BeaconOutcome beacon = s.beaconRound().close();
        ValidatorElection validators = Scheduler.electValidators(s.registry(), next, s.escrow(),
                parameters.validators(), s.validators().validators());
        CommitteeElection committees = Scheduler.electCommittees(s.registry(), next, beacon.beacon(), s.escrow(),
                sortingHash);
        TreeMap<PublicKey, Long> before = powers(s.validators());
        TreeMap<PublicKey, Long> after = powers(validators);
        BeaconRound round = BeaconRound.open(chainId, next, beacon.beacon(), after);
        s = s.withNewEpoch(height, s.staking(), beacon.beacon(), round, validators, committees);
        events.add(new Application.Event("epoch", "epoch " + next + " from height " + (height + 1) + ": beacon "
                + beacon.beacon().shortHex() + (beacon.fallback() ? " (fallback: " : " (VRF: ")
                + beacon.contributedPower() + " of " + beacon.totalPower() + " power proved), rewards to "
                + t.rewardedEntities().size() + " entities"
                + (absent == 0 ? "" : " (" + absent + " validators signed no block of the epoch: not rewarded)")
                + (t.unpaidEntities().isEmpty() ? "" : ", " + t.unpaidEntities().size() + " unpaid (common pool short)")
                + ", " + t.released().size() + " debonding released"));
        events.add(new Application.Event("validators", "epoch " + next + (validators.keptPrevious()
                ? " keeps the previous set (" + validators.qualified() + " qualified)" : "") + ": "
                + describe(after)));
        for (RuntimeCommittee c : committees.committees().values()) {
            events.add(new Application.Event("committee", describe(next, c)));
        }
        List<Application.ValidatorUpdate> updates = new ArrayList<>();
        for (PublicKey k : before.keySet()) {
            if (!after.containsKey(k)) {
                updates.add(new Application.ValidatorUpdate(k, 0));
            }
        }
        after.forEach((k, p) -> {
            if (!p.equals(before.get(k))) {
                updates.add(new Application.ValidatorUpdate(k, p));
            }
        });
        return new HookResult(s, events, updates);
    }

    /** One line for a runtime's committee of {@code epoch}. */
    public static String describe(long epoch, RuntimeCommittee c) {
        if (c instanceof RuntimeCommittee.Elected e) {
            return "epoch " + epoch + " " + c.runtime() + ": workers " + ids(e.workers()) + ", backups "
                    + ids(e.backups());
        }
        RuntimeCommittee.Suspended s = (RuntimeCommittee.Suspended) c;
        return "epoch " + epoch + " " + c.runtime() + ": suspended, " + s.reason() + " (" + s.detail() + ")";
    }

    private static String ids(List<PublicKey> keys) {
        List<String> out = new ArrayList<>(keys.size());
        keys.forEach(k -> out.add(k.shortId()));
        return "[" + String.join(", ", out) + "]";
    }
}
