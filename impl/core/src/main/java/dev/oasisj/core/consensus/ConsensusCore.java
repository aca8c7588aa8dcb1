package dev.oasisj.core.consensus;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.consensus.ConsensusMessage.Kind;
import dev.oasisj.core.consensus.ConsensusMessage.Precommit;
import dev.oasisj.core.consensus.ConsensusMessage.Prevote;
import dev.oasisj.core.consensus.ConsensusMessage.Proposal;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * The consensus state machine of ONE validator (or of a non-validator observer), implementing exactly the correct
 * actions of {@code spec/consensus/ACTIONS.md}. Single-threaded and deterministic: no clock, no randomness; time enters
 * only as the timeout actions, which the node driver fires from its ticks (see the {@code ...Armed()} methods).
 *
 * <p>Inputs: {@link #deliver} (a signed message from the network, checked and logged, or rejected with nothing
 * changed) and one method per action, each with the spec's parameters. An action method checks exactly the spec's
 * enabling condition against this core's state and message log; if it does not hold it returns
 * {@link StepResult.NotEnabled} and changes nothing, otherwise it applies exactly the spec's effect and returns
 * {@link StepResult.Applied} with the messages it signed (already in its own log). After every applied step the
 * always-on invariant checks run ({@link #checkInvariants}).
 *
 * <p>Differences from the spec, all outside the refinement mapping: the spec's {@code MaxRound} and {@code MaxHeight}
 * are model bounds, taken from {@link ConsensusConfig} (unbounded by default); {@code IsValid(v)} is the
 * {@link ValuePolicy} applied to the proposal's payload (the core caches its answer per value within a height, so the
 * policy must be pure); the message log keeps the current, the next and the previous height only.
 *
 * <p>An observer (no signer, or a signer whose key is not in the validator set) goes through the same steps but signs
 * and broadcasts nothing; it can never propose.
 */
public final class ConsensusCore {
    /** Past heights whose messages stay in the log after {@link #nextHeight()} (for certificates and evidence). */
    public static final int KEPT_PAST_HEIGHTS = 1;
    /** {@link #fireEnabled()} stops with an invariant failure after this many actions (each action makes progress). */
    static final int MAX_FIRED_ACTIONS = 1_000_000;

    private final ConsensusConfig config;
    /**
     * The validator set of each height (validator sets per height, issue 9): asked only for the current height and
     * the next one, which the driver knows when the core is at a height (a set takes effect two heights after the
     * block that decided it). Must be pure: the same height always gives the same set.
     */
    private final LongFunction<ValidatorSet> validatorsAt;
    private final Optional<Signer> signer;
    private final ValuePolicy policy;

    private long height;
    private int round;
    private Step step;
    private VoteValue lockedValue = VoteValue.NIL;
    private int lockedRound = -1;
    private VoteValue validValue = VoteValue.NIL;
    private int validRound = -1;
    private final TreeMap<Long, Decision> decisions = new TreeMap<>();
    private final TreeMap<Long, HeightLog> logs = new TreeMap<>();
    /** {@code IsValid} answers for the current height (the policy is pure; block validation may be costly). */
    private final TreeMap<Hash32, Boolean> validityCache = new TreeMap<>();

    /** Messages of one round, indexed for the quorum checks. */
    private static final class RoundLog {
        /** Proposals; {@link #deliver} admits only the round's proposer's, so all are "from the proposer". */
        final List<SignedMessage> proposals = new ArrayList<>();
        final TreeMap<PublicKey, List<VoteValue>> prevotes = new TreeMap<>();
        final TreeMap<PublicKey, List<VoteValue>> precommits = new TreeMap<>();

        TreeMap<PublicKey, List<VoteValue>> votes(Kind kind) {
            return kind == Kind.PREVOTE ? prevotes : precommits;
        }
    }

    /** Messages of one height: per round, plus arrival order. */
    private static final class HeightLog {
        final TreeMap<Integer, RoundLog> rounds = new TreeMap<>();
        final List<SignedMessage> arrivalOrder = new ArrayList<>();

        RoundLog round(int r) {
            return rounds.computeIfAbsent(r, k -> new RoundLog());
        }
    }

    /** A core whose validator set is the same at every height. */
    public ConsensusCore(ConsensusConfig config, ValidatorSet validators, Optional<Signer> signer, ValuePolicy policy,
            long startHeight) {
        this(config, h -> validators, signer, policy, startHeight);
    }

    /**
     * A core whose validator set at height {@code h} is {@code validatorsAt.apply(h)} (pure; asked for the current
     * and the next height only).
     */
    public ConsensusCore(ConsensusConfig config, LongFunction<ValidatorSet> validatorsAt, Optional<Signer> signer,
            ValuePolicy policy, long startHeight) {
        if (startHeight < 1 || startHeight > config.maxHeight()) {
            throw new IllegalArgumentException("startHeight must be in 1.." + config.maxHeight() + ", got "
                    + startHeight);
        }
        this.config = config;
        this.validatorsAt = validatorsAt;
        this.signer = signer;
        this.policy = policy;
        this.height = startHeight;
        this.round = 0;
        this.step = Step.PROPOSE;
    }

    // ------------------------------------------------------------------------------------------------ accessors

    public ConsensusConfig config() {
        return config;
    }

    /** The validator set of the current height. */
    public ValidatorSet validators() {
        return validatorsAt.apply(height);
    }

    public long height() {
        return height;
    }

    public int round() {
        return round;
    }

    public Step step() {
        return step;
    }

    /** This core's key if it is a validator of the set (it signs and may propose); empty for an observer. */
    public Optional<PublicKey> ownKey() {
        return signer.map(Signer::publicKey).filter(validators()::contains);
    }

    /** The abstract state (the refinement mapping compared with traces). */
    public ConsensusSnapshot snapshot() {
        TreeMap<Long, Hash32> decided = new TreeMap<>();
        for (Map.Entry<Long, Decision> e : decisions.entrySet()) {
            decided.put(e.getKey(), e.getValue().value());
        }
        return new ConsensusSnapshot(height, round, step, lockedValue, lockedRound, validValue, validRound, decided);
    }

    public Optional<Decision> decision(long atHeight) {
        return Optional.ofNullable(decisions.get(atHeight));
    }

    /** Every kept message (own included), by height ascending, then in arrival order. */
    public List<SignedMessage> messageLog() {
        List<SignedMessage> all = new ArrayList<>();
        for (HeightLog log : logs.values()) {
            all.addAll(log.arrivalOrder);
        }
        return Collections.unmodifiableList(all);
    }

    /** True if this core is a validator and the proposer of its current {@code (height, round)}. */
    public boolean isProposer() {
        Optional<PublicKey> own = ownKey();
        return own.isPresent() && validators().proposer(height, round).key().equals(own.get());
    }

    /**
     * The value this core must propose if it is the proposer: {@code validValue} with its block bytes, when set;
     * empty when the caller must supply a fresh valid value.
     */
    public Optional<ValuePayload> requiredProposal() {
        Optional<Hash32> v = validValue.valueHash();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        return findProposal(height, validRound, v.get()).map(p -> new ValuePayload(p.value(), p.payload()));
    }

    /** The propose timeout runs while the step is {@code propose}. */
    public boolean timeoutProposeArmed() {
        return step == Step.PROPOSE;
    }

    /** The prevote timeout runs in step {@code prevote} once prevotes of a quorum (any values) arrived. */
    public boolean timeoutPrevoteArmed() {
        return step == Step.PREVOTE && validators().isQuorum(voteSenders(height, round, Kind.PREVOTE));
    }

    /** The precommit timeout runs, until decided, once precommits of a quorum (any values) arrived. */
    public boolean timeoutPrecommitArmed() {
        return step != Step.DECIDED && validators().isQuorum(voteSenders(height, round, Kind.PRECOMMIT));
    }

    // ------------------------------------------------------------------------------------------------ deliver

    /**
     * Checks a message from the network and adds it to the log. Rejected (nothing changed): unknown signer, bad
     * signature, height other than the current or the next one, round more than {@code roundWindow} above the current
     * round (above 0 for the next height), a proposal not from the round's proposer, a message already logged, or more
     * than {@code maxMessagesPerSenderSlot} different messages of one kind from one sender at one (height, round).
     * Equivocating messages below that limit are kept: they are evidence and count once per sender toward quorums.
     */
    public DeliverResult deliver(SignedMessage signed) {
        ConsensusMessage m = signed.message();
        PublicKey src = signed.signer();
        ValidatorSet validators = validatorsAt.apply(m.height());
        if (!validators.contains(src)) {
            return reject(DeliverResult.Reason.UNKNOWN_VALIDATOR, "signer " + src.shortId() + " is not a validator");
        }
        if (m.height() < height) {
            return reject(DeliverResult.Reason.STALE_HEIGHT, "height " + m.height() + " < current " + height);
        }
        if (m.height() > height + 1) {
            return reject(DeliverResult.Reason.FUTURE_HEIGHT_TOO_FAR, "height " + m.height() + " > current + 1 = "
                    + (height + 1));
        }
        long baseRound = m.height() == height ? round : 0;
        if ((long) m.round() > baseRound + config.roundWindow()) {
            return reject(DeliverResult.Reason.ROUND_TOO_FAR, "round " + m.round() + " > " + baseRound + " + "
                    + config.roundWindow());
        }
        if (m instanceof Proposal && !validators.proposer(m.height(), m.round()).key().equals(src)) {
            return reject(DeliverResult.Reason.NOT_PROPOSER, "proposal at (" + m.height() + ", " + m.round()
                    + ") from " + src.shortId() + ", not from the proposer");
        }
        List<ConsensusMessage> sameSlot = messagesOf(src, m.height(), m.round(), m.kind());
        if (sameSlot.contains(m)) {
            return reject(DeliverResult.Reason.DUPLICATE, m + " from " + src.shortId() + " already logged");
        }
        if (!sameSlot.isEmpty() && signer.map(Signer::publicKey).filter(validators::contains).filter(src::equals)
                .isPresent()) {
            // Signed with this core's key but not the message it holds: an echo of what this validator signed before
            // it lost its journal. It never holds two of its own (OwnNoEquivocationInv); the sign guard keeps the one
            // it holds from leaving, so the network keeps the echoed one.
            return reject(DeliverResult.Reason.OWN_CONFLICT, m + " signed with this validator's key differs from its "
                    + sameSlot.get(0) + " at (" + m.height() + ", " + m.round() + ")");
        }
        if (sameSlot.size() >= config.maxMessagesPerSenderSlot()) {
            return reject(DeliverResult.Reason.EQUIVOCATION_LIMIT, src.shortId() + " already has " + sameSlot.size()
                    + " different " + m.kind() + " messages at (" + m.height() + ", " + m.round() + ")");
        }
        // Last, because it is the costly check; the checks above reject without changing anything either way.
        if (!signed.verify(config.chainId())) {
            return reject(DeliverResult.Reason.BAD_SIGNATURE, "invalid signature by " + src.shortId());
        }
        addToLog(signed);
        return new DeliverResult.Accepted();
    }

    private static DeliverResult reject(DeliverResult.Reason reason, String detail) {
        return new DeliverResult.Rejected(reason, detail);
    }

    private void addToLog(SignedMessage signed) {
        ConsensusMessage m = signed.message();
        HeightLog hl = logs.computeIfAbsent(m.height(), k -> new HeightLog());
        RoundLog rl = hl.round(m.round());
        if (m instanceof Proposal) {
            rl.proposals.add(signed);
        } else if (m instanceof Prevote p) {
            rl.prevotes.computeIfAbsent(signed.signer(), k -> new ArrayList<>()).add(p.value());
        } else if (m instanceof Precommit c) {
            rl.precommits.computeIfAbsent(signed.signer(), k -> new ArrayList<>()).add(c.value());
        }
        hl.arrivalOrder.add(signed);
    }

    // ------------------------------------------------------------------------------------------------ log queries

    private Optional<RoundLog> roundLog(long h, int r) {
        HeightLog hl = logs.get(h);
        if (hl == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(hl.rounds.get(r));
    }

    /** The messages of one kind from one sender at (h, r). */
    private List<ConsensusMessage> messagesOf(PublicKey src, long h, int r, Kind kind) {
        List<ConsensusMessage> out = new ArrayList<>();
        Optional<RoundLog> rl = roundLog(h, r);
        if (rl.isEmpty()) {
            return out;
        }
        if (kind == Kind.PROPOSAL) {
            for (SignedMessage s : rl.get().proposals) {
                if (s.signer().equals(src)) {
                    out.add(s.message());
                }
            }
            return out;
        }
        List<VoteValue> values = rl.get().votes(kind).get(src);
        if (values != null) {
            for (VoteValue v : values) {
                out.add(kind == Kind.PREVOTE ? new Prevote(h, r, v) : new Precommit(h, r, v));
            }
        }
        return out;
    }

    /** Proposals at (h, r) (all from {@code Proposer(h, r)}), in arrival order. */
    private List<Proposal> proposals(long h, int r) {
        List<Proposal> out = new ArrayList<>();
        Optional<RoundLog> rl = roundLog(h, r);
        if (rl.isPresent()) {
            for (SignedMessage s : rl.get().proposals) {
                out.add((Proposal) s.message());
            }
        }
        return out;
    }

    private Optional<Proposal> findProposal(long h, int r, Hash32 value) {
        for (Proposal p : proposals(h, r)) {
            if (p.value().equals(value)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private Optional<Proposal> findProposal(long h, int r, Hash32 value, int withValidRound) {
        for (Proposal p : proposals(h, r)) {
            if (p.value().equals(value) && p.validRound() == withValidRound) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Senders of votes of {@code kind} at (h, r), whatever the value. */
    private TreeSet<PublicKey> voteSenders(long h, int r, Kind kind) {
        Optional<RoundLog> rl = roundLog(h, r);
        return rl.isEmpty() ? new TreeSet<>() : new TreeSet<>(rl.get().votes(kind).keySet());
    }

    /** Senders of votes of {@code kind} for {@code value} at (h, r): a sender counts once, however many it sent. */
    private TreeSet<PublicKey> voteSenders(long h, int r, Kind kind, VoteValue value) {
        TreeSet<PublicKey> out = new TreeSet<>();
        Optional<RoundLog> rl = roundLog(h, r);
        if (rl.isPresent()) {
            for (Map.Entry<PublicKey, List<VoteValue>> e : rl.get().votes(kind).entrySet()) {
                if (e.getValue().contains(value)) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }

    /** Senders of messages of any kind at (h, r). */
    private TreeSet<PublicKey> anySenders(long h, int r) {
        TreeSet<PublicKey> out = voteSenders(h, r, Kind.PREVOTE);
        out.addAll(voteSenders(h, r, Kind.PRECOMMIT));
        Optional<RoundLog> rl = roundLog(h, r);
        if (rl.isPresent()) {
            for (SignedMessage s : rl.get().proposals) {
                out.add(s.signer());
            }
        }
        return out;
    }

    private boolean prevoteQuorum(long h, int r, VoteValue value) {
        return validatorsAt.apply(h).isQuorum(voteSenders(h, r, Kind.PREVOTE, value));
    }

    /** The spec's {@code IsValid(v)}: the policy over the proposal's block bytes, cached per value in a height. */
    private boolean isValid(Proposal p) {
        Boolean cached = validityCache.get(p.value());
        if (cached != null) {
            return cached;
        }
        boolean valid = policy.isValid(p.value(), p.payload());
        validityCache.put(p.value(), valid);
        return valid;
    }

    // ------------------------------------------------------------------------------------------------ actions

    /**
     * {@code Propose}: enabled when the step is {@code propose}, this core is {@code Proposer(h, r)} and has not proposed
     * at (h, r). If {@code validValue} is set, the only accepted call is {@code propose(validValue, itsPayload)} (see
     * {@link #requiredProposal()}), which re-proposes it with {@code validRound}; any other value is NotEnabled. Else
     * {@code value} must be valid (the {@link ValuePolicy}) and is proposed with {@code validRound = -1}. Step unchanged.
     */
    public StepResult propose(Hash32 value, byte[] payload) {
        return apply(new Action.Propose(value, payload));
    }

    /** {@code PrevoteOnProposal}: on a proposal (h, r, value, -1), prevote it if valid and not locked on another. */
    public StepResult prevoteOnProposal(Hash32 value) {
        return apply(new Action.PrevoteOnProposal(value));
    }

    /** {@code PrevoteOnProposalWithPOL}: on a proposal (h, r, value, vr) with a prevote quorum at (h, vr, value). */
    public StepResult prevoteOnProposalWithPol(Hash32 value, int validRoundOfProposal) {
        return apply(new Action.PrevoteOnProposalWithPol(value, validRoundOfProposal));
    }

    /** {@code TimeoutPropose}: prevote Nil. */
    public StepResult timeoutPropose() {
        return apply(new Action.TimeoutPropose());
    }

    /** {@code TimeoutPrevote}: precommit Nil after prevotes of a quorum at (h, r). */
    public StepResult timeoutPrevote() {
        return apply(new Action.TimeoutPrevote());
    }

    /** {@code LockOnPOL}: a valid proposal with a prevote quorum at (h, r): lock and precommit it, record it as valid. */
    public StepResult lockOnPol(Hash32 value) {
        return apply(new Action.LockOnPol(value));
    }

    /** {@code PrecommitOnNilQuorum}: a quorum prevoted Nil at (h, r): precommit Nil. */
    public StepResult precommitOnNilQuorum() {
        return apply(new Action.PrecommitOnNilQuorum());
    }

    /** {@code TimeoutPrecommit}: after precommits of a quorum at (h, r), go to round r + 1. */
    public StepResult timeoutPrecommit() {
        return apply(new Action.TimeoutPrecommit());
    }

    /** {@code Decide}: a valid proposal (h, decideRound, value) with a precommit quorum for it. */
    public StepResult decide(Hash32 value, int decideRound) {
        return apply(new Action.Decide(value, decideRound));
    }

    /** {@code RoundSkip}: messages at (h, targetRound > r) from more than a third of the power: go to that round. */
    public StepResult roundSkip(int targetRound) {
        return apply(new Action.RoundSkip(targetRound));
    }

    /** {@code NextHeight}: after deciding, go to height h + 1, round 0, locks reset. */
    public StepResult nextHeight() {
        return apply(new Action.NextHeight());
    }

    /** Applies any action: NotEnabled (nothing changed) or Applied (effect done, invariants checked). */
    public StepResult apply(Action action) {
        Optional<String> notEnabled = whyNotEnabled(action);
        if (notEnabled.isPresent()) {
            return new StepResult.NotEnabled(action, notEnabled.get());
        }
        int decisionsBefore = decisions.size();
        StepResult.Applied applied = effect(action);
        checkInvariants(action, decisionsBefore);
        return applied;
    }

    /**
     * The enabled correct actions, in the driver's priority order: Decide (rounds ascending), LockOnPOL,
     * PrecommitOnNilQuorum, PrevoteOnProposalWithPOL, PrevoteOnProposal, RoundSkip (highest round first), NextHeight.
     * Never the timeouts (fired from ticks) nor Propose (needs a value from the node).
     */
    public List<Action> enabledActions() {
        List<Action> candidates = new ArrayList<>();
        HeightLog hl = logs.get(height);
        if (hl != null) {
            for (Map.Entry<Integer, RoundLog> e : hl.rounds.entrySet()) {
                for (Proposal p : proposals(height, e.getKey())) {
                    candidates.add(new Action.Decide(p.value(), e.getKey()));
                }
            }
        }
        List<Proposal> current = proposals(height, round);
        for (Proposal p : current) {
            candidates.add(new Action.LockOnPol(p.value()));
        }
        candidates.add(new Action.PrecommitOnNilQuorum());
        for (Proposal p : current) {
            if (p.validRound() >= 0) {
                candidates.add(new Action.PrevoteOnProposalWithPol(p.value(), p.validRound()));
            }
        }
        for (Proposal p : current) {
            if (p.validRound() == -1) {
                candidates.add(new Action.PrevoteOnProposal(p.value()));
            }
        }
        if (hl != null) {
            for (Integer r : hl.rounds.descendingKeySet()) {
                if (r > round) {
                    candidates.add(new Action.RoundSkip(r));
                }
            }
        }
        candidates.add(new Action.NextHeight());

        List<Action> enabled = new ArrayList<>();
        for (Action a : candidates) {
            if (whyNotEnabled(a).isEmpty() && !enabled.contains(a)) {
                enabled.add(a);
            }
        }
        return Collections.unmodifiableList(enabled);
    }

    /** Fires the first enabled action until none is enabled; returns what each firing did, in order. */
    public List<StepResult.Applied> fireEnabled() {
        List<StepResult.Applied> fired = new ArrayList<>();
        for (int i = 0; i < MAX_FIRED_ACTIONS; i++) {
            List<Action> enabled = enabledActions();
            if (enabled.isEmpty()) {
                return fired;
            }
            StepResult r = apply(enabled.get(0));
            if (!(r instanceof StepResult.Applied a)) {
                throw new Invariant.ViolationException("EnabledActionAppliesInv violated: " + r);
            }
            fired.add(a);
        }
        throw new Invariant.ViolationException("FireEnabledTerminatesInv violated: more than " + MAX_FIRED_ACTIONS
                + " actions");
    }

    /** Empty if the action's enabling condition (ACTIONS.md) holds now; else the reason it does not. */
    private Optional<String> whyNotEnabled(Action action) {
        if (action instanceof Action.Propose a) {
            if (step != Step.PROPOSE) {
                return no("step is " + step + ", not PROPOSE");
            }
            if (!isProposer()) {
                return no("this core is not the proposer of (" + height + ", " + round + ")");
            }
            PublicKey own = ownKey().orElseThrow();
            if (!messagesOf(own, height, round, Kind.PROPOSAL).isEmpty()) {
                return no("already proposed at (" + height + ", " + round + ")");
            }
            if (!Hash32.sha256(a.payload()).equals(a.value())) {
                return no("value is not the SHA-256 of the payload");
            }
            if (a.payload().length > ConsensusMessageCodec.MAX_PAYLOAD_BYTES) {
                return no("payload exceeds " + ConsensusMessageCodec.MAX_PAYLOAD_BYTES + " bytes");
            }
            if (!validValue.isNil()) {
                return validValue.equals(VoteValue.of(a.value())) ? Optional.empty()
                        : no("validValue " + validValue + " is set: it must be re-proposed, not " + a.value().shortHex());
            }
            return policy.isValid(a.value(), a.payload()) ? Optional.empty() : no("the value is not valid");
        } else if (action instanceof Action.PrevoteOnProposal a) {
            if (step != Step.PROPOSE) {
                return no("step is " + step + ", not PROPOSE");
            }
            return findProposal(height, round, a.value(), -1).isPresent() ? Optional.empty()
                    : no("no proposal (" + height + ", " + round + ", " + a.value().shortHex() + ", -1)");
        } else if (action instanceof Action.PrevoteOnProposalWithPol a) {
            if (step != Step.PROPOSE) {
                return no("step is " + step + ", not PROPOSE");
            }
            if (a.validRound() < 0 || a.validRound() >= round) {
                return no("validRound " + a.validRound() + " not in 0.." + (round - 1));
            }
            if (findProposal(height, round, a.value(), a.validRound()).isEmpty()) {
                return no("no proposal (" + height + ", " + round + ", " + a.value().shortHex() + ", "
                        + a.validRound() + ")");
            }
            return prevoteQuorum(height, a.validRound(), VoteValue.of(a.value())) ? Optional.empty()
                    : no("no prevote quorum for " + a.value().shortHex() + " at round " + a.validRound());
        } else if (action instanceof Action.TimeoutPropose) {
            return step == Step.PROPOSE ? Optional.empty() : no("step is " + step + ", not PROPOSE");
        } else if (action instanceof Action.TimeoutPrevote) {
            if (step != Step.PREVOTE) {
                return no("step is " + step + ", not PREVOTE");
            }
            return validators().isQuorum(voteSenders(height, round, Kind.PREVOTE)) ? Optional.empty()
                    : no("no quorum of prevotes at (" + height + ", " + round + ")");
        } else if (action instanceof Action.LockOnPol a) {
            if (step != Step.PREVOTE && step != Step.PRECOMMIT) {
                return no("step is " + step + ", not PREVOTE or PRECOMMIT");
            }
            if (step == Step.PRECOMMIT && validRound == round) {
                return no("validRound is already the current round");
            }
            Optional<Proposal> p = findProposal(height, round, a.value());
            if (p.isEmpty()) {
                return no("no proposal for " + a.value().shortHex() + " at (" + height + ", " + round + ")");
            }
            if (!isValid(p.get())) {
                return no("the value is not valid");
            }
            return prevoteQuorum(height, round, VoteValue.of(a.value())) ? Optional.empty()
                    : no("no prevote quorum for " + a.value().shortHex() + " at round " + round);
        } else if (action instanceof Action.PrecommitOnNilQuorum) {
            if (step != Step.PREVOTE) {
                return no("step is " + step + ", not PREVOTE");
            }
            return prevoteQuorum(height, round, VoteValue.NIL) ? Optional.empty() : no("no quorum of Nil prevotes");
        } else if (action instanceof Action.TimeoutPrecommit) {
            if (step == Step.DECIDED) {
                return no("decided");
            }
            if (round >= config.maxRound()) {
                return no("round " + round + " is maxRound");
            }
            return validators().isQuorum(voteSenders(height, round, Kind.PRECOMMIT)) ? Optional.empty()
                    : no("no quorum of precommits at (" + height + ", " + round + ")");
        } else if (action instanceof Action.Decide a) {
            if (decisions.containsKey(height)) {
                return no("already decided at height " + height);
            }
            if (a.round() < 0) {
                return no("round " + a.round() + " is negative");
            }
            Optional<Proposal> p = findProposal(height, a.round(), a.value());
            if (p.isEmpty()) {
                return no("no proposal for " + a.value().shortHex() + " at (" + height + ", " + a.round() + ")");
            }
            if (!validators().isQuorum(voteSenders(height, a.round(), Kind.PRECOMMIT, VoteValue.of(a.value())))) {
                return no("no precommit quorum for " + a.value().shortHex() + " at round " + a.round());
            }
            return isValid(p.get()) ? Optional.empty() : no("the value is not valid");
        } else if (action instanceof Action.RoundSkip a) {
            if (step == Step.DECIDED) {
                return no("decided");
            }
            if (a.round() <= round || a.round() > config.maxRound()) {
                return no("round " + a.round() + " not in " + (round + 1) + ".." + config.maxRound());
            }
            return validators().isOneThird(anySenders(height, a.round())) ? Optional.empty()
                    : no("messages at round " + a.round() + " from no more than a third of the power");
        } else if (action instanceof Action.NextHeight) {
            if (step != Step.DECIDED) {
                return no("step is " + step + ", not DECIDED");
            }
            return height < config.maxHeight() ? Optional.empty() : no("height " + height + " is maxHeight");
        }
        throw new IllegalStateException("unknown action " + action);
    }

    private static Optional<String> no(String reason) {
        return Optional.of(reason);
    }

    /** The spec's effect of an enabled action. */
    private StepResult.Applied effect(Action action) {
        List<SignedMessage> sent = new ArrayList<>();
        Optional<Decision> decided = Optional.empty();
        if (action instanceof Action.Propose a) {
            int vr = validValue.isNil() ? -1 : validRound;
            sent.addAll(broadcast(new Proposal(height, round, a.value(), vr, a.payload())));
        } else if (action instanceof Action.PrevoteOnProposal a) {
            Proposal p = findProposal(height, round, a.value(), -1).orElseThrow();
            boolean ok = isValid(p) && (lockedRound == -1 || lockedValue.equals(VoteValue.of(a.value())));
            sent.addAll(broadcast(new Prevote(height, round, ok ? VoteValue.of(a.value()) : VoteValue.NIL)));
            step = Step.PREVOTE;
        } else if (action instanceof Action.PrevoteOnProposalWithPol a) {
            Proposal p = findProposal(height, round, a.value(), a.validRound()).orElseThrow();
            boolean ok = isValid(p)
                    && (lockedRound <= a.validRound() || lockedValue.equals(VoteValue.of(a.value())));
            sent.addAll(broadcast(new Prevote(height, round, ok ? VoteValue.of(a.value()) : VoteValue.NIL)));
            step = Step.PREVOTE;
        } else if (action instanceof Action.TimeoutPropose) {
            sent.addAll(broadcast(new Prevote(height, round, VoteValue.NIL)));
            step = Step.PREVOTE;
        } else if (action instanceof Action.TimeoutPrevote || action instanceof Action.PrecommitOnNilQuorum) {
            sent.addAll(broadcast(new Precommit(height, round, VoteValue.NIL)));
            step = Step.PRECOMMIT;
        } else if (action instanceof Action.LockOnPol a) {
            if (step == Step.PREVOTE) {
                lockedValue = VoteValue.of(a.value());
                lockedRound = round;
                sent.addAll(broadcast(new Precommit(height, round, VoteValue.of(a.value()))));
                step = Step.PRECOMMIT;
            }
            validValue = VoteValue.of(a.value());
            validRound = round;
        } else if (action instanceof Action.TimeoutPrecommit) {
            round = round + 1;
            step = Step.PROPOSE;
        } else if (action instanceof Action.Decide a) {
            Proposal p = findProposal(height, a.round(), a.value()).orElseThrow();
            Decision d = new Decision(height, a.round(), a.value(), p.payload(), certificate(a.round(), a.value()));
            Decision previous = decisions.put(height, d);
            Invariant.check(previous == null, "DecisionStableInv",
                    "[CONS-AGREEMENT.1] height " + height + " was already decided");
            Invariant.check(policy.isValid(a.value(), p.payload()), "DecisionValidInv",
                    "[CONS-VALIDITY.1] decided value " + a.value().shortHex() + " fails the validity policy");
            step = Step.DECIDED;
            decided = Optional.of(d);
        } else if (action instanceof Action.RoundSkip a) {
            round = a.round();
            step = Step.PROPOSE;
        } else if (action instanceof Action.NextHeight) {
            height = height + 1;
            round = 0;
            step = Step.PROPOSE;
            lockedValue = VoteValue.NIL;
            lockedRound = -1;
            validValue = VoteValue.NIL;
            validRound = -1;
            validityCache.clear();
            logs.headMap(height - KEPT_PAST_HEIGHTS).clear();
        } else {
            throw new IllegalStateException("unknown action " + action);
        }
        return new StepResult.Applied(action, sent, decided);
    }

    /** One precommit per sender for (h, r, value): the commit certificate of a decision. */
    private List<SignedMessage> certificate(int r, Hash32 value) {
        List<SignedMessage> out = new ArrayList<>();
        TreeSet<PublicKey> seen = new TreeSet<>();
        HeightLog hl = logs.get(height);
        if (hl != null) {
            Precommit wanted = new Precommit(height, r, VoteValue.of(value));
            for (SignedMessage s : hl.arrivalOrder) {
                if (s.message().equals(wanted) && seen.add(s.signer())) {
                    out.add(s);
                }
            }
        }
        Invariant.check(validators().isQuorum(seen), "DecisionQuorumInv",
                "[CONS-AGREEMENT.1] the certificate of " + value.shortHex() + " at round " + r + " is not a quorum");
        return out;
    }

    /** Signs and logs a message if this core is a validator; an observer sends nothing. */
    private List<SignedMessage> broadcast(ConsensusMessage m) {
        if (ownKey().isEmpty()) {
            return List.of();
        }
        if (!messagesOf(ownKey().get(), m.height(), m.round(), m.kind()).isEmpty()) {
            // It already holds a message of this kind here signed with its key, echoed by a peer: what it signed
            // before a journal loss. It keeps that one rather than sign a second (OwnNoEquivocationInv).
            return List.of();
        }
        SignedMessage s = SignedMessage.sign(config.chainId(), m, signer.orElseThrow());
        addToLog(s);
        return List.of(s);
    }

    // ------------------------------------------------------------------------------------------------ invariants

    /**
     * The always-on checks after every applied step. Each is named after the spec invariant it mirrors or, for local
     * properties, after what it states.
     * <ul>
     *   <li>{@code LocksWithinRoundInv}: {@code -1 <= lockedRound <= validRound <= round}, and a round is -1 exactly
     *       when its value is Nil.</li>
     *   <li>{@code RoundBoundInv}: {@code round <= maxRound}.</li>
     *   <li>{@code DecidedStepInv}: the step is {@code decided} exactly when the current height is decided.</li>
     *   <li>{@code DecisionStableInv} [CONS-AGREEMENT.1] (local part): a decision is never changed nor removed; only
     *       Decide adds one.</li>
     *   <li>{@code DecisionQuorumInv} [CONS-AGREEMENT.1], {@code DecisionValidInv} [CONS-VALIDITY.1]: checked when
     *       deciding (see {@link #effect}).</li>
     *   <li>{@code OwnNoEquivocationInv} [CONS-ACCOUNTABILITY.2]: at most one own proposal, prevote and precommit per
     *       (h, r).</li>
     *   <li>{@code OwnNoAmnesiaInv} [CONS-ACCOUNTABILITY.2]: this core's own votes never form amnesia.</li>
     * </ul>
     */
    private void checkInvariants(Action action, int decisionsBefore) {
        String where = " after " + action.specName() + " at (" + height + ", " + round + ")";
        Invariant.check(lockedRound >= -1 && lockedRound <= validRound && validRound <= round,
                "LocksWithinRoundInv", "lockedRound " + lockedRound + ", validRound " + validRound + ", round " + round
                        + where);
        Invariant.check((lockedRound == -1) == lockedValue.isNil() && (validRound == -1) == validValue.isNil(),
                "LocksWithinRoundInv", "a round is -1 exactly when its value is Nil" + where);
        Invariant.check(round <= config.maxRound(), "RoundBoundInv", "round " + round + where);
        Invariant.check((step == Step.DECIDED) == decisions.containsKey(height), "DecidedStepInv",
                "step " + step + ", decided " + decisions.containsKey(height) + where);
        int expected = decisionsBefore + (action instanceof Action.Decide ? 1 : 0);
        Invariant.check(decisions.size() == expected, "DecisionStableInv",
                "[CONS-AGREEMENT.1] " + decisions.size() + " decisions, expected " + expected + where);
        Optional<PublicKey> own = ownKey();
        HeightLog hl = logs.get(height);
        if (own.isEmpty() || hl == null) {
            return;
        }
        PublicKey me = own.get();
        for (Map.Entry<Integer, RoundLog> e : hl.rounds.entrySet()) {
            for (Kind kind : Kind.values()) {
                int n = messagesOf(me, height, e.getKey(), kind).size();
                Invariant.check(n <= 1, "OwnNoEquivocationInv", "[CONS-ACCOUNTABILITY.2] " + n + " own " + kind
                        + " messages at (" + height + ", " + e.getKey() + ")" + where);
            }
        }
        for (Map.Entry<Integer, RoundLog> pc : hl.rounds.entrySet()) {
            List<VoteValue> myPrecommits = pc.getValue().precommits.get(me);
            if (myPrecommits == null || myPrecommits.get(0).isNil()) {
                continue;
            }
            VoteValue v1 = myPrecommits.get(0);
            int r1 = pc.getKey();
            for (Map.Entry<Integer, RoundLog> pv : hl.rounds.tailMap(r1, false).entrySet()) {
                List<VoteValue> myPrevotes = pv.getValue().prevotes.get(me);
                if (myPrevotes == null || myPrevotes.get(0).isNil() || myPrevotes.get(0).equals(v1)) {
                    continue;
                }
                VoteValue v2 = myPrevotes.get(0);
                boolean justified = false;
                for (int r = r1; r < pv.getKey() && !justified; r++) {
                    justified = prevoteQuorum(height, r, v2);
                }
                Invariant.check(justified, "OwnNoAmnesiaInv", "[CONS-ACCOUNTABILITY.2] precommitted " + v1 + " at "
                        + r1 + ", prevoted " + v2 + " at " + pv.getKey() + " without a quorum in between" + where);
            }
        }
    }
}
