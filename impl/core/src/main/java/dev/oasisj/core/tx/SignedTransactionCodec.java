package dev.oasisj.core.tx;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;

/**
 * The one encoding of a {@link SignedTransaction}, in this order:
 * <ol>
 *   <li>version byte {@value #VERSION};</li>
 *   <li>chain id: 4-byte big-endian length, then 1..{@value TxLimits#MAX_CHAIN_ID_BYTES} bytes of UTF-8;</li>
 *   <li>signer: 32-byte Ed25519 public key;</li>
 *   <li>nonce, fee amount, fee gas limit: 8 bytes each, big-endian, each at least 0;</li>
 *   <li>method: 4-byte length, then {@value TxLimits#MIN_METHOD_NAME_CHARS}..{@value TxLimits#MAX_METHOD_NAME_CHARS}
 *       ASCII bytes following {@link MethodName};</li>
 *   <li>body: 4-byte length, then 0..{@value TxLimits#MAX_BODY_BYTES} bytes;</li>
 *   <li>signature: 64 bytes.</li>
 * </ol>
 *
 * <p>The version byte is 2, not 1, so that the first byte alone tells an envelope from a v1 transfer
 * ({@code TransactionCodec.VERSION} = 1) when both travel in the same slot of a block or a peer message; the signing
 * domain {@value SignedTransaction#SIGNING_DOMAIN} names the envelope's own first version.
 *
 * <p>Decoding checks the total size against {@link TxLimits#MAX_ENVELOPE_BYTES} before reading anything, checks every
 * length prefix before allocating, and refuses an unknown version, a field outside its bounds and trailing bytes. Every
 * refusal is a {@link DecodeException} whose message starts with the field's name ({@code envelope.size},
 * {@code envelope.version}, {@code envelope.chainId}, {@code envelope.signer}, {@code envelope.nonce},
 * {@code envelope.fee.amount}, {@code envelope.fee.gasLimit}, {@code envelope.method}, {@code envelope.body},
 * {@code envelope.signature}, or {@code envelope} for trailing bytes). Every field is fixed-width or length-prefixed
 * and UTF-8 is decoded strictly, so each envelope has exactly one encoding and {@link SignedTransaction#hash()} is well
 * defined. The signature is not checked here. Requirements [TX-ENVELOPE-BOUNDS.1] and [TX-ENVELOPE-CANONICAL.1] of
 * {@code spec/services/README.md}.
 */
public final class SignedTransactionCodec {
    public static final int VERSION = 2;

    private SignedTransactionCodec() {}

    public static byte[] encode(SignedTransaction tx) {
        Writer w = new Writer(tx.encodedSizeBytes()).u8(VERSION);
        SignedTransaction.writeFields(w, tx.chainId(), tx.signer(), tx.nonce(), tx.fee(), tx.method(),
                tx.bodyNoCopy());
        return w.fixed(tx.signatureNoCopy()).toBytes();
    }

    public static SignedTransaction decode(byte[] bytes) throws DecodeException {
        if (bytes.length > TxLimits.MAX_ENVELOPE_BYTES) {
            throw new DecodeException("envelope.size: " + bytes.length + " bytes exceeds the limit of "
                    + TxLimits.MAX_ENVELOPE_BYTES);
        }
        Reader r = new Reader(bytes);
        int version = r.u8("envelope.version");
        if (version != VERSION) {
            throw new DecodeException("envelope.version: unknown version " + version + " (expected " + VERSION + ")");
        }
        String chainId = r.string(TxLimits.MAX_CHAIN_ID_BYTES, "envelope.chainId");
        String chainProblem = SignedTransaction.chainIdProblem(chainId);
        if (chainProblem != null) {
            throw new DecodeException("envelope.chainId: " + chainProblem);
        }
        PublicKey signer = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "envelope.signer"));
        long nonce = nonNegative(r.i64("envelope.nonce"), "envelope.nonce");
        long feeAmount = nonNegative(r.i64("envelope.fee.amount"), "envelope.fee.amount");
        long gasLimit = nonNegative(r.i64("envelope.fee.gasLimit"), "envelope.fee.gasLimit");
        String method = r.string(TxLimits.MAX_METHOD_NAME_CHARS, "envelope.method");
        String methodProblem = MethodName.problem(method);
        if (methodProblem != null) {
            throw new DecodeException("envelope.method: " + methodProblem);
        }
        byte[] body = r.bytes(TxLimits.MAX_BODY_BYTES, "envelope.body");
        byte[] signature = r.fixed(Signer.SIGNATURE_SIZE_BYTES, "envelope.signature");
        r.end("envelope");
        return new SignedTransaction(chainId, signer, nonce, new Fee(feeAmount, gasLimit), method, body, signature);
    }

    private static long nonNegative(long value, String field) throws DecodeException {
        if (value < 0) {
            throw new DecodeException(field + ": negative (" + value + ")");
        }
        return value;
    }
}
