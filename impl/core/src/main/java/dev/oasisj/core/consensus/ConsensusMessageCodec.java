package dev.oasisj.core.consensus;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;

/**
 * Canonical binary encoding of {@link SignedMessage}: {@code u8 kind, i64 height, i32 round}, then for a proposal
 * {@code value(32), i32 validRound, bytes payload}, for a vote {@code u8 hasValue (0|1) [, value(32)]}; then
 * {@code signer(32), signature(64)}. One message has exactly one encoding; decode(encode(m)) equals m.
 * The total size is checked before anything is decoded; trailing bytes are rejected. Decoding does not verify the
 * signature (it needs the chain id): {@link #decodeVerified} does.
 */
public final class ConsensusMessageCodec {
    /** The largest block payload a proposal may carry. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;
    /** The largest encoded message: a full payload plus 1 KiB for every other field. */
    public static final int MAX_MESSAGE_BYTES = MAX_PAYLOAD_BYTES + 1024;

    private ConsensusMessageCodec() {}

    public static byte[] encode(SignedMessage signed) {
        Writer w = new Writer();
        writeMessage(w, signed.message());
        w.fixed(signed.signer().toBytes()).fixed(signed.signature());
        return w.toBytes();
    }

    /** The encoding of the message alone (also the body of the signed bytes). */
    static void writeMessage(Writer w, ConsensusMessage message) {
        w.u8(message.kind().wireTag).i64(message.height()).i32(message.round());
        if (message instanceof ConsensusMessage.Proposal p) {
            w.fixed(p.value().toBytes()).i32(p.validRound()).bytes(p.payload());
        } else if (message instanceof ConsensusMessage.Prevote v) {
            writeVoteValue(w, v.value());
        } else if (message instanceof ConsensusMessage.Precommit c) {
            writeVoteValue(w, c.value());
        } else {
            throw new IllegalStateException("unknown message type " + message.getClass());
        }
    }

    private static void writeVoteValue(Writer w, VoteValue value) {
        if (value instanceof VoteValue.Block b) {
            w.u8(1).fixed(b.hash().toBytes());
        } else {
            w.u8(0);
        }
    }

    /** Decodes the structure; the reason of a {@link DecodeException} names the field. Signature not checked. */
    public static SignedMessage decode(byte[] bytes) throws DecodeException {
        if (bytes.length > MAX_MESSAGE_BYTES) {
            throw new DecodeException("message: size " + bytes.length + " exceeds " + MAX_MESSAGE_BYTES + " bytes");
        }
        Reader r = new Reader(bytes);
        int tag = r.u8("kind");
        long height = r.i64("height");
        int round = r.i32("round");
        if (height < 1) {
            throw new DecodeException("height: " + height + " is not >= 1");
        }
        if (round < 0) {
            throw new DecodeException("round: " + round + " is negative");
        }
        ConsensusMessage message;
        if (tag == ConsensusMessage.Kind.PROPOSAL.wireTag) {
            Hash32 value = Hash32.of(r.fixed(Hash32.SIZE_BYTES, "proposal.value"));
            int validRound = r.i32("proposal.validRound");
            if (validRound < -1 || validRound >= round) {
                throw new DecodeException("proposal.validRound: " + validRound + " outside -1.." + (round - 1));
            }
            byte[] payload = r.bytes(MAX_PAYLOAD_BYTES, "proposal.payload");
            if (!Hash32.sha256(payload).equals(value)) {
                throw new DecodeException("proposal.value: not the SHA-256 of the payload");
            }
            message = new ConsensusMessage.Proposal(height, round, value, validRound, payload);
        } else if (tag == ConsensusMessage.Kind.PREVOTE.wireTag) {
            message = new ConsensusMessage.Prevote(height, round, readVoteValue(r, "prevote.value"));
        } else if (tag == ConsensusMessage.Kind.PRECOMMIT.wireTag) {
            message = new ConsensusMessage.Precommit(height, round, readVoteValue(r, "precommit.value"));
        } else {
            throw new DecodeException("kind: unknown tag " + tag);
        }
        PublicKey signer = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "signer"));
        byte[] signature = r.fixed(Signer.SIGNATURE_SIZE_BYTES, "signature");
        r.end("message");
        return new SignedMessage(message, signer, signature);
    }

    /** {@link #decode} and then the signature check for {@code chainId}. */
    public static SignedMessage decodeVerified(byte[] bytes, String chainId) throws DecodeException {
        SignedMessage m = decode(bytes);
        if (!m.verify(chainId)) {
            throw new DecodeException("signature: not a valid signature of the message by its signer on this chain");
        }
        return m;
    }

    private static VoteValue readVoteValue(Reader r, String field) throws DecodeException {
        int has = r.u8(field + ".hasValue");
        if (has == 0) {
            return VoteValue.NIL;
        }
        if (has != 1) {
            throw new DecodeException(field + ".hasValue: " + has + " is not 0 or 1");
        }
        return VoteValue.of(Hash32.of(r.fixed(Hash32.SIZE_BYTES, field)));
    }
}
