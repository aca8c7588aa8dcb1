package dev.oasisj.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oasisj.core.consensus.ConsensusConfig;
import dev.oasisj.core.consensus.ConsensusCore;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusSnapshot;
import dev.oasisj.core.consensus.DeliverResult;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.StepResult;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Replays one TLC trace of {@code spec/consensus} into real {@link ConsensusCore} objects, one per correct validator,
 * and compares the implementation's abstract state with the trace's state after every step.
 *
 * <p>The refinement mapping (documented in {@code conformance/README.md}):
 * <ul>
 *   <li>validator {@code p} of the model is the key {@code Signer.deterministic(p, 0)}; its power is the model's.</li>
 *   <li>value {@code v} is the block whose payload is the UTF-8 bytes of its name, so the value is SHA-256(name);
 *       {@code IsValid(v)} is the core's {@link dev.oasisj.core.consensus.ValuePolicy}: the value is a ValidValue.</li>
 *   <li>the spec's message sets are the pool of every message broadcast by a core or injected by a Byzantine action;
 *       before a correct validator acts, every pool message it has not yet seen is delivered to its core (the spec's
 *       validators see all messages), so enabling conditions are evaluated over the same messages.</li>
 *   <li>the per-validator variables are the cores' {@link ConsensusSnapshot}s: height, round, step (lower case),
 *       lockedValue/validValue (value name or {@code Nil}), lockedRound/validRound, decision (per height 1..MaxHeight).</li>
 * </ul>
 */
final class ConsensusReplayer {
    static final String CHAIN_ID = "conformance";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a replay stopped: the first step at which the implementation and the trace disagree. */
    record Mismatch(Trace trace, int step, JsonNode action, List<String> differences) {
        String report() {
            return "conformance mismatch: " + trace.describe() + " step=" + step + " action=" + action
                    + "\n  " + String.join("\n  ", differences)
                    + "\n  replay: the trace file above, prefix of " + (step + 1) + " states";
        }
    }

    /**
     * An extra check run after every step whose abstract state matched the trace (see
     * {@link ConsensusSpecSemanticsConformanceTest}); returns the differences it found, empty if none.
     */
    interface StepCheck {
        List<String> check(ConsensusReplayer replayer, Trace.Step step);
    }

    private final ModelConstants constants;
    private final ValidatorSet validatorSet;
    private StepResult lastResult;
    private final Map<String, Signer> signers = new TreeMap<>();
    private final Map<PublicKey, String> nameOfKey = new TreeMap<>();
    private final Map<Hash32, String> nameOfValue = new TreeMap<>();
    private final Map<String, ConsensusCore> cores = new TreeMap<>();
    private final Map<String, Integer> delivered = new TreeMap<>();
    private final List<SignedMessage> pool = new ArrayList<>();
    private final Set<String> poolKeys = new TreeSet<>();

    ConsensusReplayer(ModelConstants constants) {
        this.constants = constants;
        List<ValidatorSet.Validator> validators = new ArrayList<>();
        for (String name : constants.order()) {
            Signer signer = Signer.deterministic(name, 0);
            signers.put(name, signer);
            nameOfKey.put(signer.publicKey(), name);
            validators.add(new ValidatorSet.Validator(name, signer.publicKey(), constants.power().get(name)));
        }
        validatorSet = new ValidatorSet(validators);
        Set<Hash32> valid = new TreeSet<>();
        for (String v : constants.validValues()) {
            valid.add(valueHash(v));
        }
        for (String v : concat(constants.validValues(), constants.invalidValues())) {
            nameOfValue.put(valueHash(v), v);
        }
        ConsensusConfig config = ConsensusConfig.of(CHAIN_ID).withMaxRound(constants.maxRound())
                .withMaxHeight(constants.maxHeight());
        for (String p : constants.corr()) {
            ConsensusCore core = new ConsensusCore(config, validatorSet, Optional.of(signers.get(p)),
                    (value, payload) -> valid.contains(value), 1);
            checkConstantsMapping(core);
            cores.put(p, core);
            delivered.put(p, 0);
        }
    }

    /**
     * The refinement mapping of the constants: a core runs with the model's {@code Order} (validators in that order,
     * each with its {@code Power}), {@code MaxRound} and {@code MaxHeight}; anything else would make every later
     * comparison meaningless.
     */
    private void checkConstantsMapping(ConsensusCore core) {
        List<String> order = new ArrayList<>();
        for (ValidatorSet.Validator v : core.validators().validators()) {
            order.add(v.name());
            if (v.power() != constants.power().get(v.name())) {
                throw new IllegalStateException("core power of " + v.name() + " is " + v.power() + ", model "
                        + constants.power().get(v.name()));
            }
        }
        if (!order.equals(constants.order()) || core.config().maxRound() != constants.maxRound()
                || core.config().maxHeight() != constants.maxHeight()) {
            throw new IllegalStateException("core constants " + order + ", MaxRound " + core.config().maxRound()
                    + ", MaxHeight " + core.config().maxHeight() + " are not the model's " + constants);
        }
    }

    static byte[] payload(String valueName) {
        return valueName.getBytes(StandardCharsets.UTF_8);
    }

    static Hash32 valueHash(String valueName) {
        return Hash32.sha256(payload(valueName));
    }

    /** Replays the first {@code prefixLength} states of the trace; returns the first mismatch, if any. */
    static Optional<Mismatch> replay(Trace trace, ModelConstants constants, int prefixLength) {
        return replay(trace, constants, prefixLength, (replayer, step) -> List.of());
    }

    /** As {@link #replay(Trace, ModelConstants, int)}, running {@code extra} after every step that matched. */
    static Optional<Mismatch> replay(Trace trace, ModelConstants constants, int prefixLength, StepCheck extra) {
        ConsensusReplayer replayer = new ConsensusReplayer(constants);
        List<Trace.Step> steps = trace.steps();
        int n = Math.min(prefixLength, steps.size());
        for (int i = 0; i < n; i++) {
            Trace.Step step = steps.get(i);
            List<String> differences = new ArrayList<>();
            if (i == 0) {
                if (!"Init".equals(step.actionName())) {
                    differences.add("step 0 must be Init, is " + step.action());
                }
                differences.addAll(replayer.checkConstants(step.state()));
            } else {
                replayer.apply(step.action()).ifPresent(differences::add);
            }
            if (differences.isEmpty()) {
                differences.addAll(replayer.compare(step.state()));
            }
            if (differences.isEmpty()) {
                differences.addAll(extra.check(replayer, step));
            }
            if (!differences.isEmpty()) {
                return Optional.of(new Mismatch(trace, i, step.action(), differences));
            }
        }
        return Optional.empty();
    }

    private List<String> checkConstants(JsonNode state) {
        List<String> problems = new ArrayList<>();
        Set<String> traceCorr = new TreeSet<>();
        state.path("height").fieldNames().forEachRemaining(traceCorr::add);
        if (!traceCorr.equals(new TreeSet<>(constants.corr()))) {
            problems.add("constants of model " + constants.model() + " list Corr=" + constants.corr()
                    + " but the trace's validators are " + traceCorr);
        }
        return problems;
    }

    /** Feeds one trace action to the implementation; returns a description if the implementation refused it. */
    private Optional<String> apply(JsonNode action) {
        lastResult = null;
        String name = action.path("name").asText();
        String p = action.path("p").asText();
        switch (name) {
            case "ByzantinePropose" -> {
                String v = action.path("value").asText();
                inject(p, ConsensusMessage.Proposal.of(action.path("height").asLong(), action.path("round").asInt(),
                        payload(v), action.path("validRound").asInt()));
                return Optional.empty();
            }
            case "ByzantinePrevote" -> {
                inject(p, new ConsensusMessage.Prevote(action.path("height").asLong(), action.path("round").asInt(),
                        voteValue(action.path("value").asText())));
                return Optional.empty();
            }
            case "ByzantinePrecommit" -> {
                inject(p, new ConsensusMessage.Precommit(action.path("height").asLong(), action.path("round").asInt(),
                        voteValue(action.path("value").asText())));
                return Optional.empty();
            }
            default -> {
                // a correct validator's action
            }
        }
        ConsensusCore core = cores.get(p);
        if (core == null) {
            return Optional.of("action " + name + " names unknown correct validator '" + p + "'");
        }
        deliverPending(p, core);
        String value = action.path("value").asText();
        StepResult result = switch (name) {
            case "Propose" -> core.propose(valueHash(value), payload(value));
            case "PrevoteOnProposal" -> core.prevoteOnProposal(valueHash(value));
            case "PrevoteOnProposalWithPOL" -> core.prevoteOnProposalWithPol(valueHash(value),
                    action.path("validRound").asInt());
            case "TimeoutPropose" -> core.timeoutPropose();
            case "TimeoutPrevote" -> core.timeoutPrevote();
            case "LockOnPOL" -> core.lockOnPol(valueHash(value));
            case "PrecommitOnNilQuorum" -> core.precommitOnNilQuorum();
            case "TimeoutPrecommit" -> core.timeoutPrecommit();
            case "Decide" -> core.decide(valueHash(value), action.path("round").asInt());
            case "RoundSkip" -> core.roundSkip(action.path("round").asInt());
            case "NextHeight" -> core.nextHeight();
            default -> null;
        };
        if (result == null) {
            return Optional.of("unknown action name '" + name + "'");
        }
        lastResult = result;
        if (result instanceof StepResult.NotEnabled notEnabled) {
            return Optional.of("the spec took " + name + " but the implementation says it is not enabled: "
                    + notEnabled.reason());
        }
        if (!result.applied()) { // what the node's shell asks (OwnProposalAcceptedInv)
            return Optional.of(name + " returned " + result + ", which says it was not applied");
        }
        StepResult.Applied applied = (StepResult.Applied) result;
        for (SignedMessage m : applied.broadcast()) {
            addToPool(m);
        }
        return Optional.empty();
    }

    // ----- for extra checks (StepCheck) -----

    ModelConstants constants() {
        return constants;
    }

    ValidatorSet validatorSet() {
        return validatorSet;
    }

    Map<String, ConsensusCore> cores() {
        return cores;
    }

    Signer signer(String validator) {
        return signers.get(validator);
    }

    /** Every message broadcast or injected so far, in order. */
    List<SignedMessage> pool() {
        return pool;
    }

    /** What the implementation returned for the last correct action, null after Init or a Byzantine action. */
    StepResult lastResult() {
        return lastResult;
    }

    /** The model name of a key, or null for a key outside the model. */
    String validatorName(PublicKey key) {
        return nameOfKey.get(key);
    }

    String valueName(Hash32 h) {
        return name(h);
    }

    String valueName(VoteValue v) {
        return name(v);
    }

    /** The spec record of a signed message ({@code [type, src, height, round, value(, validRound)]}). */
    ObjectNode record(SignedMessage m) {
        return messageRecord(m);
    }

    /**
     * Delivers to {@code p}'s core every pool message it has not been given yet, each as {@code transport} returns it
     * (the wire: encode and decode), and returns them with the core's answers, in pool order.
     */
    List<Map.Entry<SignedMessage, DeliverResult>> deliverPendingTo(String p,
            java.util.function.UnaryOperator<SignedMessage> transport) {
        ConsensusCore core = cores.get(p);
        List<Map.Entry<SignedMessage, DeliverResult>> out = new ArrayList<>();
        int from = delivered.get(p);
        for (int i = from; i < pool.size(); i++) {
            SignedMessage m = transport.apply(pool.get(i));
            out.add(Map.entry(m, core.deliver(m)));
        }
        delivered.put(p, pool.size());
        return out;
    }

    static VoteValue voteValueOf(String name) {
        return voteValue(name);
    }

    private static VoteValue voteValue(String name) {
        return "Nil".equals(name) ? VoteValue.NIL : VoteValue.of(valueHash(name));
    }

    private void inject(String byzantine, ConsensusMessage message) {
        Signer signer = signers.get(byzantine);
        if (signer == null || !constants.faulty().contains(byzantine)) {
            throw new IllegalStateException("Byzantine action by '" + byzantine + "', not a Faulty validator");
        }
        addToPool(SignedMessage.sign(CHAIN_ID, message, signer));
    }

    private void addToPool(SignedMessage m) {
        if (poolKeys.add(canonical(messageRecord(m)))) {
            pool.add(m);
        }
    }

    private void deliverPending(String p, ConsensusCore core) {
        int from = delivered.get(p);
        for (int i = from; i < pool.size(); i++) {
            core.deliver(pool.get(i));
        }
        delivered.put(p, pool.size());
    }

    // ----- the abstraction function -----

    private String name(VoteValue v) {
        return v.valueHash().map(this::name).orElse("Nil");
    }

    private String name(Hash32 h) {
        String n = nameOfValue.get(h);
        return n != null ? n : "unknown-value-" + h.shortHex();
    }

    private ObjectNode messageRecord(SignedMessage signed) {
        ObjectNode r = JSON.createObjectNode();
        ConsensusMessage m = signed.message();
        String src = nameOfKey.get(signed.signer());
        r.put("type", m.kind().name());
        r.put("src", src != null ? src : "unknown-signer");
        r.put("height", m.height());
        r.put("round", m.round());
        if (m instanceof ConsensusMessage.Proposal pr) {
            r.put("value", name(pr.value()));
            r.put("validRound", pr.validRound());
        } else if (m instanceof ConsensusMessage.Prevote pv) {
            r.put("value", name(pv.value()));
        } else if (m instanceof ConsensusMessage.Precommit pc) {
            r.put("value", name(pc.value()));
        }
        return r;
    }

    /** The implementation's state, written in the trace's variables. */
    ObjectNode abstractState() {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode height = s.putObject("height");
        ObjectNode round = s.putObject("round");
        ObjectNode step = s.putObject("step");
        ObjectNode decision = s.putObject("decision");
        ObjectNode lockedValue = s.putObject("lockedValue");
        ObjectNode lockedRound = s.putObject("lockedRound");
        ObjectNode validValue = s.putObject("validValue");
        ObjectNode validRound = s.putObject("validRound");
        for (Map.Entry<String, ConsensusCore> e : cores.entrySet()) {
            String p = e.getKey();
            ConsensusSnapshot snap = e.getValue().snapshot();
            height.put(p, snap.height());
            round.put(p, snap.round());
            step.put(p, snap.step().name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode d = decision.putArray(p);
            for (long h = 1; h <= constants.maxHeight(); h++) {
                Hash32 decided = snap.decisions().get(h);
                d.add(decided == null ? "Nil" : name(decided));
            }
            lockedValue.put(p, name(snap.lockedValue()));
            lockedRound.put(p, snap.lockedRound());
            validValue.put(p, name(snap.validValue()));
            validRound.put(p, snap.validRound());
        }
        ArrayNode propose = s.putArray("msgsPropose");
        ArrayNode prevote = s.putArray("msgsPrevote");
        ArrayNode precommit = s.putArray("msgsPrecommit");
        for (SignedMessage m : pool) {
            switch (m.message().kind()) {
                case PROPOSAL -> propose.add(messageRecord(m));
                case PREVOTE -> prevote.add(messageRecord(m));
                case PRECOMMIT -> precommit.add(messageRecord(m));
            }
        }
        return s;
    }

    /** Every difference between the trace's state and the implementation's abstract state, one line each. */
    List<String> compare(JsonNode traceState) {
        return StateDiff.differences(traceState, abstractState(),
                Set.of("msgsPropose", "msgsPrevote", "msgsPrecommit"));
    }

    static String canonical(JsonNode node) {
        return StateDiff.canonical(node);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
