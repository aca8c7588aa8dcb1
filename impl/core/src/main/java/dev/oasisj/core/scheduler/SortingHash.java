package dev.oasisj.core.scheduler;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.registry.RuntimeId;
import java.nio.charset.StandardCharsets;

/**
 * The key by which a committee election sorts eligible nodes: {@code Hash(beacon(E), E, R, role, node)} of
 * {@code spec/committee/SEMANTICS.md}. Elections sort ascending by it, as unsigned 32-byte strings, ties by node key.
 *
 * <p>Injectable so that conformance tests can run the scheduler with the hash values of a TLA+ trace (where
 * {@code Hash} is a constant function): a table from (runtime, role, node) to an integer {@code h} becomes a
 * {@code SortingHash} that answers {@code h} as 32 big-endian bytes (unsigned order = integer order for
 * {@code h >= 0}). Must be a pure function of its arguments.
 */
@FunctionalInterface
public interface SortingHash {
    Hash32 hash(Hash32 beacon, long epoch, RuntimeId runtime, CommitteeRole role, PublicKey node);

    /** The first part of the hashed encoding. */
    String DOMAIN = "oasisj/scheduler/committee-sort/v1";

    /**
     * The encoding hashed by {@link #SHA256}: the length-prefixed {@link #DOMAIN}, the beacon (32 bytes), the epoch
     * (8 bytes, big-endian), the runtime id (32), the role's {@link CommitteeRole#code()} (1), the node key (32).
     */
    static byte[] encode(Hash32 beacon, long epoch, RuntimeId runtime, CommitteeRole role, PublicKey node) {
        return new Writer(160).bytes(DOMAIN.getBytes(StandardCharsets.UTF_8)).fixed(beacon.toBytes()).i64(epoch)
                .fixed(runtime.value().toBytes()).u8(role.code()).fixed(node.toBytes()).toBytes();
    }

    /**
     * The real hash: SHA-256 of {@link #encode}. SHA-256 rather than SHA-512/256, because it is the project's one
     * hash ({@link Hash32}); either gives 32 uniformly distributed bytes for this purpose.
     */
    SortingHash SHA256 = (beacon, epoch, runtime, role, node) -> Hash32.sha256(encode(beacon, epoch, runtime, role,
            node));
}
