package dev.oasisj.core.registry;

import dev.oasisj.core.crypto.PublicKey;

/** A runtime in the registry: its latest descriptor and the entity that registered it (the only one that may update it). */
public record RegisteredRuntime(RuntimeDescriptor descriptor, PublicKey owner) {}
