package dev.oasisj.core.tx;

import static dev.oasisj.core.tx.Envelopes.ALICE;
import static dev.oasisj.core.tx.Envelopes.BOB;
import static dev.oasisj.core.tx.Envelopes.CHAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.staking.Transfer;
import dev.oasisj.core.staking.TransferCodec;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Services register methods; the registry refuses unknown methods and any body that is not one value's encoding.
 * [TX-METHOD-REGISTRY.1], [TX-BODY-CANONICAL.1].
 */
class MethodRegistryTest {

    /** Any bytes, as a hex string; counts its decodes, so a test can see that a codec never ran. */
    static final class RawHexCodec implements BodyCodec<String> {
        int decodes;

        @Override
        public byte[] encode(String body) {
            return HexFormat.of().parseHex(body);
        }

        @Override
        public String decode(byte[] bytes) {
            decodes++;
            return HexFormat.of().formatHex(bytes);
        }
    }

    /**
     * A deliberately lax codec: one byte is the value, and it also accepts that byte followed by a zero padding byte,
     * so the value 5 has two encodings ({5} and {5, 0}); it encodes only the first.
     */
    static final class PaddedByteCodec implements BodyCodec<Integer> {
        @Override
        public byte[] encode(Integer body) {
            return new byte[] {body.byteValue()};
        }

        @Override
        public Integer decode(byte[] bytes) throws DecodeException {
            if (bytes.length == 1 || (bytes.length == 2 && bytes[1] == 0)) {
                return bytes[0] & 0xff;
            }
            throw new DecodeException("padded: " + bytes.length + " bytes");
        }
    }

    /** Writes zeros over its input before decoding it as hex: the registry must hand it a copy. */
    static final class ScribblingCodec implements BodyCodec<String> {
        @Override
        public byte[] encode(String body) {
            return HexFormat.of().parseHex(body);
        }

        @Override
        public String decode(byte[] bytes) {
            String value = HexFormat.of().formatHex(bytes);
            java.util.Arrays.fill(bytes, (byte) 0);
            return value;
        }
    }

    private static SignedTransaction call(String method, byte[] body) {
        return SignedTransaction.sign(ALICE, CHAIN, 0, Fee.ZERO, method, body);
    }

    private static byte[] transferBody(long amount) {
        return TransferCodec.INSTANCE.encode(new Transfer(BOB.publicKey(), amount));
    }

    private static TxDecodeResult.Rejected rejected(TxDecodeResult result, TxRejectReason reason) {
        TxDecodeResult.Rejected r = assertInstanceOf(TxDecodeResult.Rejected.class, result);
        assertEquals(reason, r.reason(), r.detail());
        return r;
    }

    private final MethodRegistry staking = new MethodRegistry().register(StakingMethods.TRANSFER);

    @Test
    void aRegisteredMethodsBody_decodesToItsTypedValue() {
        SignedTransaction tx = call("staking.Transfer", transferBody(5));
        TxDecodeResult result = staking.decode(tx);
        TxDecodeResult.Decoded<?> decoded = assertInstanceOf(TxDecodeResult.Decoded.class, result);
        assertSame(tx, decoded.transaction());
        assertSame(StakingMethods.TRANSFER, decoded.method());
        assertEquals(new Transfer(BOB.publicKey(), 5), decoded.body());
        assertEquals(Optional.of(new Transfer(BOB.publicKey(), 5)), StakingMethods.TRANSFER.bodyOf(result));
        assertEquals(decoded, staking.decode(tx));
        assertEquals(decoded.hashCode(), staking.decode(tx).hashCode());
        assertNotEquals(decoded, staking.decode(call("staking.Transfer", transferBody(6))));
        assertTrue(decoded.toString().contains("staking.Transfer"), decoded.toString());
    }

    @Test
    void decodedResultsAreEqualExactlyWhenEnvelopeMethodAndBodyAre() {
        SignedTransaction tx = call("staking.Transfer", transferBody(5));
        SignedTransaction otherTx = SignedTransaction.sign(ALICE, CHAIN, 1, Fee.ZERO, "staking.Transfer",
                transferBody(5));
        Transfer body = new Transfer(BOB.publicKey(), 5);
        TxMethod<Transfer> sameNameOtherLimit = new TxMethod<>("staking.Transfer", TransferCodec.INSTANCE, 41);
        var decoded = new TxDecodeResult.Decoded<>(tx, StakingMethods.TRANSFER, body);
        var same = new TxDecodeResult.Decoded<>(tx, StakingMethods.TRANSFER, new Transfer(BOB.publicKey(), 5));
        assertEquals(decoded, same);
        assertEquals(decoded.hashCode(), same.hashCode());
        List<TxDecodeResult.Decoded<Transfer>> others = List.of(
                new TxDecodeResult.Decoded<>(otherTx, StakingMethods.TRANSFER, body),
                new TxDecodeResult.Decoded<>(tx, sameNameOtherLimit, body),
                new TxDecodeResult.Decoded<>(tx, StakingMethods.TRANSFER, new Transfer(BOB.publicKey(), 6)));
        for (TxDecodeResult.Decoded<Transfer> other : others) {
            assertNotEquals(decoded, other, other.toString());
            assertNotEquals(decoded.hashCode(), other.hashCode(), other.toString());
        }
        assertNotEquals(decoded, new TxDecodeResult.Rejected(tx, TxRejectReason.UNKNOWN_METHOD, "x"));
    }

    @Test
    void anUnknownMethod_isRejectedWithItsName() {
        TxDecodeResult result = staking.decode(call("staking.Burn", transferBody(5)));
        TxDecodeResult.Rejected r = rejected(result, TxRejectReason.UNKNOWN_METHOD);
        assertTrue(r.detail().contains("staking.Burn"), r.detail());
        assertEquals(Optional.empty(), StakingMethods.TRANSFER.bodyOf(result));
        rejected(new MethodRegistry().decode(call("staking.Transfer", transferBody(5))), TxRejectReason.UNKNOWN_METHOD);
        rejected(staking.decode(call("staking.Transfer2", transferBody(5))), TxRejectReason.UNKNOWN_METHOD);
    }

    @Test
    void aBodyOverTheMethodsOwnLimit_isRejectedBeforeItsCodecRuns() {
        RawHexCodec codec = new RawHexCodec();
        MethodRegistry registry = new MethodRegistry().register(new TxMethod<>("test.Raw", codec, 10));
        TxDecodeResult atLimit = registry.decode(call("test.Raw", new byte[10]));
        assertInstanceOf(TxDecodeResult.Decoded.class, atLimit);
        assertEquals(1, codec.decodes);
        TxDecodeResult.Rejected r = rejected(registry.decode(call("test.Raw", new byte[11])),
                TxRejectReason.BODY_TOO_LARGE);
        assertTrue(r.detail().contains("11 bytes") && r.detail().contains("limit of 10"), r.detail());
        assertEquals(1, codec.decodes, "the codec must not see a body over the method's limit");
    }

    @Test
    void aMethodWithNoBody_acceptsOnlyTheEmptyBody() {
        MethodRegistry registry = new MethodRegistry().register(new TxMethod<>("test.Ping", new RawHexCodec(), 0));
        assertInstanceOf(TxDecodeResult.Decoded.class, registry.decode(call("test.Ping", new byte[0])));
        rejected(registry.decode(call("test.Ping", new byte[1])), TxRejectReason.BODY_TOO_LARGE);
    }

    @Test
    void aTransferBodyOfTheWrongSize_orANegativeAmount_isRejected() {
        byte[] body = transferBody(5);
        rejected(staking.decode(call("staking.Transfer", java.util.Arrays.copyOf(body, 41))),
                TxRejectReason.BODY_TOO_LARGE);
        TxDecodeResult.Rejected shortBody = rejected(
                staking.decode(call("staking.Transfer", java.util.Arrays.copyOf(body, 39))),
                TxRejectReason.MALFORMED_BODY);
        assertTrue(shortBody.detail().startsWith("staking.Transfer: transfer.amount"), shortBody.detail());
        byte[] negative = body.clone();
        negative[32] = (byte) 0x80;
        TxDecodeResult.Rejected r = rejected(staking.decode(call("staking.Transfer", negative)),
                TxRejectReason.MALFORMED_BODY);
        assertTrue(r.detail().contains("transfer.amount: negative"), r.detail());
        rejected(staking.decode(call("staking.Transfer", new byte[0])), TxRejectReason.MALFORMED_BODY);
    }

    @Test
    void aBodyThatDecodesButReEncodesToOtherBytes_isNonCanonical() {
        TxMethod<Integer> padded = new TxMethod<>("test.Padded", new PaddedByteCodec(), 2);
        MethodRegistry registry = new MethodRegistry().register(padded);
        TxDecodeResult canonical = registry.decode(call("test.Padded", new byte[] {5}));
        assertEquals(Optional.of(5), padded.bodyOf(canonical));
        TxDecodeResult.Rejected r = rejected(registry.decode(call("test.Padded", new byte[] {5, 0})),
                TxRejectReason.NON_CANONICAL_BODY);
        assertTrue(r.detail().startsWith("test.Padded"), r.detail());
        assertEquals(Optional.empty(), padded.bodyOf(r));
        rejected(registry.decode(call("test.Padded", new byte[] {5, 1})), TxRejectReason.MALFORMED_BODY);
        rejected(registry.decode(call("test.Padded", new byte[0])), TxRejectReason.MALFORMED_BODY);
    }

    @Test
    void theCodecGetsACopy_soItCannotChangeTheEnvelope() {
        MethodRegistry registry = new MethodRegistry().register(new TxMethod<>("test.Scribble", new ScribblingCodec(),
                8));
        SignedTransaction tx = call("test.Scribble", new byte[] {1, 2, 3});
        TxDecodeResult result = registry.decode(tx);
        assertInstanceOf(TxDecodeResult.Decoded.class, result);
        assertArrayEquals(new byte[] {1, 2, 3}, tx.body());
        assertTrue(tx.hasValidSignature());
    }

    @Test
    void registeringANameTwice_throws_andTheFirstRegistrationStays() {
        MethodRegistry registry = new MethodRegistry().register(StakingMethods.TRANSFER);
        TxMethod<String> impostor = new TxMethod<>("staking.Transfer", new RawHexCodec(), 40);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.register(impostor));
        assertTrue(e.getMessage().contains("staking.Transfer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.register(StakingMethods.TRANSFER));
        assertEquals(Optional.of(StakingMethods.TRANSFER), registry.method("staking.Transfer"));
        TxDecodeResult result = registry.decode(call("staking.Transfer", transferBody(5)));
        assertEquals(Optional.of(new Transfer(BOB.publicKey(), 5)), StakingMethods.TRANSFER.bodyOf(result));
        assertEquals(Optional.empty(), impostor.bodyOf(result));
        assertEquals(List.of("staking.Transfer"), registry.methodNames());
    }

    @Test
    void aMethodNeedsAValidNameAndABodyLimitWithinTheEnvelopes() {
        RawHexCodec codec = new RawHexCodec();
        assertThrows(IllegalArgumentException.class, () -> new TxMethod<>("staking.transfer", codec, 1));
        assertThrows(IllegalArgumentException.class, () -> new TxMethod<>("aB", codec, 1));
        assertThrows(IllegalArgumentException.class, () -> new TxMethod<>("a.B", codec, -1));
        assertThrows(IllegalArgumentException.class, () -> new TxMethod<>("a.B", codec, TxLimits.MAX_BODY_BYTES + 1));
        assertEquals(0, new TxMethod<>("a.B", codec, 0).maxBodyBytes());
        assertEquals(TxLimits.MAX_BODY_BYTES, new TxMethod<>("a.B", codec, TxLimits.MAX_BODY_BYTES).maxBodyBytes());
    }

    @Test
    void theRegistryIsOrderedByName_whateverTheRegistrationOrder() {
        RawHexCodec codec = new RawHexCodec();
        List<TxMethod<?>> methods = List.of(new TxMethod<>("zeta.Last", codec, 1), StakingMethods.TRANSFER,
                new TxMethod<>("alpha.First", codec, 1), new TxMethod<>("staking.Burn", codec, 1));
        MethodRegistry forward = new MethodRegistry();
        MethodRegistry backward = new MethodRegistry();
        for (int i = 0; i < methods.size(); i++) {
            forward.register(methods.get(i));
            backward.register(methods.get(methods.size() - 1 - i));
        }
        List<String> sorted = List.of("alpha.First", "staking.Burn", "staking.Transfer", "zeta.Last");
        assertEquals(sorted, forward.methodNames());
        assertEquals(sorted, backward.methodNames());
        SignedTransaction tx = call("staking.Transfer", transferBody(9));
        assertEquals(forward.decode(tx), backward.decode(tx));
        assertEquals(Optional.empty(), forward.method("beta.None"));
    }
}
