package dev.oasisj.bench;

import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.ForwardingStateMachine;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.core.node.ValidatorNode;

/** Wraps a node's state machine and counts what passes through: client transactions in, transfers committed out. */
final class CountingMachine extends ForwardingStateMachine {
    private final String description;
    private long clientTransactions;
    private long withVerdict;
    private long committedTransactions;
    private long blocks;

    CountingMachine(NodeStateMachine inner, String description) {
        super(inner);
        this.description = description;
    }

    @Override
    public NodeOutput apply(NodeInput input) {
        if (input instanceof NodeInput.ClientTransaction c) {
            clientTransactions++;
            if (c.signature() != SignatureVerdict.NOT_CHECKED) {
                withVerdict++;
            }
        }
        NodeOutput out = inner.apply(input);
        for (NodeOutput.CommittedBlock b : out.committed()) {
            committedTransactions += b.transactionCount();
            blocks++;
        }
        return out;
    }

    String description() {
        return description;
    }

    long clientTransactions() {
        return clientTransactions;
    }

    /** Client transactions that arrived with their signature verdict (prepared live; read from the journal on replay). */
    long withVerdict() {
        return withVerdict;
    }

    /**
     * Transactions committed, less the node's own ones it admitted (a validator's beacon proofs on a services chain:
     * they were not submitted by the client, so they are not counted against it).
     */
    long committedTransactions() {
        return committedTransactions - (inner instanceof ValidatorNode v ? v.ownTransactionsAdmitted() : 0);
    }

    long blocks() {
        return blocks;
    }
}
