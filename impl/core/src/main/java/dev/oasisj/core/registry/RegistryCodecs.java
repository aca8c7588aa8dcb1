package dev.oasisj.core.registry;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.tx.BodyCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical encodings of the registry's bodies (big-endian, as {@link Writer} writes them). Each decoder is
 * structural only ({@link BodyCodec}): it refuses truncation, trailing bytes, a role mask with an unknown bit, a
 * boolean byte other than 0 or 1, a negative expiry epoch, an admission tag other than 0 or 1, a permissioned list
 * longer than {@link RegistryLimits#MAX_PERMISSIONED_ENTITIES} or not strictly ascending; every decoded value
 * re-encodes to its input. Parameter bounds (a runtime's {@code workers >= 1}...) are the registry's rules.
 */
public final class RegistryCodecs {
    private RegistryCodecs() {}

    /** {@code registry.RegisterEntity}: the entity's 32-byte key. */
    public static final BodyCodec<RegisterEntity> REGISTER_ENTITY = new BodyCodec<>() {
        @Override
        public byte[] encode(RegisterEntity body) {
            return body.entity().toBytes();
        }

        @Override
        public RegisterEntity decode(byte[] bytes) throws DecodeException {
            Reader r = new Reader(bytes);
            PublicKey entity = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "registerEntity.entity"));
            r.end("registerEntity");
            return new RegisterEntity(entity);
        }
    };

    /** {@code registry.DeregisterNode}: the node's 32-byte key. */
    public static final BodyCodec<DeregisterNode> DEREGISTER_NODE = new BodyCodec<>() {
        @Override
        public byte[] encode(DeregisterNode body) {
            return body.nodeKey().toBytes();
        }

        @Override
        public DeregisterNode decode(byte[] bytes) throws DecodeException {
            Reader r = new Reader(bytes);
            PublicKey node = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "deregisterNode.node"));
            r.end("deregisterNode");
            return new DeregisterNode(node);
        }
    };

    /**
     * {@code registry.RegisterNode}: the descriptor (node key, entity key, role mask byte, TEE byte, expiry epoch),
     * then the node's and the entity's 64-byte signatures; exactly {@link RegistryLimits#REGISTER_NODE_BYTES} bytes.
     */
    public static final BodyCodec<RegisterNode> REGISTER_NODE = new BodyCodec<>() {
        @Override
        public byte[] encode(RegisterNode body) {
            return body.descriptor().writeTo(new Writer(RegistryLimits.REGISTER_NODE_BYTES))
                    .fixed(body.nodeSignature()).fixed(body.entitySignature()).toBytes();
        }

        @Override
        public RegisterNode decode(byte[] bytes) throws DecodeException {
            Reader r = new Reader(bytes);
            NodeDescriptor descriptor = readNodeDescriptor(r);
            byte[] nodeSignature = r.fixed(Signer.SIGNATURE_SIZE_BYTES, "registerNode.nodeSignature");
            byte[] entitySignature = r.fixed(Signer.SIGNATURE_SIZE_BYTES, "registerNode.entitySignature");
            r.end("registerNode");
            return new RegisterNode(descriptor, nodeSignature, entitySignature);
        }
    };

    /**
     * {@code registry.RegisterRuntime}: id (32), workers, backups, allowedStragglers (4 each), roundTimeoutBlocks (8),
     * minPoolSize, maxNodesPerEntity (4 each), minStakeBaseUnits (8), admission (tag byte: 0 permissionless, 1
     * permissioned followed by a 4-byte count and the keys, strictly ascending), TEE byte, engine kind byte.
     */
    public static final BodyCodec<RuntimeDescriptor> REGISTER_RUNTIME = new BodyCodec<>() {
        @Override
        public byte[] encode(RuntimeDescriptor d) {
            Writer w = new Writer(128);
            w.fixed(d.id().value().toBytes()).i32(d.workers()).i32(d.backups()).i32(d.allowedStragglers())
                    .i64(d.roundTimeoutBlocks()).i32(d.minPoolSize()).i32(d.maxNodesPerEntity())
                    .i64(d.minStakeBaseUnits());
            if (d.admission() instanceof Admission.Permissioned p) {
                w.u8(1).i32(p.entities().size());
                for (PublicKey k : p.entities()) {
                    w.fixed(k.toBytes());
                }
            } else {
                w.u8(0);
            }
            return w.u8(d.teeRequired() ? 1 : 0).u8(d.engineKind()).toBytes();
        }

        @Override
        public RuntimeDescriptor decode(byte[] bytes) throws DecodeException {
            Reader r = new Reader(bytes);
            RuntimeId id = RuntimeId.of(r.fixed(RuntimeId.SIZE_BYTES, "runtime.id"));
            int workers = r.i32("runtime.workers");
            int backups = r.i32("runtime.backups");
            int stragglers = r.i32("runtime.allowedStragglers");
            long timeout = r.i64("runtime.roundTimeoutBlocks");
            int minPool = r.i32("runtime.minPoolSize");
            int maxPerEntity = r.i32("runtime.maxNodesPerEntity");
            long minStake = r.i64("runtime.minStakeBaseUnits");
            int tag = r.u8("runtime.admission");
            Admission admission;
            if (tag == 0) {
                admission = new Admission.Permissionless();
            } else if (tag == 1) {
                int n = r.count(RegistryLimits.MAX_PERMISSIONED_ENTITIES, "runtime.admission.entities");
                List<PublicKey> entities = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    PublicKey k = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "runtime.admission.entities"));
                    if (i > 0 && entities.get(i - 1).compareTo(k) >= 0) {
                        throw new DecodeException("runtime.admission.entities: not strictly ascending at index " + i);
                    }
                    entities.add(k);
                }
                admission = new Admission.Permissioned(entities);
            } else {
                throw new DecodeException("runtime.admission: tag " + tag + " is neither 0 nor 1");
            }
            boolean tee = readBoolean(r, "runtime.teeRequired");
            int engineKind = r.u8("runtime.engineKind");
            r.end("runtime");
            return new RuntimeDescriptor(id, workers, backups, stragglers, timeout, minPool, maxPerEntity, minStake,
                    admission, tee, engineKind);
        }
    };

    public static NodeDescriptor readNodeDescriptor(Reader r) throws DecodeException {
        PublicKey node = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "node.nodeKey"));
        PublicKey entity = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "node.entity"));
        int mask = r.u8("node.roles");
        if ((mask & ~Role.ALL_BITS) != 0) {
            throw new DecodeException("node.roles: mask 0x" + Integer.toHexString(mask) + " sets an unknown role bit");
        }
        boolean tee = readBoolean(r, "node.teeCapable");
        long expiry = r.i64("node.expiryEpoch");
        if (expiry < 0) {
            throw new DecodeException("node.expiryEpoch: negative (" + expiry + ")");
        }
        return new NodeDescriptor(node, entity, NodeDescriptor.rolesOf(mask), tee, expiry);
    }

    private static boolean readBoolean(Reader r, String field) throws DecodeException {
        int b = r.u8(field);
        if (b > 1) {
            throw new DecodeException(field + ": " + b + " is neither 0 nor 1");
        }
        return b == 1;
    }
}
