package dev.oasisj.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.ledger.LedgerLimits;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;

/**
 * Arbitrary bytes into {@link TransactionCodec#decode}. Properties:
 * <ul>
 *   <li>The only failure is a {@link DecodeException} with a non-empty reason (any other exception escapes and is a
 *       finding).</li>
 *   <li>Input above {@link LedgerLimits#MAX_TRANSACTION_BYTES} is always refused (size checked before decoding).</li>
 *   <li>Canonical encoding: a decoded transaction re-encodes to exactly the input bytes, so one transaction has one
 *       encoding and one hash (mempool deduplication and block transaction roots depend on it).</li>
 *   <li>Decoding the re-encoding gives an equal transaction (the record round-trips through its encoding).</li>
 * </ul>
 */
class TransactionDecodingFuzzTest {

    @FuzzTest
    void decode(byte[] input) {
        Transaction tx;
        try {
            tx = TransactionCodec.decode(input);
        } catch (DecodeException e) {
            assertNotNull(e.getMessage(), "a DecodeException must carry a reason");
            assertFalse(e.getMessage().isBlank(), "a DecodeException must carry a reason");
            return;
        }
        assertTrue(input.length <= LedgerLimits.MAX_TRANSACTION_BYTES,
                "decoded " + input.length + " bytes, above the limit " + LedgerLimits.MAX_TRANSACTION_BYTES);
        byte[] reencoded = TransactionCodec.encode(tx);
        assertArrayEquals(input, reencoded, "re-encoding of " + tx + " differs from the input: not canonical");
        Transaction again;
        try {
            again = TransactionCodec.decode(reencoded);
        } catch (DecodeException e) {
            fail("the encoding of a decoded transaction does not decode: " + e.getMessage());
            return;
        }
        assertEquals(tx, again, "decode(encode(tx)) != tx");
        assertEquals(Hash32.sha256(input), tx.hash(), "the transaction hash is not the hash of its encoding");
        // Whatever the bytes, computing what a signature covers and checking it must not throw.
        assertEquals(FuzzFixtures.signatureVerifies(tx), tx.hasValidSignature(),
                "hasValidSignature disagrees with the documented signing bytes for " + tx);
    }
}
