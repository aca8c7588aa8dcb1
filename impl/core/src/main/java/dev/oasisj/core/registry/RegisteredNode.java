package dev.oasisj.core.registry;

/**
 * A node in the registry: its latest descriptor and the first epoch in which it is no longer frozen.
 *
 * <p><b>Frozen.</b> {@code frozenUntilEpoch} is exclusive: the node is frozen in epoch E iff
 * {@code E < frozenUntilEpoch}; 0 means never frozen. It is read from the state's freeze table
 * ({@link RegistryState#frozenUntilEpoch}), which is kept apart from the registrations: a freeze only ever extends, and
 * survives deregistration and re-registration.
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
