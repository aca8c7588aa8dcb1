package dev.oasisj.core.ledger;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;

/**
 * The one encoding of a {@link Transaction}: version byte {@value #VERSION}, chain id (length-prefixed UTF-8), sender
 * key (32 bytes), recipient key (32 bytes), amount, fee, nonce (8 bytes each, big-endian, signed), signature (64
 * bytes). Decoding checks the total size before reading anything and rejects trailing bytes, so each transaction has
 * exactly one encoding and its hash is well defined.
 */
public final class TransactionCodec {
    public static final int VERSION = 1;

    private TransactionCodec() {}

    public static byte[] encode(Transaction tx) {
        return new Writer().u8(VERSION).string(tx.chainId()).fixed(tx.sender().toBytes())
                .fixed(tx.recipient().toBytes()).i64(tx.amountBaseUnits()).i64(tx.feeBaseUnits()).i64(tx.nonce())
                .fixed(tx.signature()).toBytes();
    }

    public static Transaction decode(byte[] bytes) throws DecodeException {
        if (bytes.length > LedgerLimits.MAX_TRANSACTION_BYTES) {
            throw new DecodeException("transaction: " + bytes.length + " bytes exceeds the limit of "
                    + LedgerLimits.MAX_TRANSACTION_BYTES);
        }
        Reader r = new Reader(bytes);
        int version = r.u8("transaction.version");
        if (version != VERSION) {
            throw new DecodeException("transaction.version: unknown version " + version + " (expected " + VERSION + ")");
        }
        String chainId = r.string(LedgerLimits.MAX_CHAIN_ID_BYTES, "transaction.chainId");
        PublicKey sender = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "transaction.sender"));
        PublicKey recipient = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "transaction.recipient"));
        long amount = r.i64("transaction.amount");
        long fee = r.i64("transaction.fee");
        long nonce = r.i64("transaction.nonce");
        byte[] signature = r.fixed(Signer.SIGNATURE_SIZE_BYTES, "transaction.signature");
        r.end("transaction");
        return new Transaction(chainId, sender, recipient, amount, fee, nonce, signature);
    }
}
