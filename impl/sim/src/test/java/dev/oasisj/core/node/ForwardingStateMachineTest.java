package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import org.junit.jupiter.api.Test;

/** A wrapper built on {@link ForwardingStateMachine} passes junk checks and preparation through to the node it wraps. */
class ForwardingStateMachineTest {

    @Test
    void theEvidenceRecordingWrapper_reportsJunkAndPreparesTransactionsAsItsNodeDoes() {
        ValidatorNode node = new ValidatorNode(LocalnetTest.genesis(), LocalnetTest.validatorKey(0));
        NodeStateMachine wrapped = new EvidenceRecordingNode(LocalnetTest.genesis(), node);

        NodeInput.PeerMessage junk = new NodeInput.PeerMessage(1, new byte[] {99, 1, 2});
        assertNotNull(node.junk(junk));
        assertEquals(node.junk(junk), wrapped.junk(junk));
        NodeInput.PeerMessage fine = new NodeInput.PeerMessage(1,
                PeerWire.encode(new PeerWire.BlockRequest(1, 1)));
        assertNull(wrapped.junk(fine));

        Transaction tx = Transaction.sign(LocalnetTest.accountKey("alice"), LocalnetTest.CHAIN,
                LocalnetTest.accountKey("bob").publicKey(), 5, 2, 0);
        NodeInput prepared = wrapped.prepare(new NodeInput.ClientTransaction(TransactionCodec.encode(tx)));
        assertEquals(SignatureVerdict.VALID, ((NodeInput.ClientTransaction) prepared).signature());
        assertEquals(node.stateRoot(), wrapped.stateRoot());
        assertEquals(node.height(), wrapped.height());
        assertEquals(node.lastBlockHash(), wrapped.lastBlockHash());
    }
}
