package dev.oasisj.core.node;

import dev.oasisj.core.app.Misbehaviour;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.ValidatorSet;
import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Evidence that a validator signed two different votes of one kind at one (height, round) (the spec's equivocation,
 * [CONS-ACCOUNTABILITY.2]; CometBFT's duplicate-vote evidence): what nodes gossip and blocks carry (issue 9, point 0).
 * Only prevotes and precommits: a proposal carries a whole block, too large for evidence, and a second proposal is
 * not slashable on its own (the votes it draws are).
 *
 * <p>Canonical: {@code first} is the one whose encoding is smaller (unsigned bytes), so one equivocation has one
 * encoding. Encoding: each message length-prefixed in the consensus codec, at most {@link #MAX_BYTES} in all.
 */
public record DuplicateVote(SignedMessage first, SignedMessage second) {
    /** Largest encoded evidence (two votes of about 180 bytes each, with room): the block's limit. */
    public static final int MAX_BYTES = dev.oasisj.core.ledger.LedgerLimits.MAX_EVIDENCE_BYTES;

    /** The evidence of an equivocation the pool found, in canonical order; null if it is not of two votes. */
    static @Nullable DuplicateVote of(EvidencePool.Equivocation e) {
        if (e.kind() == ConsensusMessage.Kind.PROPOSAL) {
            return null;
        }
        byte[] a = ConsensusMessageCodec.encode(e.first());
        byte[] b = ConsensusMessageCodec.encode(e.second());
        return Arrays.compareUnsigned(a, b) < 0 ? new DuplicateVote(e.first(), e.second())
                : new DuplicateVote(e.second(), e.first());
    }

    /** The misbehaviour it proves, as the application is told of it. */
    public Misbehaviour misbehaviour() {
        ConsensusMessage m = first.message();
        return new Misbehaviour(first.signer(), m.height(), m.round(), m.kind().name());
    }

    /** Identifies the slot (validator, height, round, kind): one piece of evidence per slot is kept and committed. */
    public String slot() {
        ConsensusMessage m = first.message();
        return m.height() + "|" + m.round() + "|" + m.kind().name() + "|" + first.signer().toHex();
    }

    public long height() {
        return first.message().height();
    }

    /**
     * Why this is not valid evidence against {@code validators} on {@code chainId}, or null: both votes of one kind
     * (prevote or precommit), by one signer of the set, at one (height, round), different, in canonical order, each
     * validly signed.
     */
    public @Nullable String invalidReason(ValidatorSet validators, String chainId) {
        ConsensusMessage a = first.message();
        ConsensusMessage b = second.message();
        if (a.kind() == ConsensusMessage.Kind.PROPOSAL || a.kind() != b.kind()) {
            return "not two votes of one kind";
        }
        if (!first.signer().equals(second.signer()) || !validators.contains(first.signer())) {
            return "not one validator's";
        }
        if (a.height() != b.height() || a.round() != b.round()) {
            return "not at one (height, round)";
        }
        byte[] ea = ConsensusMessageCodec.encode(first);
        byte[] eb = ConsensusMessageCodec.encode(second);
        if (a.equals(b) || Arrays.compareUnsigned(ea, eb) >= 0) {
            return "not two different votes in canonical order";
        }
        if (!first.verify(chainId) || !second.verify(chainId)) {
            return "a bad signature";
        }
        return null;
    }

    public byte[] encode() {
        return new Writer().bytes(ConsensusMessageCodec.encode(first)).bytes(ConsensusMessageCodec.encode(second))
                .toBytes();
    }

    /** Decodes (sizes, the two messages, trailing bytes); validity is {@link #invalidReason}'s. */
    public static DuplicateVote decode(byte[] bytes) throws DecodeException {
        if (bytes.length > MAX_BYTES) {
            throw new DecodeException("evidence: " + bytes.length + " bytes exceeds " + MAX_BYTES);
        }
        Reader r = new Reader(bytes);
        SignedMessage a = ConsensusMessageCodec.decode(r.bytes(MAX_BYTES, "evidence.first"));
        SignedMessage b = ConsensusMessageCodec.decode(r.bytes(MAX_BYTES, "evidence.second"));
        r.end("evidence");
        return new DuplicateVote(a, b);
    }
}
