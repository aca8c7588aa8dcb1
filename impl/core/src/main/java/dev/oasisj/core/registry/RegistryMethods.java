package dev.oasisj.core.registry;

import dev.oasisj.core.tx.TxMethod;
import java.util.List;

/** The methods of the registry service, to be registered with the consensus application's {@code MethodRegistry}. */
public final class RegistryMethods {
    private RegistryMethods() {}

    /** {@code registry.DeregisterNode}: body {@link DeregisterNode}, exactly 32 bytes. */
    public static final TxMethod<DeregisterNode> DEREGISTER_NODE = new TxMethod<>("registry.DeregisterNode",
            RegistryCodecs.DEREGISTER_NODE, RegistryLimits.DEREGISTER_NODE_BYTES);

    /** {@code registry.RegisterEntity}: body {@link RegisterEntity}, exactly 32 bytes. */
    public static final TxMethod<RegisterEntity> REGISTER_ENTITY = new TxMethod<>("registry.RegisterEntity",
            RegistryCodecs.REGISTER_ENTITY, RegistryLimits.REGISTER_ENTITY_BYTES);

    /** {@code registry.RegisterNode}: body {@link RegisterNode}, exactly {@value RegistryLimits#REGISTER_NODE_BYTES}. */
    public static final TxMethod<RegisterNode> REGISTER_NODE = new TxMethod<>("registry.RegisterNode",
            RegistryCodecs.REGISTER_NODE, RegistryLimits.REGISTER_NODE_BYTES);

    /** {@code registry.RegisterRuntime}: body {@link RuntimeDescriptor}, at most 3,275 bytes. */
    public static final TxMethod<RuntimeDescriptor> REGISTER_RUNTIME = new TxMethod<>("registry.RegisterRuntime",
            RegistryCodecs.REGISTER_RUNTIME, RegistryLimits.MAX_REGISTER_RUNTIME_BYTES);

    /** Every registry method, in name order. */
    public static final List<TxMethod<?>> ALL = List.of(DEREGISTER_NODE, REGISTER_ENTITY, REGISTER_NODE,
            REGISTER_RUNTIME);
}
