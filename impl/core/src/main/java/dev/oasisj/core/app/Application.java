package dev.oasisj.core.app;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.ledger.SignatureVerdict;
import java.util.List;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The state machine the consensus engine drives (see the package comment for the seam and its contract). One instance
 * holds the committed state and the pending transactions of one node; mutable, single-threaded, owned by the engine.
 */
public interface Application {
    /**
     * Largest transaction any application may accept, in bytes: the engine carries transactions up to this size in
     * gossip ({@code PeerWire}), blocks ({@code BlockCodec}), checkpoints' pending lists and client input, and refuses
     * larger ones before an application sees them. An application bounds its own transactions at or below it (the
     * transfer ledger at {@code LedgerLimits.MAX_TRANSACTION_BYTES}; the services' largest envelope, a
     * {@code registry.RegisterRuntime} with every permissioned entity, fits: {@code ServicesApplicationTest}).
     */
    int MAX_TRANSACTION_BYTES = 4096;

    /** The root of the committed state (what the last committed block names). */
    Hash32 stateRoot();

    // ------------------------------------------------------------------------------------------ transactions

    /**
     * Why {@code tx} is not a transaction of this application by stateless checks (it does not decode), or null.
     * The engine drops a peer frame carrying such a transaction before it journals it.
     */
    @Nullable String malformed(byte[] tx);

    /**
     * The signature verdict for {@code tx}, checked ahead of {@link #checkTx} (the agent journals it with the
     * transaction so that replay does not verify again): pure in the bytes. {@link SignatureVerdict#NOT_CHECKED}
     * when the application has no verdict to give (malformed bytes, or a stateless rule that refuses it first).
     */
    SignatureVerdict checkSignature(byte[] tx);

    /**
     * Admits {@code tx} to the pending transactions, checked against the committed state and the pending ones, or
     * refuses it with a reason. {@code verdict} replaces the signature check where it would run unless it is
     * {@link SignatureVerdict#NOT_CHECKED}; the outcome is the same either way when the verdict is the true one.
     */
    CheckResult checkTx(byte[] tx, SignatureVerdict verdict);

    /** Number of pending transactions. */
    int pendingCount();

    /** The pending transactions in arrival order (a checkpoint carries them; re-admitting them in order restores them). */
    List<byte[]> pendingTransactions();

    /**
     * Transactions the node itself should submit now, signed by its own key {@code self} (a validator's beacon proof,
     * for example); the engine asks after every commit, admits each with {@link #checkTx} and gossips the admitted
     * ones. Pure in the committed state, the pending transactions and the key, so a replayed journal submits the same.
     * None by default.
     */
    default List<byte[]> ownTransactions(dev.oasisj.core.crypto.Signer self) {
        return List.of();
    }

    // ------------------------------------------------------------------------------------------ blocks

    /**
     * The transactions of a new block for {@code block} (at most {@code maxTransactions} of together at most
     * {@code maxBytes} bytes), taken from the pending ones, and the state after them.
     */
    Proposal prepareProposal(BlockContext block, int maxTransactions, int maxBytes);

    /**
     * The state after {@code transactions} as the body of {@code block}, applied to the committed state; empty when
     * the body is invalid (a transaction that does not decode, verify or apply). Pure in the committed state and the
     * arguments.
     */
    Optional<Staged> processProposal(BlockContext block, List<byte[]> transactions);

    /**
     * Makes {@code staged} (from {@link #prepareProposal} or {@link #processProposal} on the current committed state)
     * the committed state: returns its root, the validator-set updates it decided and its events. Pending transactions
     * that it included, or that it made invalid, are dropped.
     */
    FinalizeResult finalizeBlock(Staged staged);

    /** The application's always-on invariants over its committed state ({@code Invariant.check}). */
    void checkInvariants();

    // ------------------------------------------------------------------------------------------ queries, snapshots

    /** Reads the committed state: {@code path} names what (application-defined), {@code data} its argument. */
    QueryResult query(String path, byte[] data);

    /**
     * The committed state as a snapshot: cheap to take (it captures the immutable state), its entries listed on
     * demand. {@link ApplicationFactory#restore} rebuilds an application whose {@link #stateRoot()} is this one's.
     */
    Snapshot snapshot();

    /** A state after a block's transactions, not yet committed; immutable. */
    interface Staged {
        Hash32 stateRoot();
    }

    /** A new block's transactions and the state after them. */
    record Proposal(List<byte[]> transactions, Staged staged) {
        public Proposal {
            transactions = List.copyOf(transactions);
        }
    }

    /** The outcome of {@link #checkTx}. */
    sealed interface CheckResult {
        /** Admitted to the pending transactions. */
        record Accepted() implements CheckResult {}

        /**
         * Refused: {@code reason} a stable upper-case code; {@code duplicate} when it was refused only because it is
         * already pending or committed (a gossiped copy, not worth reporting).
         */
        record Refused(String reason, String detail, boolean duplicate) implements CheckResult {}
    }

    /** What finalizing a block returns. */
    record FinalizeResult(Hash32 stateRoot, List<ValidatorUpdate> validatorUpdates, List<Event> events) {
        public FinalizeResult {
            validatorUpdates = List.copyOf(validatorUpdates);
            events = List.copyOf(events);
        }
    }

    /** A change of a validator's voting power decided by the application (power 0 removes it). */
    record ValidatorUpdate(dev.oasisj.core.crypto.PublicKey validator, long power) {
        public ValidatorUpdate {
            if (power < 0) {
                throw new IllegalArgumentException("negative power " + power);
            }
        }
    }

    /** Something a block did, for clients and operators: {@code kind} a stable code, {@code detail} readable text. */
    record Event(String kind, String detail) {}

    /** How a query's value is encoded, so a client can show it without guessing from its bytes. */
    enum ValueEncoding {
        /** The application's binary encoding (shown as hex). */
        BINARY,
        /** A JSON document in UTF-8 (shown as JSON too). */
        JSON
    }

    /**
     * The outcome of a query: {@code found} false when the path or its argument names nothing; {@code encoding} says
     * what the value's bytes are.
     */
    record QueryResult(boolean found, byte[] value, ValueEncoding encoding, String detail) {
        public QueryResult {
            value = value.clone();
        }

        /** A binary answer. */
        public QueryResult(boolean found, byte[] value, String detail) {
            this(found, value, ValueEncoding.BINARY, detail);
        }

        /** A JSON answer ({@code json} is its UTF-8 bytes). */
        public static QueryResult json(boolean found, byte[] json, String detail) {
            return new QueryResult(found, json, ValueEncoding.JSON, detail);
        }

        @Override
        public byte[] value() {
            return value.clone();
        }
    }

    /** The committed state of an application, as key-ordered entries. */
    interface Snapshot {
        /** Number of entries. */
        int entryCount();

        /** The entries in strictly ascending key order ({@link StateEntry#compareKeys}). */
        List<StateEntry> entries();
    }
}
