package dev.oasisj.core.tx;

import java.util.Optional;

/**
 * A method a service offers: its name ({@link MethodName} grammar, the service's name before the dot), the codec of its
 * body and the largest body it accepts ({@code 0..}{@value TxLimits#MAX_BODY_BYTES}). A service declares its methods
 * as constants and registers them with the {@link MethodRegistry} of the consensus application at start-up.
 *
 * <p>The value is also the typed key for the decoded body: {@link #bodyOf} gives the body of a
 * {@link TxDecodeResult.Decoded} for this method as a {@code T}, without a cast at the call site.
 */
public record TxMethod<T extends Object>(String name, BodyCodec<T> codec, int maxBodyBytes) {
    public TxMethod {
        String problem = MethodName.problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("method name '" + name + "': " + problem);
        }
        if (maxBodyBytes < 0 || maxBodyBytes > TxLimits.MAX_BODY_BYTES) {
            throw new IllegalArgumentException("method " + name + ": maxBodyBytes " + maxBodyBytes + " outside 0.."
                    + TxLimits.MAX_BODY_BYTES);
        }
    }

    /** The decoded body when {@code result} is a decoded call of this method; empty otherwise. */
    public Optional<T> bodyOf(TxDecodeResult result) {
        if (result instanceof TxDecodeResult.Decoded<?> decoded && decoded.method().equals(this)) {
            // Decoded pairs a TxMethod<U> with a U, and this method equals decoded.method(), so U is T.
            @SuppressWarnings("unchecked")
            T body = (T) decoded.body();
            return Optional.of(body);
        }
        return Optional.empty();
    }
}
