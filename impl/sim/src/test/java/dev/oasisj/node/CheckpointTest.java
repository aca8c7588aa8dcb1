package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.app.StateEntry;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.Commit;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.core.ledger.TransferApplication;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.PeerWire;
import dev.oasisj.core.node.ValidatorNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints of the application state: round trip, and refusal of any that does not match the committed root. */
class CheckpointTest {
    private static final String CHAIN = "checkpoint-test";
    private static final Signer V = Signer.deterministic("v0", 3);
    private static final Signer ALICE = Signer.deterministic("alice", 3);
    private static final Signer BOB = Signer.deterministic("bob", 3);

    @TempDir
    Path dir;

    private static Genesis genesis() {
        return new Genesis(CHAIN, List.of(new Genesis.Validator("v0", V.publicKey(), 1)), List.of(
                new Genesis.InitialAccount(ALICE.publicKey(), 1_000_000),
                new Genesis.InitialAccount(BOB.publicKey(), 5)), Genesis.ConsensusParams.DEFAULT);
    }

    /** Block 1 with one transfer, its commit, and the ledger after it. */
    private static Checkpoint checkpoint() {
        Genesis g = genesis();
        Transaction tx = Transaction.sign(ALICE, CHAIN, BOB.publicKey(), 1_000, 1, 0);
        Ledger after = ((Ledger.Applied) Ledger.fromGenesis(g).apply(tx)).ledger().payFeesTo(V.publicKey());
        dev.oasisj.core.crypto.Hash32 sets = dev.oasisj.core.node.EvidenceRecordingNode.validatorSetOf(g).hash();
        Block b = new Block(1, g.hash(), V.publicKey(), List.of(TransactionCodec.encode(tx)), Commit.GENESIS,
                after.stateRoot(), List.of(), sets, sets);
        Commit c = new Commit(0, List.of(new Commit.Signature(V.publicKey(), new byte[Signer.SIGNATURE_SIZE_BYTES])));
        return new Checkpoint(CHAIN, new PeerWire.CommittedBlock(b, c), after);
    }

    /** The transfer ledger the checkpoint's state entries rebuild (as a restore does, before it checks the commit). */
    private static Ledger ledgerOf(Checkpoint cp) {
        return ((TransferApplication) TransferApplication.factory(genesis()).restore(cp.state())).ledger();
    }

    @Test
    void writeThenRead_restoresTheSameLedgerRootAndBlock() {
        Checkpoint cp = checkpoint();
        Path file = cp.write(dir);
        assertEquals(Checkpoint.fileName(1), file.getFileName().toString());
        Checkpoint read = Checkpoint.read(file, CHAIN);
        assertEquals(cp.state(), read.state());
        Ledger ledger = ledgerOf(read);
        assertEquals(cp.committed().block().stateRoot(), ledger.stateRoot());
        assertEquals(cp.committed().block().hash(), read.committed().block().hash());
        assertEquals(1_005, ledger.balance(BOB.publicKey()));
        assertEquals(1, ledger.nextNonce(ALICE.publicKey()));
        assertEquals(0, ledger.feePoolBaseUnits(), "the fee was paid to the proposer");
    }

    @Test
    void aStateThatIsNotTheCommittedOne_isRefusedOnRestore_evenWithAValidChecksum() throws Exception {
        Checkpoint cp = checkpoint();
        List<StateEntry> entries = new ArrayList<>(cp.state());
        // Move 10 units from the richest account to another: the supply still adds up, the root does not.
        int rich = 1;
        for (int i = 2; i < entries.size(); i++) {
            if (balance(entries.get(i)) > balance(entries.get(rich))) {
                rich = i;
            }
        }
        int other = rich == 1 ? 2 : 1;
        entries.set(rich, withBalance(entries.get(rich), balance(entries.get(rich)) - 10));
        entries.set(other, withBalance(entries.get(other), balance(entries.get(other)) + 10));
        Path file = dir.resolve(Checkpoint.fileName(1));
        Files.write(file, Checkpoint.encode(CHAIN, cp.committed(), entries, 0, 0, List.of(), List.of()));
        Checkpoint read = Checkpoint.read(file, CHAIN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read.restore(genesis(), V));
        assertTrue(e.getMessage().contains("is not the root"), e.getMessage());
    }

    private static long balance(StateEntry e) {
        return java.nio.ByteBuffer.wrap(e.value()).getLong();
    }

    private static StateEntry withBalance(StateEntry e, long balance) {
        byte[] v = e.value();
        java.nio.ByteBuffer.wrap(v).putLong(0, balance);
        return new StateEntry(e.key(), v);
    }

    /**
     * The counts of held consensus messages, pending transactions and validator sets at exactly their limit pass the count check (the
     * file then ends where the first element should be); one past it is refused at the count. The checksum is made
     * valid each time, so the count check is what decides.
     */
    @Test
    void heldAndPendingCounts_atTheLimitPassTheCountCheck_onePastIsRefused() throws Exception {
        Checkpoint cp = checkpoint();
        byte[] valid = cp.encode();
        byte[] body = Arrays.copyOf(valid, valid.length - 32);
        // The body ends with the held count (4 bytes, 0), the pending count (4 bytes, 0) and the validator set count
        // (4 bytes, 0: a checkpoint without sets).
        int heldAt = body.length - 12;
        int pendingAt = body.length - 8;
        int setsAt = body.length - 4;
        String[][] expected = {
            {"heldMessage", "heldMessages: count"}, // at the limit: the first element is missing; one past: the count
            {"pendingTransaction", "pendingTransactions: count"},
            {"validatorSets.height", "validatorSets: count"}};
        int[] offsets = {heldAt, pendingAt, setsAt};
        int[] limits = {Checkpoint.MAX_HELD_MESSAGES, Checkpoint.MAX_HELD_MESSAGES,
            dev.oasisj.core.node.NodeLimits.MAX_KEPT_VALIDATOR_SETS};
        for (int f = 0; f < 3; f++) {
            for (int extra = 0; extra <= 1; extra++) {
                byte[] altered = body.clone();
                java.nio.ByteBuffer.wrap(altered).putInt(offsets[f], limits[f] + extra);
                byte[] all = Arrays.copyOf(altered, altered.length + 32);
                System.arraycopy(dev.oasisj.core.crypto.Hash32.sha256(altered).toBytes(), 0, all, altered.length, 32);
                Path file = dir.resolve(Checkpoint.fileName(1));
                Files.write(file, all);
                String message = assertThrows(Checkpoint.CorruptException.class, () -> Checkpoint.read(file, CHAIN))
                        .getMessage();
                if (extra == 0) {
                    assertTrue(message.contains(expected[f][0]) && !message.contains("count"), message);
                } else {
                    assertTrue(message.contains(expected[f][1] + " " + (limits[f] + 1)), message);
                }
            }
        }
    }

    @Test
    void tornAlteredOrForeignCheckpoints_areRefused() throws Exception {
        Path file = checkpoint().write(dir);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
        assertTrue(assertThrows(Checkpoint.CorruptException.class, () -> Checkpoint.read(file, CHAIN)).getMessage()
                .contains("checksum"));
        byte[] flipped = bytes.clone();
        flipped[flipped.length / 2] ^= 1;
        Files.write(file, flipped);
        assertThrows(Checkpoint.CorruptException.class, () -> Checkpoint.read(file, CHAIN));
        Files.write(file, bytes);
        assertTrue(assertThrows(Checkpoint.CorruptException.class, () -> Checkpoint.read(file, "other-chain"))
                .getMessage().contains("of chain " + CHAIN));
        assertEquals(1, Checkpoint.read(file, CHAIN).height());
    }

    @Test
    void aCheckpointWhoseLedgerIsNotTheBlocksState_cannotBeMade() {
        Checkpoint cp = checkpoint();
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint(CHAIN, cp.committed(), Ledger.fromGenesis(genesis())));
    }

    @Test
    void aCheckpointWithoutAValidCommit_doesNotRestoreANode() {
        // The helper's commit carries a zero signature: the file is well formed, the commit is not.
        Checkpoint read = Checkpoint.read(checkpoint().write(dir), CHAIN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read.restore(genesis(), V));
        assertTrue(e.getMessage().contains("precommits"), e.getMessage());
    }

    /** Ticks 1..ticks into a single-validator node (it is its own quorum), a transfer at every 3rd tick. */
    private static void run(ValidatorNode node, long fromTick, long toTick) {
        for (long t = fromTick; t <= toTick; t++) {
            node.apply(new NodeInput.Tick(t));
            if (t % 3 == 0) {
                Transaction tx = Transaction.sign(ALICE, CHAIN, BOB.publicKey(), t, 1,
                        node.ledger().nextNonce(ALICE.publicKey()) + node.mempoolSize());
                node.apply(node.prepare(new NodeInput.ClientTransaction(TransactionCodec.encode(tx))));
            }
        }
    }

    @Test
    void aNodeRestoredFromItsCheckpointFile_continuesExactlyAsTheLiveNode() {
        ValidatorNode live = new ValidatorNode(genesis(), V);
        ValidatorNode reference = new ValidatorNode(genesis(), V);
        // Run until an input commits a block with an empty mempool: that is where the node takes its checkpoint.
        long t = 0;
        while (live.height() < 5 || live.mempoolSize() != 0) {
            t++;
            NodeOutput out = live.apply(new NodeInput.Tick(t));
            reference.apply(new NodeInput.Tick(t));
            if (live.height() >= 5 && !out.committed().isEmpty() && live.mempoolSize() == 0) {
                break;
            }
            if (t % 3 == 0) {
                Transaction tx = Transaction.sign(ALICE, CHAIN, BOB.publicKey(), t, 1,
                        live.ledger().nextNonce(ALICE.publicKey()) + live.mempoolSize());
                NodeInput in = live.prepare(new NodeInput.ClientTransaction(TransactionCodec.encode(tx)));
                live.apply(in);
                reference.apply(in);
            }
            assertTrue(t < 1_000, "no commit");
        }
        Path file = Checkpoint.of(live).write(dir);
        ValidatorNode restored = Checkpoint.read(file, CHAIN).restore(genesis(), V);
        assertEquals(live.height(), restored.height());
        assertEquals(live.lastBlockHash(), restored.lastBlockHash());
        assertEquals(live.stateRoot(), restored.stateRoot());
        assertEquals(live.nowTick(), restored.nowTick());
        run(live, t + 1, t + 60);
        run(restored, t + 1, t + 60);
        assertTrue(live.height() >= 10, "kept committing: " + live.height());
        assertEquals(live.height(), restored.height());
        assertEquals(live.lastBlockHash(), restored.lastBlockHash(), "the same blocks, byte for byte");
        assertEquals(live.stateRoot(), restored.stateRoot());
    }
}
