package dev.oasisj.core.beacon;

import dev.oasisj.core.crypto.EcVrf;
import dev.oasisj.core.crypto.PublicKey;
import java.util.Arrays;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The body of {@code beacon.SubmitProof}: {@code validator}'s ECVRF proof ({@value EcVrf#PROOF_SIZE_BYTES} bytes) of
 * the alpha of {@code epoch} ({@link BeaconRound#alpha(String, long, dev.oasisj.core.crypto.Hash32)}). The proof
 * authenticates itself (only the validator's key can make it), so the envelope's signer need not be the validator.
 */
public record BeaconProof(PublicKey validator, long epoch, byte[] proof) {
    public static final int ENCODED_SIZE_BYTES = PublicKey.SIZE_BYTES + 8 + EcVrf.PROOF_SIZE_BYTES;

    public BeaconProof {
        if (epoch < 0) {
            throw new IllegalArgumentException("beaconProof.epoch: negative (" + epoch + ")");
        }
        if (proof.length != EcVrf.PROOF_SIZE_BYTES) {
            throw new IllegalArgumentException("beaconProof.proof: " + proof.length + " bytes, not "
                    + EcVrf.PROOF_SIZE_BYTES);
        }
        proof = proof.clone();
    }

    @Override
    public byte[] proof() {
        return proof.clone();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof BeaconProof p && validator.equals(p.validator) && epoch == p.epoch
                && Arrays.equals(proof, p.proof);
    }

    @Override
    public int hashCode() {
        return Objects.hash(validator, epoch, Arrays.hashCode(proof));
    }

    @Override
    public String toString() {
        return "BeaconProof[" + validator.shortId() + ", epoch " + epoch + "]";
    }
}
