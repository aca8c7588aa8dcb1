package dev.oasisj.core.tx;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.DecodedKeyCache;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one signed transaction envelope of every consensus service: on chain {@code chainId}, {@code signer} calls
 * {@code method} (a {@link MethodName}, {@code service.Method}) with the opaque {@code body}, as its transaction number
 * {@code nonce}, paying at most {@code fee}. The body's meaning belongs to the method; {@link MethodRegistry} turns it
 * into a value.
 *
 * <p>Every instance is well formed: the constructor refuses a chain id outside 1..{@value TxLimits#MAX_CHAIN_ID_BYTES}
 * UTF-8 bytes (or one that is not well-formed Unicode, which would not survive UTF-8 encoding), a negative nonce, a
 * method name outside the grammar, a body over {@value TxLimits#MAX_BODY_BYTES} bytes and a signature that is not
 * {@value Signer#SIGNATURE_SIZE_BYTES} bytes. So every instance encodes ({@link SignedTransactionCodec}) to bytes that
 * decode back to an equal instance. Whether the signature is valid is not checked here (see
 * {@link #hasValidSignature()}), nor anything that needs state: chain, nonce order, balance.
 *
 * <p>The signature is Ed25519 by {@code signer} over {@link #signingBytes()}: the domain {@value #SIGNING_DOMAIN}
 * (length-prefixed), then every field but the signature, in encoding order. The domain keeps an envelope signature from
 * being valid as any other signed object of this project (a consensus vote, {@code oasisj/consensus-message/v1}; a
 * v1 transfer, {@code oasisj/transfer/v1}) and theirs from being valid as an envelope. The chain id inside the signed
 * bytes keeps an envelope from being replayed on another chain. Requirement [TX-ENVELOPE-DOMAIN.1] of
 * {@code spec/services/README.md}.
 *
 * <p>Byte arrays are copied in and out; the record is immutable.
 */
public record SignedTransaction(String chainId, PublicKey signer, long nonce, Fee fee, String method, byte[] body,
        byte[] signature) {

    public static final String SIGNING_DOMAIN = "oasisj/tx/v1";

    public SignedTransaction {
        body = body.clone();
        signature = signature.clone();
        String chainProblem = chainIdProblem(chainId);
        if (chainProblem != null) {
            throw new IllegalArgumentException("chainId: " + chainProblem);
        }
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce: negative (" + nonce + ")");
        }
        String methodProblem = MethodName.problem(method);
        if (methodProblem != null) {
            throw new IllegalArgumentException("method: " + methodProblem);
        }
        if (body.length > TxLimits.MAX_BODY_BYTES) {
            throw new IllegalArgumentException("body: " + body.length + " bytes exceeds the limit of "
                    + TxLimits.MAX_BODY_BYTES);
        }
        if (signature.length != Signer.SIGNATURE_SIZE_BYTES) {
            throw new IllegalArgumentException("signature: " + signature.length + " bytes, expected "
                    + Signer.SIGNATURE_SIZE_BYTES);
        }
    }

    /** Builds the envelope and signs it with {@code signer}'s key (deterministic: same inputs, same bytes). */
    public static SignedTransaction sign(Signer signer, String chainId, long nonce, Fee fee, String method,
            byte[] body) {
        Writer w = new Writer().string(SIGNING_DOMAIN);
        writeFields(w, chainId, signer.publicKey(), nonce, fee, method, body);
        return new SignedTransaction(chainId, signer.publicKey(), nonce, fee, method, body, signer.sign(w.toBytes()));
    }

    /** The bytes the signer signs: the length-prefixed domain, then every field but the signature. */
    public byte[] signingBytes() {
        // the encoded size is a few bytes more than the signing bytes: enough to never grow the buffer
        Writer w = new Writer(encodedSizeBytes()).string(SIGNING_DOMAIN);
        writeFields(w, chainId, signer, nonce, fee, method, body);
        return w.toBytes();
    }

    /** True when the signature is a valid Ed25519 signature by {@code signer} over {@link #signingBytes()}. */
    public boolean hasValidSignature() {
        return signer.verify(signingBytes(), signature);
    }

    /** The same answer as {@link #hasValidSignature()}, with the signer's decoded key taken from {@code keys}. */
    public boolean hasValidSignature(DecodedKeyCache keys) {
        return keys.verify(signer, signingBytes(), signature);
    }

    /**
     * The length of {@link SignedTransactionCodec#encode}'s output, without encoding: what a mempool or a block
     * builder counts against its byte budget. At most {@link TxLimits#MAX_ENVELOPE_BYTES}.
     */
    public int encodedSizeBytes() {
        return 1 + 4 + chainId.getBytes(StandardCharsets.UTF_8).length + PublicKey.SIZE_BYTES + 8 + 8 + 8
                + 4 + method.length() + 4 + body.length + Signer.SIGNATURE_SIZE_BYTES;
    }

    /** SHA-256 of the encoding ({@link SignedTransactionCodec#encode}), signature included. */
    public Hash32 hash() {
        return Hash32.sha256(SignedTransactionCodec.encode(this));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The body, not copied: for the codec and the registry in this package, which never write to it. */
    byte[] bodyNoCopy() {
        return body;
    }

    /** The signature, not copied: for the codec in this package, which never writes to it. */
    byte[] signatureNoCopy() {
        return signature;
    }

    /** Writes every field but the signature, in encoding order (shared by the signing bytes and the encoding). */
    static void writeFields(Writer w, String chainId, PublicKey signer, long nonce, Fee fee, String method,
            byte[] body) {
        w.string(chainId).fixed(signer.toBytes()).i64(nonce).i64(fee.amountBaseUnits()).i64(fee.gasLimit())
                .string(method).bytes(body);
    }

    /**
     * Why {@code chainId} is not a valid chain id, or null: it must be well-formed Unicode (a lone surrogate would be
     * replaced when encoded, so the value would not round-trip) of 1..{@value TxLimits#MAX_CHAIN_ID_BYTES} UTF-8
     * bytes.
     */
    static @Nullable String chainIdProblem(String chainId) {
        int sizeBytes;
        if (isAscii(chainId)) {
            sizeBytes = chainId.length(); // one byte per character; no encoder needed
        } else {
            try {
                sizeBytes = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(chainId)).remaining();
            } catch (CharacterCodingException e) {
                return "not well-formed Unicode (a lone surrogate)";
            }
        }
        if (sizeBytes < 1 || sizeBytes > TxLimits.MAX_CHAIN_ID_BYTES) {
            return sizeBytes + " UTF-8 bytes, outside 1.." + TxLimits.MAX_CHAIN_ID_BYTES;
        }
        return null;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SignedTransaction t && chainId.equals(t.chainId) && signer.equals(t.signer)
                && nonce == t.nonce && fee.equals(t.fee) && method.equals(t.method) && Arrays.equals(body, t.body)
                && Arrays.equals(signature, t.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chainId, signer, nonce, fee, method, Arrays.hashCode(body), Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "SignedTransaction[" + method + " by " + signer.shortId() + " nonce=" + nonce + " fee="
                + fee.amountBaseUnits() + "/gas " + fee.gasLimit() + " body=" + body.length + " bytes chain=" + chainId
                + "]";
    }
}
