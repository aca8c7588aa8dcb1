package dev.oasisj.core.registry;

import dev.oasisj.core.crypto.PublicKey;

/**
 * The body of {@code registry.DeregisterNode}: remove the node {@code nodeKey}. Only its entity may (the envelope's
 * signer must be the node's entity), and not while the node is frozen.
 */
public record DeregisterNode(PublicKey nodeKey) {}
