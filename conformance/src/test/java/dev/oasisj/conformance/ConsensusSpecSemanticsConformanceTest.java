package dev.oasisj.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.Action;
import dev.oasisj.core.consensus.ConsensusCore;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.Decision;
import dev.oasisj.core.consensus.DeliverResult;
import dev.oasisj.core.consensus.Evidence;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.StepResult;
import dev.oasisj.core.consensus.ValuePayload;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * [CONS-AGREEMENT.1] [CONS-VALIDITY.1] [CONS-ACCOUNTABILITY.1] [CONS-ACCOUNTABILITY.2]: the same TLC traces as
 * {@link ConsensusTraceConformanceTest}, replayed the same way, but after every step the implementation is checked
 * against the spec's <em>semantics</em> evaluated on the trace state ({@link SpecOracle}), not only against the trace's
 * variables:
 * <ul>
 *   <li><b>enabledness</b>: for each correct validator, the set of correct actions the core reports enabled
 *       ({@code enabledActions()}, the timeout predicates, {@code isProposer()}, {@code requiredProposal()}) is exactly
 *       the set the spec's guards enable in that state; every candidate action the spec does not enable is refused
 *       ({@code NotEnabled}, nothing changed). The trace alone only shows that the action the spec took is allowed.</li>
 *   <li><b>what a validator sees</b>: the spec's validators see every message; each message reaches the cores through
 *       the wire ({@link ConsensusMessageCodec}: the decoded message equals the sent one, with the same spec record)
 *       and is accepted, except the core's own messages (already logged) and messages of a past height (no spec guard
 *       reads them). A core's message log at its height and above is exactly the spec's message sets there. Forged
 *       copies of Byzantine messages (signature for another chain, a signer outside the validator set, a proposal
 *       from a validator that is not the round's proposer) are refused: the spec counts only its validators'
 *       authentic messages and only the proposer's proposals.</li>
 *   <li><b>decisions</b>: a Decide returns a decision for (h, round, value) with the block bytes, whose commit
 *       certificate is precommits for exactly that (h, round, value) from distinct senders forming a quorum.</li>
 *   <li><b>misbehaviour</b>: {@link Evidence} over the message sets names exactly the validators for which the spec's
 *       {@code Equivocation(b, h)} and {@code Amnesia(b, h)} hold, with their power (the misbehaving power
 *       [CONS-ACCOUNTABILITY.1] counts; no correct validator among them, [CONS-ACCOUNTABILITY.2]).</li>
 * </ul>
 */
class ConsensusSpecSemanticsConformanceTest {
    private static final String OTHER_CHAIN = "not-" + ConsensusReplayer.CHAIN_ID;
    private static final Signer OUTSIDER = Signer.deterministic("outsider", 0);

    private static List<Trace> traces = List.of();
    private static Map<String, ModelConstants> constants = Map.of();

    @BeforeAll
    static void loadCorpus() {
        traces = MutationMode.select(TraceCorpus.load("consensus"));
        constants = ModelConstants.load();
    }

    private static ModelConstants constantsFor(Trace t) {
        return ModelConstants.forTrace(constants, t);
    }

    @Test
    void everyTraceState_hasExactlyTheSpecsEnabledActions_evidenceAndDecisions() {
        int steps = 0;
        Counts total = new Counts();
        for (Trace t : traces) {
            SemanticsCheck check = new SemanticsCheck(constantsFor(t));
            Optional<ConsensusReplayer.Mismatch> m = ConsensusReplayer.replay(t, constantsFor(t), Integer.MAX_VALUE,
                    check);
            if (m.isPresent()) {
                fail(m.get().report());
            }
            steps += t.steps().size() - 1;
            total.add(check.counts);
        }
        System.out.printf("conformance (spec semantics): %d traces, %d steps; %s%n", traces.size(), steps, total);
        // the checks must have had something to check, or they prove nothing
        assertTrue(total.enabledCompared > 0 && total.refused > 0 && total.wire > 0 && total.forged > 0, total::toString);
        assertTrue(total.decisions > 0, "no Decide step in the corpus: " + total);
        assertTrue(total.equivocating > 0 && total.amnesic > 0, "no misbehaviour in the corpus: " + total);
        assertTrue(total.withPol > 0, "no PrevoteOnProposalWithPOL enabled anywhere: " + total);
    }

    /** The oracle bites: a trace state with one extra prevote changes what the spec enables and is reported. */
    @Test
    void anEnablingMessageMissingFromTheImplementation_isReported() {
        Trace t = longestTrace();
        ModelConstants c = constantsFor(t);
        SpecOracle oracle = new SpecOracle(c);
        // find a state whose enabled set changes when a Nil prevote quorum appears at some validator's (h, r)
        for (int at = 1; at < t.steps().size(); at++) {
            Trace.Step s = t.steps().get(at);
            ObjectNode state = s.state().deepCopy();
            String p = c.corr().get(0);
            long h = state.path("height").path(p).asLong();
            int r = state.path("round").path(p).asInt();
            if (!state.path("step").path(p).asText().equals("prevote")
                    || oracle.enabled(state, p).contains("PrecommitOnNilQuorum")) {
                continue;
            }
            for (String q : c.order()) {
                ObjectNode vote = JsonNodeFactory.instance.objectNode();
                vote.put("height", h).put("round", r).put("src", q).put("type", "PREVOTE").put("value", "Nil");
                state.withArray("msgsPrevote").add(vote);
            }
            assertTrue(oracle.enabled(state, p).contains("PrecommitOnNilQuorum"));
            List<Trace.Step> steps = new ArrayList<>(t.steps().subList(0, at + 1));
            final int index = at;
            Optional<ConsensusReplayer.Mismatch> m = ConsensusReplayer.replay(
                    new Trace(t.file(), t.spec(), t.model(), t.seed(), steps), c, Integer.MAX_VALUE,
                    (replayer, step) -> step.index() == index
                            ? new SemanticsCheck(c).enabledness(replayer, p, state)
                            : List.of());
            ConsensusReplayer.Mismatch mismatch = m.orElseThrow(
                    () -> new AssertionError("an enabled-set difference was not reported"));
            assertEquals(at, mismatch.step());
            assertTrue(mismatch.differences().stream().anyMatch(d -> d.contains("PrecommitOnNilQuorum")),
                    mismatch.report());
            return;
        }
        fail("no prevote-step state without a Nil quorum in " + t.describe());
    }

    private static Trace longestTrace() {
        Trace best = traces.get(0);
        for (Trace t : traces) {
            if (t.steps().size() > best.steps().size()) {
                best = t;
            }
        }
        return best;
    }

    /** How much each check had to check, so a vacuous run is visible (and fails). */
    static final class Counts {
        long enabledCompared;
        long refused;
        long wire;
        long forged;
        long decisions;
        long equivocating;
        long amnesic;
        long withPol;

        void add(Counts o) {
            enabledCompared += o.enabledCompared;
            refused += o.refused;
            wire += o.wire;
            forged += o.forged;
            decisions += o.decisions;
            equivocating += o.equivocating;
            amnesic += o.amnesic;
            withPol += o.withPol;
        }

        @Override
        public String toString() {
            return "enabled sets compared=" + enabledCompared + ", disabled actions refused=" + refused
                    + ", messages through the wire=" + wire + ", forgeries refused=" + forged + ", decisions="
                    + decisions + ", states with equivocation=" + equivocating + ", with amnesia=" + amnesic
                    + ", POL prevotes enabled=" + withPol;
        }
    }

    /** The per-step checks of one trace replay. */
    static final class SemanticsCheck implements ConsensusReplayer.StepCheck {
        private final ModelConstants c;
        private final SpecOracle oracle;
        private final Counts counts = new Counts();
        private int wired;

        SemanticsCheck(ModelConstants constants) {
            this.c = constants;
            this.oracle = new SpecOracle(constants);
        }

        @Override
        public List<String> check(ConsensusReplayer r, Trace.Step step) {
            List<String> out = new ArrayList<>();
            JsonNode state = step.state();
            List<SignedMessage> fresh = new ArrayList<>(r.pool().subList(wired, r.pool().size()));
            wired = r.pool().size();
            for (SignedMessage m : fresh) {
                wire(r, m, out);
            }
            out.addAll(decision(r, step));
            for (String p : c.corr()) {
                out.addAll(delivery(r, p));
                for (SignedMessage m : fresh) {
                    out.addAll(forgeries(r, p, m));
                }
                out.addAll(log(r, p, state));
                out.addAll(enabledness(r, p, state));
            }
            out.addAll(evidence(r, state));
            return out;
        }

        private static SignedMessage throughTheWire(SignedMessage m) {
            try {
                return ConsensusMessageCodec.decodeVerified(ConsensusMessageCodec.encode(m), ConsensusReplayer.CHAIN_ID);
            } catch (DecodeException e) {
                throw new AssertionError("a message of the trace does not survive the wire: " + m + ": " + e, e);
            }
        }

        /** The wire form of a message decodes to an equal message (equal hash code too), the same spec record and bytes. */
        private void wire(ConsensusReplayer r, SignedMessage m, List<String> out) {
            counts.wire++;
            byte[] bytes = ConsensusMessageCodec.encode(m);
            SignedMessage back = throughTheWire(m);
            if (!back.equals(m) || back.hashCode() != m.hashCode()
                    || !Arrays.equals(ConsensusMessageCodec.encode(back), bytes)
                    || !StateDiff.canonical(r.record(back)).equals(StateDiff.canonical(r.record(m)))) {
                out.add("wire: " + StateDiff.canonical(r.record(m)) + " decodes to " + StateDiff.canonical(r.record(back)));
            }
            if (m.message() instanceof ConsensusMessage.Proposal p
                    && !Arrays.equals(((ConsensusMessage.Proposal) back.message()).payload(), p.payload())) {
                out.add("wire: the block bytes of " + StateDiff.canonical(r.record(m)) + " changed");
            }
            // One message, one encoding: the same bytes with one more byte must be refused (not decoded to a message).
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            try {
                ConsensusMessageCodec.decode(longer);
                out.add("wire: " + StateDiff.canonical(r.record(m)) + " with a trailing byte decoded");
            } catch (DecodeException expected) {
                counts.forged++;
            }
            if (m.message() instanceof ConsensusMessage.Proposal p) {
                // The spec's proposals carry validRound in -1..round-1 (ByzantinePropose: vr \in -1..(r - 1)): the same
                // bytes with validRound = round or -2 must be refused as malformed (a DecodeException, which the node
                // reports; any other exception would escape the node's peer-message handling).
                for (int vr : new int[] {p.round(), -2}) {
                    byte[] bad = bytes.clone();
                    java.nio.ByteBuffer.wrap(bad).putInt(PROPOSAL_VALID_ROUND_OFFSET, vr);
                    try {
                        ConsensusMessageCodec.decode(bad);
                        out.add("wire: " + StateDiff.canonical(r.record(m)) + " with validRound " + vr + " decoded");
                    } catch (DecodeException expected) {
                        counts.forged++;
                    } catch (RuntimeException e) {
                        out.add("wire: " + StateDiff.canonical(r.record(m)) + " with validRound " + vr
                                + " threw " + e + " instead of a DecodeException");
                    }
                }
            }
        }

        /** Where a proposal's validRound sits in its encoding: after kind (1), height (8), round (4) and value (32). */
        private static final int PROPOSAL_VALID_ROUND_OFFSET = 1 + 8 + 4 + 32;

        /** Every message reaches every core; only its own and past-height ones are not (newly) accepted. */
        private List<String> delivery(ConsensusReplayer r, String p) {
            List<String> out = new ArrayList<>();
            ConsensusCore core = r.cores().get(p);
            PublicKey own = r.signer(p).publicKey();
            long heightBefore = core.height();
            for (Map.Entry<SignedMessage, DeliverResult> e : r.deliverPendingTo(p, SemanticsCheck::throughTheWire)) {
                SignedMessage m = e.getKey();
                DeliverResult result = e.getValue();
                DeliverResult.Reason expected = m.signer().equals(own) ? DeliverResult.Reason.DUPLICATE
                        : m.message().height() < heightBefore ? DeliverResult.Reason.STALE_HEIGHT : null;
                boolean ok = expected == null ? result.accepted()
                        : result instanceof DeliverResult.Rejected rej && rej.reason() == expected;
                if (!ok) {
                    out.add("deliver to " + p + " of " + StateDiff.canonical(r.record(m)) + ": expected "
                            + (expected == null ? "accepted" : "rejected " + expected) + ", got " + result);
                }
            }
            return out;
        }

        /** Forged copies of a Byzantine message are refused by every core. */
        private List<String> forgeries(ConsensusReplayer r, String p, SignedMessage m) {
            String src = r.validatorName(m.signer());
            if (src == null || !c.faulty().contains(src)) {
                return List.of();
            }
            Signer byz = r.signer(src);
            ConsensusMessage msg = m.message();
            List<SignedMessage> forged = new ArrayList<>();
            forged.add(SignedMessage.sign(OTHER_CHAIN, msg, byz));
            forged.add(SignedMessage.sign(ConsensusReplayer.CHAIN_ID, msg, OUTSIDER));
            String victim = c.corr().get(0);
            forged.add(new SignedMessage(msg, r.signer(victim).publicKey(), m.signature()));
            // the sender's real signature on a changed message: the signature must cover the content
            for (ConsensusMessage altered : altered(msg)) {
                forged.add(new SignedMessage(altered, m.signer(), m.signature()));
            }
            if (!src.equals(oracle.proposer(msg.height(), msg.round()))) {
                forged.add(SignedMessage.sign(ConsensusReplayer.CHAIN_ID, ConsensusMessage.Proposal.of(msg.height(),
                        msg.round(), ConsensusReplayer.payload(c.validValues().get(0)), -1), byz));
            }
            List<String> out = new ArrayList<>();
            for (SignedMessage f : forged) {
                counts.forged++;
                if (f.equals(m)) {
                    out.add("a forgery of " + StateDiff.canonical(r.record(m)) + " equals the message: " + f);
                }
                DeliverResult result = r.cores().get(p).deliver(f);
                if (result.accepted()) {
                    out.add("deliver to " + p + " accepted a forgery of " + StateDiff.canonical(r.record(m)) + ": " + f);
                }
            }
            return out;
        }

        /** {@code msg} with another value (a vote flipped between Nil and a block, a proposal of another value). */
        private List<ConsensusMessage> altered(ConsensusMessage msg) {
            Hash32 other = ConsensusReplayer.valueHash(c.validValues().get(0));
            if (msg instanceof ConsensusMessage.Prevote v) {
                VoteValue flipped = v.value().equals(VoteValue.NIL) ? VoteValue.of(other) : VoteValue.NIL;
                return List.of(new ConsensusMessage.Prevote(v.height(), v.round(), flipped));
            }
            if (msg instanceof ConsensusMessage.Precommit v) {
                VoteValue flipped = v.value().equals(VoteValue.NIL) ? VoteValue.of(other) : VoteValue.NIL;
                return List.of(new ConsensusMessage.Precommit(v.height(), v.round(), flipped));
            }
            ConsensusMessage.Proposal p = (ConsensusMessage.Proposal) msg;
            List<ConsensusMessage> out = new ArrayList<>();
            for (String value : c.validValues()) {
                if (!ConsensusReplayer.valueHash(value).equals(p.value())) {
                    out.add(ConsensusMessage.Proposal.of(p.height(), p.round(), ConsensusReplayer.payload(value),
                            p.validRound()));
                    break;
                }
            }
            return out;
        }

        /** The core's log at its height and above holds exactly the spec's messages there, each once. */
        private List<String> log(ConsensusReplayer r, String p, JsonNode state) {
            ConsensusCore core = r.cores().get(p);
            long h = core.height();
            List<String> logged = new ArrayList<>();
            for (SignedMessage m : core.messageLog()) {
                if (m.message().height() >= h) {
                    logged.add(StateDiff.canonical(r.record(m)));
                }
            }
            Set<String> spec = new TreeSet<>();
            for (String var : List.of("msgsPropose", "msgsPrevote", "msgsPrecommit")) {
                for (JsonNode m : state.path(var)) {
                    if (m.path("height").asLong() >= h) {
                        spec.add(StateDiff.canonical(m));
                    }
                }
            }
            if (logged.size() != spec.size() || !new TreeSet<>(logged).equals(spec)) {
                Set<String> missing = new TreeSet<>(spec);
                missing.removeAll(logged);
                Set<String> extra = new TreeSet<>(logged);
                extra.removeAll(spec);
                return List.of("messageLog of " + p + " (heights >= " + h + "): " + logged.size() + " logged, "
                        + spec.size() + " in the spec; missing " + missing + ", extra " + extra);
            }
            return List.of();
        }

        /** The core's enabled actions are exactly the spec's; whatever the spec does not enable is refused. */
        List<String> enabledness(ConsensusReplayer r, String p, JsonNode state) {
            List<String> out = new ArrayList<>();
            ConsensusCore core = r.cores().get(p);
            Set<String> spec = oracle.enabled(state, p);
            counts.enabledCompared++;
            for (String a : spec) {
                if (a.startsWith("PrevoteOnProposalWithPOL")) {
                    counts.withPol++;
                }
            }

            Set<String> impl = new TreeSet<>();
            List<Action> listed = core.enabledActions();
            for (Action a : listed) {
                impl.add(describe(r, a));
            }
            if (impl.size() != listed.size()) {
                out.add("enabledActions of " + p + " lists an action twice: " + listed);
            }
            Set<String> specListed = new TreeSet<>(spec);
            specListed.removeIf(a -> a.startsWith("Timeout") || a.startsWith("Propose("));
            if (!impl.equals(specListed)) {
                out.add("enabled actions of " + p + ": spec=" + specListed + " impl=" + impl);
            }

            String step = state.path("step").path(p).asText();
            long h = state.path("height").path(p).asLong();
            int round = state.path("round").path(p).asInt();
            // the core's own accessors (the node driver reads them) agree with the spec's variables too
            if (core.height() != h || core.round() != round
                    || !core.step().name().toLowerCase(java.util.Locale.ROOT).equals(step)) {
                out.add("accessors of " + p + ": height/round/step " + core.height() + "/" + core.round() + "/"
                        + core.step() + ", spec " + h + "/" + round + "/" + step);
            }
            boolean precommitQuorum = oracle.isQuorum(SpecOracle.precommitters(state, h, round, null));
            check(out, p, "timeoutProposeArmed", spec.contains("TimeoutPropose"), core.timeoutProposeArmed());
            check(out, p, "timeoutPrevoteArmed", spec.contains("TimeoutPrevote"), core.timeoutPrevoteArmed());
            // the precommit timeout runs by the spec's guard without the model bound round < MaxRound
            check(out, p, "timeoutPrecommitArmed", !step.equals("decided") && precommitQuorum,
                    core.timeoutPrecommitArmed());
            check(out, p, "isProposer", p.equals(oracle.proposer(h, round)), core.isProposer());
            String validValue = state.path("validValue").path(p).asText();
            Optional<ValuePayload> required = core.requiredProposal();
            String requiredName = required.map(v -> r.valueName(v.value())).orElse(SpecOracle.NIL);
            if (!requiredName.equals(validValue) || required.isPresent()
                    && !Arrays.equals(required.get().payload(), ConsensusReplayer.payload(validValue))) {
                out.add("requiredProposal of " + p + ": spec validValue=" + validValue + " impl=" + requiredName);
            }

            for (Map.Entry<String, Action> candidate : candidates(r).entrySet()) {
                if (spec.contains(candidate.getKey())) {
                    continue;
                }
                counts.refused++;
                StepResult result = core.apply(candidate.getValue());
                if (!(result instanceof StepResult.NotEnabled) || result.applied()) {
                    out.add(p + " took " + candidate.getKey() + ", which the spec does not enable here; spec enables "
                            + spec);
                }
            }
            return out;
        }

        private static void check(List<String> out, String p, String what, boolean spec, boolean impl) {
            if (spec != impl) {
                out.add(what + " of " + p + ": spec=" + spec + " impl=" + impl);
            }
        }

        /** Every correct action over the model's values and rounds (and one step beyond), by its spec name. */
        private Map<String, Action> candidates(ConsensusReplayer r) {
            Map<String, Action> out = new java.util.TreeMap<>();
            for (String v : oracle.values()) {
                Hash32 x = ConsensusReplayer.valueHash(v);
                out.put("Propose(" + v + ")", new Action.Propose(x, ConsensusReplayer.payload(v)));
                out.put("PrevoteOnProposal(" + v + ")", new Action.PrevoteOnProposal(x));
                out.put("LockOnPOL(" + v + ")", new Action.LockOnPol(x));
                for (int rd = -1; rd <= c.maxRound() + 1; rd++) {
                    out.put("PrevoteOnProposalWithPOL(" + v + "," + rd + ")", new Action.PrevoteOnProposalWithPol(x, rd));
                    out.put("Decide(" + v + "," + rd + ")", new Action.Decide(x, rd));
                }
            }
            for (int rd = 0; rd <= c.maxRound() + 1; rd++) {
                out.put("RoundSkip(" + rd + ")", new Action.RoundSkip(rd));
            }
            out.put("TimeoutPropose", new Action.TimeoutPropose());
            out.put("TimeoutPrevote", new Action.TimeoutPrevote());
            out.put("PrecommitOnNilQuorum", new Action.PrecommitOnNilQuorum());
            out.put("TimeoutPrecommit", new Action.TimeoutPrecommit());
            out.put("NextHeight", new Action.NextHeight());
            return out;
        }

        private static String describe(ConsensusReplayer r, Action a) {
            if (a instanceof Action.Decide d) {
                return "Decide(" + r.valueName(d.value()) + "," + d.round() + ")";
            } else if (a instanceof Action.LockOnPol l) {
                return "LockOnPOL(" + r.valueName(l.value()) + ")";
            } else if (a instanceof Action.PrevoteOnProposalWithPol w) {
                return "PrevoteOnProposalWithPOL(" + r.valueName(w.value()) + "," + w.validRound() + ")";
            } else if (a instanceof Action.PrevoteOnProposal o) {
                return "PrevoteOnProposal(" + r.valueName(o.value()) + ")";
            } else if (a instanceof Action.RoundSkip s) {
                return "RoundSkip(" + s.round() + ")";
            } else if (a instanceof Action.Propose o) {
                return "Propose(" + r.valueName(o.value()) + ")";
            }
            return a.specName();
        }

        /** A Decide step returns its decision with a quorum certificate; no other step decides. */
        private List<String> decision(ConsensusReplayer r, Trace.Step step) {
            StepResult result = r.lastResult();
            if (!(result instanceof StepResult.Applied applied)) {
                return List.of();
            }
            if (!applied.action().specName().equals(step.actionName())) {
                return List.of("the implementation applied " + applied.action().specName() + " for "
                        + step.actionName());
            }
            if (!step.actionName().equals("Decide")) {
                return applied.decision().isEmpty() ? List.of()
                        : List.of(step.actionName() + " returned a decision " + applied.decision().get());
            }
            counts.decisions++;
            List<String> out = new ArrayList<>();
            String p = step.action().path("p").asText();
            String v = step.action().path("value").asText();
            int rd = step.action().path("round").asInt();
            long h = step.state().path("height").path(p).asLong();
            if (applied.decision().isEmpty()) {
                return List.of("Decide by " + p + " returned no decision");
            }
            Decision d = applied.decision().get();
            if (d.height() != h || d.round() != rd || !r.valueName(d.value()).equals(v)
                    || !Arrays.equals(d.payload(), ConsensusReplayer.payload(v))) {
                out.add("decision of " + p + ": spec (h=" + h + ", round=" + rd + ", " + v + "), impl (h=" + d.height()
                        + ", round=" + d.round() + ", " + r.valueName(d.value()) + ", " + d.payload().length + " bytes)");
            }
            if (!r.cores().get(p).decision(h).equals(Optional.of(d))) {
                out.add("decision(" + h + ") of " + p + " is not the decision Decide returned");
            }
            Set<String> senders = new TreeSet<>();
            ConsensusMessage.Precommit wanted = new ConsensusMessage.Precommit(h, rd,
                    ConsensusReplayer.voteValueOf(v));
            Set<String> pool = new TreeSet<>();
            for (SignedMessage m : r.pool()) {
                pool.add(StateDiff.canonical(r.record(m)));
            }
            for (SignedMessage m : d.precommits()) {
                String src = r.validatorName(m.signer());
                if (!m.message().equals(wanted) || !senders.add(String.valueOf(src))
                        || !pool.contains(StateDiff.canonical(r.record(m))) || !m.verify(ConsensusReplayer.CHAIN_ID)) {
                    out.add("certificate of " + p + "'s decision holds " + StateDiff.canonical(r.record(m))
                            + " (not a distinct, authentic precommit of the spec for (" + h + ", " + rd + ", " + v + "))");
                }
            }
            if (!oracle.isQuorum(senders)) {
                out.add("certificate of " + p + "'s decision: senders " + senders + " are not a quorum");
            }
            return out;
        }

        /** Evidence over the message sets is the spec's Equivocation / Amnesia, validator by validator. */
        private List<String> evidence(ConsensusReplayer r, JsonNode state) {
            Evidence e = Evidence.of(r.validatorSet(), r.pool());
            List<String> out = new ArrayList<>();
            Set<String> misbehaving = new TreeSet<>();
            boolean anyEq = false;
            boolean anyAm = false;
            for (String b : c.order()) {
                PublicKey key = r.signer(b).publicKey();
                for (long h = 1; h <= c.maxHeight(); h++) {
                    boolean eq = oracle.equivocation(state, b, h);
                    boolean am = oracle.amnesia(state, b, h);
                    anyEq |= eq;
                    anyAm |= am;
                    if (eq || am) {
                        misbehaving.add(b);
                    }
                    if (eq != contains(e.equivocations().get(key), h)) {
                        out.add("evidence: Equivocation(" + b + ", " + h + ") is " + eq + " in the spec");
                    }
                    if (am != contains(e.amnesia().get(key), h)) {
                        out.add("evidence: Amnesia(" + b + ", " + h + ") is " + am + " in the spec");
                    }
                }
            }
            Set<String> implMisbehaving = new TreeSet<>();
            for (PublicKey k : e.misbehaving()) {
                implMisbehaving.add(r.validatorName(k));
            }
            if (!implMisbehaving.equals(misbehaving) || e.misbehavingPower() != oracle.powerOf(misbehaving)
                    || e.isEmpty() != misbehaving.isEmpty()) {
                out.add("evidence: misbehaving spec=" + misbehaving + " (power " + oracle.powerOf(misbehaving)
                        + ") impl=" + implMisbehaving + " (power " + e.misbehavingPower() + ", empty=" + e.isEmpty()
                        + ")");
            }
            if (e.equivocations().size() + e.amnesia().size() > 2 * c.order().size()) {
                out.add("evidence: more entries than validators");
            }
            counts.equivocating += anyEq ? 1 : 0;
            counts.amnesic += anyAm ? 1 : 0;
            return out;
        }

        private static boolean contains(SortedSet<Long> heights, long h) {
            return heights != null && heights.contains(h);
        }
    }
}
