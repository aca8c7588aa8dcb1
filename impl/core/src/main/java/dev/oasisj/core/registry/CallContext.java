package dev.oasisj.core.registry;

import dev.oasisj.core.crypto.PublicKey;

/**
 * What a registry operation knows besides its body: the chain id (node descriptors are signed for one chain), the
 * envelope's signer (already authenticated by the ledger) and the current epoch (the one of the block that executes
 * the call).
 */
public record CallContext(String chainId, PublicKey signer, long epoch) {
    public CallContext {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch: negative (" + epoch + ")");
        }
    }
}
