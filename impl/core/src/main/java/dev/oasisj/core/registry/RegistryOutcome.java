package dev.oasisj.core.registry;

/** The result of a {@link Registry} operation: the new state, or why the operation was refused (state unchanged). */
public sealed interface RegistryOutcome permits RegistryOutcome.Applied, RegistryOutcome.Rejected {

    /** The operation applied; {@code state} is the registry after it. */
    record Applied(RegistryState state) implements RegistryOutcome {}

    /** The operation was refused for {@code reason}; {@code detail} says what exactly, for logs. */
    record Rejected(RegistryRejectReason reason, String detail) implements RegistryOutcome {}
}
