package dev.oasisj.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Account;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.ledger.LedgerLimits;
import dev.oasisj.core.ledger.RejectReason;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Interprets fuzzer bytes as a program of ledger operations and checks each step against a model of the ledger kept
 * here (a sorted map of balances and nonces plus the fee pool), written from the rules in {@link Ledger}'s class
 * comment, not from its code.
 *
 * <p>Step kinds: a raw byte blob (decoded, and applied if it decodes); a structured transfer signed by one of the
 * known keys with fuzzer-chosen sender, recipient, amount, fee, nonce and chain id; a replay of an earlier transaction;
 * an earlier transaction with one field changed and re-signed (by its sender, or by the wrong key); an earlier
 * transaction with one field changed and the old signature kept; an earlier encoding with bytes flipped, cut or
 * appended; and the end of a block (the fee pool paid to a proposer).
 */
final class LedgerProgram {
    static final int MAX_STEPS = 16;

    enum Step { RAW, TRANSFER, REPLAY, RESIGN, TAMPER, CORRUPT, END_BLOCK }

    private Ledger ledger = FuzzFixtures.freshLedger();
    private final long totalSupply = FuzzFixtures.GENESIS.totalSupplyBaseUnits();
    /** Expected accounts: the model the ledger must match after every step. */
    private final TreeMap<PublicKey, Account> model = new TreeMap<>();
    private long modelFeePool;
    /** Every transaction this program built or decoded, for replays and mutations. */
    private final List<Transaction> history = new ArrayList<>();

    /** Outcome counts (for the seed selection and for reports): how many steps ended applied or with each reason. */
    final Map<Step, Integer> stepCounts = new EnumMap<>(Step.class);
    final Map<RejectReason, Integer> rejectionCounts = new EnumMap<>(RejectReason.class);
    int appliedCount;
    int undecodableCount;

    LedgerProgram() {
        for (Genesis.InitialAccount a : FuzzFixtures.GENESIS.accounts()) {
            model.put(a.publicKey(), new Account(a.balanceBaseUnits(), 0));
        }
        checkAgainstModel("genesis");
    }

    void run(FuzzedDataProvider data) {
        for (int i = 0; i < MAX_STEPS && data.remainingBytes() > 0; i++) {
            Step step = Step.values()[data.consumeInt(0, Step.values().length - 1)];
            stepCounts.merge(step, 1, Integer::sum);
            switch (step) {
                case RAW -> raw(data);
                case TRANSFER -> transfer(data);
                case REPLAY -> {
                    if (!history.isEmpty()) {
                        applyAndCheck(pickFromHistory(data), "replay");
                    }
                }
                case RESIGN -> {
                    if (!history.isEmpty()) {
                        resign(data, pickFromHistory(data));
                    }
                }
                case TAMPER -> {
                    if (!history.isEmpty()) {
                        Transaction base = pickFromHistory(data);
                        applyAndCheck(withOneFieldChanged(data, base, base.signature()), "tamper");
                    }
                }
                case CORRUPT -> corrupt(data);
                case END_BLOCK -> endBlock(data);
            }
        }
    }

    // ---- step kinds ----

    private void raw(FuzzedDataProvider data) {
        byte[] bytes = data.consumeBytes(data.consumeInt(0, LedgerLimits.MAX_TRANSACTION_BYTES + 16));
        decodeAndApply(bytes, "raw");
    }

    private void transfer(FuzzedDataProvider data) {
        Signer sender = pickSigner(data);
        PublicKey recipient = pickRecipient(data);
        String chainId = pickChainId(data);
        long balance = model.getOrDefault(sender.publicKey(), Account.EMPTY).balanceBaseUnits();
        long amount = pickAmount(data, balance);
        long fee = pickFee(data, balance, amount);
        long nonce = pickNonce(data, sender.publicKey());
        Transaction tx = Transaction.sign(sender, chainId, recipient, amount, fee, nonce);
        assertTrue(signatureVerifies(tx),
                "Transaction.sign did not produce a signature over the documented signing bytes: " + tx);
        applyAndCheck(tx, "transfer");
    }

    private void resign(FuzzedDataProvider data, Transaction base) {
        Transaction changed = withOneFieldChanged(data, base, base.signature());
        boolean wrongKey = data.consumeInt(0, 3) == 0;
        Signer signer = wrongKey ? pickSigner(data) : signerOf(changed.sender());
        if (signer == null) {
            signer = pickSigner(data);
        }
        Transaction unsigned = new Transaction(changed.chainId(), changed.sender(), changed.recipient(),
                changed.amountBaseUnits(), changed.feeBaseUnits(), changed.nonce(), new byte[0]);
        byte[] signature = signer.sign(FuzzFixtures.expectedSigningBytes(unsigned));
        applyAndCheck(new Transaction(changed.chainId(), changed.sender(), changed.recipient(),
                changed.amountBaseUnits(), changed.feeBaseUnits(), changed.nonce(), signature), "resign");
    }

    private void corrupt(FuzzedDataProvider data) {
        byte[] bytes = history.isEmpty()
                ? TransactionCodec.encode(Transaction.sign(FuzzFixtures.BOB, FuzzFixtures.CHAIN_ID,
                        FuzzFixtures.CAROL.publicKey(), 1, 0, 0))
                : TransactionCodec.encode(pickFromHistory(data));
        switch (data.consumeInt(0, 3)) {
            case 0 -> { // flip bits in a few bytes
                int flips = data.consumeInt(1, 4);
                for (int i = 0; i < flips; i++) {
                    int at = data.consumeInt(0, bytes.length - 1);
                    bytes[at] ^= (byte) data.consumeInt(1, 255);
                }
            }
            case 1 -> bytes = java.util.Arrays.copyOf(bytes, data.consumeInt(0, bytes.length - 1)); // truncate
            case 2 -> { // trailing bytes
                byte[] extra = data.consumeBytes(data.consumeInt(1, 8));
                byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + Math.max(1, extra.length));
                System.arraycopy(extra, 0, longer, bytes.length, extra.length);
                bytes = longer;
            }
            default -> { // overwrite the chain id length prefix (bytes 1..4)
                int prefix = data.consumeInt();
                bytes[1] = (byte) (prefix >>> 24);
                bytes[2] = (byte) (prefix >>> 16);
                bytes[3] = (byte) (prefix >>> 8);
                bytes[4] = (byte) prefix;
            }
        }
        decodeAndApply(bytes, "corrupt");
    }

    private void endBlock(FuzzedDataProvider data) {
        PublicKey proposer = data.consumeBoolean()
                ? FuzzFixtures.GENESIS.validators().get(data.consumeInt(0, 3)).publicKey()
                : pickRecipient(data);
        Hash32 before = ledger.stateRoot();
        Ledger after = ledger.payFeesTo(proposer);
        if (modelFeePool > 0) {
            Account a = model.getOrDefault(proposer, Account.EMPTY);
            model.put(proposer, new Account(a.balanceBaseUnits() + modelFeePool, a.nonce()));
            modelFeePool = 0;
            ledger = after;
            checkAgainstModel("payFeesTo " + proposer.shortId());
        } else {
            assertEquals(before, after.stateRoot(), "paying an empty fee pool changed the state root");
            ledger = after;
            checkAgainstModel("payFeesTo (empty pool)");
        }
    }

    // ---- apply one transaction and check it ----

    private void decodeAndApply(byte[] bytes, String origin) {
        Transaction tx;
        try {
            tx = TransactionCodec.decode(bytes);
        } catch (DecodeException e) {
            assertNotNull(e.getMessage());
            undecodableCount++;
            return;
        }
        applyAndCheck(tx, origin);
    }

    private void applyAndCheck(Transaction tx, String origin) {
        history.add(tx);
        RejectReason expected = expectedRejection(tx);
        Hash32 rootBefore = ledger.stateRoot();
        Account senderBefore = model.getOrDefault(tx.sender(), Account.EMPTY);
        Ledger.Result result = ledger.apply(tx);
        String what = origin + " " + tx + " -> " + describe(result);
        if (result instanceof Ledger.Rejected rejected) {
            rejectionCounts.merge(rejected.reason(), 1, Integer::sum);
            assertNotNull(expected, "rejected a transaction that every rule accepts: " + what);
            assertEquals(expected, rejected.reason(), "wrong (or not the first failing) rule: " + what);
            assertFalse(rejected.detail().isBlank(), "a rejection needs a detail: " + what);
            assertEquals(rootBefore, rejected.ledger().stateRoot(), "a rejection changed the state root: " + what);
            ledger = rejected.ledger();
            checkAgainstModel(what);
        } else if (result instanceof Ledger.Applied applied) {
            appliedCount++;
            if (expected != null) {
                fail("applied a transaction that breaks rule " + expected + ": " + what);
            }
            Ledger next = applied.ledger();
            assertNotEquals(rootBefore, next.stateRoot(), "an applied transfer left the state root unchanged: " + what);
            assertEquals(senderBefore.nonce() + 1, next.nextNonce(tx.sender()),
                    "the sender's nonce did not advance by exactly one: " + what);
            long debit = tx.amountBaseUnits() + tx.feeBaseUnits();
            model.put(tx.sender(), new Account(senderBefore.balanceBaseUnits() - debit, senderBefore.nonce() + 1));
            Account to = model.getOrDefault(tx.recipient(), Account.EMPTY);
            model.put(tx.recipient(), new Account(to.balanceBaseUnits() + tx.amountBaseUnits(), to.nonce()));
            modelFeePool += tx.feeBaseUnits();
            ledger = next;
            checkAgainstModel(what);
        } else {
            fail("unknown result " + result);
        }
    }

    /**
     * The rules of a transfer in their documented order; null when the transfer must apply. Written from the class
     * comment of {@link Ledger}: chain id, zero amount, negative amount or fee, self transfer, signature, nonce,
     * overflow of amount + fee, balance.
     */
    private RejectReason expectedRejection(Transaction tx) {
        if (!tx.chainId().equals(FuzzFixtures.CHAIN_ID)) {
            return RejectReason.WRONG_CHAIN;
        }
        if (tx.amountBaseUnits() == 0) {
            return RejectReason.ZERO_AMOUNT;
        }
        if (tx.amountBaseUnits() < 0 || tx.feeBaseUnits() < 0) {
            return RejectReason.NEGATIVE_VALUE;
        }
        if (tx.sender().equals(tx.recipient())) {
            return RejectReason.SELF_TRANSFER;
        }
        if (!signatureVerifies(tx)) {
            return RejectReason.BAD_SIGNATURE;
        }
        Account sender = model.getOrDefault(tx.sender(), Account.EMPTY);
        if (tx.nonce() != sender.nonce()) {
            return RejectReason.BAD_NONCE;
        }
        if (tx.amountBaseUnits() > Long.MAX_VALUE - tx.feeBaseUnits()) {
            return RejectReason.OVERFLOW;
        }
        if (sender.balanceBaseUnits() < tx.amountBaseUnits() + tx.feeBaseUnits()) {
            return RejectReason.INSUFFICIENT_BALANCE;
        }
        return null;
    }

    /**
     * {@link FuzzFixtures#signatureVerifies}, remembered per encoding for the length of one program: replays and the
     * oracle's second look at a fresh transfer then cost no second Ed25519 verification (about 92 us each).
     */
    private boolean signatureVerifies(Transaction tx) {
        return verified.computeIfAbsent(java.nio.ByteBuffer.wrap(TransactionCodec.encode(tx)),
                key -> FuzzFixtures.signatureVerifies(tx));
    }

    private final Map<java.nio.ByteBuffer, Boolean> verified = new java.util.HashMap<>();

    /** The whole ledger against the model: every account, the account count, the fee pool, SupplyConservedInv. */
    private void checkAgainstModel(String after) {
        assertEquals(model.size(), ledger.accountCount(), "account count after " + after);
        for (Map.Entry<PublicKey, Account> e : model.entrySet()) {
            assertEquals(e.getValue(), ledger.account(e.getKey()),
                    "account " + e.getKey().shortId() + " after " + after);
        }
        assertEquals(modelFeePool, ledger.feePoolBaseUnits(), "fee pool after " + after);
        assertEquals(totalSupply, ledger.totalSupplyBaseUnits(), "total supply changed after " + after);
        long[] sum = {0};
        ledger.forEachAccount((key, account) -> sum[0] = Math.addExact(sum[0], account.balanceBaseUnits()));
        assertEquals(totalSupply, Math.addExact(sum[0], ledger.feePoolBaseUnits()),
                "SupplyConservedInv: balances + fee pool != total supply after " + after);
    }

    // ---- choices ----

    private Transaction pickFromHistory(FuzzedDataProvider data) {
        return history.get(data.consumeInt(0, history.size() - 1));
    }

    private static Signer pickSigner(FuzzedDataProvider data) {
        return FuzzFixtures.SIGNERS.get(data.consumeInt(0, FuzzFixtures.SIGNERS.size() - 1));
    }

    private static Signer signerOf(PublicKey key) {
        for (Signer s : FuzzFixtures.SIGNERS) {
            if (s.publicKey().equals(key)) {
                return s;
            }
        }
        return null;
    }

    private static PublicKey pickRecipient(FuzzedDataProvider data) {
        int choice = data.consumeInt(0, FuzzFixtures.SIGNERS.size());
        if (choice < FuzzFixtures.SIGNERS.size()) {
            return FuzzFixtures.SIGNERS.get(choice).publicKey();
        }
        return PublicKey.of(java.util.Arrays.copyOf(data.consumeBytes(PublicKey.SIZE_BYTES), PublicKey.SIZE_BYTES));
    }

    private static String pickChainId(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 15)) {
            case 0 -> FuzzFixtures.OTHER_CHAIN_ID;
            case 1 -> data.consumeString(LedgerLimits.MAX_CHAIN_ID_BYTES + 4);
            default -> FuzzFixtures.CHAIN_ID;
        };
    }

    private static final long[] EDGE_VALUES = {0, 1, -1, 2, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
        FuzzFixtures.BOB_BALANCE, FuzzFixtures.ALICE_BALANCE, FuzzFixtures.ALICE_BALANCE + 1};

    private static long pickAmount(FuzzedDataProvider data, long balance) {
        // Mostly plausible amounts, so that programs reach deep states; the edges often enough to matter.
        return switch (data.consumeInt(0, 7)) {
            case 1 -> data.consumeLong();
            case 2 -> balance - data.consumeLong(-2, 3);
            case 3 -> EDGE_VALUES[data.consumeInt(0, EDGE_VALUES.length - 1)];
            case 4 -> data.consumeLong(1, Math.max(1, balance));
            default -> data.consumeLong(1, 1_000);
        };
    }

    private static long pickFee(FuzzedDataProvider data, long balance, long amount) {
        return switch (data.consumeInt(0, 7)) {
            case 1 -> data.consumeLong();
            case 2 -> balance - amount + data.consumeLong(-2, 2); // exactly (or just around) the whole balance
            case 3 -> EDGE_VALUES[data.consumeInt(0, EDGE_VALUES.length - 1)];
            default -> data.consumeLong(0, 100);
        };
    }

    private long pickNonce(FuzzedDataProvider data, PublicKey sender) {
        long next = model.getOrDefault(sender, Account.EMPTY).nonce();
        return switch (data.consumeInt(0, 7)) {
            case 0 -> next + data.consumeLong(-2, 2);
            case 1 -> data.consumeLong();
            default -> next;
        };
    }

    /** A copy of {@code base} with one field changed (possibly to the same value) and the given signature. */
    private Transaction withOneFieldChanged(FuzzedDataProvider data, Transaction base, byte[] signature) {
        String chainId = base.chainId();
        PublicKey sender = base.sender();
        PublicKey recipient = base.recipient();
        long amount = base.amountBaseUnits();
        long fee = base.feeBaseUnits();
        long nonce = base.nonce();
        switch (data.consumeInt(0, 6)) {
            case 0 -> chainId = pickChainId(data);
            case 1 -> sender = pickSigner(data).publicKey();
            case 2 -> recipient = pickRecipient(data);
            case 3 -> amount = pickAmount(data, model.getOrDefault(sender, Account.EMPTY).balanceBaseUnits());
            case 4 -> fee = pickFee(data, model.getOrDefault(sender, Account.EMPTY).balanceBaseUnits(), amount);
            case 5 -> nonce = pickNonce(data, sender);
            default -> { // keep the fields, change the signature bytes
                signature = signature.length == 0 ? new byte[64] : signature.clone();
                signature[data.consumeInt(0, signature.length - 1)] ^= (byte) data.consumeInt(1, 255);
            }
        }
        return new Transaction(chainId, sender, recipient, amount, fee, nonce, signature);
    }

    private static String describe(Ledger.Result result) {
        if (result instanceof Ledger.Rejected r) {
            return "Rejected(" + r.reason() + ": " + r.detail() + ")";
        }
        return "Applied";
    }
}
