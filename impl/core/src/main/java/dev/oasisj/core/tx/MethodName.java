package dev.oasisj.core.tx;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The grammar of a method name: {@code service.Method}, that is {@code [a-z][a-z0-9]*\.[A-Z][A-Za-z0-9]*}, ASCII, of
 * {@value TxLimits#MIN_METHOD_NAME_CHARS} to {@value TxLimits#MAX_METHOD_NAME_CHARS} characters (for example
 * {@code staking.Transfer}, as in the reference system). The part before the dot names the service that owns the
 * method. Checked character by character, without a regular expression, so the rule is readable here and its cost is
 * linear in the (bounded) length.
 */
public final class MethodName {
    private MethodName() {}

    /** True when {@code name} follows the grammar. */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    /** Why {@code name} does not follow the grammar, or null when it does. */
    public static @Nullable String problem(String name) {
        int n = name.length();
        if (n < TxLimits.MIN_METHOD_NAME_CHARS || n > TxLimits.MAX_METHOD_NAME_CHARS) {
            return "length " + n + " outside " + TxLimits.MIN_METHOD_NAME_CHARS + ".."
                    + TxLimits.MAX_METHOD_NAME_CHARS;
        }
        if (!isLower(name.charAt(0))) {
            return "the service name must start with a lowercase ASCII letter";
        }
        int i = 1;
        while (i < n && (isLower(name.charAt(i)) || isDigit(name.charAt(i)))) {
            i++;
        }
        if (i == n || name.charAt(i) != '.') {
            return "the service name must be lowercase ASCII letters and digits, followed by '.'";
        }
        i++;
        if (i == n || !isUpper(name.charAt(i))) {
            return "the method name after '.' must start with an uppercase ASCII letter";
        }
        i++;
        while (i < n) {
            char c = name.charAt(i);
            if (!isLower(c) && !isUpper(c) && !isDigit(c)) {
                return "the method name after '.' must be ASCII letters and digits only";
            }
            i++;
        }
        return null;
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
