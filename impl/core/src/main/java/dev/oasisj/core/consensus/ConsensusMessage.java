package dev.oasisj.core.consensus;

import dev.oasisj.core.crypto.Hash32;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The three consensus messages of ACTIONS.md ("Messages"), without sender and signature (see {@link SignedMessage}).
 * Heights start at 1, rounds at 0. Constructors validate shape; they throw {@link IllegalArgumentException}.
 */
public sealed interface ConsensusMessage permits ConsensusMessage.Proposal, ConsensusMessage.Prevote,
        ConsensusMessage.Precommit {

    /** The kind of a message; the per-(sender, height, round, kind) limits and the wire tag use it. */
    enum Kind {
        PROPOSAL(1), PREVOTE(2), PRECOMMIT(3);

        final int wireTag;

        Kind(int wireTag) {
            this.wireTag = wireTag;
        }
    }

    long height();

    int round();

    Kind kind();

    private static void checkHeightRound(long height, int round) {
        if (height < 1) {
            throw new IllegalArgumentException("height must be >= 1, got " + height);
        }
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, got " + round);
        }
    }

    /**
     * A proposal of the block {@code payload} whose hash is {@code value}; {@code validRound} is -1 for a fresh value or
     * the round of the proof of lock (POL) being re-proposed ({@code -1..round-1}).
     */
    record Proposal(long height, int round, Hash32 value, int validRound, byte[] payload) implements ConsensusMessage {
        public Proposal {
            checkHeightRound(height, round);
            if (validRound < -1 || validRound >= round) {
                throw new IllegalArgumentException("validRound must be in -1.." + (round - 1) + ", got " + validRound);
            }
            if (payload.length > ConsensusMessageCodec.MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds "
                        + ConsensusMessageCodec.MAX_PAYLOAD_BYTES);
            }
            payload = payload.clone();
            if (!Hash32.sha256(payload).equals(value)) {
                throw new IllegalArgumentException("proposal value is not the SHA-256 of its payload");
            }
        }

        /** A proposal of {@code payload}, its value computed. */
        public static Proposal of(long height, int round, byte[] payload, int validRound) {
            return new Proposal(height, round, Hash32.sha256(payload), validRound, payload);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        int payloadSizeBytes() {
            return payload.length;
        }

        @Override
        public Kind kind() {
            return Kind.PROPOSAL;
        }

        @Override
        public boolean equals(@Nullable Object o) {
            // The payload is determined by the value (its hash), so comparing the value suffices.
            return o instanceof Proposal p && p.height == height && p.round == round && p.value.equals(value)
                    && p.validRound == validRound;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(height, round, value, validRound);
        }

        @Override
        public String toString() {
            return "Proposal[h=" + height + ", r=" + round + ", value=" + value.shortHex() + ", validRound=" + validRound
                    + ", payloadBytes=" + payload.length + "]";
        }
    }

    /** A prevote for a value or for {@link VoteValue#NIL}. */
    record Prevote(long height, int round, VoteValue value) implements ConsensusMessage {
        public Prevote {
            checkHeightRound(height, round);
        }

        @Override
        public Kind kind() {
            return Kind.PREVOTE;
        }
    }

    /** A precommit for a value or for {@link VoteValue#NIL}. */
    record Precommit(long height, int round, VoteValue value) implements ConsensusMessage {
        public Precommit {
            checkHeightRound(height, round);
        }

        @Override
        public Kind kind() {
            return Kind.PRECOMMIT;
        }
    }
}
