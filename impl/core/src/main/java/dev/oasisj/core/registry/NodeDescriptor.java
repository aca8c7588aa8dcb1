package dev.oasisj.core.registry;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A node as it registers: its key, its entity, its roles, whether it has a TEE, and the last epoch its registration
 * is good for. A node is <em>registered in epoch E</em> iff it is in the registry and {@code expiryEpoch >= E}.
 *
 * <p>The roles are kept as an {@link EnumSet} (iterated in declaration order, not hash order). An empty set is a value
 * (the registry refuses it: {@link RegistryRejectReason#BAD_PARAMETERS}).
 */
public record NodeDescriptor(PublicKey nodeKey, PublicKey entity, Set<Role> roles, boolean teeCapable,
        long expiryEpoch) {

    /** The domain of the bytes that the node's and the entity's keys sign; no other signed object starts with it. */
    public static final String SIGNING_DOMAIN = "oasisj/registry/node/v1";

    public NodeDescriptor {
        roles = Collections.unmodifiableSet(roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles));
        if (expiryEpoch < 0) {
            throw new IllegalArgumentException("node.expiryEpoch: negative (" + expiryEpoch + ")");
        }
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    /** The role set as its encoded mask ({@link Role#bit()} of each role). */
    public int roleMask() {
        int mask = 0;
        for (Role r : roles) {
            mask |= r.bit();
        }
        return mask;
    }

    /** The roles of {@code mask}; the caller has checked that it sets no bit outside {@link Role#ALL_BITS}. */
    static Set<Role> rolesOf(int mask) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (Role r : Role.values()) {
            if ((mask & r.bit()) != 0) {
                roles.add(r);
            }
        }
        return roles;
    }

    /** The descriptor's canonical encoding ({@link RegistryLimits#NODE_DESCRIPTOR_BYTES} bytes). */
    public byte[] encode() {
        return writeTo(new Writer(RegistryLimits.NODE_DESCRIPTOR_BYTES)).toBytes();
    }

    Writer writeTo(Writer w) {
        return w.fixed(nodeKey.toBytes()).fixed(entity.toBytes()).u8(roleMask()).u8(teeCapable ? 1 : 0)
                .i64(expiryEpoch);
    }

    /**
     * The bytes both keys sign: the length-prefixed {@link #SIGNING_DOMAIN}, the length-prefixed chain id (so a
     * registration cannot be replayed on another chain), then the descriptor's encoding.
     */
    public byte[] signingBytes(String chainId) {
        Writer w = new Writer(64 + RegistryLimits.NODE_DESCRIPTOR_BYTES);
        w.bytes(SIGNING_DOMAIN.getBytes(StandardCharsets.UTF_8)).string(chainId);
        return writeTo(w).toBytes();
    }
}
