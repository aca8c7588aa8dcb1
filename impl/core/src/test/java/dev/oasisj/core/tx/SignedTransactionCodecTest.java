package dev.oasisj.core.tx;

import static dev.oasisj.core.tx.Envelopes.ALICE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.DecodedKeyCache;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.ledger.LedgerLimits;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The envelope's one encoding: round trips over seeded random envelopes, the layout against an independent encoder
 * ({@link Envelopes.Raw}), and every bound at its value and one past, each refusal naming its field.
 * [TX-ENVELOPE-BOUNDS.1], [TX-ENVELOPE-CANONICAL.1].
 */
class SignedTransactionCodecTest {
    private static final long SEED = 0x7E5EED_2026L;

    @Test
    void randomEnvelopes_roundTripThroughTheirEncoding_withTheDocumentedLayout() throws DecodeException {
        SplittableRandom random = new SplittableRandom(SEED);
        DecodedKeyCache keys = new DecodedKeyCache();
        for (int i = 0; i < 300; i++) {
            SignedTransaction tx = Envelopes.random(random);
            String where = "envelope " + i + " of seed " + SEED + ": " + tx;
            byte[] bytes = SignedTransactionCodec.encode(tx);
            assertArrayEquals(Envelopes.Raw.of(tx).encoding(), bytes, where);
            SignedTransaction back = SignedTransactionCodec.decode(bytes);
            assertEquals(tx, back, where);
            assertEquals(tx.hashCode(), back.hashCode(), where);
            assertArrayEquals(bytes, SignedTransactionCodec.encode(back), where);
            assertTrue(back.hasValidSignature(), where);
            assertTrue(back.hasValidSignature(keys), where);
            assertEquals(tx.hash(), back.hash(), where);
            assertEquals(Hash32.sha256(bytes), back.hash(), where);
            assertEquals(bytes.length, tx.encodedSizeBytes(), where);
            assertTrue(bytes.length <= TxLimits.MAX_ENVELOPE_BYTES, where);
        }
    }

    @Test
    void anEnvelopeWithEveryFieldAtItsBound_isExactlyTheEnvelopeLimit_andDecodes() throws DecodeException {
        SignedTransaction max = Envelopes.atEveryBound();
        byte[] bytes = SignedTransactionCodec.encode(max);
        assertEquals(TxLimits.MAX_ENVELOPE_BYTES, bytes.length);
        assertEquals(TxLimits.MAX_ENVELOPE_BYTES, max.encodedSizeBytes());
        assertEquals(16_645, TxLimits.MAX_ENVELOPE_BYTES);
        assertEquals(max, SignedTransactionCodec.decode(bytes));
    }

    @Test
    void oneByteOverTheEnvelopeLimit_isRefusedBySize_beforeAnythingIsRead() {
        byte[] bytes = SignedTransactionCodec.encode(Envelopes.atEveryBound());
        // one trailing byte: without the size check this would be refused for the trailing byte instead
        assertRefused(Arrays.copyOf(bytes, bytes.length + 1), "envelope.size");
        byte[] junk = new byte[TxLimits.MAX_ENVELOPE_BYTES + 1];
        junk[0] = (byte) 0xff; // an unknown version: without the size check this would be refused for the version
        assertRefused(junk, "envelope.size");
    }

    @Test
    void onlyVersion2IsKnown_andAV1TransferIsRefusedAtItsFirstByte() throws DecodeException {
        assertNotEquals(TransactionCodec.VERSION, SignedTransactionCodec.VERSION);
        for (int version : new int[] {0, 1, 3, 255}) {
            assertRefused(raw(r -> r.version = version), "envelope.version");
        }
        SignedTransactionCodec.decode(raw(r -> r.version = 2));
        byte[] transfer = TransactionCodec.encode(
                Transaction.sign(ALICE, Envelopes.CHAIN, Envelopes.BOB.publicKey(), 5, 1, 0));
        assertRefused(transfer, "envelope.version");
    }

    @Test
    void theChainIdIsOneTo64Utf8Bytes() throws DecodeException {
        decodes(raw(r -> r.chainId = ascii("x")));
        decodes(raw(r -> r.chainId = ascii("x".repeat(64))));
        decodes(raw(r -> r.chainId = "\u00e9".repeat(32).getBytes(StandardCharsets.UTF_8))); // 64 bytes, 32 chars
        assertRefused(raw(r -> r.chainId = new byte[0]), "envelope.chainId");
        assertRefused(raw(r -> r.chainId = ascii("x".repeat(65))), "envelope.chainId");
        assertRefused(raw(r -> r.chainId = "\u00e9".repeat(32).concat("x").getBytes(StandardCharsets.UTF_8)),
                "envelope.chainId");
        assertEquals(LedgerLimits.MAX_CHAIN_ID_BYTES, TxLimits.MAX_CHAIN_ID_BYTES);
    }

    @Test
    void aChainIdThatIsNotStrictUtf8_orWhoseLengthPrefixLies_isRefused() {
        byte[][] notUtf8 = {
            {(byte) 0xff},
            {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // an encoded surrogate
            {'a', (byte) 0xc3}, // a cut 2-byte sequence
        };
        for (byte[] b : notUtf8) {
            assertRefused(raw(r -> r.chainId = b), "envelope.chainId");
        }
        for (int lying : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 65}) {
            assertRefused(raw(r -> r.chainIdLength = lying), "envelope.chainId");
        }
    }

    @Test
    void nonceAndFeeAreNonNegative_zeroAndLongMaxDecode() throws DecodeException {
        List<Consumer<Envelopes.Raw>> negative = List.of(r -> r.nonce = -1, r -> r.nonce = Long.MIN_VALUE,
                r -> r.feeAmount = -1, r -> r.feeAmount = Long.MIN_VALUE, r -> r.gasLimit = -1,
                r -> r.gasLimit = Long.MIN_VALUE);
        String[] fields = {"envelope.nonce", "envelope.nonce", "envelope.fee.amount", "envelope.fee.amount",
            "envelope.fee.gasLimit", "envelope.fee.gasLimit"};
        for (int i = 0; i < negative.size(); i++) {
            assertRefused(raw(negative.get(i)), fields[i]);
        }
        SignedTransaction zero = decodes(raw(r -> {
            r.nonce = 0;
            r.feeAmount = 0;
            r.gasLimit = 0;
        }));
        assertEquals(0, zero.nonce());
        assertEquals(Fee.ZERO, zero.fee());
        SignedTransaction max = decodes(raw(r -> {
            r.nonce = Long.MAX_VALUE;
            r.feeAmount = Long.MAX_VALUE;
            r.gasLimit = Long.MAX_VALUE;
        }));
        assertEquals(new Fee(Long.MAX_VALUE, Long.MAX_VALUE), max.fee());
        assertEquals(Long.MAX_VALUE, max.nonce());
    }

    @Test
    void theMethodNameIs3To64CharactersOfTheGrammar() throws DecodeException {
        assertEquals("a.B", decodes(raw(r -> r.method = ascii("a.B"))).method());
        assertEquals(64, decodes(raw(r -> r.method = ascii(Envelopes.methodOfLength(64)))).method().length());
        assertRefused(raw(r -> r.method = ascii("aB")), "envelope.method: length 2");
        assertRefused(raw(r -> r.method = ascii(Envelopes.methodOfLength(65))), "envelope.method");
        assertRefused(raw(r -> r.method = new byte[0]), "envelope.method");
        for (String bad : new String[] {"Staking.Transfer", "staking.transfer", "staking_Transfer", "staking.Tr-x",
            "staking..Transfer", ".Transfer", "staking.", "staking.Transf\u00e9r"}) {
            assertRefused(raw(r -> r.method = bad.getBytes(StandardCharsets.UTF_8)), "envelope.method");
        }
        assertRefused(raw(r -> r.method = new byte[] {'a', '.', 'B', (byte) 0xff}), "envelope.method");
        for (int lying : new int[] {-1, Integer.MIN_VALUE, 65, 1 << 20}) {
            assertRefused(raw(r -> r.methodLength = lying), "envelope.method");
        }
    }

    @Test
    void theBodyIsAtMost16KiB() throws DecodeException {
        assertEquals(16 * 1024, TxLimits.MAX_BODY_BYTES);
        decodes(raw(r -> r.body = new byte[0]));
        decodes(raw(r -> r.body = new byte[TxLimits.MAX_BODY_BYTES]));
        // the short chain id and method keep this under the envelope limit: the body's own bound must refuse it
        byte[] over = raw(r -> r.body = new byte[TxLimits.MAX_BODY_BYTES + 1]);
        assertTrue(over.length <= TxLimits.MAX_ENVELOPE_BYTES);
        assertRefused(over, "envelope.body");
        for (int lying : new int[] {-1, Integer.MIN_VALUE, TxLimits.MAX_BODY_BYTES + 1}) {
            assertRefused(raw(r -> r.bodyLength = lying), "envelope.body");
        }
    }

    @Test
    void aTrailingByteIsRefused() {
        assertRefused(raw(r -> r.trailing = new byte[] {0}), "envelope: 1 trailing bytes");
    }

    @Test
    void everyTruncationIsRefused_namingTheFieldBeingRead() throws DecodeException {
        SignedTransaction tx = Envelopes.typical();
        byte[] bytes = SignedTransactionCodec.encode(tx);
        // field -> its size in the encoding, in order (length prefixes belong to their field)
        List<Object[]> layout = List.of(new Object[] {"envelope.version", 1},
                new Object[] {"envelope.chainId", 4 + tx.chainId().length()},
                new Object[] {"envelope.signer", 32}, new Object[] {"envelope.nonce", 8},
                new Object[] {"envelope.fee.amount", 8}, new Object[] {"envelope.fee.gasLimit", 8},
                new Object[] {"envelope.method", 4 + tx.method().length()},
                new Object[] {"envelope.body", 4 + tx.body().length}, new Object[] {"envelope.signature", 64});
        List<String> fieldAt = new ArrayList<>();
        for (Object[] field : layout) {
            for (int i = 0; i < (int) field[1]; i++) {
                fieldAt.add((String) field[0]);
            }
        }
        assertEquals(bytes.length, fieldAt.size());
        for (int n = 0; n < bytes.length; n++) {
            DecodeException e = assertRefused(Arrays.copyOf(bytes, n), fieldAt.get(n));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        assertEquals(tx, SignedTransactionCodec.decode(bytes));
    }

    @Test
    void randomBytes_andRandomByteFlips_giveADecodeExceptionOrACanonicalEnvelope() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        byte[] valid = SignedTransactionCodec.encode(Envelopes.typical());
        int decoded = 0;
        for (int i = 0; i < 3_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(0, 400)];
                random.nextBytes(input);
                if (input.length > 0) {
                    input[0] = SignedTransactionCodec.VERSION;
                }
            } else {
                input = valid.clone();
                input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
            }
            try {
                SignedTransaction tx = SignedTransactionCodec.decode(input);
                assertArrayEquals(input, SignedTransactionCodec.encode(tx), "input " + i + " is not canonical");
                decoded++;
            } catch (DecodeException expected) {
                assertTrue(expected.getMessage().startsWith("envelope"), expected.getMessage());
            }
        }
        assertTrue(decoded > 100, "too few flipped envelopes decoded (" + decoded + ") to test anything");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The typical envelope's raw fields, changed by {@code change}, encoded (its signature no longer matches). */
    private static byte[] raw(Consumer<Envelopes.Raw> change) {
        Envelopes.Raw r = Envelopes.Raw.of(Envelopes.typical());
        change.accept(r);
        return r.encoding();
    }

    private static SignedTransaction decodes(byte[] bytes) throws DecodeException {
        SignedTransaction tx = SignedTransactionCodec.decode(bytes);
        assertArrayEquals(bytes, SignedTransactionCodec.encode(tx));
        return tx;
    }

    static DecodeException assertRefused(byte[] bytes, String messagePrefix) {
        DecodeException e = assertThrows(DecodeException.class, () -> SignedTransactionCodec.decode(bytes),
                "expected a refusal naming " + messagePrefix);
        assertTrue(e.getMessage().startsWith(messagePrefix), "expected '" + messagePrefix + "...', got: "
                + e.getMessage());
        return e;
    }
}
