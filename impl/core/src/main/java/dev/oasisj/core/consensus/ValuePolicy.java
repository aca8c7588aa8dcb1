package dev.oasisj.core.consensus;

import dev.oasisj.core.crypto.Hash32;

/**
 * The spec's {@code IsValid(v)}: whether a proposed block is valid. The node checks the block's contents; conformance
 * tests use a fixed set of valid values. Must be a pure, deterministic function of its arguments.
 */
@FunctionalInterface
public interface ValuePolicy {
    boolean isValid(Hash32 value, byte[] payload);
}
