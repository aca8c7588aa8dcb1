package dev.oasisj.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {
    private final Signer alice = TestChains.key("alice");
    private final Signer bob = TestChains.key("bob");
    private final Ledger genesis = TestChains.ledger(1_000, "alice", "bob");

    private Transaction transfer(Signer from, Signer to, long amount, long fee, long nonce) {
        return Transaction.sign(from, TestChains.CHAIN, to.publicKey(), amount, fee, nonce);
    }

    private static Ledger applied(Ledger.Result r) {
        return assertInstanceOf(Ledger.Applied.class, r, () -> "expected Applied, got " + r).ledger();
    }

    private static void assertRejected(Ledger before, Ledger.Result r, RejectReason reason) {
        Ledger.Rejected rej = assertInstanceOf(Ledger.Rejected.class, r, () -> "expected Rejected, got " + r);
        assertEquals(reason, rej.reason(), rej.detail());
        assertSame(before, rej.ledger());
        assertEquals(before.stateRoot(), rej.ledger().stateRoot());
    }

    @Test
    void aValidTransferDebitsAmountAndFee_creditsRecipient_andBumpsTheNonce() {
        Ledger after = applied(genesis.apply(transfer(alice, bob, 100, 3, 0)));
        assertEquals(897, after.balance(alice.publicKey()));
        assertEquals(1_100, after.balance(bob.publicKey()));
        assertEquals(3, after.feePoolBaseUnits());
        assertEquals(1, after.nextNonce(alice.publicKey()));
        assertEquals(0, after.nextNonce(bob.publicKey()));
        assertNotEquals(genesis.stateRoot(), after.stateRoot());
        // the old version is untouched (persistent structure)
        assertEquals(1_000, genesis.balance(alice.publicKey()));
    }

    @Test
    void aReplayedTransactionIsRejectedWithBadNonce() {
        Transaction tx = transfer(alice, bob, 10, 1, 0);
        Ledger once = applied(genesis.apply(tx));
        assertRejected(once, once.apply(tx), RejectReason.BAD_NONCE);
    }

    @Test
    void aNonceGapIsRejected() {
        assertRejected(genesis, genesis.apply(transfer(alice, bob, 10, 1, 1)), RejectReason.BAD_NONCE);
    }

    @Test
    void aTamperedAmountBreaksTheSignature() {
        Transaction good = transfer(alice, bob, 10, 1, 0);
        Transaction tampered = new Transaction(good.chainId(), good.sender(), good.recipient(), 999, good.feeBaseUnits(),
                good.nonce(), good.signature());
        assertRejected(genesis, genesis.apply(tampered), RejectReason.BAD_SIGNATURE);
    }

    @Test
    void aSignatureByAnotherKeyIsRejected() {
        Transaction byBob = transfer(bob, TestChains.key("carol"), 10, 1, 0);
        Transaction claimsAlice = new Transaction(byBob.chainId(), alice.publicKey(), byBob.recipient(), 10, 1, 0,
                byBob.signature());
        assertRejected(genesis, genesis.apply(claimsAlice), RejectReason.BAD_SIGNATURE);
    }

    @Test
    void aTransactionForAnotherChainIsRejected() {
        Transaction tx = Transaction.sign(alice, "other-chain", bob.publicKey(), 10, 1, 0);
        assertRejected(genesis, genesis.apply(tx), RejectReason.WRONG_CHAIN);
    }

    @Test
    void zeroAmountNegativeValuesAndSelfTransfersAreRejected() {
        assertRejected(genesis, genesis.apply(transfer(alice, bob, 0, 1, 0)), RejectReason.ZERO_AMOUNT);
        assertRejected(genesis, genesis.apply(transfer(alice, bob, -5, 1, 0)), RejectReason.NEGATIVE_VALUE);
        assertRejected(genesis, genesis.apply(transfer(alice, bob, 5, -1, 0)), RejectReason.NEGATIVE_VALUE);
        assertRejected(genesis, genesis.apply(transfer(alice, alice, 5, 1, 0)), RejectReason.SELF_TRANSFER);
    }

    @Test
    void spendingMoreThanTheBalanceIsRejected_includingTheFee() {
        assertRejected(genesis, genesis.apply(transfer(alice, bob, 1_000, 1, 0)), RejectReason.INSUFFICIENT_BALANCE);
        applied(genesis.apply(transfer(alice, bob, 999, 1, 0)));
    }

    @Test
    void anAccountWithNoBalanceCannotSend() {
        Signer nobody = TestChains.key("nobody");
        assertRejected(genesis, genesis.apply(transfer(nobody, bob, 1, 0, 0)), RejectReason.INSUFFICIENT_BALANCE);
    }

    @Test
    void amountPlusFeeOverflowIsRejected() {
        assertRejected(genesis, genesis.apply(transfer(alice, bob, Long.MAX_VALUE, 1, 0)), RejectReason.OVERFLOW);
    }

    @Test
    void feesGoToTheProposerAtTheEndOfABlock_andSupplyIsConserved() {
        Signer proposer = TestChains.key("v1");
        Ledger after = applied(genesis.apply(transfer(alice, bob, 100, 7, 0)));
        after = applied(after.apply(transfer(bob, alice, 50, 5, 0)));
        Ledger paid = after.payFeesTo(proposer.publicKey());
        assertEquals(0, paid.feePoolBaseUnits());
        assertEquals(12, paid.balance(proposer.publicKey()));
        assertEquals(2_000, sumOfBalances(paid));
        assertEquals(paid.totalSupplyBaseUnits(), sumOfBalances(paid));
    }

    @Test
    void applyBlockReportsTheFirstTransactionThatFails() {
        var ok = VerifiedTransaction.verify(transfer(alice, bob, 10, 1, 0)).orElseThrow();
        var replay = ok;
        Ledger.BlockResult r = genesis.applyBlock(List.of(ok, replay), alice.publicKey());
        Ledger.BlockResult.Invalid invalid = assertInstanceOf(Ledger.BlockResult.Invalid.class, r);
        assertEquals(1, invalid.transactionIndex());
        assertEquals(RejectReason.BAD_NONCE, invalid.reason());
    }

    @Test
    void theStateRootDoesNotDependOnTheOrderAccountsWereCreated() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            names.add("acct-" + i);
        }
        Hash32 forward = Ledger.fromGenesis(TestChains.genesis(List.of("v1"), names, 5)).stateRoot();
        List<String> shuffled = new ArrayList<>(names);
        Collections.shuffle(shuffled, new java.util.Random(42));
        Hash32 shuffledRoot = Ledger.fromGenesis(TestChains.genesis(List.of("v1"), shuffled, 5)).stateRoot();
        Collections.reverse(shuffled);
        Hash32 reversedRoot = Ledger.fromGenesis(TestChains.genesis(List.of("v1"), shuffled, 5)).stateRoot();
        assertEquals(forward, shuffledRoot);
        assertEquals(forward, reversedRoot);
    }

    @Test
    void theSameStateReachedByDifferentTransferOrdersHasTheSameRoot() {
        Signer carol = TestChains.key("carol");
        Signer dave = TestChains.key("dave");
        // alice pays carol, bob pays dave: independent transfers, both orders end in the same state
        Ledger ab = applied(applied(genesis.apply(transfer(alice, carol, 5, 1, 0))).apply(transfer(bob, dave, 6, 1, 0)));
        Ledger ba = applied(applied(genesis.apply(transfer(bob, dave, 6, 1, 0))).apply(transfer(alice, carol, 5, 1, 0)));
        assertEquals(ab.stateRoot(), ba.stateRoot());
    }

    @Test
    void theRootCommitsToEveryBalanceAndNonce() {
        Ledger a = TestChains.ledger(1_000, "alice", "bob");
        Ledger b = TestChains.ledger(1_001, "alice", "bob");
        assertNotEquals(a.stateRoot(), b.stateRoot());
        Ledger moved = applied(a.apply(transfer(alice, bob, 1, 0, 0)));
        Ledger back = applied(moved.apply(transfer(bob, alice, 1, 0, 0)));
        // same balances as genesis but the nonces differ
        assertEquals(a.balance(alice.publicKey()), back.balance(alice.publicKey()));
        assertNotEquals(a.stateRoot(), back.stateRoot());
    }

    @Test
    void aHundredThousandAccountsFitAndStayBalanced() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        List<Genesis.InitialAccount> accounts = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            byte[] key = Hash32.sha256(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)}).toBytes();
            accounts.add(new Genesis.InitialAccount(dev.oasisj.core.crypto.PublicKey.of(key), 1_000));
        }
        accounts.add(new Genesis.InitialAccount(alice.publicKey(), 1_000));
        Genesis g = new Genesis(TestChains.CHAIN, List.of(new Genesis.Validator("v1", TestChains.key("v1").publicKey(),
                1)), accounts, Genesis.ConsensusParams.DEFAULT);
        Ledger big = Ledger.fromGenesis(g);
        Hash32 root = big.stateRoot();
        long t0 = System.nanoTime();
        Ledger l = big;
        for (int n = 0; n < 1_000; n++) {
            l = applied(l.apply(VerifiedTransaction.verify(transfer(alice, bob, 1, 0, n)).orElseThrow()));
        }
        long applyMicros = (System.nanoTime() - t0) / 1_000;
        Hash32 after = l.stateRoot();
        System.gc();
        long used = rt.totalMemory() - rt.freeMemory() - before;
        System.out.printf("100k accounts: depth %d, heap for genesis (list) + ledger + hashes about %d MiB, 1000 verified "
                + "applies %d us (incl. signing and verifying)%n", big.treeDepth(), used >> 20, applyMicros);
        assertEquals(100_002, l.accountCount());
        assertNotEquals(root, after);
        assertTrue(big.treeDepth() < 60, "treap depth " + big.treeDepth());
        assertTrue(used < 256L << 20, "used " + (used >> 20) + " MiB");
    }

    static long sumOfBalances(Ledger l) {
        long[] sum = {0};
        l.forEachAccount((k, a) -> sum[0] += a.balanceBaseUnits());
        return sum[0];
    }
}
