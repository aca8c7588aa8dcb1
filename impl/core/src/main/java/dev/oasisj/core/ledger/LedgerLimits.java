package dev.oasisj.core.ledger;

/**
 * Every bound of the ledger component, in one place ("put a limit on everything"). Decoders check these before they
 * allocate; the mempool and the block builder reject input rather than grow past them.
 */
public final class LedgerLimits {
    private LedgerLimits() {}

    /** Largest encoded transaction; checked before decoding starts. A transfer with a 64-byte chain id is 221 bytes. */
    public static final int MAX_TRANSACTION_BYTES = 512;

    /** Longest chain id, in UTF-8 bytes. */
    public static final int MAX_CHAIN_ID_BYTES = 64;

    /** Most transactions in one block. */
    public static final int MAX_BLOCK_TRANSACTIONS = 1000;

    /** Most bytes of encoded transactions in one block (sum of the encodings, prefixes not counted). */
    public static final int MAX_BLOCK_TRANSACTION_BYTES = 256 * 1024;

    /** Most validators in a genesis (and so most signatures in a commit). */
    public static final int MAX_VALIDATORS = 128;

    /** Longest validator name, in UTF-8 bytes. */
    public static final int MAX_VALIDATOR_NAME_BYTES = 64;

    /**
     * Largest voting power of one validator, and of all together: keeps {@code 3 * totalPower} (the quorum test) far
     * from overflow.
     */
    public static final long MAX_TOTAL_POWER = 1L << 40;

    /** Most accounts in a genesis file. */
    public static final int MAX_GENESIS_ACCOUNTS = 1_000_000;

    /** Most pieces of misbehaviour evidence one block carries. */
    public static final int MAX_BLOCK_EVIDENCE = 32;

    /** Largest encoded piece of evidence (two signed votes; {@code DuplicateVote}). */
    public static final int MAX_EVIDENCE_BYTES = 1024;

    /**
     * Largest encoded block: its transactions and evidence plus header and commit, with room for the length
     * prefixes.
     */
    public static final int MAX_BLOCK_BYTES = MAX_BLOCK_TRANSACTION_BYTES + 4 * MAX_BLOCK_TRANSACTIONS
            + MAX_BLOCK_EVIDENCE * (4 + MAX_EVIDENCE_BYTES) + 4 + MAX_VALIDATORS * (32 + 64 + 8) + 1024;

    /** Most transactions waiting in the mempool. */
    public static final int MAX_MEMPOOL_TRANSACTIONS = 20_000;

    /** Most encoded bytes waiting in the mempool. */
    public static final long MAX_MEMPOOL_BYTES = 8L * 1024 * 1024;

    /** Most transactions one sender may have waiting in the mempool (one account cannot fill it). */
    public static final int MAX_MEMPOOL_TRANSACTIONS_PER_SENDER = 1_000;

    /** Largest genesis JSON document accepted, in bytes. */
    public static final int MAX_GENESIS_JSON_BYTES = 256 * 1024 * 1024;

    /** Largest tick duration of one consensus timeout parameter (about a day of milliseconds). */
    public static final long MAX_TIMEOUT_TICKS = 86_400_000L;
}
