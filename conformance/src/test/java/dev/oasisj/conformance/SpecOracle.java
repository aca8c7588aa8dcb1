package dev.oasisj.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The spec's definitions evaluated on a trace state (its JSON variables), written from {@code Consensus.tla} /
 * {@code ACTIONS.md} and independent of the implementation: {@code Proposer}, {@code IsQuorum}, {@code IsOneThird},
 * the enabling condition of every correct action of one validator, and the misbehaviour predicates
 * {@code Equivocation} and {@code Amnesia}. Timeouts are the protocol's ({@code LazyTimeouts = FALSE}): the lazy variant
 * of the simulation model only removes behaviours and is not part of the protocol the implementation implements.
 *
 * <p>Actions are written {@code Name} or {@code Name(arg,...)} with value names and round numbers, e.g.
 * {@code Decide(v1,0)}, {@code PrevoteOnProposalWithPOL(v2,1)}, {@code Propose(v1)}.
 */
final class SpecOracle {
    static final String NIL = "Nil";

    private final ModelConstants c;
    private final long totalPower;

    SpecOracle(ModelConstants constants) {
        this.c = constants;
        long total = 0;
        for (String v : constants.order()) {
            total += constants.power().get(v);
        }
        this.totalPower = total;
    }

    List<String> values() {
        List<String> out = new ArrayList<>(c.validValues());
        out.addAll(c.invalidValues());
        return out;
    }

    boolean isValid(String v) {
        return c.validValues().contains(v);
    }

    /** {@code PowerUnit == GcdOfPowers(Validators)}: the greatest common divisor of all powers. */
    long powerUnit() {
        java.math.BigInteger g = java.math.BigInteger.ZERO;
        for (String v : c.order()) {
            g = g.gcd(java.math.BigInteger.valueOf(c.power().get(v)));
        }
        return g.longValueExact();
    }

    /** {@code RotationLength == TotalPower \div PowerUnit}. */
    long rotationLength() {
        return totalPower / powerUnit();
    }

    /** {@code Slots(v) == Power[v] \div PowerUnit}. */
    long slots(String v) {
        return c.power().get(v) / powerUnit();
    }

    /** {@code Stride}: the least integer from {@code RotationLength * 618 \div 1000} coprime with RotationLength. */
    long stride() {
        long length = rotationLength();
        long stride = (length * 618) / 1000;
        while (java.math.BigInteger.valueOf(stride).gcd(java.math.BigInteger.valueOf(length)).longValue() != 1) {
            stride++;
        }
        return stride;
    }

    /**
     * {@code Proposer(h, r)}: the owner of slot {@code ((h + r) % RotationLength) * Stride % RotationLength}, slots
     * laid out in {@code Order}, {@code Slots(v)} each.
     */
    String proposer(long h, int r) {
        long length = rotationLength();
        long slot = ((h + r) % length) * stride() % length;
        long end = 0;
        for (String v : c.order()) {
            end += slots(v);
            if (slot < end) {
                return v;
            }
        }
        throw new IllegalStateException("slot " + slot + " beyond " + length);
    }

    long powerOf(Set<String> senders) {
        long sum = 0;
        for (String s : senders) {
            sum += c.power().getOrDefault(s, 0L);
        }
        return sum;
    }

    boolean isQuorum(Set<String> senders) {
        return 3 * powerOf(senders) > 2 * totalPower;
    }

    boolean isOneThird(Set<String> senders) {
        return 3 * powerOf(senders) > totalPower;
    }

    // ----- message sets -----

    private static boolean at(JsonNode m, long h, int r) {
        return m.path("height").asLong() == h && m.path("round").asInt() == r;
    }

    private static Set<String> senders(JsonNode msgs, long h, int r, String value) {
        Set<String> out = new TreeSet<>();
        for (JsonNode m : msgs) {
            if (at(m, h, r) && (value == null || value.equals(m.path("value").asText()))) {
                out.add(m.path("src").asText());
            }
        }
        return out;
    }

    /** {@code Senders(PrevotesFor(h, r, v))}, or {@code Senders(PrevotesAt(h, r))} for {@code v == null}. */
    static Set<String> prevoters(JsonNode state, long h, int r, String v) {
        return senders(state.path("msgsPrevote"), h, r, v);
    }

    static Set<String> precommitters(JsonNode state, long h, int r, String v) {
        return senders(state.path("msgsPrecommit"), h, r, v);
    }

    /** {@code \E m \in ProposalsFromProposer(h, r) : m.value = v /\ (vr = null \/ m.validRound = vr)}. */
    private boolean proposalFromProposer(JsonNode state, long h, int r, String v, Integer vr) {
        String proposer = proposer(h, r);
        for (JsonNode m : state.path("msgsPropose")) {
            if (at(m, h, r) && proposer.equals(m.path("src").asText()) && v.equals(m.path("value").asText())
                    && (vr == null || m.path("validRound").asInt() == vr)) {
                return true;
            }
        }
        return false;
    }

    // ----- enabling conditions -----

    /** Every correct action of {@code p} the spec enables in {@code state} ({@code LazyTimeouts = FALSE}). */
    Set<String> enabled(JsonNode state, String p) {
        long h = state.path("height").path(p).asLong();
        int r = state.path("round").path(p).asInt();
        String step = state.path("step").path(p).asText();
        String validValue = state.path("validValue").path(p).asText();
        int validRound = state.path("validRound").path(p).asInt();
        String decided = state.path("decision").path(p).path((int) h - 1).asText();
        Set<String> out = new TreeSet<>();
        boolean propose = step.equals("propose");
        boolean prevote = step.equals("prevote");
        boolean precommit = step.equals("precommit");
        boolean isDecided = step.equals("decided");

        boolean proposedAlready = false;
        for (JsonNode m : state.path("msgsPropose")) {
            proposedAlready |= at(m, h, r) && p.equals(m.path("src").asText());
        }
        for (String v : values()) {
            if (propose && p.equals(proposer(h, r)) && !proposedAlready
                    && (!validValue.equals(NIL) ? v.equals(validValue) : isValid(v))) {
                out.add("Propose(" + v + ")");
            }
            if (propose && proposalFromProposer(state, h, r, v, -1)) {
                out.add("PrevoteOnProposal(" + v + ")");
            }
            for (int vr = 0; vr < r; vr++) {
                if (propose && proposalFromProposer(state, h, r, v, vr) && isQuorum(prevoters(state, h, vr, v))) {
                    out.add("PrevoteOnProposalWithPOL(" + v + "," + vr + ")");
                }
            }
            if ((prevote || precommit) && isValid(v) && proposalFromProposer(state, h, r, v, null)
                    && isQuorum(prevoters(state, h, r, v)) && (prevote || validRound != r)) {
                out.add("LockOnPOL(" + v + ")");
            }
            for (int rd = 0; rd <= c.maxRound(); rd++) {
                if (decided.equals(NIL) && isValid(v) && proposalFromProposer(state, h, rd, v, null)
                        && isQuorum(precommitters(state, h, rd, v))) {
                    out.add("Decide(" + v + "," + rd + ")");
                }
            }
        }
        if (propose) {
            out.add("TimeoutPropose");
        }
        if (prevote && isQuorum(prevoters(state, h, r, null))) {
            out.add("TimeoutPrevote");
        }
        if (prevote && isQuorum(prevoters(state, h, r, NIL))) {
            out.add("PrecommitOnNilQuorum");
        }
        if (!isDecided && r < c.maxRound() && isQuorum(precommitters(state, h, r, null))) {
            out.add("TimeoutPrecommit");
        }
        for (int rd = r + 1; rd <= c.maxRound(); rd++) {
            Set<String> any = new TreeSet<>(senders(state.path("msgsPropose"), h, rd, null));
            any.addAll(prevoters(state, h, rd, null));
            any.addAll(precommitters(state, h, rd, null));
            if (!isDecided && isOneThird(any)) {
                out.add("RoundSkip(" + rd + ")");
            }
        }
        if (isDecided && h < c.maxHeight()) {
            out.add("NextHeight");
        }
        return out;
    }

    // ----- misbehaviour -----

    /** {@code Equivocation(b, h)}: two different messages of one kind from b at one (h, round). */
    boolean equivocation(JsonNode state, String b, long h) {
        for (String var : List.of("msgsPropose", "msgsPrevote", "msgsPrecommit")) {
            Set<String> slots = new TreeSet<>();
            for (JsonNode m : state.path(var)) {
                if (b.equals(m.path("src").asText()) && m.path("height").asLong() == h
                        && !slots.add(String.valueOf(m.path("round").asInt()))) {
                    return true; // the sets hold distinct records, so a second one in a slot is a different message
                }
            }
        }
        return false;
    }

    /** {@code Amnesia(b, h)}, as in {@code Consensus.tla}. */
    boolean amnesia(JsonNode state, String b, long h) {
        for (JsonNode pc : state.path("msgsPrecommit")) {
            String v1 = pc.path("value").asText();
            if (!b.equals(pc.path("src").asText()) || pc.path("height").asLong() != h || v1.equals(NIL)) {
                continue;
            }
            for (JsonNode pv : state.path("msgsPrevote")) {
                String v2 = pv.path("value").asText();
                if (!b.equals(pv.path("src").asText()) || pv.path("height").asLong() != h || v2.equals(NIL)
                        || v2.equals(v1) || pc.path("round").asInt() >= pv.path("round").asInt()) {
                    continue;
                }
                boolean justified = false;
                for (int r = pc.path("round").asInt(); r < pv.path("round").asInt(); r++) {
                    justified |= isQuorum(prevoters(state, h, r, v2));
                }
                if (!justified) {
                    return true;
                }
            }
        }
        return false;
    }
}
