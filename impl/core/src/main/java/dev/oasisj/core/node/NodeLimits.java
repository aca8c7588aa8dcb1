package dev.oasisj.core.node;

import dev.oasisj.core.app.Application;

/**
 * Every bound of the node component, in one place. Inputs beyond them are rejected (and reported), never buffered.
 */
public final class NodeLimits {
    private NodeLimits() {}

    /**
     * Largest encoded journal entry (one {@link NodeInput}): the root of every input size bound, because the node
     * journals each input before applying it and an input its journal cannot hold must never be admitted. It is the
     * record capacity of the node's journal: a Chronicle excerpt holds at most a quarter of the queue's block
     * (4 MiB of a 16 MiB block, measured), and {@code ChronicleJournal} puts its own 8-byte header (length, CRC32C)
     * in front of the record. {@code ChronicleJournal} sizes its block from this value and checks the capacity when
     * it opens; {@code JournalTest} writes a record of exactly this size and one of a byte more.
     */
    public static final int MAX_JOURNAL_ENTRY_BYTES = 4 * 1024 * 1024 - 8;

    /**
     * Largest peer message: what a journal entry holds after the codec's largest peer-message header
     * ({@link NodeInputCodec#MAX_PEER_MESSAGE_HEADER_BYTES}), so every peer message the transport admits can be
     * journaled. A block response ({@link #MAX_RESPONSE_BLOCK_BYTES} of blocks plus their commits) fits well within.
     */
    public static final int MAX_PEER_MESSAGE_BYTES =
            MAX_JOURNAL_ENTRY_BYTES - NodeInputCodec.MAX_PEER_MESSAGE_HEADER_BYTES;

    /**
     * Largest client input the journal accepts. Larger than a transaction on purpose: an oversized transaction is
     * still journaled and then rejected deterministically by the node, so replay gives the same rejections.
     */
    public static final int MAX_CLIENT_INPUT_BYTES = 2 * Application.MAX_TRANSACTION_BYTES;

    /** Most blocks one block request may ask for, and one response may carry. */
    public static final int MAX_BLOCKS_PER_RESPONSE = 8;

    /** Most bytes of blocks one response carries (it stops early rather than exceed this). */
    public static final int MAX_RESPONSE_BLOCK_BYTES = 2 * 1024 * 1024;

    /** Committed blocks kept in memory to serve block requests; older ones are dropped (count bound). */
    public static final int MAX_RETAINED_BLOCKS = 100_000;

    /** Bytes of committed blocks kept in memory to serve block requests (byte bound; older ones are dropped first). */
    public static final long MAX_RETAINED_BLOCK_BYTES = 256L * 1024 * 1024;

    /** Candidate blocks (proposals seen at the current height) whose validation result is cached. */
    public static final int MAX_CACHED_CANDIDATES = 64;

    /** A peer must be at least this many heights ahead before a message from it triggers a block request. */
    public static final long SYNC_TRIGGER_HEIGHT_GAP = 2;

    /** Minimum ticks between two block requests (so a stream of messages does not cause a stream of requests). */
    public static final long MIN_TICKS_BETWEEN_BLOCK_REQUESTS = 50;

    /**
     * A node keeps the state after the first height of each interval of this many heights around which the validator
     * set does not change (a multiple of it while the set stays the same; see {@link StateSync}), and the state it was
     * restored at, as a snapshot to serve to peers that ask for blocks it no longer has.
     */
    public static final long SNAPSHOT_INTERVAL_BLOCKS = 100;

    /**
     * State entries in each chunk of a snapshot but the last (at most 264 bytes each encoded, so a chunk holds at
     * most about 2.1 MiB of entries; a transfer account is 56 bytes, about 448 KiB a chunk).
     */
    public static final int SNAPSHOT_ENTRIES_PER_CHUNK = 8_192;

    /**
     * Most chunks of one snapshot: a state of more than {@code MAX_SNAPSHOT_CHUNKS * SNAPSHOT_ENTRIES_PER_CHUNK}
     * (1,048,576) entries, or of more than {@link #MAX_SNAPSHOT_ENTRY_BYTES}, cannot be state-synced. Both bound what a
     * node that syncs holds before it can check the state root: one snapshot, from one peer at a time.
     */
    public static final int MAX_SNAPSHOT_CHUNKS = 128;

    /**
     * Most key and value bytes of all the entries of one snapshot a syncing node accepts (a transfer account is 48:
     * a million accounts are about 46 MiB); more ends the session ({@code SNAPSHOT_TOO_LARGE}).
     */
    public static final long MAX_SNAPSHOT_ENTRY_BYTES = 64L * 1024 * 1024;

    /**
     * A peer whose snapshot failed its checks, or who went silent during a transfer, is not taken a snapshot from
     * again for this many block-sync silences (genesis {@code blockSyncSilenceTicks}).
     */
    public static final int SNAPSHOT_PEER_PENALTY_SILENCES = 10;

    /**
     * Evidence of misbehaviour at a height more than this many heights below the block is too old for it (and a node
     * stops offering it): a bound on what a node keeps, as CometBFT's evidence max age.
     */
    public static final long MAX_EVIDENCE_AGE_BLOCKS = 100;

    /** Pieces of evidence a node holds for inclusion; more are dropped until some are committed or age out. */
    public static final int MAX_PENDING_EVIDENCE = 256;

    /**
     * Most pending transactions a node gossips again, oldest first, once every {@code blockSyncSilenceTicks}: a
     * transaction broadcast while the node had no peer connection (a node just started), or lost on the way, still
     * reaches the proposers; peers that have it drop the copy as a duplicate.
     */
    public static final int MAX_REBROADCAST_TRANSACTIONS = 64;

    /**
     * Most validator sets a node keeps ({@link ValidatorSets}): at most one per height from
     * {@link #MAX_EVIDENCE_AGE_BLOCKS} below the next block ({@code H + 1 - MAX_EVIDENCE_AGE_BLOCKS} at committed height
     * {@code H}) up to {@code H + 2}; also the most a checkpoint may list.
     */
    public static final int MAX_KEPT_VALIDATOR_SETS = (int) MAX_EVIDENCE_AGE_BLOCKS + 2;

    /**
     * Most validator-set changes a node keeps to serve as set-change links ({@link StateSync}): the newest ones, each
     * the height of the block that named the new set, the old set's hash and the new set (at most
     * {@code ValidatorSet.MAX_VALIDATORS} members); the block itself is served from the {@link BlockStore} while it is
     * retained there.
     */
    public static final int MAX_SERVED_SET_CHANGES = 64;

    /**
     * Most set-change links one proof may take (state sync across validator-set changes, {@link StateSync}): a node
     * further behind than this many set changes syncs by blocks ({@code SET_CHANGE_TOO_LONG}). Each link is one
     * request and one answer; the syncing node holds only the newest set it proved, so the bound is on time, not
     * memory.
     */
    public static final int MAX_SET_CHANGE_LINKS = 1_024;
}
