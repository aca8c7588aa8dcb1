package dev.oasisj.core.node;

import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.StateEntry;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.BlockCodec;
import dev.oasisj.core.ledger.Commit;
import dev.oasisj.core.ledger.LedgerLimits;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What validator nodes send each other, as records, and its one encoding. A tag byte selects the kind:
 * {@code 1} a consensus message (the rest is the consensus core's own encoding, opaque here); {@code 2} a block
 * request; {@code 3} a block response; {@code 4} a gossiped client transaction (its encoding, at most
 * {@link dev.oasisj.core.app.Application#MAX_TRANSACTION_BYTES}); {@code 5} a snapshot chunk request; {@code 6} a snapshot chunk (state
 * sync, see {@link StateSync}); {@code 7} a piece of misbehaviour evidence ({@link DuplicateVote}'s encoding, at most
 * {@link LedgerLimits#MAX_EVIDENCE_BYTES}); {@code 8} a set-change proof request and {@code 9} its answer, one link
 * (state sync across validator-set changes, see {@link StateSync}). Decoding checks the size first, every count against
 * {@link NodeLimits}, and rejects trailing bytes.
 */
public final class PeerWire {
    public static final int TAG_CONSENSUS = 1;
    public static final int TAG_BLOCK_REQUEST = 2;
    public static final int TAG_BLOCK_RESPONSE = 3;
    public static final int TAG_TRANSACTION = 4;
    public static final int TAG_SNAPSHOT_REQUEST = 5;
    public static final int TAG_SNAPSHOT_CHUNK = 6;
    public static final int TAG_EVIDENCE = 7;
    public static final int TAG_SET_CHANGE_REQUEST = 8;
    public static final int TAG_SET_CHANGE_LINK = 9;

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
            if (bytes.length > Application.MAX_TRANSACTION_BYTES) {
                throw new IllegalArgumentException("transaction larger than " + Application.MAX_TRANSACTION_BYTES);
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /** Gossiped evidence of a validator's misbehaviour ({@link DuplicateVote}'s encoding). */
    public record Evidence(byte[] bytes) implements Message {
        public Evidence {
            if (bytes.length > LedgerLimits.MAX_EVIDENCE_BYTES) {
                throw new IllegalArgumentException("evidence larger than " + LedgerLimits.MAX_EVIDENCE_BYTES);
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

    /** "Send me chunk {@code chunk} of your snapshot at {@code height}." */
    public record SnapshotRequest(long height, int chunk) implements Message {
        public SnapshotRequest {
            if (height < 1 || chunk < 0 || chunk >= NodeLimits.MAX_SNAPSHOT_CHUNKS) {
                throw new IllegalArgumentException("bad snapshot request: height " + height + ", chunk " + chunk);
            }
        }
    }

    /**
     * What the first chunk of a snapshot carries besides its entries: the committed block the snapshot is the state
     * after, with the commit that finalized it (the requester checks the commit, then the rebuilt state's root against
     * the block's), and how many entries the application's snapshot has.
     */
    public record SnapshotHead(CommittedBlock committed, long entryCount) {}

    /**
     * Chunk {@code chunk} of {@code chunkCount} of the snapshot at {@code height} (the state after the block
     * {@code blockHash}): the application's state entries ({@link StateEntry}, opaque here) from position
     * {@code chunk * }{@link NodeLimits#SNAPSHOT_ENTRIES_PER_CHUNK} on, in strictly ascending key order, every chunk
     * full but the last. Chunk 0, and only chunk 0, carries the {@link SnapshotHead}; {@code chunkCount} is
     * {@link #chunkCountFor} of its entry count.
     */
    public record SnapshotChunk(long height, Hash32 blockHash, int chunk, int chunkCount, @Nullable SnapshotHead head,
            List<StateEntry> entries) implements Message {
        public SnapshotChunk {
            String bad = check(height, blockHash, chunk, chunkCount, head, entries);
            if (bad != null) {
                throw new IllegalArgumentException(bad);
            }
            entries = List.copyOf(entries);
        }

        /** Why these parts are not a well-formed chunk (stateless checks), or null. */
        static @Nullable String check(long height, Hash32 blockHash, int chunk, int chunkCount,
                @Nullable SnapshotHead head, List<StateEntry> entries) {
            if (height < 1 || chunkCount < 1 || chunkCount > NodeLimits.MAX_SNAPSHOT_CHUNKS || chunk < 0
                    || chunk >= chunkCount) {
                return "snapshot chunk " + chunk + " of " + chunkCount + " at height " + height
                        + ": need height >= 1 and 0 <= chunk < chunkCount <= " + NodeLimits.MAX_SNAPSHOT_CHUNKS;
            }
            if ((head != null) != (chunk == 0)) {
                return "snapshot chunk " + chunk + ": chunk 0, and only chunk 0, carries the head";
            }
            if (head != null) {
                Block b = head.committed().block();
                if (b.height() != height || !b.hash().equals(blockHash)) {
                    return "snapshot head: block " + b.height() + " #" + b.hash().shortHex() + " is not the named "
                            + height + " #" + blockHash.shortHex();
                }
                if (head.entryCount() < 0 || chunkCountFor(head.entryCount()) != chunkCount) {
                    return "snapshot head: " + head.entryCount() + " entries do not make " + chunkCount + " chunks";
                }
            }
            if (entries.size() > NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK
                    || (chunk < chunkCount - 1 && entries.size() != NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK)) {
                return "snapshot chunk " + chunk + " of " + chunkCount + ": " + entries.size() + " entries (every chunk "
                        + "but the last holds exactly " + NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK + ")";
            }
            for (int i = 1; i < entries.size(); i++) {
                if (StateEntry.compareKeys(entries.get(i - 1), entries.get(i)) >= 0) {
                    return "snapshot chunk " + chunk + ": entry keys not strictly ascending at position " + i;
                }
            }
            return null;
        }
    }

    /**
     * "Send me the first validator-set change you hold at or above {@code fromHeight} out of the set whose hash is
     * {@code fromSetHash}": the requester trusts that set from {@code fromHeight} on (see {@link StateSync}).
     */
    public record SetChangeRequest(long fromHeight, Hash32 fromSetHash) implements Message {
        public SetChangeRequest {
            if (fromHeight < 1) {
                throw new IllegalArgumentException("bad set-change request: from " + fromHeight);
            }
        }
    }

    /**
     * One member of a validator set as a {@link SetChangeLink} carries it: not checked here (a set the receiver cannot
     * build is refused by {@link StateSync}, which penalizes the peer), only bounded (the name's bytes).
     */
    public record SetMember(String name, dev.oasisj.core.crypto.PublicKey key, long power) {}

    /**
     * The answer to a {@link SetChangeRequest} for {@code fromHeight} and {@code fromSetHash} (echoed): the committed
     * block {@code h >= fromHeight} whose {@code validatorsHash} is that set and whose {@code nextValidatorsHash} names
     * another, with the commit that finalized it, and that next set (members in order, with names and powers: it must
     * hash to the block's {@code nextValidatorsHash}). Without a block ({@code committed == null}, no members) it says
     * "I hold no such change". At most {@link dev.oasisj.core.consensus.ValidatorSet#MAX_VALIDATORS} members.
     */
    public record SetChangeLink(long fromHeight, Hash32 fromSetHash, @Nullable CommittedBlock committed,
            List<SetMember> nextSet) implements Message {
        public SetChangeLink {
            String bad = check(fromHeight, committed, nextSet);
            if (bad != null) {
                throw new IllegalArgumentException(bad);
            }
            nextSet = List.copyOf(nextSet);
        }

        static @Nullable String check(long fromHeight, @Nullable CommittedBlock committed, List<SetMember> nextSet) {
            if (fromHeight < 1) {
                return "set-change link: fromHeight " + fromHeight + " must be >= 1";
            }
            if (committed == null ? !nextSet.isEmpty()
                    : nextSet.isEmpty() || nextSet.size() > dev.oasisj.core.consensus.ValidatorSet.MAX_VALIDATORS) {
                return "set-change link: " + nextSet.size() + " members " + (committed == null ? "without" : "with")
                        + " a block (a link has 1.." + dev.oasisj.core.consensus.ValidatorSet.MAX_VALIDATORS
                        + ", a refusal none)";
            }
            for (SetMember m : nextSet) {
                if (m.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SET_MEMBER_NAME_BYTES) {
                    return "set-change link: a member's name exceeds " + MAX_SET_MEMBER_NAME_BYTES + " bytes";
                }
            }
            return null;
        }
    }

    /**
     * Largest name of a {@link SetMember}: a genesis name ({@link LedgerLimits#MAX_VALIDATOR_NAME_BYTES}) or a key's
     * hex (64 characters), see {@link ValidatorSets#nameFor}.
     */
    static final int MAX_SET_MEMBER_NAME_BYTES = Math.max(LedgerLimits.MAX_VALIDATOR_NAME_BYTES,
            2 * dev.oasisj.core.crypto.PublicKey.SIZE_BYTES);

    /** The number of chunks a snapshot of {@code entryCount} entries has: at least one. */
    public static int chunkCountFor(long entryCount) {
        long n = Math.max(1, (entryCount + NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK - 1)
                / NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK);
        return n > NodeLimits.MAX_SNAPSHOT_CHUNKS ? Integer.MAX_VALUE : (int) n;
    }

    public static byte[] encode(Message m) {
        if (m instanceof Consensus c) {
            return new Writer().u8(TAG_CONSENSUS).fixed(c.bytes).toBytes();
        } else if (m instanceof Transaction t) {
            return new Writer().u8(TAG_TRANSACTION).bytes(t.bytes).toBytes();
        } else if (m instanceof Evidence e) {
            return new Writer().u8(TAG_EVIDENCE).bytes(e.bytes).toBytes();
        } else if (m instanceof BlockRequest r) {
            return new Writer().u8(TAG_BLOCK_REQUEST).i64(r.fromHeight()).i32(r.maxBlocks()).toBytes();
        } else if (m instanceof BlockResponse r) {
            Writer w = new Writer().u8(TAG_BLOCK_RESPONSE).i32(r.blocks().size());
            for (CommittedBlock cb : r.blocks()) {
                w.bytes(BlockCodec.encode(cb.block()));
                BlockCodec.encodeCommit(w, cb.commit());
            }
            return w.toBytes();
        } else if (m instanceof SetChangeRequest r) {
            return new Writer().u8(TAG_SET_CHANGE_REQUEST).i64(r.fromHeight()).fixed(r.fromSetHash().toBytes())
                    .toBytes();
        } else if (m instanceof SetChangeLink l) {
            Writer w = new Writer().u8(TAG_SET_CHANGE_LINK).i64(l.fromHeight()).fixed(l.fromSetHash().toBytes());
            CommittedBlock cb = l.committed();
            w.u8(cb == null ? 0 : 1);
            if (cb != null) {
                w.bytes(BlockCodec.encode(cb.block()));
                BlockCodec.encodeCommit(w, cb.commit());
                w.i32(l.nextSet().size());
                for (SetMember v : l.nextSet()) {
                    w.string(v.name()).fixed(v.key().toBytes()).i64(v.power());
                }
            }
            return w.toBytes();
        } else if (m instanceof SnapshotRequest r) {
            return new Writer().u8(TAG_SNAPSHOT_REQUEST).i64(r.height()).i32(r.chunk()).toBytes();
        } else if (m instanceof SnapshotChunk c) {
            Writer w = new Writer(64 + c.entries().size() * MAX_ENTRY_BYTES).u8(TAG_SNAPSHOT_CHUNK).i64(c.height())
                    .fixed(c.blockHash().toBytes()).i32(c.chunk()).i32(c.chunkCount());
            SnapshotHead head = c.head();
            if (head != null) {
                w.bytes(BlockCodec.encode(head.committed().block()));
                BlockCodec.encodeCommit(w, head.committed().commit());
                w.i64(head.entryCount());
            }
            w.i32(c.entries().size());
            for (StateEntry e : c.entries()) {
                w.bytes(e.key()).bytes(e.value());
            }
            return w.toBytes();
        }
        throw new IllegalStateException("unknown message " + m.getClass());
    }

    /** Largest encoded {@link StateEntry}: key and value, each with its 4-byte length. */
    static final int MAX_ENTRY_BYTES = 4 + StateEntry.MAX_KEY_BYTES + 4 + StateEntry.MAX_VALUE_BYTES;

    private static SnapshotChunk decodeSnapshotChunk(Reader r) throws DecodeException {
        long height = r.i64("snapshotChunk.height");
        Hash32 blockHash = Hash32.of(r.fixed(Hash32.SIZE_BYTES, "snapshotChunk.blockHash"));
        int chunk = r.i32("snapshotChunk.chunk");
        int chunkCount = r.i32("snapshotChunk.chunkCount");
        SnapshotHead head = null;
        if (chunk == 0) {
            Block block = BlockCodec.decode(r.bytes(LedgerLimits.MAX_BLOCK_BYTES, "snapshotChunk.block"));
            Commit commit = BlockCodec.decodeCommit(r, "snapshotChunk.commit");
            head = new SnapshotHead(new CommittedBlock(block, commit), r.i64("snapshotChunk.entryCount"));
        }
        int n = r.count(NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK, "snapshotChunk.entries");
        List<StateEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] key = r.bytes(StateEntry.MAX_KEY_BYTES, "snapshotChunk.key");
            entries.add(new StateEntry(key, r.bytes(StateEntry.MAX_VALUE_BYTES, "snapshotChunk.value")));
        }
        r.end("snapshot chunk");
        String bad = SnapshotChunk.check(height, blockHash, chunk, chunkCount, head, entries);
        if (bad != null) {
            throw new DecodeException(bad);
        }
        return new SnapshotChunk(height, blockHash, chunk, chunkCount, head, entries);
    }

    private static SetChangeLink decodeSetChangeLink(Reader r) throws DecodeException {
        long from = r.i64("setChangeLink.fromHeight");
        Hash32 set = Hash32.of(r.fixed(Hash32.SIZE_BYTES, "setChangeLink.fromSetHash"));
        int present = r.u8("setChangeLink.present");
        CommittedBlock committed = null;
        List<SetMember> members = new ArrayList<>();
        if (present == 1) {
            Block block = BlockCodec.decode(r.bytes(LedgerLimits.MAX_BLOCK_BYTES, "setChangeLink.block"));
            committed = new CommittedBlock(block, BlockCodec.decodeCommit(r, "setChangeLink.commit"));
            int n = r.count(dev.oasisj.core.consensus.ValidatorSet.MAX_VALIDATORS, "setChangeLink.nextSet");
            for (int i = 0; i < n; i++) {
                String name = r.string(MAX_SET_MEMBER_NAME_BYTES, "setChangeLink.name");
                dev.oasisj.core.crypto.PublicKey key = dev.oasisj.core.crypto.PublicKey.of(
                        r.fixed(dev.oasisj.core.crypto.PublicKey.SIZE_BYTES, "setChangeLink.key"));
                members.add(new SetMember(name, key, r.i64("setChangeLink.power")));
            }
        } else if (present != 0) {
            throw new DecodeException("setChangeLink.present: " + present + " is neither 0 nor 1");
        }
        r.end("set-change link");
        String bad = SetChangeLink.check(from, committed, members);
        if (bad != null) {
            throw new DecodeException(bad);
        }
        return new SetChangeLink(from, set, committed, members);
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
                byte[] tx = r.bytes(Application.MAX_TRANSACTION_BYTES, "transaction.bytes");
                r.end("transaction message");
                return new Transaction(tx);
            }
            case TAG_SNAPSHOT_REQUEST: {
                long height = r.i64("snapshotRequest.height");
                int chunk = r.i32("snapshotRequest.chunk");
                r.end("snapshot request");
                if (height < 1 || chunk < 0 || chunk >= NodeLimits.MAX_SNAPSHOT_CHUNKS) {
                    throw new DecodeException("snapshotRequest: height " + height + " must be >= 1 and chunk " + chunk
                            + " in 0.." + (NodeLimits.MAX_SNAPSHOT_CHUNKS - 1));
                }
                return new SnapshotRequest(height, chunk);
            }
            case TAG_SNAPSHOT_CHUNK:
                return decodeSnapshotChunk(r);
            case TAG_SET_CHANGE_REQUEST: {
                long from = r.i64("setChangeRequest.fromHeight");
                Hash32 set = Hash32.of(r.fixed(Hash32.SIZE_BYTES, "setChangeRequest.fromSetHash"));
                r.end("set-change request");
                if (from < 1) {
                    throw new DecodeException("setChangeRequest: fromHeight " + from + " must be >= 1");
                }
                return new SetChangeRequest(from, set);
            }
            case TAG_SET_CHANGE_LINK:
                return decodeSetChangeLink(r);
            case TAG_EVIDENCE: {
                byte[] e = r.bytes(LedgerLimits.MAX_EVIDENCE_BYTES, "evidence.bytes");
                r.end("evidence message");
                return new Evidence(e);
            }
            default:
                throw new DecodeException("peerMessage.tag: unknown tag " + tag);
        }
    }
}
