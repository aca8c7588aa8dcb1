package dev.oasisj.core.tx;

import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What {@link MethodRegistry#decode} made of an envelope: the method and its decoded body, or a reason to refuse it.
 * Java 17 has no pattern {@code switch} over sealed types; use {@code instanceof} or {@link TxMethod#bodyOf}.
 */
public sealed interface TxDecodeResult permits TxDecodeResult.Decoded, TxDecodeResult.Rejected {

    /** The envelope this result is about. */
    SignedTransaction transaction();

    /**
     * The envelope's method is registered and its body decoded to {@code body}, which re-encodes to exactly the
     * envelope's body bytes. Only the registry creates one, so holding one proves those checks passed.
     */
    final class Decoded<T extends Object> implements TxDecodeResult {
        private final SignedTransaction transaction;
        private final TxMethod<T> method;
        private final T body;

        Decoded(SignedTransaction transaction, TxMethod<T> method, T body) {
            this.transaction = transaction;
            this.method = method;
            this.body = body;
        }

        @Override
        public SignedTransaction transaction() {
            return transaction;
        }

        public TxMethod<T> method() {
            return method;
        }

        public T body() {
            return body;
        }

        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof Decoded<?> d && transaction.equals(d.transaction) && method.equals(d.method)
                    && body.equals(d.body);
        }

        @Override
        public int hashCode() {
            return Objects.hash(transaction, method, body);
        }

        @Override
        public String toString() {
            return "Decoded[" + method.name() + " " + body + "]";
        }
    }

    /** The registry refused the envelope for {@code reason}; {@code detail} says what exactly, for logs. */
    record Rejected(SignedTransaction transaction, TxRejectReason reason, String detail) implements TxDecodeResult {}
}
