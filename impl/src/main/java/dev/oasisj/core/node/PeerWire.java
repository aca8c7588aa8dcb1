package dev.oasisj.core.node;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.BlockCodec;
import dev.oasisj.core.ledger.Commit;
import dev.oasisj.core.ledger.LedgerLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * What validator nodes send each other, as records, and its one encoding. A tag byte selects the kind:
 * {@code 1} a consensus message (the rest is the consensus core's own encoding, opaque here); {@code 2} a block
 * request; {@code 3} a block response; {@code 4} a gossiped client transaction (its encoding, at most
 * {@link LedgerLimits#MAX_TRANSACTION_BYTES}). Decoding checks the size first, every count against {@link NodeLimits}, and
 * rejects trailing bytes.
 */
public final class PeerWire {
    public static final int TAG_CONSENSUS = 1;
    public static final int TAG_BLOCK_REQUEST = 2;
    public static final int TAG_BLOCK_RESPONSE = 3;
    public static final int TAG_TRANSACTION = 4;

    private PeerWire() {}

    /** A message between nodes. */
    public sealed interface Message {}

    /** A consensus message in the consensus core's encoding. */
    public record Consensus(byte[] bytes) implements Message {
        public Consensus {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /** A client transaction forwarded to the other validators' mempools (so any proposer can include it). */
    public record Transaction(byte[] bytes) implements Message {
        public Transaction {
            if (bytes.length > LedgerLimits.MAX_TRANSACTION_BYTES) {
                throw new IllegalArgumentException("transaction larger than " + LedgerLimits.MAX_TRANSACTION_BYTES);
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /** "Send me the committed blocks from {@code fromHeight} on, at most {@code maxBlocks} of them." */
    public record BlockRequest(long fromHeight, int maxBlocks) implements Message {
        public BlockRequest {
            if (fromHeight < 1 || maxBlocks < 1 || maxBlocks > NodeLimits.MAX_BLOCKS_PER_RESPONSE) {
                throw new IllegalArgumentException("bad block request: from " + fromHeight + ", max " + maxBlocks);
            }
        }
    }

    /** A committed block with the commit (precommit signatures) that finalized it. */
    public record CommittedBlock(Block block, Commit commit) {}

    /** Consecutive committed blocks, in height order, each with its commit. */
    public record BlockResponse(List<CommittedBlock> blocks) implements Message {
        public BlockResponse {
            if (blocks.size() > NodeLimits.MAX_BLOCKS_PER_RESPONSE) {
                throw new IllegalArgumentException("at most " + NodeLimits.MAX_BLOCKS_PER_RESPONSE + " blocks");
            }
            blocks = List.copyOf(blocks);
        }
    }

    public static byte[] encode(Message m) {
        if (m instanceof Consensus c) {
            return new Writer().u8(TAG_CONSENSUS).fixed(c.bytes).toBytes();
        } else if (m instanceof Transaction t) {
            return new Writer().u8(TAG_TRANSACTION).bytes(t.bytes).toBytes();
        } else if (m instanceof BlockRequest r) {
            return new Writer().u8(TAG_BLOCK_REQUEST).i64(r.fromHeight()).i32(r.maxBlocks()).toBytes();
        } else if (m instanceof BlockResponse r) {
            Writer w = new Writer().u8(TAG_BLOCK_RESPONSE).i32(r.blocks().size());
            for (CommittedBlock cb : r.blocks()) {
                w.bytes(BlockCodec.encode(cb.block()));
                BlockCodec.encodeCommit(w, cb.commit());
            }
            return w.toBytes();
        }
        throw new IllegalStateException("unknown message " + m.getClass());
    }

    public static Message decode(byte[] bytes) throws DecodeException {
        if (bytes.length > NodeLimits.MAX_PEER_MESSAGE_BYTES) {
            throw new DecodeException("peer message: " + bytes.length + " bytes exceeds the limit of "
                    + NodeLimits.MAX_PEER_MESSAGE_BYTES);
        }
        Reader r = new Reader(bytes);
        int tag = r.u8("peerMessage.tag");
        switch (tag) {
            case TAG_CONSENSUS: {
                byte[] rest = r.fixed(bytes.length - 1, "consensus.bytes");
                r.end("consensus message");
                return new Consensus(rest);
            }
            case TAG_BLOCK_REQUEST: {
                long from = r.i64("blockRequest.fromHeight");
                int max = r.i32("blockRequest.maxBlocks");
                r.end("block request");
                if (from < 1 || max < 1 || max > NodeLimits.MAX_BLOCKS_PER_RESPONSE) {
                    throw new DecodeException("blockRequest: fromHeight " + from + " must be >= 1 and maxBlocks "
                            + max + " in 1.." + NodeLimits.MAX_BLOCKS_PER_RESPONSE);
                }
                return new BlockRequest(from, max);
            }
            case TAG_BLOCK_RESPONSE: {
                int n = r.count(NodeLimits.MAX_BLOCKS_PER_RESPONSE, "blockResponse.blocks");
                List<CommittedBlock> blocks = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Block block = BlockCodec.decode(r.bytes(LedgerLimits.MAX_BLOCK_BYTES, "blockResponse.block"));
                    blocks.add(new CommittedBlock(block, BlockCodec.decodeCommit(r, "blockResponse.commit")));
                }
                r.end("block response");
                return new BlockResponse(blocks);
            }
            case TAG_TRANSACTION: {
                byte[] tx = r.bytes(LedgerLimits.MAX_TRANSACTION_BYTES, "transaction.bytes");
                r.end("transaction message");
                return new Transaction(tx);
            }
            default:
                throw new DecodeException("peerMessage.tag: unknown tag " + tag);
        }
    }
}
