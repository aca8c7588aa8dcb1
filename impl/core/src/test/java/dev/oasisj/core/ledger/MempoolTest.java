package dev.oasisj.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MempoolTest {
    private final Signer alice = TestChains.key("alice");
    private final Signer bob = TestChains.key("bob");
    private final Signer carol = TestChains.key("carol");
    private final Signer proposer = TestChains.key("v1");
    private final Ledger ledger = TestChains.ledger(1_000, "alice", "bob", "carol");

    private Transaction tx(Signer from, long amount, long nonce) {
        return Transaction.sign(from, TestChains.CHAIN, proposer.publicKey(), amount, 1, nonce);
    }

    private static void assertRefused(Mempool.AddResult r, RejectReason reason) {
        Mempool.AddResult.Refused refused = assertInstanceOf(Mempool.AddResult.Refused.class, r, () -> "got " + r);
        assertEquals(reason, refused.reason(), refused.detail());
    }

    private static void assertAdded(Mempool.AddResult r) {
        assertInstanceOf(Mempool.AddResult.Added.class, r, () -> "got " + r);
    }

    @Test
    void transactionsAreKeptInArrivalOrder_andADuplicateIsRefused() {
        Mempool m = new Mempool();
        assertAdded(m.add(tx(bob, 1, 0), ledger));
        assertAdded(m.add(tx(alice, 1, 0), ledger));
        assertAdded(m.add(tx(bob, 1, 1), ledger));
        assertRefused(m.add(tx(alice, 1, 0), ledger), RejectReason.DUPLICATE);
        List<Long> nonces = new ArrayList<>();
        List<String> senders = new ArrayList<>();
        for (VerifiedTransaction v : m.pending()) {
            nonces.add(v.transaction().nonce());
            senders.add(v.transaction().sender().equals(bob.publicKey()) ? "bob" : "alice");
        }
        assertEquals(List.of("bob", "alice", "bob"), senders);
        assertEquals(List.of(0L, 0L, 1L), nonces);
    }

    @Test
    void aNonceGapOrAReplayOfACommittedNonceIsRefused() {
        Mempool m = new Mempool();
        assertRefused(m.add(tx(alice, 1, 1), ledger), RejectReason.BAD_NONCE);
        Ledger after = ledger.apply(tx(alice, 1, 0)).ledger();
        assertRefused(m.add(tx(alice, 1, 0), after), RejectReason.BAD_NONCE);
        assertAdded(m.add(tx(alice, 1, 1), after));
    }

    @Test
    void pendingDebitsCountAgainstTheBalance() {
        Mempool m = new Mempool();
        assertAdded(m.add(tx(alice, 600, 0), ledger));
        assertRefused(m.add(tx(alice, 600, 1), ledger), RejectReason.INSUFFICIENT_BALANCE);
    }

    @Test
    void aFullMempoolRefusesWithMempoolFull_byCountBytesAndPerSender() {
        Mempool byCount = new Mempool(2, 1_000_000, 100);
        assertAdded(byCount.add(tx(alice, 1, 0), ledger));
        assertAdded(byCount.add(tx(bob, 1, 0), ledger));
        assertRefused(byCount.add(tx(carol, 1, 0), ledger), RejectReason.MEMPOOL_FULL);

        int size = TransactionCodec.encode(tx(alice, 1, 0)).length;
        Mempool byBytes = new Mempool(100, 2L * size, 100);
        assertAdded(byBytes.add(tx(alice, 1, 0), ledger));
        assertAdded(byBytes.add(tx(bob, 1, 0), ledger));
        assertRefused(byBytes.add(tx(carol, 1, 0), ledger), RejectReason.MEMPOOL_FULL);

        Mempool perSender = new Mempool(100, 1_000_000, 2);
        assertAdded(perSender.add(tx(alice, 1, 0), ledger));
        assertAdded(perSender.add(tx(alice, 1, 1), ledger));
        assertRefused(perSender.add(tx(alice, 1, 2), ledger), RejectReason.MEMPOOL_FULL);
        assertAdded(perSender.add(tx(bob, 1, 0), ledger));
    }

    @Test
    void badSignaturesAndMalformedBytesAreRefused() {
        Mempool m = new Mempool();
        Transaction good = tx(alice, 1, 0);
        byte[] sig = good.signature();
        sig[0] ^= 1;
        Transaction bad = new Transaction(good.chainId(), good.sender(), good.recipient(), 1, 1, 0, sig);
        assertRefused(m.add(bad, ledger), RejectReason.BAD_SIGNATURE);
        assertRefused(m.add(new byte[] {1, 2, 3}, ledger), RejectReason.MALFORMED);
        assertEquals(0, m.size());
    }

    @Test
    void aBlockTakesTransactionsInArrivalOrderUpToTheLimits_andAppliesThemWithFeesToTheProposer() {
        Mempool m = new Mempool();
        for (int n = 0; n < 5; n++) {
            assertAdded(m.add(tx(alice, 10, n), ledger));
        }
        Mempool.Candidate three = m.buildBlock(ledger, proposer.publicKey(), 3, 1_000_000);
        assertEquals(3, three.transactions().size());
        assertEquals(0, three.transactions().get(0).transaction().nonce());
        assertEquals(1_000 - 3 * 11, three.ledgerAfter().balance(alice.publicKey()));
        assertEquals(3 * 11, three.ledgerAfter().balance(proposer.publicKey()));
        assertEquals(0, three.ledgerAfter().feePoolBaseUnits());
        int size = three.transactions().get(0).sizeBytes();
        assertEquals(2, m.buildBlock(ledger, proposer.publicKey(), 100, 2 * size + 1).transactions().size());
        assertEquals(5, m.size(), "building a block does not remove anything");
    }

    @Test
    void afterACommitTheCommittedAndStaleTransactionsLeave_andTheRestStay() {
        Mempool m = new Mempool();
        for (int n = 0; n < 4; n++) {
            assertAdded(m.add(tx(alice, 10, n), ledger));
        }
        assertAdded(m.add(tx(bob, 10, 0), ledger));
        // another proposer's block contained alice's nonces 0 and 1 (the same transactions) and a different bob tx
        Transaction otherBob = Transaction.sign(bob, TestChains.CHAIN, carol.publicKey(), 5, 1, 0);
        Ledger after = ledger.apply(tx(alice, 10, 0)).ledger().apply(tx(alice, 10, 1)).ledger().apply(otherBob)
                .ledger();
        List<Hash32> committed = List.of(tx(alice, 10, 0).hash(), tx(alice, 10, 1).hash(), otherBob.hash());
        m.removeCommitted(committed, after);
        assertEquals(2, m.size());
        for (VerifiedTransaction v : m.pending()) {
            assertEquals(alice.publicKey(), v.transaction().sender());
            assertTrue(v.transaction().nonce() >= 2);
        }
        assertEquals(2, m.buildBlock(after, proposer.publicKey(), 10, 1_000_000).transactions().size());
    }

    private static byte[] withBadSignature(Transaction t) {
        byte[] sig = t.signature();
        sig[0] ^= 1;
        return TransactionCodec.encode(new Transaction(t.chainId(), t.sender(), t.recipient(), t.amountBaseUnits(),
                t.feeBaseUnits(), t.nonce(), sig));
    }

    @Test
    void checkSignature_givesTheVerdict_andSkipsWhatAddRefusesBeforeTheSignature() {
        Mempool m = new Mempool();
        assertEquals(SignatureVerdict.VALID, m.checkSignature(TransactionCodec.encode(tx(alice, 1, 0)), ledger));
        assertEquals(SignatureVerdict.VALID, m.checkSignature(TransactionCodec.encode(tx(alice, 1, 7)), ledger),
                "a stateful rule (the nonce) does not stop the check: the verdict is pure in the bytes");
        assertEquals(SignatureVerdict.INVALID, m.checkSignature(withBadSignature(tx(alice, 1, 0)), ledger));
        assertEquals(SignatureVerdict.NOT_CHECKED, m.checkSignature(new byte[] {1, 2, 3}, ledger), "malformed");
        Transaction otherChain = Transaction.sign(alice, "other-chain", bob.publicKey(), 1, 1, 0);
        assertEquals(SignatureVerdict.NOT_CHECKED, m.checkSignature(TransactionCodec.encode(otherChain), ledger));
        Transaction toSelf = Transaction.sign(alice, TestChains.CHAIN, alice.publicKey(), 1, 1, 0);
        assertEquals(SignatureVerdict.NOT_CHECKED, m.checkSignature(TransactionCodec.encode(toSelf), ledger));
        assertEquals(0, m.size(), "checking admits nothing");
    }

    @Test
    void aVerdictReplacesTheSignatureCheck_atTheSamePointOfTheRules() {
        byte[] good = TransactionCodec.encode(tx(alice, 1, 0));
        byte[] bad = withBadSignature(tx(alice, 1, 0));
        // The true verdict: the same outcome as checking.
        assertAdded(new Mempool().add(good, ledger, SignatureVerdict.VALID));
        assertRefused(new Mempool().add(bad, ledger, SignatureVerdict.INVALID), RejectReason.BAD_SIGNATURE);
        assertRefused(new Mempool().add(bad, ledger, SignatureVerdict.NOT_CHECKED), RejectReason.BAD_SIGNATURE);
        // A verdict is used where the check would run, after the cheaper rules: a bad nonce is still the reason.
        assertRefused(new Mempool().add(withBadSignature(tx(alice, 1, 5)), ledger, SignatureVerdict.INVALID),
                RejectReason.BAD_NONCE);
        // The verdict is trusted (it was journaled by this node): a false one decides, which is why only the node
        // agent gives verdicts, from its own check just before journaling.
        assertRefused(new Mempool().add(good, ledger, SignatureVerdict.INVALID), RejectReason.BAD_SIGNATURE);
        assertAdded(new Mempool().add(bad, ledger, SignatureVerdict.VALID));
    }
}
