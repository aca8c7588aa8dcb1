package dev.oasisj.core.staking;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.tx.BodyCodec;

/**
 * The encoding of an {@link AddEscrow}: the entity's 32-byte key, then the amount (8 bytes, big-endian, at least 0);
 * exactly {@value AddEscrow#ENCODED_SIZE_BYTES} bytes. Decoding refuses a short input ({@code addEscrow.entity} or
 * {@code addEscrow.amount} truncated), a negative amount ({@code addEscrow.amount}) and trailing bytes
 * ({@code addEscrow}).
 */
public final class AddEscrowCodec implements BodyCodec<AddEscrow> {
    public static final AddEscrowCodec INSTANCE = new AddEscrowCodec();

    private AddEscrowCodec() {}

    @Override
    public byte[] encode(AddEscrow body) {
        return new Writer(AddEscrow.ENCODED_SIZE_BYTES).fixed(body.entity().toBytes()).i64(body.amountBaseUnits())
                .toBytes();
    }

    @Override
    public AddEscrow decode(byte[] bytes) throws DecodeException {
        Reader r = new Reader(bytes);
        PublicKey entity = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "addEscrow.entity"));
        long amount = r.i64("addEscrow.amount");
        if (amount < 0) {
            throw new DecodeException("addEscrow.amount: negative (" + amount + ")");
        }
        r.end("addEscrow");
        return new AddEscrow(entity, amount);
    }
}
