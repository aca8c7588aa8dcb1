package dev.oasisj.core.beacon;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.EcVrf;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.tx.BodyCodec;

/**
 * The encoding of a {@link BeaconProof}: the validator's key (32), the epoch (8, big-endian, at least 0), the proof
 * (80); exactly {@value BeaconProof#ENCODED_SIZE_BYTES} bytes. Whether the proof verifies is the round's check.
 */
public final class BeaconProofCodec implements BodyCodec<BeaconProof> {
    public static final BeaconProofCodec INSTANCE = new BeaconProofCodec();

    private BeaconProofCodec() {}

    @Override
    public byte[] encode(BeaconProof body) {
        return new Writer(BeaconProof.ENCODED_SIZE_BYTES).fixed(body.validator().toBytes()).i64(body.epoch())
                .fixed(body.proof()).toBytes();
    }

    @Override
    public BeaconProof decode(byte[] bytes) throws DecodeException {
        Reader r = new Reader(bytes);
        PublicKey validator = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "beaconProof.validator"));
        long epoch = r.i64("beaconProof.epoch");
        if (epoch < 0) {
            throw new DecodeException("beaconProof.epoch: negative (" + epoch + ")");
        }
        byte[] proof = r.fixed(EcVrf.PROOF_SIZE_BYTES, "beaconProof.proof");
        r.end("beaconProof");
        return new BeaconProof(validator, epoch, proof);
    }
}
