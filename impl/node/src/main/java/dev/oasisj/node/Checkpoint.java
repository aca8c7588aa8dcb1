package dev.oasisj.node;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.app.StateEntry;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.ledger.TransferApplication;
import dev.oasisj.core.node.PeerWire;
import dev.oasisj.core.node.ValidatorNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.node.NodeLimits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Arrays;
import java.util.List;

/**
 * A checkpoint of a node's application state at a committed height (issue 7, point 6): the committed block with the
 * commit that finalized it, and the application's state after it as snapshot entries ({@link Application#snapshot},
 * opaque here). Restoring checks it against the committed state root: the application rebuilt from the entries
 * ({@link ApplicationFactory#restore}) must have the root the block names (and the block's hash is what the next
 * block links to), and the commit must hold valid precommits of more than two thirds of the power, so a checkpoint
 * that does not match the chain is refused, never used.
 *
 * <p>{@link #restore} builds a {@link ValidatorNode} from it ({@link ValidatorNode#restore}: what it carries and
 * what it does not).
 *
 * <p>File {@code checkpoint-<height, 20 digits>} in the data folder, binary ({@link Writer}): the string
 * {@value #MAGIC}, the chain id, the height, the node's tick when it was taken, the
 * number of inputs journaled since genesis up to it, the block and commit (a
 * {@link PeerWire.BlockResponse} of one block), the entry count and each state entry (key and value, each
 * length-prefixed) in strictly ascending key order, the consensus
 * messages of heights above the block that the node's core held (count, then each length-prefixed in the consensus
 * codec) and the mempool's transactions in arrival order (count, then each length-prefixed), the validator sets the
 * node knew (count, at most {@link NodeLimits#MAX_KEPT_VALIDATOR_SETS}; per set the height it takes effect, the
 * validator count, then name, key and power of each, in the set's order; none for a checkpoint without sets, which
 * restores with the genesis set), then the SHA-256
 * of everything before it. The last two make the restore exact: the node restored from it applies the journal suffix
 * with the outputs the live node had (the same signatures), so its sign guard never has to refuse one. Written atomically as the sign state is: temporary file, fsync, rename, fsync of the folder.
 */
public record Checkpoint(String chainId, PeerWire.CommittedBlock committed, List<StateEntry> state, long tick,
        long inputs, List<byte[]> heldMessages, List<byte[]> pendingTransactions,
        SortedMap<Long, ValidatorSet> validatorSets) {
    /** v5: the validator sets after the pending transactions (validator sets per height). */
    static final String MAGIC = "oasisj-checkpoint/v5";
    /** Most held consensus messages and pending transactions a checkpoint file may list. */
    static final int MAX_HELD_MESSAGES = 1_000_000;
    static final int MAX_ENTRIES = 10_000_000;

    /** A checkpoint file that cannot be used. */
    public static final class CorruptException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CorruptException(Path file, String reason) {
            super("checkpoint " + file + " cannot be used: " + reason);
        }
    }

    public Checkpoint {
        state = List.copyOf(state);
        heldMessages = List.copyOf(heldMessages);
        pendingTransactions = List.copyOf(pendingTransactions);
        validatorSets = Collections.unmodifiableSortedMap(new TreeMap<>(validatorSets));
    }

    /** A checkpoint of a transfer ledger, without the node's tick (0); the ledger's root must be the block's. */
    public Checkpoint(String chainId, PeerWire.CommittedBlock committed, Ledger ledger) {
        this(chainId, committed, stateOf(committed, new TransferApplication(ledger, ledger.totalSupplyBaseUnits())), 0,
                0, List.of(), List.of(), new TreeMap<>());
    }

    /** The snapshot entries of {@code app}, whose root must be the one {@code committed} names. */
    private static List<StateEntry> stateOf(PeerWire.CommittedBlock committed, Application app) {
        if (!app.stateRoot().equals(committed.block().stateRoot())) {
            throw new IllegalArgumentException("application root " + app.stateRoot().shortHex() + " is not the root "
                    + committed.block().stateRoot().shortHex() + " committed at height " + committed.block().height());
        }
        return app.snapshot().entries();
    }

    /**
     * The checkpoint of {@code node} as it is now: its last committed block with the commit, its ledger and its tick.
     * Meant to be taken right after the input that committed that block was applied (see
     * {@link ValidatorNode#restore}).
     */
    public static Checkpoint of(ValidatorNode node) {
        return of(node, 0);
    }

    /** As {@link #of(ValidatorNode)}, recording that {@code inputs} inputs since genesis were journaled up to it. */
    public static Checkpoint of(ValidatorNode node, long inputs) {
        PeerWire.CommittedBlock last = node.committedBlock(node.height()).orElseThrow(
                () -> new IllegalStateException("no committed block at height " + node.height()));
        List<byte[]> held = new ArrayList<>();
        for (dev.oasisj.core.consensus.SignedMessage m : node.heldMessages()) {
            held.add(dev.oasisj.core.consensus.ConsensusMessageCodec.encode(m));
        }
        return new Checkpoint(node.genesis().chainId(), last, stateOf(last, node.application()), node.nowTick(), inputs,
                held, node.pendingTransactions(), node.validatorSetChanges());
    }

    /**
     * The node this checkpoint restores, driving the transfer application (the commit is checked against the genesis
     * validators, the rebuilt state's root against the block's).
     */
    public ValidatorNode restore(Genesis genesis, Signer signer) {
        return restore(genesis, signer, dev.oasisj.core.services.ChainApplications.factory(genesis));
    }

    /**
     * The node this checkpoint restores, driving the application {@code factory} rebuilds from the entries;
     * {@link IllegalArgumentException} when the entries are not a state of it, when its root is not the one the block
     * names, or when the commit lacks valid precommits of more than two thirds of the power.
     */
    public ValidatorNode restore(Genesis genesis, Signer signer, ApplicationFactory factory) {
        if (!genesis.chainId().equals(chainId)) {
            throw new IllegalArgumentException("checkpoint of chain " + chainId + ", not " + genesis.chainId());
        }
        List<dev.oasisj.core.consensus.SignedMessage> held = new ArrayList<>();
        for (byte[] m : heldMessages) {
            try {
                held.add(dev.oasisj.core.consensus.ConsensusMessageCodec.decode(m));
            } catch (DecodeException e) {
                throw new IllegalArgumentException("a held consensus message does not decode: " + e.getMessage(), e);
            }
        }
        Application app = factory.restore(state);
        if (!app.stateRoot().equals(committed.block().stateRoot())) {
            throw new IllegalArgumentException("the restored state root " + app.stateRoot().shortHex()
                    + " is not the root " + committed.block().stateRoot().shortHex() + " committed at height "
                    + height());
        }
        if (validatorSets.isEmpty()) {
            return ValidatorNode.restore(genesis, signer, factory, committed, app, tick, held, pendingTransactions);
        }
        return ValidatorNode.restore(genesis, signer, factory, committed, validatorSets, app, tick, held,
                pendingTransactions);
    }

    public long height() {
        return committed.block().height();
    }

    /** The file name of the checkpoint at {@code height}. */
    public static String fileName(long height) {
        return String.format("checkpoint-%020d", height);
    }

    byte[] encode() {
        return encode(chainId, committed, state, tick, inputs, heldMessages, pendingTransactions, validatorSets);
    }

    /** The encoding of the parts without validator sets, unchecked (tests build inconsistent ones with it). */
    static byte[] encode(String chainId, PeerWire.CommittedBlock committed, List<StateEntry> state, long tick,
            long inputs, List<byte[]> held, List<byte[]> pending) {
        return encode(chainId, committed, state, tick, inputs, held, pending, new TreeMap<>());
    }

    /** The encoding of the parts, unchecked (tests build inconsistent ones with it). */
    static byte[] encode(String chainId, PeerWire.CommittedBlock committed, List<StateEntry> state, long tick,
            long inputs, List<byte[]> held, List<byte[]> pending, SortedMap<Long, ValidatorSet> sets) {
        Writer w = new Writer().string(MAGIC).string(chainId).i64(committed.block().height()).i64(tick).i64(inputs)
                .bytes(PeerWire.encode(new PeerWire.BlockResponse(List.of(committed)))).i32(state.size());
        for (StateEntry e : state) {
            w.bytes(e.key()).bytes(e.value());
        }
        w.i32(held.size());
        for (byte[] m : held) {
            w.bytes(m);
        }
        w.i32(pending.size());
        for (byte[] t : pending) {
            w.bytes(t);
        }
        w.i32(sets.size());
        for (Map.Entry<Long, ValidatorSet> e : sets.entrySet()) {
            w.i64(e.getKey()).i32(e.getValue().size());
            for (ValidatorSet.Validator v : e.getValue().validators()) {
                w.string(v.name()).fixed(v.key().toBytes()).i64(v.power());
            }
        }
        byte[] body = w.toBytes();
        byte[] all = Arrays.copyOf(body, body.length + 32);
        System.arraycopy(Hash32.sha256(body).toBytes(), 0, all, body.length, 32);
        return all;
    }

    /** Decodes and checks a checkpoint of chain {@code chainId} read from {@code file}. */
    static Checkpoint decode(Path file, String chainId, byte[] bytes) {
        if (bytes.length < 32) {
            throw new CorruptException(file, "shorter than its checksum");
        }
        byte[] body = Arrays.copyOf(bytes, bytes.length - 32);
        if (!Hash32.sha256(body).equals(Hash32.of(Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length)))) {
            throw new CorruptException(file, "checksum mismatch (torn or altered)");
        }
        try {
            Reader r = new Reader(body);
            if (!r.string(64, "magic").equals(MAGIC)) {
                throw new CorruptException(file, "not a checkpoint of this format");
            }
            String chain = r.string(1024, "chainId");
            if (!chain.equals(chainId)) {
                throw new CorruptException(file, "of chain " + chain + ", not " + chainId);
            }
            long height = r.i64("height");
            long tick = r.i64("tick");
            long inputs = r.i64("inputs");
            if (tick < 0 || inputs < 0) {
                throw new CorruptException(file, "negative tick " + tick + " or input count " + inputs);
            }
            PeerWire.Message m = PeerWire.decode(r.bytes(ShellLimits.MAX_JOURNAL_RECORD_BYTES, "block"));
            if (!(m instanceof PeerWire.BlockResponse br) || br.blocks().size() != 1
                    || br.blocks().get(0).block().height() != height) {
                throw new CorruptException(file, "the block record is not the block at height " + height);
            }
            int n = r.count(MAX_ENTRIES, "entries");
            List<StateEntry> state = new ArrayList<>(Math.min(n, 1 << 16));
            for (int i = 0; i < n; i++) {
                byte[] key = r.bytes(StateEntry.MAX_KEY_BYTES, "entry key");
                StateEntry e = new StateEntry(key, r.bytes(StateEntry.MAX_VALUE_BYTES, "entry value"));
                if (i > 0 && StateEntry.compareKeys(state.get(i - 1), e) >= 0) {
                    throw new CorruptException(file, "state entry keys not strictly ascending at entry " + i);
                }
                state.add(e);
            }
            int nHeld = r.count(MAX_HELD_MESSAGES, "heldMessages");
            List<byte[]> held = new ArrayList<>(Math.min(nHeld, 1024));
            for (int i = 0; i < nHeld; i++) {
                held.add(r.bytes(dev.oasisj.core.consensus.ConsensusMessageCodec.MAX_MESSAGE_BYTES, "heldMessage"));
            }
            int nPending = r.count(MAX_HELD_MESSAGES, "pendingTransactions");
            List<byte[]> pending = new ArrayList<>(Math.min(nPending, 1024));
            for (int i = 0; i < nPending; i++) {
                pending.add(r.bytes(dev.oasisj.core.app.Application.MAX_TRANSACTION_BYTES, "pendingTransaction"));
            }
            int nSets = r.count(NodeLimits.MAX_KEPT_VALIDATOR_SETS, "validatorSets");
            TreeMap<Long, ValidatorSet> sets = new TreeMap<>();
            for (int i = 0; i < nSets; i++) {
                long from = r.i64("validatorSets.height");
                if (from < 1 || (!sets.isEmpty() && from <= sets.lastKey())) {
                    throw new CorruptException(file, "validator set heights not ascending from 1 at set " + i);
                }
                int nValidators = r.count(ValidatorSet.MAX_VALIDATORS, "validatorSets.validators");
                List<ValidatorSet.Validator> vs = new ArrayList<>(nValidators);
                for (int j = 0; j < nValidators; j++) {
                    String name = r.string(dev.oasisj.core.ledger.LedgerLimits.MAX_VALIDATOR_NAME_BYTES,
                            "validatorSets.name");
                    PublicKey key = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "validatorSets.key"));
                    vs.add(new ValidatorSet.Validator(name, key, r.i64("validatorSets.power")));
                }
                sets.put(from, new ValidatorSet(vs));
            }
            r.end("checkpoint");
            return new Checkpoint(chainId, br.blocks().get(0), state, tick, inputs, held, pending, sets);
        } catch (DecodeException | IllegalArgumentException | Invariant.ViolationException e) {
            throw new CorruptException(file, String.valueOf(e.getMessage()));
        }
    }

    /** Writes {@code dataDir/checkpoint-<height>} atomically and durably; returns the file. */
    public Path write(Path dataDir) {
        Path file = dataDir.resolve(fileName(height()));
        Path temp = dataDir.resolve(fileName(height()) + ".tmp");
        try {
            DurableFiles.writeAtomically(file, temp, encode());
        } catch (IOException e) {
            throw new JournalException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Reads and checks the checkpoint in {@code file}. */
    public static Checkpoint read(Path file, String chainId) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CorruptException(file, "unreadable: " + e.getMessage());
        }
        return decode(file, chainId, bytes);
    }
}
