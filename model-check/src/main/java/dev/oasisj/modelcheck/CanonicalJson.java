package dev.oasisj.modelcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@link TlaValue}s as canonical JSON text, the form fixed by {@code spec/consensus/ACTIONS.md}.
 *
 * <p>Why hand-written instead of a JSON library: the trace corpus is committed and checked byte for byte
 * ({@code check-golden}), so every choice that affects bytes (key order, set order, number and string format, no
 * whitespace) must be explicit here rather than depend on a library's defaults.
 *
 * <p>Mapping: integers as JSON numbers; strings and model values as JSON strings (model values by their name);
 * booleans as {@code true}/{@code false}; sequences (and so functions over {@code 1..n}) as arrays; sets as arrays
 * sorted by the elements' JSON text; records as objects with keys sorted; functions printed with {@code :>} as objects
 * with keys sorted, the key of a string or model value being its name and the key of anything else (integers, tuples,
 * booleans, records) being its canonical JSON text (so {@code (0 :> a)} becomes {@code {"0":"a"}}).
 */
public final class CanonicalJson {

    private CanonicalJson() { }

    /** The canonical JSON text of a value. */
    public static String write(TlaValue value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    /** Appends the canonical JSON text of a value. */
    public static void write(TlaValue value, StringBuilder out) {
        if (value instanceof TlaValue.Int i) {
            out.append(i.value());
        } else if (value instanceof TlaValue.Str s) {
            quote(s.value(), out);
        } else if (value instanceof TlaValue.Bool b) {
            out.append(b.value() ? "true" : "false");
        } else if (value instanceof TlaValue.ModelValue m) {
            quote(m.name(), out);
        } else if (value instanceof TlaValue.Seq s) {
            out.append('[');
            for (int i = 0; i < s.elements().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(s.elements().get(i), out);
            }
            out.append(']');
        } else if (value instanceof TlaValue.SetValue s) {
            List<String> texts = new ArrayList<>(s.elements().size());
            for (TlaValue e : s.elements()) {
                texts.add(write(e));
            }
            texts.sort(null);
            out.append('[').append(String.join(",", texts)).append(']');
        } else if (value instanceof TlaValue.Rcd r) {
            TreeMap<String, TlaValue> sorted = new TreeMap<>();
            for (TlaValue.Field f : r.fields()) {
                sorted.put(f.name(), f.value());
            }
            writeObject(sorted, out);
        } else if (value instanceof TlaValue.Fcn f) {
            TreeMap<String, TlaValue> sorted = new TreeMap<>();
            for (TlaValue.Mapping m : f.mappings()) {
                String key = keyOf(m.key());
                if (sorted.put(key, m.value()) != null) {
                    throw new IllegalArgumentException("function has two domain elements written as the same JSON "
                            + "key " + key);
                }
            }
            writeObject(sorted, out);
        } else {
            throw new IllegalStateException("unknown value type " + value.getClass());
        }
    }

    /** The JSON object key for a function's domain element. */
    static String keyOf(TlaValue key) {
        if (key instanceof TlaValue.Str s) {
            return s.value();
        }
        if (key instanceof TlaValue.ModelValue m) {
            return m.name();
        }
        return write(key);
    }

    /** Writes an object whose entries are already in the wanted order. */
    public static void writeObject(Map<String, TlaValue> entries, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, TlaValue> e : entries.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(e.getKey(), out);
            out.append(':');
            write(e.getValue(), out);
        }
        out.append('}');
    }

    /** Appends a JSON string literal: escapes quote, backslash and control characters; everything else literal. */
    public static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
