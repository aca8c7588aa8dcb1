package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ValidatorNode#prepare} (the signature verdict the agent journals with a client transaction) must not change
 * what the node does: the prepared inputs, even when all are prepared before the first is applied, give the same
 * outputs and the same state as the inputs themselves, and so does their journal encoding.
 */
class ValidatorNodePrepareTest {
    private static final Genesis GENESIS = ValidatorNodeSupplyTest.genesis(1_000);

    private static byte[] transfer(long amount, long nonce, boolean badSignature) {
        Transaction t = Transaction.sign(ValidatorNodeSupplyTest.ALICE, GENESIS.chainId(),
                ValidatorNodeSupplyTest.BOB.publicKey(), amount, 1, nonce);
        if (badSignature) {
            byte[] sig = t.signature();
            sig[5] ^= 0x40;
            t = new Transaction(t.chainId(), t.sender(), t.recipient(), t.amountBaseUnits(), t.feeBaseUnits(),
                    t.nonce(), sig);
        }
        return TransactionCodec.encode(t);
    }

    private static List<NodeInput> program() {
        List<NodeInput> in = new ArrayList<>();
        long tick = 0;
        for (int nonce = 0; nonce < 4; nonce++) {
            in.add(new NodeInput.ClientTransaction(transfer(10, nonce, false)));
            in.add(new NodeInput.ClientTransaction(transfer(10, nonce, false))); // duplicate
            in.add(new NodeInput.ClientTransaction(transfer(11, nonce + 1, true))); // bad signature
            in.add(new NodeInput.ClientTransaction(transfer(12, nonce + 9, true))); // bad nonce and bad signature
            in.add(new NodeInput.Tick(++tick));
        }
        in.add(new NodeInput.ClientTransaction(new byte[] {1, 2, 3})); // malformed
        Transaction otherChain = Transaction.sign(ValidatorNodeSupplyTest.ALICE, "elsewhere",
                ValidatorNodeSupplyTest.BOB.publicKey(), 1, 1, 4);
        in.add(new NodeInput.ClientTransaction(TransactionCodec.encode(otherChain)));
        in.add(new NodeInput.ClientTransaction(transfer(2_000, 4, false))); // more than the balance
        in.add(new NodeInput.Tick(++tick));
        in.add(new NodeInput.Tick(++tick));
        // gossiped by a peer: valid, bad signature, malformed inside a valid frame, not a transaction
        in.add(new NodeInput.PeerMessage(0, PeerWire.encode(new PeerWire.Transaction(transfer(5, 4, false)))));
        in.add(new NodeInput.PeerMessage(0, PeerWire.encode(new PeerWire.Transaction(transfer(6, 5, true)))));
        in.add(new NodeInput.PeerMessage(0, PeerWire.encode(new PeerWire.Transaction(new byte[] {9}))));
        in.add(new NodeInput.PeerMessage(0, new byte[] {(byte) PeerWire.TAG_TRANSACTION, 1}));
        in.add(new NodeInput.Tick(++tick));
        in.add(new NodeInput.Tick(++tick));
        return in;
    }

    @Test
    void preparedInputsApplyExactlyAsTheInputsThemselves() throws DecodeException {
        List<NodeInput> inputs = program();
        ValidatorNode plain = new ValidatorNode(GENESIS, ValidatorNodeSupplyTest.VALIDATOR);
        ValidatorNode prepared = new ValidatorNode(GENESIS, ValidatorNodeSupplyTest.VALIDATOR);
        ValidatorNode journaled = new ValidatorNode(GENESIS, ValidatorNodeSupplyTest.VALIDATOR);

        List<NodeInput> ahead = new ArrayList<>();
        for (NodeInput i : inputs) {
            ahead.add(prepared.prepare(i)); // all before the first apply, as the agent may
        }
        int[] verdicts = new int[SignatureVerdict.values().length];
        int[] gossiped = new int[SignatureVerdict.values().length];
        for (NodeInput p : ahead) {
            if (p instanceof NodeInput.ClientTransaction c) {
                verdicts[c.signature().ordinal()]++;
            } else if (p instanceof NodeInput.PeerMessage m) {
                gossiped[m.transactionSignature().ordinal()]++;
            }
        }
        assertEquals(8 + 1, verdicts[SignatureVerdict.VALID.ordinal()], "4 transfers, their duplicates, the big one");
        assertEquals(8, verdicts[SignatureVerdict.INVALID.ordinal()]);
        assertEquals(2, verdicts[SignatureVerdict.NOT_CHECKED.ordinal()], "malformed and other chain: not checked");
        assertEquals(List.of(1, 1, 2), List.of(gossiped[SignatureVerdict.VALID.ordinal()],
                gossiped[SignatureVerdict.INVALID.ordinal()], gossiped[SignatureVerdict.NOT_CHECKED.ordinal()]));

        int rejections = 0;
        for (int k = 0; k < inputs.size(); k++) {
            NodeOutput a = plain.apply(inputs.get(k));
            NodeOutput b = prepared.apply(ahead.get(k));
            NodeOutput c = journaled.apply(NodeInputCodec.decode(NodeInputCodec.encode(ahead.get(k))));
            for (NodeOutput other : List.of(b, c)) {
                String what = "input " + k + " " + NodeInputCodec.describe(ahead.get(k));
                assertEquals(a.rejections(), other.rejections(), what);
                assertEquals(a.committed(), other.committed(), what);
                assertEquals(a.outbound().size(), other.outbound().size(), what);
                for (int j = 0; j < a.outbound().size(); j++) {
                    assertArrayEquals(a.outbound().get(j).bytes(), other.outbound().get(j).bytes(), what);
                }
            }
            rejections += a.rejections().size();
        }
        assertEquals(4 * 3 + 3 + 3, rejections, "duplicates, bad signatures, bad nonces, malformed, other chain, "
                + "balance; gossiped: bad signature, malformed transaction, malformed frame");
        assertTrue(plain.height() >= 5, "the valid transfers were committed: height " + plain.height());
        assertEquals(5, plain.ledger().nextNonce(ValidatorNodeSupplyTest.ALICE.publicKey()), "4 + the gossiped one");
        for (ValidatorNode n : List.of(prepared, journaled)) {
            assertEquals(plain.stateRoot(), n.stateRoot());
            assertEquals(plain.lastBlockHash(), n.lastBlockHash());
        }
    }

    @Test
    void onlyUncheckedClientTransactionsArePrepared() {
        ValidatorNode node = new ValidatorNode(GENESIS, ValidatorNodeSupplyTest.VALIDATOR);
        NodeInput tick = new NodeInput.Tick(3);
        NodeInput peer = new NodeInput.PeerMessage(0, new byte[] {1});
        NodeInput checked = new NodeInput.ClientTransaction(transfer(1, 0, true), SignatureVerdict.VALID);
        assertSame(tick, node.prepare(tick));
        assertSame(peer, node.prepare(peer));
        assertSame(checked, node.prepare(checked), "a verdict is not checked again");
    }
    /**
     * A node gossips its oldest pending transactions again on a tick that crosses a multiple of
     * {@code blockSyncSilenceTicks} (a transaction first gossiped before the node had peers would otherwise wait
     * forever): exactly {@link NodeLimits#MAX_REBROADCAST_TRANSACTIONS} of them when more are pending, the oldest, in
     * order, and none on the other ticks.
     */
    @Test
    void onTheTickCrossingTheSilenceInterval_theOldestPendingAreGossipedAgain_atMostTheLimit() throws DecodeException {
        dev.oasisj.core.crypto.Signer v0 = dev.oasisj.core.crypto.Signer.deterministic("rebroadcast-v0", 5);
        dev.oasisj.core.crypto.Signer v1 = dev.oasisj.core.crypto.Signer.deterministic("rebroadcast-v1", 5);
        int n = NodeLimits.MAX_REBROADCAST_TRANSACTIONS + 6;
        List<dev.oasisj.core.crypto.Signer> senders = new ArrayList<>();
        List<Genesis.InitialAccount> accounts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            senders.add(dev.oasisj.core.crypto.Signer.deterministic("rebroadcast-sender-" + i, 5));
            accounts.add(new Genesis.InitialAccount(senders.get(i).publicKey(), 1_000));
        }
        // two validators, one absent: nothing commits, so everything stays pending
        Genesis g = new Genesis("rebroadcast", List.of(new Genesis.Validator("v0", v0.publicKey(), 1),
                new Genesis.Validator("v1", v1.publicKey(), 1)), accounts, Genesis.ConsensusParams.DEFAULT);
        ValidatorNode node = new ValidatorNode(g, v0);
        List<byte[]> submitted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] tx = TransactionCodec.encode(Transaction.sign(senders.get(i), g.chainId(),
                    senders.get((i + 1) % n).publicKey(), 1, 1, 0));
            assertEquals(1, gossiped(node.apply(new NodeInput.ClientTransaction(tx))).size(), "gossiped when admitted");
            submitted.add(tx);
        }
        long interval = g.consensus().blockSyncSilenceTicks();
        for (long tick = 1; tick <= 2 * interval; tick++) {
            List<byte[]> again = gossiped(node.apply(new NodeInput.Tick(tick)));
            if (tick % interval == 0) {
                assertEquals(NodeLimits.MAX_REBROADCAST_TRANSACTIONS, again.size(), "tick " + tick);
                for (int i = 0; i < again.size(); i++) {
                    assertArrayEquals(submitted.get(i), again.get(i), "the " + i + "th oldest, at tick " + tick);
                }
            } else {
                assertEquals(0, again.size(), "tick " + tick);
            }
        }
        assertEquals(n, node.application().pendingCount());
    }

    private static List<byte[]> gossiped(NodeOutput out) throws DecodeException {
        List<byte[]> txs = new ArrayList<>();
        for (NodeOutput.Outbound o : out.outbound()) {
            if (o.bytes().length > 0 && o.bytes()[0] == PeerWire.TAG_TRANSACTION) {
                txs.add(((PeerWire.Transaction) PeerWire.decode(o.bytes())).bytes());
            }
        }
        return txs;
    }
}
