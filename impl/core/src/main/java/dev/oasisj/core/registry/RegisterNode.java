package dev.oasisj.core.registry;

import dev.oasisj.core.crypto.Signer;
import java.util.Arrays;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The body of {@code registry.RegisterNode}: a node descriptor signed by the node's key and by its entity's key, each
 * over {@link NodeDescriptor#signingBytes} of the chain. The node's signature proves that the node key is held (nobody
 * registers someone else's key as their node); the entity's proves that the entity vouches for the node (nobody adds
 * a node, and so claims, to someone else's entity). Registering a node key already registered updates it.
 *
 * <p>The signatures are copied in and out; equality compares their bytes.
 */
public record RegisterNode(NodeDescriptor descriptor, byte[] nodeSignature, byte[] entitySignature) {
    public RegisterNode {
        if (nodeSignature.length != Signer.SIGNATURE_SIZE_BYTES
                || entitySignature.length != Signer.SIGNATURE_SIZE_BYTES) {
            throw new IllegalArgumentException("registerNode: a signature is " + Signer.SIGNATURE_SIZE_BYTES
                    + " bytes");
        }
        nodeSignature = nodeSignature.clone();
        entitySignature = entitySignature.clone();
    }

    /** The descriptor signed by {@code node} and {@code entity} for {@code chainId}. */
    public static RegisterNode sign(NodeDescriptor descriptor, String chainId, Signer node, Signer entity) {
        byte[] message = descriptor.signingBytes(chainId);
        return new RegisterNode(descriptor, node.sign(message), entity.sign(message));
    }

    @Override
    public byte[] nodeSignature() {
        return nodeSignature.clone();
    }

    @Override
    public byte[] entitySignature() {
        return entitySignature.clone();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof RegisterNode r && descriptor.equals(r.descriptor)
                && Arrays.equals(nodeSignature, r.nodeSignature) && Arrays.equals(entitySignature, r.entitySignature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(descriptor, Arrays.hashCode(nodeSignature), Arrays.hashCode(entitySignature));
    }

    @Override
    public String toString() {
        return "RegisterNode[" + descriptor + "]";
    }
}
