package dev.oasisj.conformance.tracecheck;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * One state of a recorded implementation run, in the variables of {@code spec/consensus/Consensus.tla} (the refinement
 * mapping of {@code conformance/README.md}), {@code lastAction} included. Validator and value names are TLA+ model
 * values ({@code p1}, {@code v1}, {@code Nil}); {@link #toTla()} writes the state as a TLA+ record in which each
 * per-validator variable is a tuple in the order of the validator names (p1, p2, p3), as TraceCheck.tla expects.
 */
record AbstractState(SortedMap<String, Long> height, SortedMap<String, Integer> round, SortedMap<String, String> step,
        SortedMap<String, List<String>> decision, SortedMap<String, String> lockedValue,
        SortedMap<String, Integer> lockedRound, SortedMap<String, String> validValue,
        SortedMap<String, Integer> validRound, SortedSet<Msg> msgsPropose, SortedSet<Msg> msgsPrevote,
        SortedSet<Msg> msgsPrecommit, LastAction lastAction) {

    /** A message record {@code [type, src, height, round, value(, validRound)]}; validRound is null for votes. */
    record Msg(String type, String src, long height, int round, String value, Integer validRound)
            implements Comparable<Msg> {
        private static final Comparator<Msg> ORDER = Comparator.comparing(Msg::type).thenComparing(Msg::src)
                .thenComparingLong(Msg::height).thenComparingInt(Msg::round).thenComparing(Msg::value)
                .thenComparing(m -> m.validRound == null ? -2 : m.validRound);

        @Override
        public int compareTo(Msg o) {
            return ORDER.compare(this, o);
        }

        Msg withValue(String newValue) {
            return new Msg(type, src, height, round, newValue, validRound);
        }

        String toTla() {
            StringBuilder sb = new StringBuilder("[type |-> \"").append(type).append("\", src |-> ").append(src)
                    .append(", height |-> ").append(height).append(", round |-> ").append(round)
                    .append(", value |-> ").append(value);
            if (validRound != null) {
                sb.append(", validRound |-> ").append(validRound);
            }
            return sb.append(']').toString();
        }

        @Override
        public String toString() {
            return toTla();
        }
    }

    /** {@code lastAction}: the action's name and its parameters, each already written as a TLA+ expression. */
    record LastAction(String name, SortedMap<String, String> params) {
        LastAction {
            params = new TreeMap<>(params);
        }

        static LastAction init() {
            return new LastAction("Init", new TreeMap<>());
        }

        String toTla() {
            StringBuilder sb = new StringBuilder("[name |-> \"").append(name).append('"');
            for (Map.Entry<String, String> e : params.entrySet()) {
                sb.append(", ").append(e.getKey()).append(" |-> ").append(e.getValue());
            }
            return sb.append(']').toString();
        }

        @Override
        public String toString() {
            return toTla();
        }
    }

    AbstractState {
        Objects.requireNonNull(lastAction);
    }

    /** The state as a TLA+ record, messages written out in full. */
    String toTla() {
        return toTla(Msg::toTla);
    }

    /** The state as a TLA+ record, each message written as {@code msgName} says (e.g. a definition's name). */
    String toTla(java.util.function.Function<Msg, String> msgName) {
        StringBuilder sb = new StringBuilder("[");
        sb.append("height |-> ").append(fcn(height, String::valueOf));
        sb.append(",\n   round |-> ").append(fcn(round, String::valueOf));
        sb.append(",\n   step |-> ").append(fcn(step, s -> "\"" + s + "\""));
        sb.append(",\n   decision |-> ").append(fcn(decision, AbstractState::heightFcn));
        sb.append(",\n   lockedValue |-> ").append(fcn(lockedValue, s -> s));
        sb.append(",\n   lockedRound |-> ").append(fcn(lockedRound, String::valueOf));
        sb.append(",\n   validValue |-> ").append(fcn(validValue, s -> s));
        sb.append(",\n   validRound |-> ").append(fcn(validRound, String::valueOf));
        sb.append(",\n   msgsPropose |-> ").append(set(msgsPropose, msgName));
        sb.append(",\n   msgsPrevote |-> ").append(set(msgsPrevote, msgName));
        sb.append(",\n   msgsPrecommit |-> ").append(set(msgsPrecommit, msgName));
        sb.append(",\n   lastAction |-> ").append(lastAction.toTla());
        return sb.append(']').toString();
    }

    /** {@code <<v1, Nil>>}: the decisions at heights 1..n. */
    private static String heightFcn(List<String> perHeight) {
        return "<<" + String.join(", ", perHeight) + ">>";
    }

    /**
     * A per-validator function as a tuple in the order of the (sorted) validator names, {@code <<x_p1, x_p2, x_p3>>};
     * TraceCheck.tla turns it back into a function over Corr ({@code ByValidator}).
     */
    private static <T> String fcn(SortedMap<String, T> m, java.util.function.Function<T, String> value) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, T> e : m.entrySet()) {
            parts.add(value.apply(e.getValue()));
        }
        return "<<" + String.join(", ", parts) + ">>";
    }

    private static String set(SortedSet<Msg> msgs, java.util.function.Function<Msg, String> msgName) {
        List<String> parts = new ArrayList<>();
        for (Msg m : msgs) {
            parts.add(msgName.apply(m));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    /** This state with one prevote replaced (for the negative tests: a corrupted recording). */
    AbstractState replacePrevote(Msg old, Msg replacement) {
        return withPrevotes(s -> {
            TreeSet<Msg> out = new TreeSet<>(s);
            if (out.remove(old)) {
                out.add(replacement);
            }
            return out;
        });
    }

    AbstractState withLastAction(LastAction action) {
        return new AbstractState(height, round, step, decision, lockedValue, lockedRound, validValue, validRound,
                msgsPropose, msgsPrevote, msgsPrecommit, action);
    }

    AbstractState withPrevotes(UnaryOperator<SortedSet<Msg>> f) {
        return new AbstractState(height, round, step, decision, lockedValue, lockedRound, validValue, validRound,
                msgsPropose, f.apply(msgsPrevote), msgsPrecommit, lastAction);
    }
}
