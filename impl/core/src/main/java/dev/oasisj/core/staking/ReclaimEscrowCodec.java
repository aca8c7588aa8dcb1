package dev.oasisj.core.staking;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.tx.BodyCodec;

/**
 * The encoding of a {@link ReclaimEscrow}: the entity's 32-byte key, then the shares (8 bytes, big-endian, at least
 * 0); exactly {@value ReclaimEscrow#ENCODED_SIZE_BYTES} bytes. Decoding refuses a short input
 * ({@code reclaimEscrow.entity} or {@code reclaimEscrow.shares} truncated), a negative number of shares
 * ({@code reclaimEscrow.shares}) and trailing bytes ({@code reclaimEscrow}).
 */
public final class ReclaimEscrowCodec implements BodyCodec<ReclaimEscrow> {
    public static final ReclaimEscrowCodec INSTANCE = new ReclaimEscrowCodec();

    private ReclaimEscrowCodec() {}

    @Override
    public byte[] encode(ReclaimEscrow body) {
        return new Writer(ReclaimEscrow.ENCODED_SIZE_BYTES).fixed(body.entity().toBytes()).i64(body.shares())
                .toBytes();
    }

    @Override
    public ReclaimEscrow decode(byte[] bytes) throws DecodeException {
        Reader r = new Reader(bytes);
        PublicKey entity = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "reclaimEscrow.entity"));
        long shares = r.i64("reclaimEscrow.shares");
        if (shares < 0) {
            throw new DecodeException("reclaimEscrow.shares: negative (" + shares + ")");
        }
        r.end("reclaimEscrow");
        return new ReclaimEscrow(entity, shares);
    }
}
