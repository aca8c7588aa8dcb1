package dev.oasisj.conformance.tracecheck;

import dev.oasisj.conformance.tracecheck.AbstractState.LastAction;
import dev.oasisj.conformance.tracecheck.AbstractState.Msg;
import dev.oasisj.core.consensus.Action;
import dev.oasisj.core.consensus.ConsensusConfig;
import dev.oasisj.core.consensus.ConsensusCore;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusSnapshot;
import dev.oasisj.core.consensus.DeliverResult;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.Step;
import dev.oasisj.core.consensus.StepResult;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.consensus.ValuePayload;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One randomized, seeded run of a network of real {@link ConsensusCore}s (one per correct validator of a
 * {@link TraceModel}), recorded as the sequence of abstract states after every spec step.
 *
 * <p>What is random (all from one {@link SplittableRandom} seeded with the run's seed, so a seed replays the run):
 * <ul>
 *   <li><b>network faults</b>: every message goes into a per-validator inbox; a delivery takes any pending message
 *       (reordering), a message may be lost instead of delivered, or delivered twice (the core must reject the copy);</li>
 *   <li><b>time</b>: timeouts fire at random moments, but only when the core says they are armed (as the node's ticks
 *       do);</li>
 *   <li><b>the proposer's value</b>: its required re-proposal or a random valid value (sometimes an invalid one, which
 *       the core must refuse);</li>
 *   <li><b>reactions</b>: after a delivery the core usually fires its enabled actions in its own priority order (what the
 *       node does), sometimes a random enabled one, sometimes later;</li>
 *   <li><b>probes</b>: an arbitrary action method with arbitrary parameters is called; the core must refuse it unless its
 *       guard holds, and if it applies it, the step is recorded and TLC judges it;</li>
 *   <li><b>the Byzantine validator</b> sends proposals (only where it is the proposer, as {@code ByzantinePropose}
 *       allows), prevotes and precommits for any height, round and allowed value, equivocating on purpose; and
 *       out-of-model noise that every core must reject (a proposal when it is not the proposer, a forged signature, a
 *       message signed for another chain): noise is sent on the network but is not a spec message.</li>
 * </ul>
 *
 * <p>Deliveries, losses, duplicates and refused calls change no spec variable: they are stuttering steps and are not
 * recorded. Every applied core action and every Byzantine message is one recorded step.
 */
final class RandomNetworkRun {
    static final String CHAIN_ID = "tracecheck";

    /** What happened in a run besides the recorded steps. */
    record Stats(int events, int delivered, int lost, int duplicatesRejected, int reordered, int byzantineMessages,
            int equivocations, int noiseRejected, int refusedCalls, int timeouts, int decisions,
            SortedSet<String> actions) {
        boolean faulty() {
            return lost + duplicatesRejected + reordered > 0;
        }

        @Override
        public String toString() {
            return "events=" + events + " delivered=" + delivered + " lost=" + lost + " dupRejected="
                    + duplicatesRejected + " reordered=" + reordered + " byzMsgs=" + byzantineMessages
                    + " equivocations=" + equivocations + " noiseRejected=" + noiseRejected + " refused=" + refusedCalls
                    + " timeouts=" + timeouts + " decisions=" + decisions;
        }
    }

    /** A recorded run: its states, step 0 being the initial state. */
    record RecordedRun(TraceModel model, long seed, List<AbstractState> states, Stats stats) {
        String moduleName() {
            return "ImplTrace_" + model.name() + "_" + seed;
        }

        int steps() {
            return states.size() - 1;
        }

        /** The same run with other states (the negative tests corrupt a recording). */
        RecordedRun withStates(List<AbstractState> newStates) {
            return new RecordedRun(model, seed, List.copyOf(newStates), stats);
        }
    }

    private record Pending(SignedMessage message, boolean noise, boolean duplicate) { }

    private final TraceModel model;
    private final long seed;
    private final SplittableRandom rnd;
    private final Map<String, Signer> signers = new TreeMap<>();
    private final Map<PublicKey, String> nameOfKey = new TreeMap<>();
    private final Map<Hash32, String> nameOfValue = new TreeMap<>();
    private final Map<String, ConsensusCore> cores = new TreeMap<>();
    private final Map<String, List<Pending>> inbox = new TreeMap<>();
    private final TreeSet<Msg> propose = new TreeSet<>();
    private final TreeSet<Msg> prevote = new TreeSet<>();
    private final TreeSet<Msg> precommit = new TreeSet<>();
    private final List<AbstractState> states = new ArrayList<>();
    private final TreeSet<String> actions = new TreeSet<>();

    // per-run knobs, drawn from the seed
    private final double lossRate;
    private final double duplicateRate;
    private final double timeoutWeight;
    private final int timeoutDelay;
    /** Per core and timeout kind: the (height, round, step) at which it became armed, and the event number then. */
    private final Map<String, String> armedAt = new TreeMap<>();
    private final Map<String, Integer> armedSince = new TreeMap<>();
    private final int byzantineBudget;
    private final int noiseBudget;
    private final double equivocationRate;

    private int events;
    private int delivered;
    private int lost;
    private int duplicatesRejected;
    private int reordered;
    private int byzantineMessages;
    private int equivocations;
    private int noiseSent;
    private int noiseRejected;
    private int refusedCalls;
    private int timeouts;
    private int decisions;

    RandomNetworkRun(TraceModel model, long seed) {
        this.model = model;
        this.seed = seed;
        this.rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + model.name().hashCode());
        if (!model.corr().equals(List.of("p1", "p2", "p3"))) {
            throw new IllegalArgumentException("TraceCheck.tla's per-validator tuples are in the order p1, p2, p3");
        }
        List<ValidatorSet.Validator> vs = new ArrayList<>();
        for (String name : model.order()) {
            Signer s = Signer.deterministic(name, 0);
            signers.put(name, s);
            nameOfKey.put(s.publicKey(), name);
            vs.add(new ValidatorSet.Validator(name, s.publicKey(), model.power().get(name)));
        }
        ValidatorSet validatorSet = new ValidatorSet(vs);
        TreeSet<Hash32> valid = new TreeSet<>();
        for (String v : model.validValues()) {
            valid.add(valueHash(v));
        }
        for (String v : model.values()) {
            nameOfValue.put(valueHash(v), v);
        }
        ConsensusConfig config = ConsensusConfig.of(CHAIN_ID).withMaxRound(model.maxRound())
                .withMaxHeight(model.maxHeight());
        for (String p : model.corr()) {
            cores.put(p, new ConsensusCore(config, validatorSet, Optional.of(signers.get(p)),
                    (value, payload) -> valid.contains(value), 1));
            inbox.put(p, new ArrayList<>());
        }
        double[] losses = {0.0, 0.05, 0.15, 0.3};
        lossRate = losses[rnd.nextInt(losses.length)];
        duplicateRate = rnd.nextInt(3) == 0 ? 0.0 : 0.1;
        timeoutWeight = 0.1 + rnd.nextDouble();
        // "time": a timeout may fire only after it has been armed for this many events (0: fully asynchronous)
        int[] delays = {0, 5, 20, 60};
        timeoutDelay = delays[rnd.nextInt(delays.length)];
        // most runs have a Byzantine validator that speaks; one in eight keeps it silent (crash-like)
        byzantineBudget = rnd.nextInt(8) == 0 ? 0 : 2 + rnd.nextInt(9);
        noiseBudget = rnd.nextInt(4);
        equivocationRate = rnd.nextDouble() * 0.6;
    }

    static byte[] payload(String valueName) {
        return valueName.getBytes(StandardCharsets.UTF_8);
    }

    static Hash32 valueHash(String valueName) {
        return Hash32.sha256(payload(valueName));
    }

    /** Runs until nothing can happen any more, or the event or step budget is spent. */
    RecordedRun run(int maxEvents, int maxSteps) {
        states.add(abstractState(LastAction.init()));
        while (events < maxEvents && states.size() - 1 < maxSteps) {
            if (!oneEvent()) {
                break;
            }
            events++;
        }
        Stats stats = new Stats(events, delivered, lost, duplicatesRejected, reordered, byzantineMessages,
                equivocations, noiseRejected, refusedCalls, timeouts, decisions, actions);
        return new RecordedRun(model, seed, List.copyOf(states), stats);
    }

    // --------------------------------------------------------------------------------------------- scheduling

    private enum Event { DELIVER, REACT, PROPOSE, TIMEOUT, BYZANTINE, NOISE, PROBE, TICK }

    /** Picks and performs one event; false when the network is quiescent (only probes would remain). */
    private boolean oneEvent() {
        refreshTimers();
        Map<Event, Double> weights = new TreeMap<>();
        if (inbox.values().stream().anyMatch(l -> !l.isEmpty())) {
            weights.put(Event.DELIVER, 6.0);
        }
        if (cores.values().stream().anyMatch(c -> !c.enabledActions().isEmpty())) {
            weights.put(Event.REACT, 2.0);
        }
        if (cores.keySet().stream().anyMatch(this::mayPropose)) {
            weights.put(Event.PROPOSE, 2.0);
        }
        if (cores.values().stream().anyMatch(this::armedTimeout)) {
            weights.put(Event.TIMEOUT, timeoutWeight);
        }
        if (byzantineMessages < byzantineBudget) {
            weights.put(Event.BYZANTINE, 1.0);
        }
        if (weights.isEmpty() && cores.values().stream().anyMatch(c -> c.timeoutProposeArmed()
                || c.timeoutPrevoteArmed() || (c.timeoutPrecommitArmed() && c.round() < model.maxRound()))) {
            weights.put(Event.TICK, 1.0); // nothing to do but wait for a timeout
        }
        boolean live = !weights.isEmpty();
        if (noiseSent < noiseBudget) {
            weights.put(Event.NOISE, 0.3);
        }
        weights.put(Event.PROBE, 0.4);
        if (!live) {
            return false;
        }
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double x = rnd.nextDouble() * total;
        Event chosen = Event.PROBE;
        for (Map.Entry<Event, Double> e : weights.entrySet()) {
            x -= e.getValue();
            if (x < 0) {
                chosen = e.getKey();
                break;
            }
        }
        switch (chosen) {
            case DELIVER -> deliverOne();
            case REACT -> react(randomCore(c -> !c.enabledActions().isEmpty()), false);
            case PROPOSE -> propose(randomName(this::mayPropose));
            case TIMEOUT -> timeout(randomCore(this::armedTimeout));
            case BYZANTINE -> byzantine();
            case NOISE -> noise();
            case PROBE -> probe();
            case TICK -> { }
        }
        return true;
    }

    /** Starts the clock of every timeout that became armed since the last event. */
    private void refreshTimers() {
        for (Map.Entry<String, ConsensusCore> e : cores.entrySet()) {
            ConsensusCore c = e.getValue();
            boolean[] armed = {c.timeoutProposeArmed(), c.timeoutPrevoteArmed(), c.timeoutPrecommitArmed()};
            for (int k = 0; k < armed.length; k++) {
                String id = e.getKey() + "/" + k;
                String at = armed[k] ? c.height() + "/" + c.round() + "/" + c.step() : "-";
                if (!at.equals(armedAt.get(id))) {
                    armedAt.put(id, at);
                    armedSince.put(id, events);
                }
            }
        }
    }

    /** Timeout {@code kind} (0 propose, 1 prevote, 2 precommit) of {@code c} is armed and its time has come. */
    private boolean due(ConsensusCore c, int kind) {
        String p = null;
        for (Map.Entry<String, ConsensusCore> e : cores.entrySet()) {
            if (e.getValue() == c) {
                p = e.getKey();
            }
        }
        boolean armed = switch (kind) {
            case 0 -> c.timeoutProposeArmed();
            case 1 -> c.timeoutPrevoteArmed();
            default -> c.timeoutPrecommitArmed();
        };
        Integer since = armedSince.get(p + "/" + kind);
        return armed && since != null && events - since >= timeoutDelay;
    }

    /** A timeout the node would fire: due, and (precommit) a next round exists within the model bound. */
    private boolean armedTimeout(ConsensusCore c) {
        return due(c, 0) || due(c, 1) || (due(c, 2) && c.round() < model.maxRound());
    }

    /** The proposer of its (h, r), in step propose, that has not proposed there yet. */
    private boolean mayPropose(String p) {
        ConsensusCore c = cores.get(p);
        if (!c.isProposer() || c.step() != Step.PROPOSE) {
            return false;
        }
        for (Msg m : propose) {
            if (m.src().equals(p) && m.height() == c.height() && m.round() == c.round()) {
                return false;
            }
        }
        return true;
    }

    private String randomCore(java.util.function.Predicate<ConsensusCore> filter) {
        return randomName(p -> filter.test(cores.get(p)));
    }

    private String randomName(java.util.function.Predicate<String> filter) {
        List<String> names = new ArrayList<>();
        for (String p : cores.keySet()) {
            if (filter.test(p)) {
                names.add(p);
            }
        }
        return names.get(rnd.nextInt(names.size()));
    }

    private <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    // --------------------------------------------------------------------------------------------- events

    private void deliverOne() {
        List<String> withMail = new ArrayList<>();
        inbox.forEach((p, l) -> {
            if (!l.isEmpty()) {
                withMail.add(p);
            }
        });
        String p = pick(withMail);
        List<Pending> box = inbox.get(p);
        int idx = rnd.nextInt(box.size());
        if (idx != 0) {
            reordered++;
        }
        Pending pending = box.remove(idx);
        if (!pending.noise() && !pending.duplicate() && rnd.nextDouble() < lossRate) {
            lost++;
            if (rnd.nextBoolean()) {
                box.add(pending); // retransmitted later (gossip); otherwise lost for good
            }
            return;
        }
        DeliverResult r = cores.get(p).deliver(pending.message());
        if (pending.noise()) {
            if (r.accepted()) {
                throw new IllegalStateException("seed " + seed + ": " + p + " accepted an out-of-model message "
                        + pending.message());
            }
            noiseRejected++;
            return;
        }
        if (pending.duplicate()) {
            if (r.accepted()) {
                throw new IllegalStateException("seed " + seed + ": " + p + " accepted a duplicate "
                        + pending.message());
            }
            duplicatesRejected++;
            return;
        }
        if (r.accepted()) {
            delivered++;
            if (rnd.nextDouble() < duplicateRate) {
                box.add(new Pending(pending.message(), false, true));
            }
            if (rnd.nextDouble() < 0.6) {
                react(p, true);
            }
        }
    }

    /** Fires enabled actions of {@code p}: all of them (node behaviour) or just one. */
    private void react(String p, boolean all) {
        ConsensusCore core = cores.get(p);
        for (int n = 0; n < 50; n++) {
            List<Action> enabled = core.enabledActions();
            if (enabled.isEmpty()) {
                return;
            }
            Action a = rnd.nextDouble() < 0.7 ? enabled.get(0) : pick(enabled);
            StepResult r = core.apply(a);
            if (!(r instanceof StepResult.Applied applied)) {
                throw new IllegalStateException("seed " + seed + ": enabledActions listed " + a + " but " + r);
            }
            recordCorrect(p, applied);
            if (!all) {
                return;
            }
        }
    }

    private void propose(String p) {
        ConsensusCore core = cores.get(p);
        Optional<ValuePayload> required = core.requiredProposal();
        String value;
        if (required.isPresent() && rnd.nextDouble() < 0.9) {
            value = nameOfValue.get(required.get().value());
        } else if (rnd.nextDouble() < 0.9) {
            value = pick(model.validValues());
        } else {
            value = pick(model.values()); // sometimes invalid: the core must refuse it
        }
        apply(p, core.propose(valueHash(value), payload(value)));
    }

    private void timeout(String p) {
        ConsensusCore core = cores.get(p);
        List<Integer> armed = new ArrayList<>();
        if (due(core, 0)) {
            armed.add(0);
        }
        if (due(core, 1)) {
            armed.add(1);
        }
        if (due(core, 2) && (core.round() < model.maxRound() || rnd.nextInt(4) == 0)) {
            armed.add(2); // at MaxRound the core must refuse it (the spec bounds rounds); tried now and then
        }
        int which = pick(armed);
        StepResult r = switch (which) {
            case 0 -> core.timeoutPropose();
            case 1 -> core.timeoutPrevote();
            default -> core.timeoutPrecommit();
        };
        if (r.applied()) {
            timeouts++;
        }
        apply(p, r);
    }

    /** An arbitrary action method with arbitrary parameters: the core's guard decides. */
    private void probe() {
        String p = pick(new ArrayList<>(cores.keySet()));
        ConsensusCore core = cores.get(p);
        String v = pick(model.values());
        Hash32 h = valueHash(v);
        int r = rnd.nextInt(model.maxRound() + 2);
        int vr = rnd.nextInt(model.maxRound() + 2) - 1;
        StepResult result = switch (rnd.nextInt(11)) {
            case 0 -> core.propose(h, payload(v));
            case 1 -> core.prevoteOnProposal(h);
            case 2 -> core.prevoteOnProposalWithPol(h, vr);
            case 3 -> core.timeoutPropose();
            case 4 -> core.timeoutPrevote();
            case 5 -> core.lockOnPol(h);
            case 6 -> core.precommitOnNilQuorum();
            case 7 -> core.timeoutPrecommit();
            case 8 -> core.decide(h, r);
            case 9 -> core.roundSkip(r);
            default -> core.nextHeight();
        };
        apply(p, result);
    }

    private void apply(String p, StepResult r) {
        if (r instanceof StepResult.Applied applied) {
            recordCorrect(p, applied);
        } else {
            refusedCalls++;
        }
    }

    // --------------------------------------------------------------------------------------------- Byzantine

    private String byzantineName() {
        return model.faulty().get(0);
    }

    /** Heights and rounds near where the correct validators are (messages far away are legal but useless). */
    private long randomHeight() {
        if (rnd.nextDouble() < 0.8) {
            return cores.get(pick(new ArrayList<>(cores.keySet()))).height();
        }
        return 1 + rnd.nextInt(model.maxHeight());
    }

    private int randomRound(long h) {
        if (rnd.nextDouble() < 0.7) {
            ConsensusCore c = cores.get(pick(new ArrayList<>(cores.keySet())));
            if (c.height() == h) {
                return Math.min(model.maxRound(), c.round() + (rnd.nextDouble() < 0.25 ? 1 : 0));
            }
        }
        return rnd.nextInt(model.maxRound() + 1);
    }

    private void byzantine() {
        String b = byzantineName();
        for (int attempt = 0; attempt < 20; attempt++) {
            Msg m = byzantineCandidate(b);
            if (m == null || contains(m)) {
                continue;
            }
            boolean equivocation = sameSlot(m);
            ConsensusMessage cm = toMessage(m);
            SignedMessage signed = SignedMessage.sign(CHAIN_ID, cm, signers.get(b));
            setOf(m.type()).add(m);
            byzantineMessages++;
            if (equivocation) {
                equivocations++;
            }
            SortedMap<String, String> params = new TreeMap<>();
            params.put("p", b);
            params.put("height", String.valueOf(m.height()));
            params.put("round", String.valueOf(m.round()));
            params.put("value", m.value());
            String name = switch (m.type()) {
                case "PROPOSAL" -> "ByzantinePropose";
                case "PREVOTE" -> "ByzantinePrevote";
                default -> "ByzantinePrecommit";
            };
            if (m.validRound() != null) {
                params.put("validRound", String.valueOf(m.validRound()));
            }
            record(new LastAction(name, params));
            for (String p : cores.keySet()) {
                inbox.get(p).add(new Pending(signed, false, false));
            }
            return;
        }
    }

    private Msg byzantineCandidate(String b) {
        if (rnd.nextDouble() < equivocationRate) {
            List<Msg> own = new ArrayList<>();
            for (Msg m : allMessages()) {
                if (m.src().equals(b)) {
                    own.add(m);
                }
            }
            if (!own.isEmpty()) {
                Msg base = pick(own);
                if (base.type().equals("PROPOSAL")) {
                    return new Msg(base.type(), b, base.height(), base.round(), pick(model.values()),
                            rnd.nextInt(base.round() + 1) - 1);
                }
                return base.withValue(randomVoteValue());
            }
        }
        int kind = rnd.nextInt(3);
        long h = randomHeight();
        int r = randomRound(h);
        if (kind == 0) {
            List<long[]> slots = new ArrayList<>();
            for (long hh = 1; hh <= model.maxHeight(); hh++) {
                for (int rr = 0; rr <= model.maxRound(); rr++) {
                    if (model.proposer(hh, rr).equals(b)) {
                        slots.add(new long[] {hh, rr});
                    }
                }
            }
            if (slots.isEmpty()) {
                kind = 1;
            } else {
                long[] s = pick(slots);
                int rr = (int) s[1];
                return new Msg("PROPOSAL", b, s[0], rr, pick(model.values()), rnd.nextInt(rr + 1) - 1);
            }
        }
        return new Msg(kind == 1 ? "PREVOTE" : "PRECOMMIT", b, h, r, randomVoteValue(), null);
    }

    private String randomVoteValue() {
        int i = rnd.nextInt(model.validValues().size() + 1);
        return i == model.validValues().size() ? "Nil" : model.validValues().get(i);
    }

    /** Out-of-model messages every core must reject; they are not spec messages, so they are not recorded. */
    private void noise() {
        String b = byzantineName();
        noiseSent++;
        SignedMessage signed;
        switch (rnd.nextInt(3)) {
            case 0 -> {
                // a proposal where b is not the proposer
                List<int[]> slots = new ArrayList<>();
                for (int rr = 0; rr <= model.maxRound(); rr++) {
                    if (!model.proposer(1, rr).equals(b)) {
                        slots.add(new int[] {rr});
                    }
                }
                int rr = pick(slots)[0];
                signed = SignedMessage.sign(CHAIN_ID, ConsensusMessage.Proposal.of(1, rr, payload("v1"), -1),
                        signers.get(b));
            }
            case 1 -> {
                // a prevote claiming to come from a correct validator, signed by b (forgery)
                String victim = pick(model.corr());
                ConsensusMessage m = new ConsensusMessage.Prevote(1, 0, VoteValue.of(valueHash("v2")));
                SignedMessage bySelf = SignedMessage.sign(CHAIN_ID, m, signers.get(b));
                signed = new SignedMessage(m, signers.get(victim).publicKey(), bySelf.signature());
            }
            default ->
                // a message signed for another chain
                signed = SignedMessage.sign(CHAIN_ID + "-other",
                        new ConsensusMessage.Precommit(1, 0, VoteValue.of(valueHash("v1"))), signers.get(b));
        }
        for (String p : cores.keySet()) {
            inbox.get(p).add(new Pending(signed, true, false));
        }
    }

    private ConsensusMessage toMessage(Msg m) {
        return switch (m.type()) {
            case "PROPOSAL" -> ConsensusMessage.Proposal.of(m.height(), m.round(), payload(m.value()), m.validRound());
            case "PREVOTE" -> new ConsensusMessage.Prevote(m.height(), m.round(), voteValue(m.value()));
            default -> new ConsensusMessage.Precommit(m.height(), m.round(), voteValue(m.value()));
        };
    }

    private static VoteValue voteValue(String name) {
        return "Nil".equals(name) ? VoteValue.NIL : VoteValue.of(valueHash(name));
    }

    private boolean contains(Msg m) {
        return setOf(m.type()).contains(m);
    }

    private boolean sameSlot(Msg m) {
        for (Msg o : setOf(m.type())) {
            if (o.src().equals(m.src()) && o.height() == m.height() && o.round() == m.round()) {
                return true;
            }
        }
        return false;
    }

    private TreeSet<Msg> setOf(String type) {
        return switch (type) {
            case "PROPOSAL" -> propose;
            case "PREVOTE" -> prevote;
            default -> precommit;
        };
    }

    private List<Msg> allMessages() {
        List<Msg> all = new ArrayList<>(propose);
        all.addAll(prevote);
        all.addAll(precommit);
        return all;
    }

    // --------------------------------------------------------------------------------------------- recording

    /** A correct validator's applied step: its broadcasts go to the pool and to the other inboxes; record. */
    private void recordCorrect(String p, StepResult.Applied applied) {
        Integer proposedValidRound = null;
        for (SignedMessage m : applied.broadcast()) {
            Msg rec = record(m);
            if (!setOf(rec.type()).add(rec)) {
                throw new IllegalStateException("seed " + seed + ": " + p + " broadcast " + rec + " twice");
            }
            if (rec.validRound() != null) {
                proposedValidRound = rec.validRound();
            }
            for (String q : cores.keySet()) {
                if (!q.equals(p)) {
                    inbox.get(q).add(new Pending(m, false, false));
                }
            }
        }
        if (applied.decision().isPresent()) {
            decisions++;
        }
        Action a = applied.action();
        SortedMap<String, String> params = new TreeMap<>();
        params.put("p", p);
        if (a instanceof Action.Propose pr) {
            params.put("value", name(pr.value()));
            params.put("validRound", String.valueOf(proposedValidRound));
        } else if (a instanceof Action.PrevoteOnProposal x) {
            params.put("value", name(x.value()));
        } else if (a instanceof Action.PrevoteOnProposalWithPol x) {
            params.put("value", name(x.value()));
            params.put("validRound", String.valueOf(x.validRound()));
        } else if (a instanceof Action.LockOnPol x) {
            params.put("value", name(x.value()));
        } else if (a instanceof Action.Decide x) {
            params.put("value", name(x.value()));
            params.put("round", String.valueOf(x.round()));
        } else if (a instanceof Action.RoundSkip x) {
            params.put("round", String.valueOf(x.round()));
        }
        record(new LastAction(a.specName(), params));
    }

    private void record(LastAction action) {
        actions.add(action.name());
        states.add(abstractState(action));
    }

    private String name(Hash32 h) {
        String n = nameOfValue.get(h);
        if (n == null) {
            throw new IllegalStateException("value " + h.shortHex() + " is not a model value");
        }
        return n;
    }

    private String name(VoteValue v) {
        return v.valueHash().map(this::name).orElse("Nil");
    }

    private Msg record(SignedMessage signed) {
        ConsensusMessage m = signed.message();
        String src = nameOfKey.get(signed.signer());
        if (m instanceof ConsensusMessage.Proposal pr) {
            return new Msg("PROPOSAL", src, m.height(), m.round(), name(pr.value()), pr.validRound());
        } else if (m instanceof ConsensusMessage.Prevote pv) {
            return new Msg("PREVOTE", src, m.height(), m.round(), name(pv.value()), null);
        }
        ConsensusMessage.Precommit pc = (ConsensusMessage.Precommit) m;
        return new Msg("PRECOMMIT", src, m.height(), m.round(), name(pc.value()), null);
    }

    /** The refinement mapping: every core's snapshot, the message pool, the action just taken. */
    private AbstractState abstractState(LastAction action) {
        TreeMap<String, Long> height = new TreeMap<>();
        TreeMap<String, Integer> round = new TreeMap<>();
        TreeMap<String, String> step = new TreeMap<>();
        TreeMap<String, List<String>> decision = new TreeMap<>();
        TreeMap<String, String> lockedValue = new TreeMap<>();
        TreeMap<String, Integer> lockedRound = new TreeMap<>();
        TreeMap<String, String> validValue = new TreeMap<>();
        TreeMap<String, Integer> validRound = new TreeMap<>();
        for (Map.Entry<String, ConsensusCore> e : cores.entrySet()) {
            String p = e.getKey();
            ConsensusSnapshot s = e.getValue().snapshot();
            height.put(p, s.height());
            round.put(p, s.round());
            step.put(p, s.step().name().toLowerCase(Locale.ROOT));
            List<String> d = new ArrayList<>();
            for (long h = 1; h <= model.maxHeight(); h++) {
                Hash32 decided = s.decisions().get(h);
                d.add(decided == null ? "Nil" : name(decided));
            }
            decision.put(p, List.copyOf(d));
            lockedValue.put(p, name(s.lockedValue()));
            lockedRound.put(p, s.lockedRound());
            validValue.put(p, name(s.validValue()));
            validRound.put(p, s.validRound());
        }
        return new AbstractState(height, round, step, decision, lockedValue, lockedRound, validValue, validRound,
                new TreeSet<>(propose), new TreeSet<>(prevote), new TreeSet<>(precommit), action);
    }
}
