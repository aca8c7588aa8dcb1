package dev.oasisj.core.registry;

import dev.oasisj.core.crypto.PublicKey;

/**
 * The body of {@code registry.RegisterEntity}: register {@code entity}. Only the entity itself may: the envelope's
 * signer must be this key ({@link RegistryRejectReason#BAD_SIGNATURE} otherwise), so the envelope's signature is the
 * entity's consent and its nonce makes the call happen once.
 */
public record RegisterEntity(PublicKey entity) {}
