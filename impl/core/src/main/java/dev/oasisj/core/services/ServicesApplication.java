package dev.oasisj.core.services;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.app.BlockContext;
import dev.oasisj.core.app.StateEntry;
import dev.oasisj.core.beacon.BeaconMethods;
import dev.oasisj.core.beacon.BeaconProof;
import dev.oasisj.core.beacon.BeaconRound;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.DecodedKeyCache;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.LedgerLimits;
import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.core.tx.Fee;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.SignedTransactionCodec;
import dev.oasisj.core.tx.TxDecodeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The consensus services as the engine's {@link Application}: the committed {@link ServicesState}, the pending
 * transactions, and the {@link ServiceMultiplexer} that executes them. Transactions are signed envelopes
 * ({@link SignedTransaction}, encoded by {@link SignedTransactionCodec}).
 *
 * <p><b>Admission</b> ({@link #checkTx}) refuses, with the first reason that applies: {@code MALFORMED} (not an
 * envelope), {@code WRONG_CHAIN}, the registry's decode reasons ({@code UNKNOWN_METHOD}, {@code BODY_TOO_LARGE},
 * {@code MALFORMED_BODY}, {@code NON_CANONICAL_BODY}), {@code DUPLICATE} (already pending), {@code MEMPOOL_FULL},
 * {@code SENDER_LIMIT}, {@code BAD_SIGNATURE}, the charge's {@code BAD_NONCE} / {@code INSUFFICIENT_BALANCE}, then the
 * method's own refusal as {@code service.REASON} (e.g. {@code staking.INSUFFICIENT_BALANCE},
 * {@code registry.UNKNOWN_ENTITY}). Each check runs against the committed state with every pending transaction
 * applied (the "check state"), so a refused transaction changes nothing, and an admitted one would succeed if the
 * next block included the pending ones in order.
 *
 * <p><b>Blocks.</b> The begin-block hook, the transactions in order, the end-block hook
 * ({@link ServiceMultiplexer}). A block is invalid when a transaction does not decode, is for another chain or an
 * unknown method, has a bad signature, or cannot be charged (nonce, fee); a transaction whose method is refused is
 * valid in a block (its fee and nonce are spent; an event reports the reason). The proposer includes only pending
 * transactions that succeed.
 *
 * <p><b>Queries</b> ({@link ServicesQueries}); <b>snapshots</b> ({@link ServicesSnapshot}).
 */
public final class ServicesApplication implements Application {
    private final ServiceMultiplexer mux;
    private final long genesisSupplyBaseUnits;
    private final DecodedKeyCache keys = new DecodedKeyCache();
    private ServicesState committed;

    /**
     * A pending transaction: its bytes, hash and decoded envelope and body, and the check state after it (the
     * committed state with it and every pending transaction before it applied).
     */
    private record Pending(byte[] bytes, Hash32 hash, TxDecodeResult.Decoded<?> decoded, ServicesState after) {}

    private final List<Pending> pending = new ArrayList<>();
    private final TreeMap<Hash32, Pending> pendingByHash = new TreeMap<>();
    private final TreeMap<PublicKey, Integer> pendingPerSigner = new TreeMap<>();
    private long pendingBytes;
    private ServicesState checkState;

    /** The state after a block: the services' state, what to tell the engine, and which pending ones it included. */
    private record ServicesStaged(ServicesState state, List<Event> events, List<ValidatorUpdate> updates,
            List<Hash32> included) implements Staged {
        @Override
        public Hash32 stateRoot() {
            return state.stateRoot();
        }
    }

    ServicesApplication(ServiceMultiplexer mux, ServicesState committed) {
        this.mux = mux;
        this.committed = committed;
        this.checkState = committed;
        this.genesisSupplyBaseUnits = committed.staking().totalSupplyBaseUnits();
    }

    /**
     * The factory of the services application of {@code genesis} (which must have a {@code services} section).
     *
     * @throws dev.oasisj.core.ledger.InvalidGenesisException when the section is invalid or does not agree with the
     *     consensus validators
     */
    public static ApplicationFactory factory(Genesis genesis) {
        ServicesGenesis services = ServicesGenesis.fromJson(genesis.services());
        ServiceMultiplexer mux = new ServiceMultiplexer(genesis.chainId(), services.parameters());
        ServicesState initial = mux.genesis(genesis, services);
        return new ApplicationFactory() {
            @Override
            public Application genesis() {
                return new ServicesApplication(mux, initial);
            }

            @Override
            public Application restore(List<StateEntry> entries) {
                ServicesState s = ServicesSnapshot.restore(mux, entries);
                if (s.staking().totalSupplyBaseUnits() != initial.staking().totalSupplyBaseUnits()) {
                    throw new IllegalArgumentException("the snapshot's total supply "
                            + s.staking().totalSupplyBaseUnits() + " is not the genesis supply "
                            + initial.staking().totalSupplyBaseUnits());
                }
                return new ServicesApplication(mux, s);
            }
        };
    }

    /** The committed state (immutable). */
    public ServicesState state() {
        return committed;
    }

    public ServiceMultiplexer multiplexer() {
        return mux;
    }

    // ------------------------------------------------------------------------------------------ transactions

    @Override
    public Hash32 stateRoot() {
        return committed.stateRoot();
    }

    /** The envelope in {@code tx}, or why it is not one (length, layout, version, field bounds). */
    private static SignedTransaction decodeEnvelope(byte[] tx) throws DecodeException {
        if (tx.length > Application.MAX_TRANSACTION_BYTES) {
            throw new DecodeException("transaction of " + tx.length + " bytes exceeds "
                    + Application.MAX_TRANSACTION_BYTES);
        }
        return SignedTransactionCodec.decode(tx);
    }

    @Override
    public @Nullable String malformed(byte[] tx) {
        try {
            decodeEnvelope(tx);
            return null;
        } catch (DecodeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    @Override
    public SignatureVerdict checkSignature(byte[] tx) {
        try {
            SignedTransaction t = decodeEnvelope(tx);
            if (!t.chainId().equals(mux.chainId())) {
                return SignatureVerdict.NOT_CHECKED;
            }
            return t.hasValidSignature(keys) ? SignatureVerdict.VALID : SignatureVerdict.INVALID;
        } catch (DecodeException e) {
            return SignatureVerdict.NOT_CHECKED;
        }
    }

    /** The decoded call, or the refusal for a transaction that is structurally not one of this chain. */
    private Object decode(byte[] tx) {
        SignedTransaction t;
        try {
            t = decodeEnvelope(tx);
        } catch (DecodeException e) {
            return new CheckResult.Refused("MALFORMED", String.valueOf(e.getMessage()), false);
        }
        if (!t.chainId().equals(mux.chainId())) {
            return new CheckResult.Refused("WRONG_CHAIN", "for chain '" + t.chainId() + "', this is '"
                    + mux.chainId() + "'", false);
        }
        TxDecodeResult d = ServiceMultiplexer.METHODS.decode(t);
        if (d instanceof TxDecodeResult.Rejected rej) {
            return new CheckResult.Refused(rej.reason().name(), rej.detail(), false);
        }
        return d;
    }

    @Override
    public CheckResult checkTx(byte[] tx, SignatureVerdict verdict) {
        Object d = decode(tx);
        if (d instanceof CheckResult.Refused refused) {
            return refused;
        }
        TxDecodeResult.Decoded<?> decoded = (TxDecodeResult.Decoded<?>) d;
        SignedTransaction t = decoded.transaction();
        Hash32 hash = Hash32.sha256(tx);
        if (pendingByHash.containsKey(hash)) {
            return new CheckResult.Refused("DUPLICATE", "already pending", true);
        }
        if (pending.size() >= LedgerLimits.MAX_MEMPOOL_TRANSACTIONS
                || pendingBytes + tx.length > LedgerLimits.MAX_MEMPOOL_BYTES) {
            return new CheckResult.Refused("MEMPOOL_FULL", pending.size() + " transactions, " + pendingBytes
                    + " bytes pending", false);
        }
        int ofSigner = pendingPerSigner.getOrDefault(t.signer(), 0);
        if (ofSigner >= LedgerLimits.MAX_MEMPOOL_TRANSACTIONS_PER_SENDER) {
            return new CheckResult.Refused("SENDER_LIMIT", ofSigner + " transactions of "
                    + t.signer().shortId() + " pending", false);
        }
        boolean valid = verdict == SignatureVerdict.NOT_CHECKED ? t.hasValidSignature(keys)
                : verdict == SignatureVerdict.VALID;
        if (!valid) {
            return new CheckResult.Refused("BAD_SIGNATURE", "not signed by " + t.signer().shortId(), false);
        }
        ServiceMultiplexer.Execution e = mux.execute(checkState, decoded);
        if (e instanceof ServiceMultiplexer.Execution.NotExecutable ne) {
            // a nonce below the committed one: this transaction (or another with its nonce) is already in a block
            boolean stale = ne.reason().equals("BAD_NONCE")
                    && t.nonce() < committed.staking().account(t.signer()).nonce();
            return new CheckResult.Refused(ne.reason(), ne.detail(), stale);
        }
        ServiceMultiplexer.Execution.Executed ex = (ServiceMultiplexer.Execution.Executed) e;
        String failure = ex.failure();
        if (failure != null) {
            return new CheckResult.Refused(failure, ex.detail(), false);
        }
        Pending p = new Pending(tx.clone(), hash, decoded, ex.state());
        pending.add(p);
        pendingByHash.put(hash, p);
        pendingPerSigner.merge(t.signer(), 1, Integer::sum);
        pendingBytes += tx.length;
        checkState = ex.state();
        return new CheckResult.Accepted();
    }

    @Override
    public int pendingCount() {
        return pending.size();
    }

    @Override
    public List<byte[]> pendingTransactions() {
        List<byte[]> out = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            out.add(p.bytes().clone());
        }
        return out;
    }

    /**
     * A validator's duty: its VRF proof for the current epoch's beacon round, once, while it has not contributed and
     * has no proof pending. Signed by the node's key (fee 0, its next nonce in the check state).
     */
    @Override
    public List<byte[]> ownTransactions(Signer self) {
        PublicKey key = self.publicKey();
        BeaconRound round = committed.beaconRound();
        if (!round.powers().containsKey(key) || round.betaOf(key).isPresent()) {
            return List.of();
        }
        for (Pending p : pending) {
            Optional<BeaconProof> proof = BeaconMethods.SUBMIT_PROOF.bodyOf(p.decoded());
            if (proof.isPresent() && proof.get().validator().equals(key) && proof.get().epoch() == round.epoch()) {
                return List.of();
            }
        }
        BeaconProof proof = new BeaconProof(key, round.epoch(), self.vrfProve(round.alpha()));
        long nonce = checkState.staking().account(key).nonce();
        return List.of(SignedTransactionCodec.encode(SignedTransaction.sign(self, mux.chainId(), nonce, new Fee(0, 0),
                BeaconMethods.SUBMIT_PROOF.name(), BeaconMethods.SUBMIT_PROOF.codec().encode(proof))));
    }

    // ------------------------------------------------------------------------------------------ blocks

    @Override
    public Proposal prepareProposal(BlockContext block, int maxTransactions, int maxBytes) {
        ServiceMultiplexer.HookResult begin = mux.beginBlock(committed, block);
        List<Event> events = new ArrayList<>(begin.events());
        ServicesState s = begin.state();
        List<byte[]> txs = new ArrayList<>();
        List<Hash32> included = new ArrayList<>();
        int bytes = 0;
        // When the begin-block hook changed nothing, the state after the first k pending transactions is the check
        // state recorded with the k-th (the same executions, in the same order, on the same state): no re-execution.
        boolean unchanged = s == committed;
        for (Pending p : pending) {
            if (txs.size() >= maxTransactions || bytes + p.bytes().length > maxBytes) {
                break;
            }
            if (unchanged) {
                s = p.after();
            } else {
                ServiceMultiplexer.Execution e = mux.execute(s, p.decoded());
                if (!(e instanceof ServiceMultiplexer.Execution.Executed ex && ex.failure() == null)) {
                    continue;
                }
                s = ex.state();
            }
            txs.add(p.bytes());
            included.add(p.hash());
            bytes += p.bytes().length;
        }
        ServiceMultiplexer.HookResult end = mux.endBlock(s, block.height());
        events.addAll(end.events());
        return new Proposal(txs, new ServicesStaged(end.state(), events, end.validatorUpdates(), included));
    }

    @Override
    public Optional<Staged> processProposal(BlockContext block, List<byte[]> transactions) {
        ServiceMultiplexer.HookResult begin = mux.beginBlock(committed, block);
        List<Event> events = new ArrayList<>(begin.events());
        ServicesState s = begin.state();
        List<Hash32> included = new ArrayList<>();
        for (byte[] tx : transactions) {
            Hash32 hash = Hash32.sha256(tx);
            @Nullable Pending known = pendingByHash.get(hash);
            TxDecodeResult.Decoded<?> decoded;
            if (known != null) {
                decoded = known.decoded(); // its signature was checked when it was admitted
            } else {
                Object d = decode(tx);
                if (!(d instanceof TxDecodeResult.Decoded<?> dd) || !dd.transaction().hasValidSignature(keys)) {
                    return Optional.empty();
                }
                decoded = dd;
            }
            ServiceMultiplexer.Execution e = mux.execute(s, decoded);
            if (!(e instanceof ServiceMultiplexer.Execution.Executed ex)) {
                return Optional.empty();
            }
            s = ex.state();
            String failure = ex.failure();
            if (failure != null) {
                events.add(new Event("tx-failed", hash.shortHex() + " " + decoded.method().name() + " by "
                        + decoded.transaction().signer().shortId() + ": " + failure + " (" + ex.detail() + ")"));
            }
            included.add(hash);
        }
        ServiceMultiplexer.HookResult end = mux.endBlock(s, block.height());
        events.addAll(end.events());
        return Optional.of(new ServicesStaged(end.state(), events, end.validatorUpdates(), included));
    }

    @Override
    public FinalizeResult finalizeBlock(Staged staged) {
        if (!(staged instanceof ServicesStaged s)) {
            throw new IllegalArgumentException("not a staged state of the services application: " + staged);
        }
        committed = s.state();
        TreeSet<Hash32> included = new TreeSet<>(s.included());
        List<Pending> remaining = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            if (!included.contains(p.hash())) {
                remaining.add(p);
            }
        }
        pending.clear();
        pendingByHash.clear();
        pendingPerSigner.clear();
        pendingBytes = 0;
        checkState = committed;
        // re-admit the rest against the new state, in order: those the block made invalid are dropped
        for (Pending old : remaining) {
            ServiceMultiplexer.Execution e = mux.execute(checkState, old.decoded());
            if (e instanceof ServiceMultiplexer.Execution.Executed ex && ex.failure() == null) {
                checkState = ex.state();
                Pending p = new Pending(old.bytes(), old.hash(), old.decoded(), checkState);
                pending.add(p);
                pendingByHash.put(p.hash(), p);
                pendingPerSigner.merge(p.decoded().transaction().signer(), 1, Integer::sum);
                pendingBytes += p.bytes().length;
            }
        }
        return new FinalizeResult(committed.stateRoot(), s.updates(), s.events());
    }

    @Override
    public void checkInvariants() {
        // [STAKE-SUPPLY] and [STAKE-DEBOND] hold in every StakingState by construction (checked when it is built);
        // here: the supply is still the genesis one.
        long supply = committed.staking().totalSupplyBaseUnits();
        Invariant.check(supply == genesisSupplyBaseUnits, "StakeSupplyInv",
                () -> "[STAKE-SUPPLY] total supply " + supply + " != genesis " + genesisSupplyBaseUnits);
        Invariant.check(!committed.validators().validators().isEmpty(), "ValidatorsNonEmptyInv",
                () -> "the services elected no validator in epoch " + committed.epoch());
    }

    @Override
    public QueryResult query(String path, byte[] data) {
        return ServicesQueries.answer(committed, path, data);
    }

    @Override
    public Snapshot snapshot() {
        return ServicesSnapshot.of(committed);
    }

    @Override
    public String toString() {
        return "ServicesApplication[" + committed + ", pending " + pending.size() + "]";
    }
}
