package dev.oasisj.core.registry;

import static dev.oasisj.core.registry.RegistryFixture.descriptor;
import static dev.oasisj.core.registry.RegistryFixture.pub;
import static dev.oasisj.core.registry.RegistryFixture.runtimeId;
import static dev.oasisj.core.registry.RegistryFixture.signed;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The registry's bodies: round trips, the documented layouts, and every structural refusal. */
class RegistryCodecsTest {

    private static List<PublicKey> sortedKeys(int n) {
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(pub("listed" + i));
        }
        keys.sort(null);
        return keys;
    }

    private static RuntimeDescriptor randomRuntime(SplittableRandom random) {
        Admission admission = random.nextBoolean() ? new Admission.Permissionless()
                : new Admission.Permissioned(sortedKeys(random.nextInt(4)));
        return new RuntimeDescriptor(runtimeId("r" + random.nextInt()), random.nextInt(), random.nextInt(),
                random.nextInt(), random.nextLong(), random.nextInt(), random.nextInt(), random.nextLong(), admission,
                random.nextBoolean(), random.nextInt(256));
    }

    private static NodeDescriptor randomNode(SplittableRandom random) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (Role r : Role.values()) {
            if (random.nextBoolean()) {
                roles.add(r);
            }
        }
        return descriptor("n" + random.nextInt(), "e" + random.nextInt(), roles, random.nextBoolean(),
                random.nextLong(Long.MAX_VALUE));
    }

    private static <T> void roundTrips(BodyCodec<T> codec, T value) throws DecodeException {
        byte[] bytes = codec.encode(value);
        assertEquals(value, codec.decode(bytes));
        assertArrayEquals(bytes, codec.encode(codec.decode(bytes)));
    }

    @Test
    void randomBodies_roundTrip() throws DecodeException {
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 100; i++) {
            roundTrips(RegistryCodecs.REGISTER_RUNTIME, randomRuntime(random));
            NodeDescriptor d = randomNode(random);
            roundTrips(RegistryCodecs.REGISTER_NODE, new RegisterNode(d, new byte[64], Signer.deterministic("x", i)
                    .sign(d.encode())));
        }
        roundTrips(RegistryCodecs.REGISTER_ENTITY, new RegisterEntity(pub("e1")));
        roundTrips(RegistryCodecs.DEREGISTER_NODE, new DeregisterNode(pub("n1")));
    }

    @Test
    void theNodeLayout_isAsDocumented() {
        RegisterNode body = signed(descriptor("n1", "e1", EnumSet.of(Role.VALIDATOR, Role.KEYMANAGER), true, 77),
                "n1", "e1");
        byte[] expected = ByteBuffer.allocate(RegistryLimits.REGISTER_NODE_BYTES).put(pub("n1").toBytes())
                .put(pub("e1").toBytes()).put((byte) 5).put((byte) 1).putLong(77).put(body.nodeSignature())
                .put(body.entitySignature()).array();
        assertArrayEquals(expected, RegistryCodecs.REGISTER_NODE.encode(body));
        assertEquals(202, RegistryLimits.REGISTER_NODE_BYTES);
    }

    @Test
    void theRuntimeLayout_isAsDocumented_andItsLargestBodyIsTheMethodsBound() {
        List<PublicKey> listed = sortedKeys(RegistryLimits.MAX_PERMISSIONED_ENTITIES);
        RuntimeDescriptor d = new RuntimeDescriptor(runtimeId("r"), 4, 2, 1, 9, 6, 2, 1000,
                new Admission.Permissioned(listed), true, 7);
        ByteBuffer b = ByteBuffer.allocate(RegistryLimits.MAX_REGISTER_RUNTIME_BYTES).put(runtimeId("r").value()
                .toBytes()).putInt(4).putInt(2).putInt(1).putLong(9).putInt(6).putInt(2).putLong(1000).put((byte) 1)
                .putInt(listed.size());
        for (PublicKey k : listed) {
            b.put(k.toBytes());
        }
        b.put((byte) 1).put((byte) 7);
        assertEquals(0, b.remaining(), "the largest runtime body is exactly the method's bound");
        assertArrayEquals(b.array(), RegistryCodecs.REGISTER_RUNTIME.encode(d));
    }

    private static void refused(BodyCodec<?> codec, byte[] bytes, String messageStart) {
        DecodeException e = assertThrows(DecodeException.class, () -> codec.decode(bytes));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }

    @Test
    void everyTruncation_andATrailingByte_areRefused() {
        List<BodyCodec<?>> codecs = new ArrayList<>();
        List<byte[]> encodings = new ArrayList<>();
        RegisterNode node = signed(descriptor("n1", "e1", EnumSet.of(Role.COMPUTE), false, 5), "n1", "e1");
        codecs.add(RegistryCodecs.REGISTER_NODE);
        encodings.add(RegistryCodecs.REGISTER_NODE.encode(node));
        codecs.add(RegistryCodecs.REGISTER_RUNTIME);
        encodings.add(RegistryCodecs.REGISTER_RUNTIME.encode(new RuntimeDescriptor(runtimeId("r"), 1, 0, 0, 1, 1, 1,
                0, new Admission.Permissioned(sortedKeys(2)), false, 0)));
        codecs.add(RegistryCodecs.REGISTER_ENTITY);
        encodings.add(RegistryCodecs.REGISTER_ENTITY.encode(new RegisterEntity(pub("e1"))));
        codecs.add(RegistryCodecs.DEREGISTER_NODE);
        encodings.add(RegistryCodecs.DEREGISTER_NODE.encode(new DeregisterNode(pub("n1"))));
        for (int c = 0; c < codecs.size(); c++) {
            BodyCodec<?> codec = codecs.get(c);
            byte[] full = encodings.get(c);
            for (int n = 0; n < full.length; n++) {
                byte[] cut = Arrays.copyOf(full, n);
                DecodeException e = assertThrows(DecodeException.class, () -> codec.decode(cut));
                assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            }
            DecodeException e = assertThrows(DecodeException.class,
                    () -> codec.decode(Arrays.copyOf(full, full.length + 1)));
            assertTrue(e.getMessage().endsWith("1 trailing bytes"), e.getMessage());
        }
    }

    @Test
    void nodeFields_outsideTheirTypes_areRefused() {
        byte[] good = RegistryCodecs.REGISTER_NODE.encode(
                signed(descriptor("n1", "e1", EnumSet.of(Role.COMPUTE), false, 5), "n1", "e1"));
        byte[] roles = good.clone();
        roles[64] = 0x08;
        refused(RegistryCodecs.REGISTER_NODE, roles, "node.roles");
        roles[64] = 0x07;
        RegisterNode all = assertDoesDecode(roles);
        assertEquals(EnumSet.allOf(Role.class), all.descriptor().roles());
        byte[] tee = good.clone();
        tee[65] = 2;
        refused(RegistryCodecs.REGISTER_NODE, tee, "node.teeCapable");
        byte[] expiry = good.clone();
        expiry[66] = (byte) 0x80;
        refused(RegistryCodecs.REGISTER_NODE, expiry, "node.expiryEpoch: negative");
    }

    private static RegisterNode assertDoesDecode(byte[] bytes) {
        try {
            return RegistryCodecs.REGISTER_NODE.decode(bytes);
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void runtimeFields_outsideTheirTypes_areRefused() {
        List<PublicKey> keys = sortedKeys(2);
        byte[] good = RegistryCodecs.REGISTER_RUNTIME.encode(new RuntimeDescriptor(runtimeId("r"), 1, 0, 0, 1, 1, 1,
                0, new Admission.Permissioned(keys), false, 0));
        int tagAt = 32 + 4 + 4 + 4 + 8 + 4 + 4 + 8;
        byte[] tag = good.clone();
        tag[tagAt] = 2;
        refused(RegistryCodecs.REGISTER_RUNTIME, tag, "runtime.admission: tag 2");
        // the two listed keys swapped: a set with a second encoding
        byte[] swapped = good.clone();
        System.arraycopy(keys.get(1).toBytes(), 0, swapped, tagAt + 5, 32);
        System.arraycopy(keys.get(0).toBytes(), 0, swapped, tagAt + 5 + 32, 32);
        refused(RegistryCodecs.REGISTER_RUNTIME, swapped, "runtime.admission.entities: not strictly ascending");
        byte[] repeated = good.clone();
        System.arraycopy(keys.get(0).toBytes(), 0, repeated, tagAt + 5 + 32, 32);
        refused(RegistryCodecs.REGISTER_RUNTIME, repeated, "runtime.admission.entities: not strictly ascending");
        byte[] count = good.clone();
        ByteBuffer.wrap(count).putInt(tagAt + 1, RegistryLimits.MAX_PERMISSIONED_ENTITIES + 1);
        refused(RegistryCodecs.REGISTER_RUNTIME, count, "runtime.admission.entities: count 101 outside 0..100");
        byte[] tee = good.clone();
        tee[good.length - 2] = 2;
        refused(RegistryCodecs.REGISTER_RUNTIME, tee, "runtime.teeRequired");
    }

    @Test
    void theMethods_areRegisteredWithTheirBounds_andAnOversizedBodyNeverReachesTheCodec() {
        MethodRegistry methods = new MethodRegistry();
        for (TxMethod<?> m : RegistryMethods.ALL) {
            methods.register(m);
        }
        assertEquals(List.of("registry.DeregisterNode", "registry.RegisterEntity", "registry.RegisterNode",
                "registry.RegisterRuntime"), methods.methodNames());
        assertEquals(RegistryLimits.REGISTER_NODE_BYTES, RegistryMethods.REGISTER_NODE.maxBodyBytes());
        assertEquals(3275, RegistryMethods.REGISTER_RUNTIME.maxBodyBytes());
        Signer signer = Signer.deterministic("client", 1);
        byte[] tooBig = new byte[RegistryLimits.MAX_REGISTER_RUNTIME_BYTES + 1];
        TxDecodeResult r = methods.decode(SignedTransaction.sign(signer, "c", 0, new Fee(0, 0),
                "registry.RegisterRuntime", tooBig));
        assertEquals(TxRejectReason.BODY_TOO_LARGE, assertInstanceOf(TxDecodeResult.Rejected.class, r).reason());
        RegisterNode node = signed(descriptor("n1", "e1", EnumSet.of(Role.COMPUTE), false, 5), "n1", "e1");
        TxDecodeResult ok = methods.decode(SignedTransaction.sign(signer, "c", 0, new Fee(0, 0),
                "registry.RegisterNode", RegistryCodecs.REGISTER_NODE.encode(node)));
        assertEquals(node, RegistryMethods.REGISTER_NODE.bodyOf(ok).orElseThrow());
    }

    /** Decodes {@code bytes} and, when that succeeds, checks that the value re-encodes to exactly {@code bytes}. */
    private static <T> boolean decodesCanonically(BodyCodec<T> codec, byte[] bytes) {
        T value;
        try {
            value = codec.decode(bytes);
        } catch (DecodeException e) {
            return false;
        }
        assertArrayEquals(bytes, codec.encode(value), "a decoded body re-encodes to other bytes");
        return true;
    }

    @Test
    void randomlyCorruptedBodies_eitherFailToDecode_orReEncodeToTheSameBytes() {
        SplittableRandom random = new SplittableRandom(77);
        RegisterNode node = signed(descriptor("n1", "e1", EnumSet.of(Role.COMPUTE), false, 5), "n1", "e1");
        byte[] nodeBytes = RegistryCodecs.REGISTER_NODE.encode(node);
        byte[] runtimeBytes = RegistryCodecs.REGISTER_RUNTIME.encode(new RuntimeDescriptor(runtimeId("r"), 1, 0, 0,
                1, 1, 1, 0, new Admission.Permissioned(sortedKeys(3)), false, 0));
        int decoded = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] n = nodeBytes.clone();
            n[random.nextInt(n.length)] = (byte) random.nextInt(256);
            byte[] r = runtimeBytes.clone();
            r[random.nextInt(r.length)] = (byte) random.nextInt(256);
            decoded += decodesCanonically(RegistryCodecs.REGISTER_NODE, n) ? 1 : 0;
            decoded += decodesCanonically(RegistryCodecs.REGISTER_RUNTIME, r) ? 1 : 0;
        }
        assertTrue(decoded > 1000, "most single-byte changes still decode (" + decoded + "), so the check ran");
    }
}
