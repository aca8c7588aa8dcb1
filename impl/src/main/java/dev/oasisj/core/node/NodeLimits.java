package dev.oasisj.core.node;

import dev.oasisj.core.ledger.LedgerLimits;

/**
 * Every bound of the node component, in one place. Inputs beyond them are rejected (and reported), never buffered.
 */
public final class NodeLimits {
    private NodeLimits() {}

    /** Largest peer message: a block response of {@link #MAX_BLOCKS_PER_RESPONSE} full blocks plus their commits. */
    public static final int MAX_PEER_MESSAGE_BYTES = 4 * 1024 * 1024;

    /**
     * Largest client input the journal accepts. Larger than a transaction on purpose: an oversized transaction is
     * still journaled and then rejected deterministically by the node, so replay gives the same rejections.
     */
    public static final int MAX_CLIENT_INPUT_BYTES = 4 * LedgerLimits.MAX_TRANSACTION_BYTES;

    /** Largest encoded journal entry (one {@link NodeInput}). */
    public static final int MAX_JOURNAL_ENTRY_BYTES = MAX_PEER_MESSAGE_BYTES + 16;

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
}
