package dev.oasisj.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oasisj.core.crypto.EcVrf;
import java.util.Arrays;
import java.util.Optional;

/**
 * Arbitrary bytes as (public key, proof, alpha) into {@link EcVrf#verify}. The first byte picks how the rest is read
 * (modulo 3):
 * <ul>
 *   <li>0: a 32-byte key, an 80-byte proof and the rest as alpha (the lengths verify expects, so the fuzzer spends
 *       its time in point decoding, the range check and the equation);</li>
 *   <li>1: the key's and the proof's lengths from the next two bytes (0-63 and 0-127), then key, proof, alpha;</li>
 *   <li>2: an honest key from a 32-byte seed, alpha of a length from the next byte (0-63), and the rest XORed onto
 *       the honest proof of alpha, so the fuzzer explores proofs close to a valid one.</li>
 * </ul>
 * Properties: verify never throws; an output it returns is 64 bytes and equals {@link EcVrf#proofToHash} of the
 * proof; under an honest key, an accepted proof for alpha gives the honest output for alpha (uniqueness: a key cannot
 * prove two outputs for one input), and the unmodified honest proof is accepted.
 */
class EcVrfFuzzTest {

    private static byte[] slice(byte[] input, int from, int length) {
        int start = Math.min(from, input.length);
        return Arrays.copyOfRange(input, start, Math.min(input.length, start + Math.max(0, length)));
    }

    @FuzzTest
    void verify(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int mode = (input[0] & 0xff) % 3;
        byte[] pk;
        byte[] pi;
        byte[] alpha;
        byte[] honestBeta = null;
        boolean unmodified = false;
        switch (mode) {
            case 0 -> {
                pk = Arrays.copyOf(slice(input, 1, EcVrf.PUBLIC_KEY_SIZE_BYTES), EcVrf.PUBLIC_KEY_SIZE_BYTES);
                pi = Arrays.copyOf(slice(input, 33, EcVrf.PROOF_SIZE_BYTES), EcVrf.PROOF_SIZE_BYTES);
                alpha = slice(input, 113, input.length);
            }
            case 1 -> {
                int pkLength = input.length > 1 ? input[1] & 63 : 0;
                int piLength = input.length > 2 ? input[2] & 127 : 0;
                pk = slice(input, 3, pkLength);
                pi = slice(input, 3 + pkLength, piLength);
                alpha = slice(input, 3 + pkLength + piLength, input.length);
            }
            default -> {
                byte[] seed = Arrays.copyOf(slice(input, 1, EcVrf.SEED_SIZE_BYTES), EcVrf.SEED_SIZE_BYTES);
                int alphaLength = input.length > 33 ? input[33] & 63 : 0;
                alpha = slice(input, 34, alphaLength);
                byte[] mask = slice(input, 34 + alphaLength, EcVrf.PROOF_SIZE_BYTES);
                pk = EcVrf.publicKey(seed);
                byte[] honest = EcVrf.prove(seed, alpha);
                honestBeta = EcVrf.proofToHash(honest);
                pi = honest.clone();
                unmodified = true;
                for (int i = 0; i < mask.length; i++) {
                    pi[i] ^= mask[i];
                    unmodified &= mask[i] == 0;
                }
            }
        }

        Optional<byte[]> beta = EcVrf.verify(pk, pi, alpha);
        if (beta.isPresent()) {
            assertEquals(EcVrf.OUTPUT_SIZE_BYTES, beta.get().length, "output length");
            assertArrayEquals(EcVrf.proofToHash(pi), beta.get(), "verify's output is not proofToHash(pi)");
            if (honestBeta != null) {
                assertArrayEquals(honestBeta, beta.get(), "a second output for the same key and alpha");
            }
        }
        if (unmodified) {
            assertTrue(beta.isPresent(), "the honest proof was rejected");
        }
    }
}
