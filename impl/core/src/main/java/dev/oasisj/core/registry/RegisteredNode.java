package dev.oasisj.core.registry;

/**
 * A node in the registry: its latest descriptor and the first epoch in which it is no longer frozen.
 *
 * <p><b>Frozen.</b> {@code frozenUntilEpoch} is exclusive: the node is frozen in epoch E iff
 * {@code E < frozenUntilEpoch}; 0 means never frozen. A freeze only ever extends it, and a re-registration keeps it.
 */
public record RegisteredNode(NodeDescriptor descriptor, long frozenUntilEpoch) {
    public RegisteredNode {
        if (frozenUntilEpoch < 0) {
            throw new IllegalArgumentException("frozenUntilEpoch: negative (" + frozenUntilEpoch + ")");
        }
    }

    /** Registered in {@code epoch}: in the registry (so not deregistered) and {@code expiryEpoch >= epoch}. */
    public boolean isRegisteredIn(long epoch) {
        return descriptor.expiryEpoch() >= epoch;
    }

    /** Frozen in {@code epoch}: {@code epoch < frozenUntilEpoch}. */
    public boolean isFrozenIn(long epoch) {
        return epoch < frozenUntilEpoch;
    }
}
