package dev.oasisj.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.util.Arrays;

/**
 * Arbitrary bytes into {@link ConsensusMessageCodec#decode} (what a validator does with every consensus message a
 * peer sends). Properties:
 * <ul>
 *   <li>The only failure is a {@link DecodeException} with a non-empty reason.</li>
 *   <li>Input above {@link ConsensusMessageCodec#MAX_MESSAGE_BYTES} is always refused.</li>
 *   <li>Canonical encoding: a decoded message re-encodes to exactly the input, and decodes back to an equal one.</li>
 *   <li>The signed bytes are the documented ones: domain prefix, chain id, then the message's own encoding, which
 *       is the input without its trailing signer key and signature. Checked for the fixture chain.</li>
 *   <li>{@link ConsensusMessageCodec#decodeVerified} accepts exactly the messages whose signature verifies over those
 *       bytes, and refuses the others with a {@link DecodeException} (never another exception).</li>
 * </ul>
 */
class ConsensusMessageDecodingFuzzTest {

    @FuzzTest
    void decode(byte[] input) {
        SignedMessage signed;
        try {
            signed = ConsensusMessageCodec.decode(input);
        } catch (DecodeException e) {
            assertNotNull(e.getMessage(), "a DecodeException must carry a reason");
            assertFalse(e.getMessage().isBlank(), "a DecodeException must carry a reason");
            return;
        }
        assertTrue(input.length <= ConsensusMessageCodec.MAX_MESSAGE_BYTES, "decoded a message above the size limit");
        byte[] reencoded = ConsensusMessageCodec.encode(signed);
        assertArrayEquals(input, reencoded, "re-encoding of " + signed + " differs from the input: not canonical");
        try {
            assertEquals(signed, ConsensusMessageCodec.decode(reencoded), "decode(encode(m)) != m");
        } catch (DecodeException e) {
            fail("the encoding of a decoded message does not decode: " + e.getMessage());
        }

        int trailer = PublicKey.SIZE_BYTES + Signer.SIGNATURE_SIZE_BYTES;
        byte[] messageBytes = Arrays.copyOf(input, input.length - trailer);
        byte[] expectedSigned = new Writer().string(SignedMessage.DOMAIN).string(FuzzFixtures.CHAIN_ID)
                .fixed(messageBytes).toBytes();
        assertArrayEquals(expectedSigned, SignedMessage.signingBytes(FuzzFixtures.CHAIN_ID, signed.message()),
                "the signed bytes are not prefix | chain id | message encoding");
        boolean valid = signed.signer().verify(expectedSigned, signed.signature());
        assertEquals(valid, signed.verify(FuzzFixtures.CHAIN_ID), "SignedMessage.verify disagrees with the documented bytes");
        try {
            SignedMessage verified = ConsensusMessageCodec.decodeVerified(input, FuzzFixtures.CHAIN_ID);
            assertTrue(valid, "decodeVerified accepted a message whose signature does not verify");
            assertEquals(signed, verified);
        } catch (DecodeException e) {
            assertFalse(valid, "decodeVerified refused a validly signed message: " + e.getMessage());
        }
    }
}
