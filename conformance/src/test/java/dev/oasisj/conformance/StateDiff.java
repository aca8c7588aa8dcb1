package dev.oasisj.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a trace state with an implementation's abstract state, field by field, and says exactly what differs.
 * Variables named in {@code setVariables} are TLA+ sets written as JSON arrays: they are compared as sets (element
 * order is irrelevant), and the report lists the elements missing on each side.
 */
final class StateDiff {
    private StateDiff() {}

    static List<String> differences(JsonNode expected, JsonNode actual, Set<String> setVariables) {
        List<String> out = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        expected.fieldNames().forEachRemaining(names::add);
        actual.fieldNames().forEachRemaining(names::add);
        for (String var : names) {
            JsonNode e = expected.get(var);
            JsonNode a = actual.get(var);
            if (e == null) {
                out.add(var + ": the implementation has it, the trace does not");
            } else if (a == null) {
                out.add(var + ": in the trace, not mapped from the implementation");
            } else if (setVariables.contains(var)) {
                Set<String> es = elements(e);
                Set<String> as = elements(a);
                for (String x : es) {
                    if (!as.contains(x)) {
                        out.add(var + ": missing in the implementation: " + x);
                    }
                }
                for (String x : as) {
                    if (!es.contains(x)) {
                        out.add(var + ": extra in the implementation: " + x);
                    }
                }
            } else {
                diffValue(var, e, a, out);
            }
        }
        return out;
    }

    private static void diffValue(String path, JsonNode e, JsonNode a, List<String> out) {
        if (e.isObject() && a.isObject()) {
            Set<String> keys = new TreeSet<>();
            e.fieldNames().forEachRemaining(keys::add);
            a.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                JsonNode ek = e.get(k);
                JsonNode ak = a.get(k);
                if (ek == null || ak == null) {
                    out.add(path + "." + k + ": trace=" + ek + " impl=" + ak);
                } else {
                    diffValue(path + "." + k, ek, ak, out);
                }
            }
        } else if (!canonical(e).equals(canonical(a))) {
            out.add(path + ": trace=" + canonical(e) + " impl=" + canonical(a));
        }
    }

    private static Set<String> elements(JsonNode array) {
        Set<String> s = new TreeSet<>();
        array.forEach(x -> s.add(canonical(x)));
        return s;
    }

    /** JSON text with object keys sorted, so that equal values have equal text. */
    static String canonical(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString();
    }

    private static void write(JsonNode node, StringBuilder sb) {
        if (node.isObject()) {
            Set<String> keys = new TreeSet<>();
            node.fieldNames().forEachRemaining(keys::add);
            sb.append('{');
            Iterator<String> it = keys.iterator();
            while (it.hasNext()) {
                String k = it.next();
                sb.append('"').append(k).append("\":");
                write(node.get(k), sb);
                if (it.hasNext()) {
                    sb.append(',');
                }
            }
            sb.append('}');
        } else if (node.isArray()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(node.get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(node.toString());
        }
    }
}
