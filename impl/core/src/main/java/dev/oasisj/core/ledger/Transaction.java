package dev.oasisj.core.ledger;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.DecodedKeyCache;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A signed transfer of {@code amountBaseUnits} from {@code sender} to {@code recipient}, paying {@code feeBaseUnits}
 * to the fee pool. {@code nonce} must equal the sender's account nonce (the number of transfers it has made so far),
 * which makes every transaction applicable at most once (replay protection) and orders one sender's transactions.
 *
 * <p>The signature is Ed25519 by {@code sender} over {@link #signingBytes()}: the domain prefix
 * {@value #SIGNING_DOMAIN} followed by the canonical encoding of every field except the signature. The domain prefix
 * keeps a transaction signature from ever being valid as a consensus vote or any other signed object.
 *
 * <p>The record holds values only; whether they are acceptable is the ledger's decision ({@link Ledger#apply}).
 */
public record Transaction(String chainId, PublicKey sender, PublicKey recipient, long amountBaseUnits,
        long feeBaseUnits, long nonce, byte[] signature) {

    public static final String SIGNING_DOMAIN = "oasisj/transfer/v1";

    public Transaction {
        signature = signature.clone();
    }

    /** Builds and signs a transfer from {@code signer}'s account. */
    public static Transaction sign(Signer signer, String chainId, PublicKey recipient, long amountBaseUnits,
            long feeBaseUnits, long nonce) {
        Transaction unsigned = new Transaction(chainId, signer.publicKey(), recipient, amountBaseUnits, feeBaseUnits,
                nonce, new byte[0]);
        return new Transaction(chainId, signer.publicKey(), recipient, amountBaseUnits, feeBaseUnits, nonce,
                signer.sign(unsigned.signingBytes()));
    }

    /** The bytes the sender signs: domain prefix, then every field but the signature, canonically encoded. */
    public byte[] signingBytes() {
        return new Writer().string(SIGNING_DOMAIN).string(chainId).fixed(sender.toBytes()).fixed(recipient.toBytes())
                .i64(amountBaseUnits).i64(feeBaseUnits).i64(nonce).toBytes();
    }

    /** True when the signature is a valid Ed25519 signature by the sender over {@link #signingBytes()}. */
    public boolean hasValidSignature() {
        return sender.verify(signingBytes(), signature);
    }

    /** The same answer as {@link #hasValidSignature()}, with the sender's decoded key taken from {@code keys}. */
    public boolean hasValidSignature(DecodedKeyCache keys) {
        return keys.verify(sender, signingBytes(), signature);
    }

    /** SHA-256 of the canonical encoding (signature included): the identity used by the mempool and blocks. */
    public Hash32 hash() {
        return Hash32.sha256(TransactionCodec.encode(this));
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Size of the chain id in UTF-8 bytes. */
    int chainIdSizeBytes() {
        return chainId.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Transaction t && chainId.equals(t.chainId) && sender.equals(t.sender)
                && recipient.equals(t.recipient) && amountBaseUnits == t.amountBaseUnits
                && feeBaseUnits == t.feeBaseUnits && nonce == t.nonce && Arrays.equals(signature, t.signature);
    }

    @Override
    public int hashCode() {
        int h = chainId.hashCode();
        h = 31 * h + sender.hashCode();
        h = 31 * h + recipient.hashCode();
        h = 31 * h + Long.hashCode(amountBaseUnits);
        h = 31 * h + Long.hashCode(feeBaseUnits);
        h = 31 * h + Long.hashCode(nonce);
        return 31 * h + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "Transaction[" + sender.shortId() + "->" + recipient.shortId() + " amount=" + amountBaseUnits + " fee="
                + feeBaseUnits + " nonce=" + nonce + " chain=" + chainId + "]";
    }
}
