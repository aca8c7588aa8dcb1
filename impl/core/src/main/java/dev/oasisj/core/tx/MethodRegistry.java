package dev.oasisj.core.tx;

import dev.oasisj.core.codec.DecodeException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The methods of all services, by name, and the one place where an envelope's body becomes a value. Built once when the
 * consensus application starts (each service registers its {@link TxMethod}s) and then only read; single-threaded.
 *
 * <p>{@link #decode} checks, in this order, and answers with the first failure ({@link TxRejectReason}):
 * <ol>
 *   <li>the method is registered ({@code UNKNOWN_METHOD});</li>
 *   <li>the body is at most the method's {@code maxBodyBytes} ({@code BODY_TOO_LARGE}), before its codec sees it;</li>
 *   <li>the codec decodes it ({@code MALFORMED_BODY});</li>
 *   <li>the decoded value re-encodes to exactly the body's bytes ({@code NON_CANONICAL_BODY}).</li>
 * </ol>
 * The last check makes "a body decodes to exactly one value and re-encodes to the same bytes" hold for every method,
 * whatever its codec, so no service can accept two encodings of one call. The registry checks neither the signature nor
 * anything that needs state (chain, nonce, fee, the body's meaning): those belong to the ledger and to the service.
 * Requirements [TX-BODY-CANONICAL.1] and [TX-METHOD-REGISTRY.1] of {@code spec/services/README.md}.
 *
 * <p>Methods live in a {@link TreeMap}, so {@link #methodNames()} and anything derived from the registry are in name
 * order on every node.
 */
public final class MethodRegistry {
    private final TreeMap<String, TxMethod<?>> methods = new TreeMap<>();

    /**
     * Adds {@code method}.
     *
     * @throws IllegalArgumentException when a method of that name is already registered (the first one stays)
     */
    public MethodRegistry register(TxMethod<?> method) {
        if (methods.containsKey(method.name())) {
            throw new IllegalArgumentException("method already registered: " + method.name());
        }
        methods.put(method.name(), method);
        return this;
    }

    /** The method registered under {@code name}. */
    public Optional<TxMethod<?>> method(String name) {
        return Optional.ofNullable(methods.get(name));
    }

    /** Every registered method name, in order. */
    public List<String> methodNames() {
        return List.copyOf(methods.keySet());
    }

    /** The envelope's method and decoded body, or why they are refused (see the class comment for the order). */
    public TxDecodeResult decode(SignedTransaction tx) {
        @Nullable TxMethod<?> method = methods.get(tx.method());
        if (method == null) {
            return new TxDecodeResult.Rejected(tx, TxRejectReason.UNKNOWN_METHOD,
                    "no service registered method " + tx.method());
        }
        return decodeWith(method, tx);
    }

    private static <T extends Object> TxDecodeResult decodeWith(TxMethod<T> method, SignedTransaction tx) {
        byte[] body = tx.bodyNoCopy();
        if (body.length > method.maxBodyBytes()) {
            return new TxDecodeResult.Rejected(tx, TxRejectReason.BODY_TOO_LARGE, method.name() + ": body of "
                    + body.length + " bytes exceeds the method's limit of " + method.maxBodyBytes());
        }
        T value;
        try {
            // the codec gets a copy: a codec that kept or wrote to its input could not change the envelope
            value = method.codec().decode(body.clone());
        } catch (DecodeException e) {
            return new TxDecodeResult.Rejected(tx, TxRejectReason.MALFORMED_BODY,
                    method.name() + ": " + e.getMessage());
        }
        if (!Arrays.equals(method.codec().encode(value), body)) {
            return new TxDecodeResult.Rejected(tx, TxRejectReason.NON_CANONICAL_BODY, method.name()
                    + ": the body decodes, but its value re-encodes to other bytes");
        }
        return new TxDecodeResult.Decoded<>(tx, method, value);
    }
}
