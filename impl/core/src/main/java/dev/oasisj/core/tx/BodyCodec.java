package dev.oasisj.core.tx;

import dev.oasisj.core.codec.DecodeException;

/**
 * The encoding of one method's body. A codec is structural only: it checks that the bytes are a value of the body's
 * type (lengths, ranges the type itself excludes, trailing bytes) and leaves every rule that needs the chain's state or
 * the method's meaning (a positive amount, a known account, enough balance) to the service that executes the method.
 *
 * <p>Contract, for any codec registered with a {@link MethodRegistry}:
 * <ul>
 *   <li>{@code decode} throws only {@link DecodeException} on malformed input (any other exception is a bug that the
 *       fuzz targets report), reads nothing but its argument, and is deterministic;</li>
 *   <li>{@code encode} is deterministic and {@code decode(encode(v))} equals {@code v}.</li>
 * </ul>
 * A codec need not refuse every non-canonical encoding itself: the registry decodes, re-encodes and compares, and
 * refuses a body that does not re-encode to its own bytes ({@link TxRejectReason#NON_CANONICAL_BODY}).
 *
 * @param <T> the body's type; immutable values only (records of primitives, keys and copied arrays)
 */
public interface BodyCodec<T extends Object> {
    byte[] encode(T body);

    T decode(byte[] bytes) throws DecodeException;
}
