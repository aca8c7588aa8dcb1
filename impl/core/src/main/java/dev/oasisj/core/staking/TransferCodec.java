package dev.oasisj.core.staking;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.tx.BodyCodec;

/**
 * The encoding of a {@link Transfer}: the recipient's 32-byte key, then the amount (8 bytes, big-endian, at least 0);
 * exactly {@value Transfer#ENCODED_SIZE_BYTES} bytes. Decoding refuses a short input ({@code transfer.to} or
 * {@code transfer.amount} truncated), a negative amount ({@code transfer.amount}) and trailing bytes
 * ({@code transfer}).
 */
public final class TransferCodec implements BodyCodec<Transfer> {
    public static final TransferCodec INSTANCE = new TransferCodec();

    private TransferCodec() {}

    @Override
    public byte[] encode(Transfer body) {
        return new Writer(Transfer.ENCODED_SIZE_BYTES).fixed(body.to().toBytes()).i64(body.amountBaseUnits())
                .toBytes();
    }

    @Override
    public Transfer decode(byte[] bytes) throws DecodeException {
        Reader r = new Reader(bytes);
        PublicKey to = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "transfer.to"));
        long amount = r.i64("transfer.amount");
        if (amount < 0) {
            throw new DecodeException("transfer.amount: negative (" + amount + ")");
        }
        r.end("transfer");
        return new Transfer(to, amount);
    }
}
