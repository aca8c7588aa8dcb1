package dev.oasisj.core.app;

import dev.oasisj.core.crypto.PublicKey;

/**
 * A validator's proven misbehaviour that a block carries (the engine checked the evidence: two different, validly
 * signed votes of {@code kind} by {@code validator} at ({@code height}, {@code round})). The application decides what
 * it costs (staking slashes and freezes); it sees each piece of evidence in the block that includes it.
 */
public record Misbehaviour(PublicKey validator, long height, int round, String kind) {}
