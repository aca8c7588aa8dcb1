package dev.oasisj.core.ledger;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.util.Arrays;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The precommit signatures that finalized a block: the round in which it was decided and, per validator, its
 * signature over its precommit for that block at that height and round. What exactly a precommit signature covers is
 * the consensus core's message encoding; this record only carries the signatures, and the node verifies them against
 * the validator set (more than two thirds of the voting power, no validator twice).
 */
public record Commit(int round, List<Signature> signatures) {
    /** The commit carried by block 1, whose predecessor is the genesis and was finalized by no votes. */
    public static final Commit GENESIS = new Commit(0, List.of());

    /** One validator's precommit signature. */
    public record Signature(PublicKey validator, byte[] signature) {
        public Signature {
            if (signature.length != Signer.SIGNATURE_SIZE_BYTES) {
                throw new IllegalArgumentException("signature must be " + Signer.SIGNATURE_SIZE_BYTES + " bytes");
            }
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof Signature s && validator.equals(s.validator) && Arrays.equals(signature, s.signature);
        }

        @Override
        public int hashCode() {
            return 31 * validator.hashCode() + Arrays.hashCode(signature);
        }
    }

    public Commit {
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, got " + round);
        }
        if (signatures.size() > LedgerLimits.MAX_VALIDATORS) {
            throw new IllegalArgumentException("at most " + LedgerLimits.MAX_VALIDATORS + " signatures");
        }
        signatures = List.copyOf(signatures);
    }

    /** The validators whose signatures the commit holds, in its order. */
    public List<PublicKey> signers() {
        List<PublicKey> out = new java.util.ArrayList<>(signatures.size());
        for (Signature s : signatures) {
            out.add(s.validator());
        }
        return out;
    }

    void writeTo(Writer w) {
        w.i32(round).i32(signatures.size());
        for (Signature s : signatures) {
            w.fixed(s.validator().toBytes()).fixed(s.signature);
        }
    }

    /** SHA-256 of the commit's canonical encoding (round, count, then key and signature per entry). */
    public Hash32 hash() {
        Writer w = new Writer();
        writeTo(w);
        return Hash32.sha256(w.toBytes());
    }
}
