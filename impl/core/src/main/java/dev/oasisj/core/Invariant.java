package dev.oasisj.core;

/**
 * Always-on invariant checks. Java {@code assert} is disabled by default, so cores call these instead; each call names
 * the TLA+ invariant (and its requirement tag) that it mirrors.
 */
public final class Invariant {
    private Invariant() {}

    /** Thrown when a core's state violates an invariant: the core is wrong, never the input. */
    public static final class ViolationException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public ViolationException(String message) {
            super(message);
        }
    }

    /** As {@link #check(boolean, String, String)}, building the detail only when the invariant is violated. */
    public static void check(boolean holds, String invariantName, java.util.function.Supplier<String> detail) {
        if (!holds) {
            throw new ViolationException(invariantName + " violated: " + detail.get());
        }
    }

    public static void check(boolean holds, String invariantName, String detail) {
        if (!holds) {
            throw new ViolationException(invariantName + " violated: " + detail);
        }
    }
}
