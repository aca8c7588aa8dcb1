package dev.oasisj.core.node;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.BlockContext;
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
import dev.oasisj.core.ledger.LedgerLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The committed chain of one node: the application (its committed state and pending transactions) after the last
 * committed block, that block's hash and commit, the retained blocks, and the validation of candidate blocks for the
 * next height. Mutable, owned by one {@link ValidatorNode}, single-threaded. The chain knows blocks; what their
 * transactions mean is the {@link Application}'s (the seam, {@code dev.oasisj.core.app}).
 *
 * <p>Validity of a candidate block (the spec's {@code IsValid}, given to the consensus core as its value policy) is a
 * pure function of the payload bytes and the committed chain: the payload decodes as a {@link Block} of height
 * {@code height() + 1} whose previous hash is {@link #lastBlockHash()}, whose proposer is a validator of its height,
 * whose {@code validatorsHash} and {@code nextValidatorsHash} are the hashes of the sets of its height and the next
 * ({@link ValidatorSets}), whose last commit is a valid commit of the previous block by the set of the previous height
 * (empty for block 1), whose evidence is valid ({@link #checkEvidence}), whose transactions the application accepts as
 * a block body with that evidence ({@link Application#processProposal}), and whose state root is the root of the
 * state they lead to.
 *
 * <p><b>Validator sets per height</b>: committing block {@code H} applies the application's validator updates to the
 * set of {@code H + 1}, giving the set of {@code H + 2} ({@link ValidatorSets}). At committed height {@code H} the
 * chain therefore knows the sets of {@code H + 1} and {@code H + 2}, and those of the heights down to
 * {@link NodeLimits#MAX_EVIDENCE_AGE_BLOCKS} below the next block (evidence is judged against the set of its own
 * height); older ones are dropped.
 */
final class Chain {
    /** A candidate block that passed validation, with the application state it leads to. */
    record ValidatedBlock(Block block, Hash32 value, Application.Staged staged, List<DuplicateVote> evidence,
            long firstSeenTick) {}

    private final Genesis genesis;
    private final ValidatorSets sets;
    private final BlockStore store = new BlockStore();
    private final Application app;
    /** What finalizing the last committed block returned (empty at genesis and after a restore). */
    private Application.FinalizeResult lastFinalized;
    private long height;
    /** The node's current tick, recorded with each validated candidate (when this node first saw it). */
    private long nowTick;
    private Hash32 lastBlockHash;
    /** The commit that finalized the block at {@link #height} ({@link Commit#GENESIS} at height 0). */
    private Commit lastCommit = Commit.GENESIS;

    /**
     * The slots ({@link DuplicateVote#slot}) of the evidence committed in the last {@link NodeLimits#MAX_EVIDENCE_AGE_BLOCKS}
     * heights, with their heights: so that this node does not propose it again. Not part of block validity (a node
     * restored from a checkpoint does not have it; the application handles a repeat).
     */
    private final TreeMap<String, Long> committedEvidence = new TreeMap<>();

    /** Validation results for candidates of the next height, keyed by consensus value; an empty Optional = invalid. */
    private final TreeMap<Hash32, Optional<ValidatedBlock>> candidates = new TreeMap<>();

    /**
     * The block this node last built for the next height ({@link #buildProposal}), with the state that building it
     * produced ({@link Application#prepareProposal}). Validating the same value (same payload bytes) reuses that state
     * instead of processing the transactions a second time; every other check of {@link #validateUncached} still
     * runs. Null when none; cleared on commit (the state it was built on is then no longer the committed one).
     */
    private @Nullable ValidatedBlock lastBuilt;

    /** The chain at genesis: {@code app} in its genesis state. */
    Chain(Genesis genesis, Application app) {
        this.genesis = genesis;
        this.sets = new ValidatorSets(genesis);
        this.app = app;
        this.height = 0;
        this.lastBlockHash = genesis.hash();
        this.lastFinalized = new Application.FinalizeResult(app.stateRoot(), List.of(), List.of());
    }

    /**
     * A chain restored at a committed height (from a checkpoint): {@code last} is the block at that height with the
     * commit that finalized it, {@code app} the application state after it. The block store holds that one block only
     * (the retained window before it is not part of a checkpoint). {@code sets} are the validator sets known at that
     * height: at least those of the block's height, the next and the one after; the block must name the first two.
     * The caller checks the commit ({@link #isValidCommit}) before using the chain.
     */
    Chain(Genesis genesis, ValidatorSets sets, PeerWire.CommittedBlock last, Application app) {
        Block block = last.block();
        if (block.height() < 1) {
            throw new IllegalArgumentException("a restored chain starts at a committed height >= 1, got "
                    + block.height());
        }
        if (!app.stateRoot().equals(block.stateRoot())) {
            throw new IllegalArgumentException("application root " + app.stateRoot().shortHex() + " is not the root "
                    + block.stateRoot().shortHex() + " committed at height " + block.height());
        }
        for (long h = block.height(); h <= block.height() + 2; h++) {
            if (sets.at(h).isEmpty()) {
                throw new IllegalArgumentException("no validator set known for height " + h + " at restored height "
                        + block.height());
            }
        }
        if (!sets.require(block.height()).hash().equals(block.validatorsHash())
                || !sets.require(block.height() + 1).hash().equals(block.nextValidatorsHash())) {
            throw new IllegalArgumentException("block " + block.height() + " names validator sets "
                    + block.validatorsHash().shortHex() + "/" + block.nextValidatorsHash().shortHex()
                    + ", not the restored ones " + sets.require(block.height()).hash().shortHex() + "/"
                    + sets.require(block.height() + 1).hash().shortHex());
        }
        this.genesis = genesis;
        this.sets = sets;
        this.app = app;
        this.lastFinalized = new Application.FinalizeResult(app.stateRoot(), List.of(), List.of());
        this.height = block.height();
        this.lastBlockHash = block.hash();
        this.lastCommit = last.commit();
        store.add(last);
    }

    Application app() {
        return app;
    }

    /** What finalizing the last committed block returned (its events; no updates and no events after a restore). */
    Application.FinalizeResult lastFinalized() {
        return lastFinalized;
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

    BlockStore store() {
        return store;
    }

    /**
     * The validator set of {@code h}, if known (see the class comment for which heights are); empty above
     * {@code height() + 2}, whose set the next blocks may still change.
     */
    Optional<ValidatorSet> validatorsAt(long h) {
        return h > height + 2 ? Optional.empty() : sets.at(h);
    }

    /**
     * The validator set of {@code h} for the consensus core, which asks only for the heights after the committed
     * one that are known: {@code height() + 1} and {@code height() + 2}.
     */
    ValidatorSet requireValidators(long h) {
        return sets.require(h);
    }

    /** The validator sets kept, by the height each takes effect (what a checkpoint carries). */
    TreeMap<Long, ValidatorSet> validatorSetChanges() {
        return sets.changes();
    }

    /** Number of validator sets kept (bounded, see {@link ValidatorSets}). */
    int validatorSetCount() {
        return sets.size();
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
                || !sets.require(block.height()).contains(block.proposer())) {
            return Optional.empty();
        }
        if (!block.validatorsHash().equals(sets.require(block.height()).hash())
                || !block.nextValidatorsHash().equals(sets.require(block.height() + 1).hash())) {
            return Optional.empty();
        }
        if (height == 0 ? !block.lastCommit().equals(Commit.GENESIS) : !isValidCommitOfLastBlock(block.lastCommit())) {
            return Optional.empty();
        }
        if (own != null) {
            // The same bytes as the block this node built on the current state: the application prepared that body
            // and the state it leads to then.
            Invariant.check(own.staged().stateRoot().equals(block.stateRoot()), "StateRootMatchesBlockInv",
                    () -> "own block " + value.shortHex() + " names root " + block.stateRoot().shortHex());
            return Optional.of(new ValidatedBlock(block, value, own.staged(), own.evidence(), nowTick));
        }
        Optional<List<DuplicateVote>> evidence = checkEvidence(block);
        if (evidence.isEmpty()) {
            return Optional.empty();
        }
        Optional<Application.Staged> staged = app.processProposal(contextOf(block.height(), block.proposer(),
                evidence.get(), block.lastCommit()),
                block.transactions());
        if (staged.isEmpty() || !staged.get().stateRoot().equals(block.stateRoot())) {
            return Optional.empty();
        }
        return Optional.of(new ValidatedBlock(block, value, staged.get(), evidence.get(), nowTick));
    }

    private static BlockContext contextOf(long height, PublicKey proposer, List<DuplicateVote> evidence,
            Commit lastCommit) {
        List<dev.oasisj.core.app.Misbehaviour> m = new ArrayList<>(evidence.size());
        for (DuplicateVote e : evidence) {
            m.add(e.misbehaviour());
        }
        return new BlockContext(height, proposer, m, lastCommit.signers());
    }

    /**
     * The block's evidence, decoded, if every piece is valid: it decodes ({@link DuplicateVote#decode}), proves two
     * different votes validly signed by one validator at one (height, round) ({@link DuplicateVote#invalidReason}),
     * its height is at most the block's and at most {@link NodeLimits#MAX_EVIDENCE_AGE_BLOCKS} below it, and no two
     * pieces name one slot. Empty when one is not.
     */
    private Optional<List<DuplicateVote>> checkEvidence(Block block) {
        List<byte[]> encoded = block.evidence();
        List<DuplicateVote> out = new ArrayList<>(encoded.size());
        TreeSet<String> slots = new TreeSet<>();
        for (byte[] bytes : encoded) {
            DuplicateVote e;
            try {
                e = DuplicateVote.decode(bytes);
            } catch (DecodeException ex) {
                return Optional.empty();
            }
            if (!isAcceptable(e, block.height()) || !slots.add(e.slot())) {
                return Optional.empty();
            }
            out.add(e);
        }
        return Optional.of(out);
    }

    /**
     * True when {@code e} is valid evidence for a block at {@code blockHeight} (see {@link #checkEvidence}), judged
     * against the validator set of the evidence's own height: a validator removed since is still accountable for
     * what it signed while it was one, and a key is never accountable at a height where it was not.
     */
    boolean isAcceptable(DuplicateVote e, long blockHeight) {
        return whyNotAcceptable(e, blockHeight) == null;
    }

    /** Why {@code e} is not valid evidence for a block at {@code blockHeight}, or null (see {@link #isAcceptable}). */
    @Nullable String whyNotAcceptable(DuplicateVote e, long blockHeight) {
        if (e.height() > blockHeight || e.height() < blockHeight - NodeLimits.MAX_EVIDENCE_AGE_BLOCKS) {
            return "evidence at height " + e.height() + " is not within " + NodeLimits.MAX_EVIDENCE_AGE_BLOCKS
                    + " heights of the block at " + blockHeight;
        }
        Optional<ValidatorSet> set = sets.at(e.height());
        if (set.isEmpty()) {
            return "no validator set known for height " + e.height() + " (the node was restored above it)";
        }
        return e.invalidReason(set.get(), genesis.chainId());
    }

    /** True when evidence of {@code slot} was committed in the last {@link NodeLimits#MAX_EVIDENCE_AGE_BLOCKS} heights. */
    boolean isEvidenceCommitted(String slot) {
        return committedEvidence.containsKey(slot);
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
     * value {@link #valueOf}) from distinct validators of the set of the block's height together holding more than two
     * thirds of its power. False when that set is not known here.
     */
    boolean isValidCommit(Block block, Commit commit) {
        Optional<ValidatorSet> set = sets.at(block.height());
        return set.isPresent() && isValidCommit(set.get(), genesis.chainId(), block, commit);
    }

    /** As {@link #isValidCommit(Block, Commit)} against the given set. */
    static boolean isValidCommit(ValidatorSet validators, String chainId, Block block, Commit commit) {
        ConsensusMessage.Precommit precommit = new ConsensusMessage.Precommit(block.height(), commit.round(),
                VoteValue.of(valueOf(block)));
        TreeSet<PublicKey> signers = new TreeSet<>();
        for (Commit.Signature s : commit.signatures()) {
            if (!validators.contains(s.validator()) || !signers.add(s.validator())) {
                return false;
            }
            if (!new SignedMessage(precommit, s.validator(), s.signature()).verify(chainId)) {
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
     * A block for the next height from the application's pending transactions ({@link Application#prepareProposal}),
     * proposed by {@code proposer}, as a consensus value and its payload; remembered (see {@link #lastBuilt}) so that
     * validating it does not process its transactions again.
     */
    ValuePayload buildProposal(PublicKey proposer, List<DuplicateVote> evidence) {
        List<byte[]> encoded = new ArrayList<>(evidence.size());
        for (DuplicateVote e : evidence) {
            encoded.add(e.encode());
        }
        Application.Proposal p = app.prepareProposal(contextOf(height + 1, proposer, evidence, lastCommit),
                LedgerLimits.MAX_BLOCK_TRANSACTIONS, LedgerLimits.MAX_BLOCK_TRANSACTION_BYTES);
        Block block = new Block(height + 1, lastBlockHash, proposer, p.transactions(), lastCommit,
                p.staged().stateRoot(), encoded, sets.require(height + 1).hash(), sets.require(height + 2).hash());
        byte[] payload = BlockCodec.encode(block);
        Hash32 value = Hash32.sha256(payload);
        lastBuilt = new ValidatedBlock(block, value, p.staged(), List.copyOf(evidence), nowTick);
        return new ValuePayload(value, payload);
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
        Invariant.check(validated.staged().stateRoot().equals(block.stateRoot()), "StateRootMatchesBlockInv",
                () -> "staged root " + validated.staged().stateRoot().shortHex() + " != block root "
                        + block.stateRoot().shortHex());
        Application.FinalizeResult finalized = app.finalizeBlock(validated.staged());
        Invariant.check(finalized.stateRoot().equals(block.stateRoot()) && app.stateRoot().equals(block.stateRoot()),
                "StateRootMatchesBlockInv", () -> "finalized root " + finalized.stateRoot().shortHex()
                        + " != block root " + block.stateRoot().shortHex());
        // What block H decides changes the set of H + 2: the set of H + 1 is already named by block H.
        sets.recordUpdates(block.height() + 2, finalized.validatorUpdates());
        sets.prune(block.height() + 1 - NodeLimits.MAX_EVIDENCE_AGE_BLOCKS);
        lastFinalized = finalized;
        for (DuplicateVote e : validated.evidence()) {
            committedEvidence.put(e.slot(), e.height());
        }
        committedEvidence.values().removeIf(h -> h < block.height() - NodeLimits.MAX_EVIDENCE_AGE_BLOCKS);
        height = block.height();
        lastBlockHash = block.hash();
        lastCommit = commit;
        store.add(new PeerWire.CommittedBlock(block, commit));
        candidates.clear();
        lastBuilt = null;
    }

    /**
     * The validator name of a key: its name in the newest known set, its genesis name, or its short id (a validator
     * added at runtime is named by its short id, {@link ValidatorSets}).
     */
    String nameOf(PublicKey key) {
        Optional<ValidatorSet> newest = sets.at(height + 2);
        if (newest.isPresent() && newest.get().validator(key).isPresent()) {
            return newest.get().validator(key).orElseThrow().name();
        }
        return ValidatorSets.nameFor(key, genesis);
    }
}
