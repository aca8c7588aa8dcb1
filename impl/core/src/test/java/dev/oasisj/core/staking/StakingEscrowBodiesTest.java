package dev.oasisj.core.staking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.tx.BodyCodec;
import dev.oasisj.core.tx.Fee;
import dev.oasisj.core.tx.MethodRegistry;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.TxDecodeResult;
import dev.oasisj.core.tx.TxMethod;
import dev.oasisj.core.tx.TxRejectReason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The bodies of {@code staking.AddEscrow} and {@code staking.ReclaimEscrow}: the entity's key then an 8-byte
 * big-endian non-negative quantity, exactly 40 bytes; structural checks only ([TX-BODY-CANONICAL.1]).
 */
class StakingEscrowBodiesTest {
    private static final Signer ALICE = Signer.deterministic("alice", 0);
    private static final PublicKey ENTITY = Signer.deterministic("entity", 0).publicKey();

    /** One body type's codec, constructor and field names, so each check runs for both methods. */
    private record Case<T extends Object>(TxMethod<T> method, BodyCodec<T> codec, String prefix, String keyField,
            String quantityField, BiFunction<PublicKey, Long, T> make) {}

    private static final List<Case<?>> CASES = List.of(
            new Case<>(StakingMethods.ADD_ESCROW, AddEscrowCodec.INSTANCE, "addEscrow", "addEscrow.entity",
                    "addEscrow.amount", AddEscrow::new),
            new Case<>(StakingMethods.RECLAIM_ESCROW, ReclaimEscrowCodec.INSTANCE, "reclaimEscrow",
                    "reclaimEscrow.entity", "reclaimEscrow.shares", ReclaimEscrow::new));

    /** The layout written independently of the codecs. */
    private static byte[] layout(byte[] key, long quantity) {
        return ByteBuffer.allocate(40).put(key).putLong(quantity).array();
    }

    private static long randomQuantity(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> Long.MAX_VALUE;
            case 2 -> random.nextLong(1_000);
            default -> random.nextLong(Long.MAX_VALUE);
        };
    }

    @Test
    void randomBodies_roundTrip_asTheKeyThenTheBigEndianQuantity() throws DecodeException {
        for (Case<?> c : CASES) {
            roundTrips(c);
        }
        assertEquals(40, AddEscrow.ENCODED_SIZE_BYTES);
        assertEquals(40, ReclaimEscrow.ENCODED_SIZE_BYTES);
    }

    private static <T extends Object> void roundTrips(Case<T> c) throws DecodeException {
        SplittableRandom random = new SplittableRandom(41);
        for (int i = 0; i < 300; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            long quantity = randomQuantity(random);
            T body = c.make().apply(PublicKey.of(key), quantity);
            byte[] bytes = c.codec().encode(body);
            assertArrayEquals(layout(key, quantity), bytes, body.toString());
            assertEquals(body, c.codec().decode(bytes));
        }
    }

    @Test
    void aNegativeQuantity_isNotABody() {
        for (Case<?> c : CASES) {
            for (long quantity : new long[] {-1, Long.MIN_VALUE}) {
                DecodeException e = assertThrows(DecodeException.class,
                        () -> c.codec().decode(layout(ENTITY.toBytes(), quantity)));
                assertEquals(c.quantityField() + ": negative (" + quantity + ")", e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> c.make().apply(ENTITY, quantity));
            }
        }
    }

    @Test
    void everyTruncation_andATrailingByte_areRefusedNamingTheField() {
        for (Case<?> c : CASES) {
            byte[] valid = layout(ENTITY.toBytes(), 5);
            for (int n = 0; n < 40; n++) {
                byte[] cut = Arrays.copyOf(valid, n);
                DecodeException e = assertThrows(DecodeException.class, () -> c.codec().decode(cut));
                String field = n < 32 ? c.keyField() : c.quantityField();
                assertTrue(e.getMessage().startsWith(field + ": truncated"), e.getMessage());
            }
            DecodeException e = assertThrows(DecodeException.class,
                    () -> c.codec().decode(Arrays.copyOf(valid, 41)));
            assertEquals(c.prefix() + ": 1 trailing bytes", e.getMessage());
        }
    }

    private static SignedTransaction call(String method, byte[] body) {
        return SignedTransaction.sign(ALICE, "oasisj-test", 0, Fee.ZERO, method, body);
    }

    private static final MethodRegistry REGISTRY = register();

    private static MethodRegistry register() {
        MethodRegistry registry = new MethodRegistry();
        StakingMethods.ALL.forEach(registry::register);
        return registry;
    }

    private static TxRejectReason rejection(String method, byte[] body) {
        return assertInstanceOf(TxDecodeResult.Rejected.class, REGISTRY.decode(call(method, body))).reason();
    }

    @Test
    void throughTheRegistry_aValidBodyDecodes_aShortOneIsMalformed_aLongOneTooLarge() {
        byte[] valid = layout(ENTITY.toBytes(), 7);
        TxDecodeResult add = REGISTRY.decode(call("staking.AddEscrow", valid));
        assertEquals(new AddEscrow(ENTITY, 7), StakingMethods.ADD_ESCROW.bodyOf(add).orElseThrow());
        TxDecodeResult reclaim = REGISTRY.decode(call("staking.ReclaimEscrow", valid));
        assertEquals(new ReclaimEscrow(ENTITY, 7), StakingMethods.RECLAIM_ESCROW.bodyOf(reclaim).orElseThrow());
        for (String method : List.of("staking.AddEscrow", "staking.ReclaimEscrow")) {
            assertEquals(TxRejectReason.MALFORMED_BODY, rejection(method, Arrays.copyOf(valid, 39)));
            assertEquals(TxRejectReason.MALFORMED_BODY, rejection(method, layout(ENTITY.toBytes(), -7)));
            // one byte over the exact size is over the method's bound: refused before the codec sees it
            assertEquals(TxRejectReason.BODY_TOO_LARGE, rejection(method, Arrays.copyOf(valid, 41)));
        }
    }

    @Test
    void everyFortyByteInputWithANonNegativeQuantity_reencodesToItself() {
        // Our codecs are exact (every 40-byte input with a non-negative quantity is the encoding of its value), so a
        // decoded body always re-encodes to its input: checked here over random inputs.
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 300; i++) {
            byte[] bytes = new byte[40];
            random.nextBytes(bytes);
            bytes[32] &= 0x7f;
            for (Case<?> c : CASES) {
                assertArrayEquals(bytes, reencode(c, bytes));
            }
        }
    }

    private static <T extends Object> byte[] reencode(Case<T> c, byte[] bytes) {
        try {
            return c.codec().encode(c.codec().decode(bytes));
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void stakingDeclaresItsMethods_withTheirExactBodySizes_inNameOrder() {
        assertEquals("staking.AddEscrow", StakingMethods.ADD_ESCROW.name());
        assertEquals("staking.ReclaimEscrow", StakingMethods.RECLAIM_ESCROW.name());
        assertEquals(40, StakingMethods.ADD_ESCROW.maxBodyBytes());
        assertEquals(40, StakingMethods.RECLAIM_ESCROW.maxBodyBytes());
        assertEquals(List.of("staking.AddEscrow", "staking.ReclaimEscrow", "staking.Transfer"),
                REGISTRY.methodNames());
    }
}
