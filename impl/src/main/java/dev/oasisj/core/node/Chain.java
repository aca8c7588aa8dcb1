package dev.oasisj.core.node;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.ValuePayload;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.BlockCodec;
import dev.oasisj.core.ledger.Commit;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.ledger.LedgerLimits;
import dev.oasisj.core.ledger.Mempool;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.core.ledger.VerifiedTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The committed chain of one node: the ledger after the last committed block, that block's hash and commit, the
 * retained blocks, the mempool, and the validation of candidate blocks for the next height. Mutable, owned by one
 * {@link ValidatorNode}, single-threaded.
 *
 * <p>Validity of a candidate block (the spec's {@code IsValid}, given to the consensus core as its value policy) is a
 * pure function of the payload bytes and the committed chain: the payload decodes as a {@link Block} of height
 * {@code height() + 1} whose previous hash is {@link #lastBlockHash()}, whose proposer is a validator, whose last
 * commit is a valid commit of the previous block (empty for block 1), whose transactions all decode, verify and apply
 * in order, and whose state root is the ledger root after them and the fee payout to the proposer.
 */
final class Chain {
    /** A candidate block that passed validation, with the ledger it leads to. */
    record ValidatedBlock(Block block, Hash32 value, Ledger ledgerAfter, List<Hash32> transactionHashes,
            long firstSeenTick) {}

    private final Genesis genesis;
    private final ValidatorSet validators;
    private final Mempool mempool = new Mempool();
    private final BlockStore store = new BlockStore();

    private Ledger ledger;
    private long height;
    /** The node's current tick, recorded with each validated candidate (when this node first saw it). */
    private long nowTick;
    private Hash32 lastBlockHash;
    /** The commit that finalized the block at {@link #height} ({@link Commit#GENESIS} at height 0). */
    private Commit lastCommit = Commit.GENESIS;

    /** Validation results for candidates of the next height, keyed by consensus value; an empty Optional = invalid. */
    private final TreeMap<Hash32, Optional<ValidatedBlock>> candidates = new TreeMap<>();

    /**
     * The block this node last built for the next height ({@link #buildProposal}), with the ledger that building it
     * produced: its transactions are verified ones from the mempool, each applied to the ledger left by the previous
     * ones, and its state root is that ledger's. Validating the same value (same payload bytes) reuses that ledger
     * instead of applying the transactions a second time; every other check of {@link #validateUncached} still runs.
     * Null when none; cleared on commit (the ledger it was built on is then no longer the committed one).
     */
    private @Nullable ValidatedBlock lastBuilt;

    Chain(Genesis genesis, ValidatorSet validators) {
        this.genesis = genesis;
        this.validators = validators;
        this.ledger = Ledger.fromGenesis(genesis);
        this.height = 0;
        this.lastBlockHash = genesis.hash();
    }

    /**
     * A chain restored at a committed height (from a checkpoint): {@code last} is the block at that height with the
     * commit that finalized it, {@code ledger} the ledger after it. The block store holds that one block only (the
     * retained window before it is not part of a checkpoint), and the mempool is empty. The caller checks the commit
     * ({@link #isValidCommit}) before using the chain.
     */
    Chain(Genesis genesis, ValidatorSet validators, PeerWire.CommittedBlock last, Ledger ledger) {
        Block block = last.block();
        if (block.height() < 1) {
            throw new IllegalArgumentException("a restored chain starts at a committed height >= 1, got "
                    + block.height());
        }
        if (!ledger.stateRoot().equals(block.stateRoot())) {
            throw new IllegalArgumentException("ledger root " + ledger.stateRoot().shortHex() + " is not the root "
                    + block.stateRoot().shortHex() + " committed at height " + block.height());
        }
        this.genesis = genesis;
        this.validators = validators;
        this.ledger = ledger;
        this.height = block.height();
        this.lastBlockHash = block.hash();
        this.lastCommit = last.commit();
        store.add(last);
    }

    Ledger ledger() {
        return ledger;
    }

    long height() {
        return height;
    }

    Hash32 lastBlockHash() {
        return lastBlockHash;
    }

    Commit lastCommit() {
        return lastCommit;
    }

    Mempool mempool() {
        return mempool;
    }

    BlockStore store() {
        return store;
    }

    /** The consensus value of a block: SHA-256 of its encoding (what proposals and votes name). */
    static Hash32 valueOf(Block block) {
        return Hash32.sha256(BlockCodec.encode(block));
    }

    void setNowTick(long tick) {
        nowTick = tick;
    }

    /** The value policy given to the consensus core: pure in (value, payload) for a given committed height. */
    boolean isValid(Hash32 value, byte[] payload) {
        return validate(value, payload).isPresent();
    }

    /** Validates (once per value and height; later calls hit the cache). */
    Optional<ValidatedBlock> validate(Hash32 value, byte[] payload) {
        @Nullable Optional<ValidatedBlock> cached = candidates.get(value);
        if (cached != null) {
            return cached;
        }
        Optional<ValidatedBlock> result = Hash32.sha256(payload).equals(value)
                ? validateUncached(value, payload) : Optional.empty();
        if (candidates.size() >= NodeLimits.MAX_CACHED_CANDIDATES) {
            // Only a cache: dropping an entry costs a re-validation, never a different answer.
            candidates.pollFirstEntry();
        }
        candidates.put(value, result);
        return result;
    }

    private Optional<ValidatedBlock> validateUncached(Hash32 value, byte[] payload) {
        ValidatedBlock built = lastBuilt;
        @Nullable ValidatedBlock own = built != null && built.value().equals(value) ? built : null;
        Block block;
        if (own != null) {
            // The payload hashes to the value of the block this node built (validate checked it), so it is that
            // block's encoding: no need to decode it again.
            block = own.block();
        } else {
            try {
                block = BlockCodec.decode(payload);
            } catch (DecodeException e) {
                return Optional.empty();
            }
        }
        if (block.height() != height + 1 || !block.previousBlockHash().equals(lastBlockHash)
                || !validators.contains(block.proposer())) {
            return Optional.empty();
        }
        if (height == 0 ? !block.lastCommit().equals(Commit.GENESIS) : !isValidCommitOfLastBlock(block.lastCommit())) {
            return Optional.empty();
        }
        if (own != null) {
            // The same bytes as the block this node built on the current ledger: its transactions were verified and
            // applied in order then (a transaction that did not apply was left out of the block), giving this ledger.
            Invariant.check(own.ledgerAfter().stateRoot().equals(block.stateRoot()), "StateRootMatchesBlockInv",
                    () -> "own block " + value.shortHex() + " names root " + block.stateRoot().shortHex());
            return Optional.of(new ValidatedBlock(block, value, own.ledgerAfter(), own.transactionHashes(),
                    nowTick));
        }
        List<VerifiedTransaction> txs = new ArrayList<>(block.transactionCount());
        List<Hash32> hashes = new ArrayList<>(block.transactionCount());
        for (byte[] bytes : block.transactions()) {
            Hash32 h = Hash32.sha256(bytes);
            Optional<VerifiedTransaction> known = mempool.get(h);
            if (known.isPresent()) {
                txs.add(known.get());
            } else {
                Transaction tx;
                try {
                    tx = TransactionCodec.decode(bytes);
                } catch (DecodeException e) {
                    return Optional.empty();
                }
                Optional<VerifiedTransaction> verified = VerifiedTransaction.verify(tx, mempool.keyCache());
                if (verified.isEmpty()) {
                    return Optional.empty();
                }
                txs.add(verified.get());
            }
            hashes.add(h);
        }
        Ledger.BlockResult r = ledger.applyBlock(txs, block.proposer());
        if (!(r instanceof Ledger.BlockResult.Valid valid) || !valid.ledger().stateRoot().equals(block.stateRoot())) {
            return Optional.empty();
        }
        return Optional.of(new ValidatedBlock(block, value, valid.ledger(), hashes, nowTick));
    }

    private boolean isValidCommitOfLastBlock(Commit commit) {
        Optional<PeerWire.CommittedBlock> last = store.get(height);
        if (last.isEmpty()) {
            // The previous block fell out of the retained window (cannot happen for the last block: it is the newest).
            return false;
        }
        return isValidCommit(last.get().block(), commit);
    }

    /**
     * True when {@code commit} holds valid precommit signatures for {@code block} (at its height, the commit's round,
     * value {@link #valueOf}) from distinct validators together holding more than two thirds of the power.
     */
    boolean isValidCommit(Block block, Commit commit) {
        ConsensusMessage.Precommit precommit = new ConsensusMessage.Precommit(block.height(), commit.round(),
                VoteValue.of(valueOf(block)));
        TreeSet<PublicKey> signers = new TreeSet<>();
        for (Commit.Signature s : commit.signatures()) {
            if (!validators.contains(s.validator()) || !signers.add(s.validator())) {
                return false;
            }
            if (!new SignedMessage(precommit, s.validator(), s.signature()).verify(genesis.chainId())) {
                return false;
            }
        }
        return validators.isQuorum(signers);
    }

    /** The commit certificate of a decision, in the ledger's representation. */
    static Commit commitOf(int round, List<SignedMessage> precommits) {
        List<Commit.Signature> sigs = new ArrayList<>(precommits.size());
        for (SignedMessage m : precommits) {
            sigs.add(new Commit.Signature(m.signer(), m.signature()));
        }
        return new Commit(round, sigs);
    }

    /**
     * A block for the next height from the mempool, proposed by {@code proposer}, as a consensus value and its payload;
     * remembered (see {@link #lastBuilt}) so that validating it does not apply its transactions again.
     */
    ValuePayload buildProposal(PublicKey proposer) {
        ValidatedBlock built = build(proposer);
        byte[] payload = BlockCodec.encode(built.block());
        Hash32 value = Hash32.sha256(payload);
        lastBuilt = new ValidatedBlock(built.block(), value, built.ledgerAfter(), built.transactionHashes(), nowTick);
        return new ValuePayload(value, payload);
    }

    private ValidatedBlock build(PublicKey proposer) {
        Mempool.Candidate c = mempool.buildBlock(ledger, proposer, LedgerLimits.MAX_BLOCK_TRANSACTIONS,
                LedgerLimits.MAX_BLOCK_TRANSACTION_BYTES);
        Block block = new Block(height + 1, lastBlockHash, proposer, c.encodedTransactions(), lastCommit,
                c.ledgerAfter().stateRoot());
        List<Hash32> hashes = new ArrayList<>(c.transactions().size());
        for (VerifiedTransaction t : c.transactions()) {
            hashes.add(t.hash());
        }
        return new ValidatedBlock(block, Hash32.ZERO, c.ledgerAfter(), hashes, nowTick);
    }

    /**
     * Makes {@code validated} the newest committed block, finalized by {@code commit}. The caller has checked the
     * commit (decision of the core, or a synced block's signatures).
     */
    void commit(ValidatedBlock validated, Commit commit) {
        Block block = validated.block();
        Invariant.check(block.height() == height + 1 && block.previousBlockHash().equals(lastBlockHash),
                "ChainLinkInv", () -> "block " + block + " does not extend height " + height + " #"
                        + lastBlockHash.shortHex());
        Invariant.check(validated.ledgerAfter().stateRoot().equals(block.stateRoot()), "StateRootMatchesBlockInv",
                () -> "ledger root " + validated.ledgerAfter().stateRoot().shortHex() + " != block root "
                        + block.stateRoot().shortHex());
        ledger = validated.ledgerAfter();
        height = block.height();
        lastBlockHash = block.hash();
        lastCommit = commit;
        store.add(new PeerWire.CommittedBlock(block, commit));
        mempool.removeCommitted(validated.transactionHashes(), ledger);
        candidates.clear();
        lastBuilt = null;
    }

    /** The validator name of a key, or its short id when it is not a validator. */
    String nameOf(PublicKey key) {
        for (Genesis.Validator v : genesis.validators()) {
            if (v.publicKey().equals(key)) {
                return v.name();
            }
        }
        return key.shortId();
    }
}
