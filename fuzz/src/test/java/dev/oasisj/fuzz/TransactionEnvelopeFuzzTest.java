package dev.oasisj.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.DecodedKeyCache;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.tx.BodyCodec;
import dev.oasisj.core.tx.Fee;
import dev.oasisj.core.tx.MethodRegistry;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.SignedTransactionCodec;
import dev.oasisj.core.tx.TxDecodeResult;
import dev.oasisj.core.tx.TxLimits;
import dev.oasisj.core.tx.TxMethod;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The transaction envelope ({@link SignedTransactionCodec}) and the method registry ({@link MethodRegistry}) on
 * arbitrary bytes. Properties, on every input:
 * <ul>
 *   <li>The codec's only failure is a {@link DecodeException} whose reason names an {@code envelope} field; the
 *       registry's only answer is {@code Decoded} or {@code Rejected} (any exception escapes and is a finding).</li>
 *   <li>A decoded envelope is at most {@link TxLimits#MAX_ENVELOPE_BYTES}, re-encodes to exactly the input (one
 *       encoding per envelope), decodes back equal, reports its encoded size, and hashes to SHA-256 of the input.</li>
 *   <li>{@code hasValidSignature} (cached or not) agrees with Ed25519 over the signing bytes written here from the
 *       documented layout, not by the code under test.</li>
 *   <li>The registry's answer is the one an independent reading of its documented rules gives: unknown method, body
 *       over the method's bound, codec refusal, re-encoding to other bytes, in that order; a decoded body re-encodes
 *       to exactly the envelope's body.</li>
 * </ul>
 * {@code decode} reads the input as an envelope; {@code body} signs an envelope around a fuzzed body so that the
 * bodies reach the codecs with a valid signature.
 */
class TransactionEnvelopeFuzzTest {

    /**
     * A deliberately lax body codec: a big-endian unsigned number of at most 8 bytes that accepts leading zero bytes,
     * so the same value has many encodings; only the registry's re-encoding check refuses the padded ones.
     */
    static final class LaxNumberCodec implements BodyCodec<Long> {
        @Override
        public byte[] encode(Long body) {
            long v = body;
            int n = (64 - Long.numberOfLeadingZeros(v) + 7) / 8;
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[n - 1 - i] = (byte) (v >>> (8 * i));
            }
            return out;
        }

        @Override
        public Long decode(byte[] bytes) throws DecodeException {
            if (bytes.length > 8) {
                throw new DecodeException("lax: " + bytes.length + " bytes");
            }
            long v = 0;
            for (byte b : bytes) {
                v = (v << 8) | (b & 0xff);
            }
            return v;
        }
    }

    static final TxMethod<Long> LAX = new TxMethod<>("fuzz.Lax", new LaxNumberCodec(), 16);
    /** Every service method there is (staking, registry, beacon) and the lax test method. */
    static final MethodRegistry REGISTRY = registry();

    private static MethodRegistry registry() {
        MethodRegistry r = new MethodRegistry().register(LAX);
        for (List<TxMethod<?>> methods : List.of(StakingMethods.ALL, dev.oasisj.core.registry.RegistryMethods.ALL,
                dev.oasisj.core.beacon.BeaconMethods.ALL)) {
            for (TxMethod<?> m : methods) {
                r = r.register(m);
            }
        }
        return r;
    }
    /** The body target's first byte picks one of these (the first three as before the service methods came). */
    private static final String[] BODY_METHODS = {"staking.Transfer", "fuzz.Lax", "fuzz.Unknown", "staking.AddEscrow",
        "staking.ReclaimEscrow", "registry.RegisterEntity", "registry.RegisterNode", "registry.DeregisterNode",
        "registry.RegisterRuntime", "beacon.SubmitProof"};

    private final DecodedKeyCache keys = new DecodedKeyCache();

    @FuzzTest
    void decode(byte[] input) {
        SignedTransaction tx;
        try {
            tx = SignedTransactionCodec.decode(input);
        } catch (DecodeException e) {
            assertNotNull(e.getMessage(), "a DecodeException must carry a reason");
            assertTrue(e.getMessage().startsWith("envelope"), "the reason must name a field: " + e.getMessage());
            return;
        }
        checkEnvelope(tx, input);
        checkRegistry(tx);
    }

    @FuzzTest
    void body(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String method = BODY_METHODS[(input[0] & 0xff) % BODY_METHODS.length];
        byte[] body = Arrays.copyOfRange(input, 1, Math.min(input.length, 1 + TxLimits.MAX_BODY_BYTES));
        SignedTransaction tx = SignedTransaction.sign(FuzzFixtures.ALICE, FuzzFixtures.CHAIN_ID, input.length,
                new Fee(input[0] & 0xff, body.length), method, body);
        byte[] encoded = SignedTransactionCodec.encode(tx);
        SignedTransaction back;
        try {
            back = SignedTransactionCodec.decode(encoded);
        } catch (DecodeException e) {
            fail("a signed envelope's encoding does not decode: " + e.getMessage());
            return;
        }
        assertEquals(tx, back);
        checkEnvelope(back, encoded);
        assertTrue(back.hasValidSignature(), "an envelope signed by alice does not verify");
        checkRegistry(back);
    }

    private void checkEnvelope(SignedTransaction tx, byte[] input) {
        assertTrue(input.length <= TxLimits.MAX_ENVELOPE_BYTES,
                "decoded " + input.length + " bytes, above the limit " + TxLimits.MAX_ENVELOPE_BYTES);
        byte[] reencoded = SignedTransactionCodec.encode(tx);
        assertArrayEquals(input, reencoded, "re-encoding of " + tx + " differs from the input: not canonical");
        assertEquals(input.length, tx.encodedSizeBytes());
        try {
            assertEquals(tx, SignedTransactionCodec.decode(reencoded), "decode(encode(tx)) != tx");
        } catch (DecodeException e) {
            fail("the encoding of a decoded envelope does not decode: " + e.getMessage());
        }
        assertEquals(Hash32.sha256(input), tx.hash(), "the hash is not SHA-256 of the encoding");
        boolean expected = tx.signer().verify(expectedSigningBytes(tx), tx.signature());
        assertEquals(expected, tx.hasValidSignature(), "hasValidSignature disagrees with the documented bytes");
        assertEquals(expected, tx.hasValidSignature(keys), "the key cache changes the verdict");
    }

    private static void checkRegistry(SignedTransaction tx) {
        TxDecodeResult result = REGISTRY.decode(tx);
        assertEquals(tx, result.transaction());
        String expected = expectedVerdict(tx);
        if (result instanceof TxDecodeResult.Rejected rejected) {
            assertEquals(expected, rejected.reason().name(), rejected.detail());
            assertFalse(rejected.detail().isBlank());
            return;
        }
        TxDecodeResult.Decoded<?> decoded = (TxDecodeResult.Decoded<?>) result;
        assertEquals(expected, "DECODED", tx.toString());
        assertEquals(tx.method(), decoded.method().name());
        assertArrayEquals(tx.body(), reencode(decoded), "a decoded body does not re-encode to the envelope's body");
        if (decoded.method().equals(StakingMethods.TRANSFER)) {
            assertEquals(Optional.of(decoded.body()), StakingMethods.TRANSFER.bodyOf(result));
        }
    }

    private static <T extends Object> byte[] reencode(TxDecodeResult.Decoded<T> decoded) {
        return decoded.method().codec().encode(decoded.body());
    }

    /** The registry's documented rules, applied here step by step. */
    private static String expectedVerdict(SignedTransaction tx) {
        Optional<TxMethod<?>> method = REGISTRY.method(tx.method());
        if (method.isEmpty()) {
            return "UNKNOWN_METHOD";
        }
        byte[] body = tx.body();
        if (body.length > method.get().maxBodyBytes()) {
            return "BODY_TOO_LARGE";
        }
        return verdictOfCodec(method.get(), body);
    }

    private static <T extends Object> String verdictOfCodec(TxMethod<T> method, byte[] body) {
        T value;
        try {
            value = method.codec().decode(body.clone());
        } catch (DecodeException e) {
            return "MALFORMED_BODY";
        }
        return Arrays.equals(method.codec().encode(value), body) ? "DECODED" : "NON_CANONICAL_BODY";
    }

    /** The signing bytes from the documented layout: length-prefixed domain, then every field but the signature. */
    static byte[] expectedSigningBytes(SignedTransaction tx) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lengthPrefixed(out, "oasisj/tx/v1".getBytes(StandardCharsets.US_ASCII));
        lengthPrefixed(out, tx.chainId().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(tx.signer().toBytes());
        out.writeBytes(ByteBuffer.allocate(24).putLong(tx.nonce()).putLong(tx.fee().amountBaseUnits())
                .putLong(tx.fee().gasLimit()).array());
        lengthPrefixed(out, tx.method().getBytes(StandardCharsets.US_ASCII));
        lengthPrefixed(out, tx.body());
        return out.toByteArray();
    }

    private static void lengthPrefixed(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        out.writeBytes(value);
    }
}
