package dev.oasisj.core.node;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.ledger.LedgerLimits;
import dev.oasisj.core.ledger.SignatureVerdict;

/**
 * The journal encoding of a {@link NodeInput}: a tag byte, then {@code Tick}: the tick (8 bytes); {@code PeerMessage}:
 * the peer index (4 bytes, -1..{@link LedgerLimits#MAX_VALIDATORS}-1) and the length-prefixed bytes (at most
 * {@link NodeLimits#MAX_PEER_MESSAGE_BYTES}); {@code ClientTransaction} with no signature verdict: the
 * length-prefixed bytes (at most {@link NodeLimits#MAX_CLIENT_INPUT_BYTES}); with a verdict (tag
 * {@value #TAG_CHECKED_CLIENT_TRANSACTION}): the verdict (1 byte: 1 valid, 2 invalid), then the length-prefixed bytes; a
 * {@code PeerMessage} with a transaction verdict (tag {@value #TAG_CHECKED_PEER_MESSAGE}): the peer index, the verdict,
 * then the length-prefixed bytes. Decoding checks the total size first and rejects trailing bytes.
 * {@link #encode} refuses inputs outside these bounds: the agent must drop them before journaling.
 */
public final class NodeInputCodec {
    public static final int TAG_TICK = 1;
    public static final int TAG_PEER_MESSAGE = 2;
    public static final int TAG_CLIENT_TRANSACTION = 3;
    public static final int TAG_CHECKED_CLIENT_TRANSACTION = 4;
    public static final int TAG_CHECKED_PEER_MESSAGE = 5;
    private static final int VERDICT_VALID = 1;
    private static final int VERDICT_INVALID = 2;

    /** The largest header in front of a peer message's bytes: tag, peer index, verdict, length prefix. */
    public static final int MAX_PEER_MESSAGE_HEADER_BYTES = 1 + 4 + 1 + 4;
    /** The largest header in front of a client transaction's bytes: tag, verdict, length prefix. */
    public static final int MAX_CLIENT_TRANSACTION_HEADER_BYTES = 1 + 1 + 4;
    /** A tick's encoding: tag and tick. */
    public static final int TICK_BYTES = 1 + 8;

    static {
        // Every input within fitsBounds encodes to at most MAX_JOURNAL_ENTRY_BYTES (always on, not a Java assert).
        if (NodeLimits.MAX_PEER_MESSAGE_BYTES + MAX_PEER_MESSAGE_HEADER_BYTES > NodeLimits.MAX_JOURNAL_ENTRY_BYTES
                || NodeLimits.MAX_CLIENT_INPUT_BYTES + MAX_CLIENT_TRANSACTION_HEADER_BYTES
                        > NodeLimits.MAX_JOURNAL_ENTRY_BYTES
                || TICK_BYTES > NodeLimits.MAX_JOURNAL_ENTRY_BYTES) {
            throw new IllegalStateException("NodeLimits: an input within bounds would not fit a journal entry");
        }
    }

    private NodeInputCodec() {}

    /** True when {@link #encode} accepts the input (the agent checks this before journaling). */
    public static boolean fitsBounds(NodeInput input) {
        if (input instanceof NodeInput.Tick t) {
            return t.tick() >= 0;
        } else if (input instanceof NodeInput.PeerMessage p) {
            return p.peer() >= -1 && p.peer() < LedgerLimits.MAX_VALIDATORS
                    && p.bytes().length <= NodeLimits.MAX_PEER_MESSAGE_BYTES;
        } else if (input instanceof NodeInput.ClientTransaction c) {
            return c.bytes().length <= NodeLimits.MAX_CLIENT_INPUT_BYTES;
        }
        throw new IllegalStateException("unknown NodeInput " + input.getClass());
    }

    public static byte[] encode(NodeInput input) {
        if (!fitsBounds(input)) {
            throw new IllegalArgumentException("input outside the journal bounds: " + describe(input));
        }
        if (input instanceof NodeInput.Tick t) {
            return new Writer().u8(TAG_TICK).i64(t.tick()).toBytes();
        } else if (input instanceof NodeInput.PeerMessage p) {
            return p.transactionSignature() == SignatureVerdict.NOT_CHECKED
                    ? new Writer().u8(TAG_PEER_MESSAGE).i32(p.peer()).bytes(p.bytes()).toBytes()
                    : new Writer().u8(TAG_CHECKED_PEER_MESSAGE).i32(p.peer()).u8(verdictByte(p.transactionSignature()))
                            .bytes(p.bytes()).toBytes();
        } else if (input instanceof NodeInput.ClientTransaction c) {
            return c.signature() == SignatureVerdict.NOT_CHECKED
                    ? new Writer().u8(TAG_CLIENT_TRANSACTION).bytes(c.bytes()).toBytes()
                    : new Writer().u8(TAG_CHECKED_CLIENT_TRANSACTION).u8(verdictByte(c.signature())).bytes(c.bytes())
                            .toBytes();
        }
        throw new IllegalStateException("unknown NodeInput " + input.getClass());
    }

    private static int verdictByte(SignatureVerdict v) {
        return v == SignatureVerdict.VALID ? VERDICT_VALID : VERDICT_INVALID;
    }

    private static SignatureVerdict verdict(Reader r, String field) throws DecodeException {
        int v = r.u8(field);
        return switch (v) {
            case VERDICT_VALID -> SignatureVerdict.VALID;
            case VERDICT_INVALID -> SignatureVerdict.INVALID;
            default -> throw new DecodeException(field + ": unknown verdict " + v);
        };
    }

    public static NodeInput decode(byte[] bytes) throws DecodeException {
        if (bytes.length > NodeLimits.MAX_JOURNAL_ENTRY_BYTES) {
            throw new DecodeException("node input: " + bytes.length + " bytes exceeds the limit of "
                    + NodeLimits.MAX_JOURNAL_ENTRY_BYTES);
        }
        Reader r = new Reader(bytes);
        int tag = r.u8("nodeInput.tag");
        NodeInput input;
        switch (tag) {
            case TAG_TICK -> {
                long tick = r.i64("tick.tick");
                if (tick < 0) {
                    throw new DecodeException("tick.tick: negative " + tick);
                }
                input = new NodeInput.Tick(tick);
            }
            case TAG_PEER_MESSAGE, TAG_CHECKED_PEER_MESSAGE -> {
                int peer = r.i32("peerMessage.peer");
                if (peer < -1 || peer >= LedgerLimits.MAX_VALIDATORS) {
                    throw new DecodeException("peerMessage.peer: " + peer + " outside -1.."
                            + (LedgerLimits.MAX_VALIDATORS - 1));
                }
                SignatureVerdict v = tag == TAG_CHECKED_PEER_MESSAGE ? verdict(r, "peerMessage.verdict")
                        : SignatureVerdict.NOT_CHECKED;
                input = new NodeInput.PeerMessage(peer, r.bytes(NodeLimits.MAX_PEER_MESSAGE_BYTES,
                        "peerMessage.bytes"), v);
            }
            case TAG_CLIENT_TRANSACTION -> input = new NodeInput.ClientTransaction(
                    r.bytes(NodeLimits.MAX_CLIENT_INPUT_BYTES, "clientTransaction.bytes"));
            case TAG_CHECKED_CLIENT_TRANSACTION -> {
                SignatureVerdict v = verdict(r, "clientTransaction.verdict");
                input = new NodeInput.ClientTransaction(r.bytes(NodeLimits.MAX_CLIENT_INPUT_BYTES,
                        "clientTransaction.bytes"), v);
            }
            default -> throw new DecodeException("nodeInput.tag: unknown tag " + tag);
        }
        r.end("node input");
        return input;
    }

    /** A short description for logs and errors (never the bytes themselves). */
    public static String describe(NodeInput input) {
        if (input instanceof NodeInput.Tick t) {
            return "Tick(" + t.tick() + ")";
        } else if (input instanceof NodeInput.PeerMessage p) {
            return "PeerMessage(peer=" + p.peer() + ", " + p.bytes().length + " bytes"
                    + (p.transactionSignature() == SignatureVerdict.NOT_CHECKED ? ""
                            : ", transaction signature " + p.transactionSignature()) + ")";
        } else if (input instanceof NodeInput.ClientTransaction c) {
            return "ClientTransaction(" + c.bytes().length + " bytes"
                    + (c.signature() == SignatureVerdict.NOT_CHECKED ? "" : ", signature " + c.signature()) + ")";
        }
        return input.getClass().getSimpleName();
    }
}
