package dev.oasisj.core.ledger;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random transfer sequences (valid and invalid mixed) against a plain reference model: every accepted transfer must
 * be one the model accepts, with the same resulting balances; the supply is conserved after every step; a rejected
 * transfer leaves the state root unchanged.
 */
class LedgerPropertyTest {
    private static final List<Signer> KEYS = List.of(TestChains.key("a"), TestChains.key("b"), TestChains.key("c"),
            TestChains.key("d"));

    /** One step: who pays whom, how much, fee, nonce offset from the correct one, and whether to corrupt it. */
    record Step(int from, int to, long amount, long fee, int nonceOffset, int corruption) {}

    private static Gen<Step> steps() {
        return integers().between(0, 3).zip(integers().between(0, 3), longs().between(-2, 400),
                longs().between(0, 30), (f, t, a, fee) -> new long[] {f, t, a, fee})
                .zip(integers().between(-1, 1).mix(integers().between(0, 0), 70), integers().between(0, 9),
                        (arr, off, corr) -> new Step((int) arr[0], (int) arr[1], arr[2], arr[3], off, corr));
    }

    @Test
    void supplyIsConservedAndRejectionsChangeNothing_overRandomTransferSequences() {
        qt().withExamples(150).forAll(lists().of(steps()).ofSizeBetween(1, 40)).checkAssert(this::run);
    }

    private void run(List<Step> steps) {
        List<String> names = List.of("a", "b", "c", "d");
        Ledger ledger = TestChains.ledger(500, names.toArray(new String[0]));
        long supply = ledger.totalSupplyBaseUnits();
        TreeMap<PublicKey, long[]> model = new TreeMap<>(); // key -> {balance, nonce}
        for (Signer k : KEYS) {
            model.put(k.publicKey(), new long[] {500, 0});
        }
        long modelFees = 0;
        for (Step s : steps) {
            Signer from = KEYS.get(s.from());
            Signer to = KEYS.get(s.to());
            long[] fromState = model.get(from.publicKey());
            long nonce = fromState[1] + s.nonceOffset();
            Transaction tx = Transaction.sign(from, TestChains.CHAIN, to.publicKey(), s.amount(), s.fee(), nonce);
            boolean corrupted = s.corruption() == 0;
            if (corrupted) {
                byte[] sig = tx.signature();
                sig[5] ^= 1;
                tx = new Transaction(tx.chainId(), tx.sender(), tx.recipient(), tx.amountBaseUnits(),
                        tx.feeBaseUnits(), tx.nonce(), sig);
            }
            boolean modelAccepts = !corrupted && s.from() != s.to() && s.amount() > 0 && s.fee() >= 0
                    && s.nonceOffset() == 0 && fromState[0] >= s.amount() + s.fee();
            Hash32 rootBefore = ledger.stateRoot();
            Ledger.Result r = ledger.apply(tx);
            if (r instanceof Ledger.Applied a) {
                if (!modelAccepts) {
                    throw new AssertionError("ledger accepted what the model rejects: " + s);
                }
                fromState[0] -= s.amount() + s.fee();
                fromState[1]++;
                model.get(to.publicKey())[0] += s.amount();
                modelFees += s.fee();
                ledger = a.ledger();
            } else {
                Ledger.Rejected rej = (Ledger.Rejected) r;
                if (modelAccepts) {
                    throw new AssertionError("ledger rejected (" + rej.reason() + ") what the model accepts: " + s);
                }
                if (!rej.ledger().stateRoot().equals(rootBefore)) {
                    throw new AssertionError("a rejected transfer changed the state root: " + s);
                }
            }
            long sum = LedgerTest.sumOfBalances(ledger);
            if (sum + ledger.feePoolBaseUnits() != supply) {
                throw new AssertionError("supply not conserved: " + sum + " + " + ledger.feePoolBaseUnits());
            }
            for (Signer k : KEYS) {
                long[] m = model.get(k.publicKey());
                Account acc = ledger.account(k.publicKey());
                if (acc.balanceBaseUnits() != m[0] || acc.nonce() != m[1]) {
                    throw new AssertionError("account differs from the model after " + s);
                }
            }
            if (ledger.feePoolBaseUnits() != modelFees) {
                throw new AssertionError("fee pool differs from the model");
            }
        }
    }
}
