package dev.oasisj.core.tx;

import static dev.oasisj.core.tx.Envelopes.ALICE;
import static dev.oasisj.core.tx.Envelopes.BOB;
import static dev.oasisj.core.tx.Envelopes.CHAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.crypto.DecodedKeyCache;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.staking.Transfer;
import dev.oasisj.core.staking.TransferCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The envelope as a value: what its constructor refuses, what its signature covers, and its domain
 * [TX-ENVELOPE-DOMAIN.1].
 */
class SignedTransactionTest {
    private final SignedTransaction tx = Envelopes.typical();
    private final byte[] sig = tx.signature();

    @Test
    void theSigningBytesAreTheDocumentedDomainAndFields_andTheSignatureIsOverThem() {
        byte[] expected = Envelopes.Raw.of(tx).signingBytes();
        assertArrayEquals(expected, tx.signingBytes());
        assertTrue(ALICE.publicKey().verify(expected, tx.signature()));
        assertEquals("oasisj/tx/v1", SignedTransaction.SIGNING_DOMAIN);
        assertTrue(tx.hasValidSignature());
        assertTrue(tx.hasValidSignature(new DecodedKeyCache()));
    }

    @Test
    void signingIsDeterministic_andTheHashIsSha256OfTheEncoding() {
        assertEquals(tx, Envelopes.typical());
        assertArrayEquals(tx.signature(), Envelopes.typical().signature());
        assertEquals(Hash32.sha256(SignedTransactionCodec.encode(tx)), tx.hash());
        assertEquals(Envelopes.typical().hash(), tx.hash());
    }

    /** Every field but the signature, changed one at a time, keeping the original signature. */
    private Map<String, SignedTransaction> eachFieldChanged() {
        byte[] body = tx.body();
        byte[] flipped = body.clone();
        flipped[flipped.length - 1] ^= 1;
        byte[] longer = java.util.Arrays.copyOf(body, body.length + 1);
        byte[] shorter = java.util.Arrays.copyOf(body, body.length - 1);
        Map<String, SignedTransaction> changed = new LinkedHashMap<>();
        changed.put("chainId", new SignedTransaction("oasisj-other", tx.signer(), 7, tx.fee(), tx.method(), body, sig));
        changed.put("signer", new SignedTransaction(CHAIN, BOB.publicKey(), 7, tx.fee(), tx.method(), body, sig));
        changed.put("nonce", new SignedTransaction(CHAIN, tx.signer(), 8, tx.fee(), tx.method(), body, sig));
        changed.put("fee.amount", new SignedTransaction(CHAIN, tx.signer(), 7, new Fee(101, 1_000), tx.method(),
                body, sig));
        changed.put("fee.gasLimit", new SignedTransaction(CHAIN, tx.signer(), 7, new Fee(100, 1_001), tx.method(),
                body, sig));
        changed.put("method", new SignedTransaction(CHAIN, tx.signer(), 7, tx.fee(), "staking.Burn", body, sig));
        changed.put("body bit", new SignedTransaction(CHAIN, tx.signer(), 7, tx.fee(), tx.method(), flipped, sig));
        changed.put("body longer", new SignedTransaction(CHAIN, tx.signer(), 7, tx.fee(), tx.method(), longer, sig));
        changed.put("body shorter", new SignedTransaction(CHAIN, tx.signer(), 7, tx.fee(), tx.method(), shorter,
                sig));
        return changed;
    }

    @Test
    void changingAnyField_breaksTheSignature_andTheEquality() {
        DecodedKeyCache keys = new DecodedKeyCache();
        for (Map.Entry<String, SignedTransaction> e : eachFieldChanged().entrySet()) {
            SignedTransaction other = e.getValue();
            assertFalse(other.hasValidSignature(), e.getKey());
            assertFalse(other.hasValidSignature(keys), e.getKey());
            assertNotEquals(tx, other, e.getKey());
            assertNotEquals(tx.hash(), other.hash(), e.getKey());
            assertNotEquals(tx.hashCode(), other.hashCode(), e.getKey());
        }
        byte[] badSig = tx.signature();
        badSig[0] ^= 1;
        SignedTransaction tampered = new SignedTransaction(CHAIN, tx.signer(), 7, tx.fee(), tx.method(), tx.body(),
                badSig);
        assertFalse(tampered.hasValidSignature());
        assertFalse(tampered.hasValidSignature(keys));
        assertNotEquals(tx, tampered);
        assertTrue(tx.hasValidSignature(keys), "the cache remembers keys, not verdicts");
    }

    @Test
    void aV1TransferSignature_isNotAnEnvelopeSignature_andNeitherTheOtherWayRound() {
        // the same signer, chain, nonce, fee, recipient and amount, signed as a v1 transfer
        Transaction transfer = Transaction.sign(ALICE, CHAIN, BOB.publicKey(), 5, 100, 7);
        assertTrue(transfer.hasValidSignature());
        byte[] body = TransferCodec.INSTANCE.encode(new Transfer(BOB.publicKey(), 5));
        SignedTransaction asEnvelope = new SignedTransaction(CHAIN, ALICE.publicKey(), 7, new Fee(100, 0),
                "staking.Transfer", body, transfer.signature());
        assertFalse(asEnvelope.hasValidSignature());
        Transaction asTransfer = new Transaction(CHAIN, ALICE.publicKey(), BOB.publicKey(), 5, 100, 7,
                tx.signature());
        assertFalse(asTransfer.hasValidSignature());
        assertFalse(ALICE.publicKey().verify(transfer.signingBytes(), tx.signature()));
        // the domains differ, and so the length prefix that opens every signed object's bytes
        assertNotEquals(Transaction.SIGNING_DOMAIN, SignedTransaction.SIGNING_DOMAIN);
        assertNotEquals(SignedMessage.DOMAIN, SignedTransaction.SIGNING_DOMAIN);
    }

    @Test
    void theFieldsWithoutTheDomain_doNotVerify() {
        byte[] signing = tx.signingBytes();
        byte[] withoutDomain = java.util.Arrays.copyOfRange(signing, 4 + SignedTransaction.SIGNING_DOMAIN.length(),
                signing.length);
        assertFalse(ALICE.publicKey().verify(withoutDomain, tx.signature()));
        SignedTransaction signedWithoutDomain = new SignedTransaction(CHAIN, ALICE.publicKey(), 7, tx.fee(),
                tx.method(), tx.body(), ALICE.sign(withoutDomain));
        assertFalse(signedWithoutDomain.hasValidSignature());
    }

    @Test
    void theConstructorRefusesEveryFieldOutsideItsBounds() {
        byte[] body = tx.body();
        PublicKey a = ALICE.publicKey();
        Fee fee = tx.fee();
        String m = tx.method();
        assertRefused("chainId", () -> new SignedTransaction("", a, 0, fee, m, body, sig));
        assertRefused("chainId", () -> new SignedTransaction("x".repeat(65), a, 0, fee, m, body, sig));
        assertRefused("chainId", () -> new SignedTransaction("\u00e9".repeat(32) + "x", a, 0, fee, m, body, sig));
        assertRefused("chainId", () -> new SignedTransaction("ab\ud800", a, 0, fee, m, body, sig));
        assertRefused("chainId", () -> new SignedTransaction("\udc00", a, 0, fee, m, body, sig));
        assertRefused("nonce", () -> new SignedTransaction(CHAIN, a, -1, fee, m, body, sig));
        assertRefused("nonce", () -> new SignedTransaction(CHAIN, a, Long.MIN_VALUE, fee, m, body, sig));
        assertRefused("method", () -> new SignedTransaction(CHAIN, a, 0, fee, "aB", body, sig));
        assertRefused("method", () -> new SignedTransaction(CHAIN, a, 0, fee, Envelopes.methodOfLength(65), body,
                sig));
        assertRefused("method", () -> new SignedTransaction(CHAIN, a, 0, fee, "staking.transfer", body, sig));
        assertRefused("body", () -> new SignedTransaction(CHAIN, a, 0, fee, m, new byte[TxLimits.MAX_BODY_BYTES + 1],
                sig));
        assertRefused("signature", () -> new SignedTransaction(CHAIN, a, 0, fee, m, body, new byte[63]));
        assertRefused("signature", () -> new SignedTransaction(CHAIN, a, 0, fee, m, body, new byte[65]));
        assertRefused("signature", () -> new SignedTransaction(CHAIN, a, 0, fee, m, body, new byte[0]));
        assertRefused("fee.amount", () -> new Fee(-1, 0));
        assertRefused("fee.gasLimit", () -> new Fee(0, -1));
        assertRefused("fee.amount", () -> new Fee(Long.MIN_VALUE, 0));
    }

    @Test
    void theConstructorAcceptsEveryFieldAtItsBound() {
        PublicKey a = ALICE.publicKey();
        assertDoesNotThrow(() -> new SignedTransaction("x", a, 0, Fee.ZERO, "a.B", new byte[0], sig));
        assertDoesNotThrow(() -> new SignedTransaction("x".repeat(64), a, Long.MAX_VALUE,
                new Fee(Long.MAX_VALUE, Long.MAX_VALUE), Envelopes.methodOfLength(64),
                new byte[TxLimits.MAX_BODY_BYTES], sig));
        assertDoesNotThrow(() -> new SignedTransaction("\u00e9".repeat(32), a, 0, Fee.ZERO, "a.B", new byte[0], sig));
        assertDoesNotThrow(() -> new SignedTransaction("\ud83d\ude00", a, 0, Fee.ZERO, "a.B", new byte[0], sig),
                "a surrogate pair is one well-formed character");
        assertEquals(new Fee(0, 0), Fee.ZERO);
    }

    @Test
    void byteArraysAreCopiedInAndOut() {
        byte[] body = tx.body();
        byte[] signature = tx.signature();
        SignedTransaction copy = new SignedTransaction(CHAIN, ALICE.publicKey(), 7, tx.fee(), tx.method(), body,
                signature);
        body[0] ^= 1;
        signature[0] ^= 1;
        copy.body()[1] ^= 1;
        copy.signature()[1] ^= 1;
        assertEquals(tx, copy);
        assertTrue(copy.hasValidSignature());
    }

    @Test
    void equalEnvelopesHaveEqualHashCodes_andToStringNamesTheCall() {
        SignedTransaction same = new SignedTransaction(CHAIN, ALICE.publicKey(), 7, tx.fee(), tx.method(), tx.body(),
                tx.signature());
        assertEquals(tx, same);
        assertEquals(tx.hashCode(), same.hashCode());
        assertNotEquals(tx, null);
        assertNotEquals(tx, (Object) "staking.Transfer");
        String text = tx.toString();
        assertTrue(text.contains("staking.Transfer") && text.contains("nonce=7") && text.contains(CHAIN), text);
    }

    @Test
    void aChainIdProblemSaysWhatIsWrong() {
        assertEquals("0 UTF-8 bytes, outside 1..64", SignedTransaction.chainIdProblem(""));
        assertEquals("65 UTF-8 bytes, outside 1..64", SignedTransaction.chainIdProblem("\u00e9".repeat(32) + "x"));
        assertEquals("not well-formed Unicode (a lone surrogate)", SignedTransaction.chainIdProblem("a\ud800"));
        assertEquals(null, SignedTransaction.chainIdProblem(CHAIN));
        // the ASCII fast path and the encoder agree at the limits: 64 and 65 ASCII bytes, 62 ASCII + one 2-byte char
        assertEquals(null, SignedTransaction.chainIdProblem("a".repeat(64)));
        assertEquals("65 UTF-8 bytes, outside 1..64", SignedTransaction.chainIdProblem("a".repeat(65)));
        assertEquals(null, SignedTransaction.chainIdProblem("a".repeat(62) + "\u00e9"));
        assertEquals("65 UTF-8 bytes, outside 1..64", SignedTransaction.chainIdProblem("a".repeat(63) + "\u00e9"));
        assertEquals(null, SignedTransaction.chainIdProblem("\u007f"));
    }

    private static void assertRefused(String field, org.junit.jupiter.api.function.Executable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct, field);
        assertTrue(e.getMessage().startsWith(field), "expected '" + field + "...', got: " + e.getMessage());
    }
}
