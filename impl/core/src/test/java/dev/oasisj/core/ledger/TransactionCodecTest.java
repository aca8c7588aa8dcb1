package dev.oasisj.core.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.Signer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TransactionCodecTest {
    private final Signer alice = TestChains.key("alice");
    private final Signer bob = TestChains.key("bob");

    @Test
    void encodeThenDecodeGivesTheSameTransactionAndBytes_forRandomFields() {
        qt().withExamples(200)
                .forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 64), longs().all(), longs().all(),
                        longs().all())
                .checkAssert((chain, amount, fee, nonce) -> {
                    Transaction tx = Transaction.sign(alice, chain, bob.publicKey(), amount, fee, nonce);
                    byte[] bytes = TransactionCodec.encode(tx);
                    Transaction back = decode(bytes);
                    assertEquals(tx, back);
                    assertArrayEquals(bytes, TransactionCodec.encode(back));
                    assertTrue(back.hasValidSignature());
                });
    }

    @Test
    void everyTruncationIsRejected() throws DecodeException {
        byte[] bytes = TransactionCodec.encode(Transaction.sign(alice, TestChains.CHAIN, bob.publicKey(), 5, 1, 0));
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            DecodeException e = assertThrows(DecodeException.class, () -> TransactionCodec.decode(cut), "length " + n);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        TransactionCodec.decode(bytes);
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = TransactionCodec.encode(Transaction.sign(alice, TestChains.CHAIN, bob.publicKey(), 5, 1, 0));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        DecodeException e = assertThrows(DecodeException.class, () -> TransactionCodec.decode(longer));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void oversizedInputIsRejectedBeforeDecoding() {
        byte[] huge = new byte[LedgerLimits.MAX_TRANSACTION_BYTES + 1];
        huge[0] = TransactionCodec.VERSION;
        DecodeException e = assertThrows(DecodeException.class, () -> TransactionCodec.decode(huge));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
    }

    @Test
    void anUnknownVersionOrATooLongChainIdIsRejected() {
        byte[] bytes = TransactionCodec.encode(Transaction.sign(alice, TestChains.CHAIN, bob.publicKey(), 5, 1, 0));
        bytes[0] = 2;
        assertTrue(assertThrows(DecodeException.class, () -> TransactionCodec.decode(bytes)).getMessage()
                .contains("version"));
        byte[] longChain = TransactionCodec.encode(
                Transaction.sign(alice, "x".repeat(65), bob.publicKey(), 5, 1, 0));
        assertTrue(assertThrows(DecodeException.class, () -> TransactionCodec.decode(longChain)).getMessage()
                .contains("chainId"));
    }

    @Test
    void randomBytesNeverThrowAnythingButDecodeException() {
        qt().withExamples(2_000).forAll(integers().between(0, 600), longs().all()).checkAssert((len, seed) -> {
            byte[] b = new byte[len];
            new java.util.SplittableRandom(seed).nextBytes(b);
            if (len > 0) {
                b[0] = 1;
            }
            try {
                TransactionCodec.decode(b);
            } catch (DecodeException expected) {
                // fine: the only allowed failure
            }
        });
    }

    @Test
    void theSignatureCoversTheChainId_soATransactionCannotBeMovedToAnotherChain() {
        Transaction tx = Transaction.sign(alice, "chain-a", bob.publicKey(), 5, 1, 0);
        Transaction moved = new Transaction("chain-b", tx.sender(), tx.recipient(), 5, 1, 0, tx.signature());
        assertTrue(tx.hasValidSignature());
        assertTrue(!moved.hasValidSignature());
    }

    private static Transaction decode(byte[] b) {
        try {
            return TransactionCodec.decode(b);
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }
}
