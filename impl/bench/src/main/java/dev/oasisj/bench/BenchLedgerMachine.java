package dev.oasisj.bench;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.Commit;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.ledger.LedgerLimits;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.core.ledger.VerifiedTransaction;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.NodeStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The benchmark's ledger-only machine ({@code BenchOptions#ledgerOnly}, for comparing the ledger's own cost with the
 * whole validator's): a deterministic {@link NodeStateMachine} that applies each transfer to the {@link Ledger}
 * directly, as a single validator that needs no votes would, and groups the applied transfers into blocks. It does not
 * prepare inputs, so its replay verifies every signature again.
 * <ul>
 *   <li>{@code ClientTransaction(bytes)}: {@link TransactionCodec#decode}, then {@link VerifiedTransaction#verify}
 *       (Ed25519 verification, then the canonical encoding and its SHA-256, the transaction hash), then
 *       {@link Ledger#apply(VerifiedTransaction)} (nonce, balance, the new immutable ledger).</li>
 *   <li>{@code Tick}: if the current block holds transfers, close it: fees to the proposer
 *       ({@link Ledger#payFeesTo}), the state root, the {@link Block} and its hash. No mempool, no consensus messages,
 *       no commit signatures (the block's commit is {@link Commit#GENESIS}).</li>
 *   <li>{@code PeerMessage}: ignored (a single validator has no peers).</li>
 * </ul>
 * A block holds at most {@link LedgerLimits#MAX_BLOCK_TRANSACTIONS} transfers; the driver ticks before that. Replaying
 * the same inputs from the same genesis gives the same state root and block hash.
 */
final class BenchLedgerMachine implements NodeStateMachine {
    private final PublicKey proposer;
    private final List<byte[]> block = new ArrayList<>();
    private Ledger ledger;
    private long height;
    private Hash32 lastBlockHash;
    private long clientTransactions;
    private long committedTransactions;

    BenchLedgerMachine(Genesis genesis, Ledger genesisLedger, PublicKey proposer) {
        this.ledger = genesisLedger;
        this.proposer = proposer;
        this.lastBlockHash = genesis.hash();
    }

    @Override
    public NodeOutput apply(NodeInput input) {
        if (input instanceof NodeInput.ClientTransaction c) {
            clientTransactions++;
            return applyTransfer(c.bytes());
        } else if (input instanceof NodeInput.Tick t) {
            return closeBlock(t.tick());
        }
        return NodeOutput.EMPTY;
    }

    private NodeOutput applyTransfer(byte[] bytes) {
        if (block.size() >= LedgerLimits.MAX_BLOCK_TRANSACTIONS) {
            return rejected("BLOCK_FULL", "the block already holds " + block.size() + " transfers");
        }
        Transaction tx;
        try {
            tx = TransactionCodec.decode(bytes);
        } catch (DecodeException e) {
            return rejected("MALFORMED", String.valueOf(e.getMessage()));
        }
        Optional<VerifiedTransaction> verified = VerifiedTransaction.verify(tx);
        if (verified.isEmpty()) {
            return rejected("BAD_SIGNATURE", "signature does not verify for sender " + tx.sender().shortId());
        }
        VerifiedTransaction vtx = verified.get();
        Ledger.Result r = ledger.apply(vtx);
        if (r instanceof Ledger.Rejected rej) {
            return rejected(rej.reason().name(), rej.detail());
        }
        ledger = r.ledger();
        block.add(vtx.encoded());
        return NodeOutput.EMPTY;
    }

    private static NodeOutput rejected(String reason, String detail) {
        return new NodeOutput(List.of(), List.of(), List.of(new NodeOutput.Rejection(reason, detail)));
    }

    private NodeOutput closeBlock(long tick) {
        if (block.isEmpty()) {
            return NodeOutput.EMPTY;
        }
        ledger = ledger.payFeesTo(proposer);
        Hash32 root = ledger.stateRoot();
        height++;
        Block b = new Block(height, lastBlockHash, proposer, block, Commit.GENESIS, root);
        lastBlockHash = b.hash();
        int count = block.size();
        committedTransactions += count;
        block.clear();
        return new NodeOutput(List.of(), List.of(new NodeOutput.CommittedBlock(height, 0, lastBlockHash, root, count,
                "bench-validator", tick, tick)), List.of());
    }

    @Override
    public long height() {
        return height;
    }

    @Override
    public Hash32 lastBlockHash() {
        return lastBlockHash;
    }

    @Override
    public Hash32 stateRoot() {
        return ledger.stateRoot();
    }

    long clientTransactions() {
        return clientTransactions;
    }

    long committedTransactions() {
        return committedTransactions;
    }

    /** Transfers applied but not yet in a closed block. */
    int pending() {
        return block.size();
    }

    Ledger ledger() {
        return ledger;
    }
}
