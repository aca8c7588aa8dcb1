package dev.oasisj.core.consensus;

import dev.oasisj.core.crypto.Hash32;
import java.util.Optional;

/**
 * The value of a vote, a lock or a valid value: either {@link Nil} (the spec's {@code Nil}: no value) or a block hash.
 * Never null. Ordered: Nil first, then block hashes by their bytes (so it can key a TreeMap).
 */
public sealed interface VoteValue extends Comparable<VoteValue> permits VoteValue.Nil, VoteValue.Block {
    Nil NIL = new Nil();

    static VoteValue of(Hash32 value) {
        return new Block(value);
    }

    /** No value. */
    record Nil() implements VoteValue {
        @Override
        public String toString() {
            return "Nil";
        }
    }

    /** A block hash. */
    record Block(Hash32 hash) implements VoteValue {
        @Override
        public String toString() {
            return hash.shortHex();
        }
    }

    default boolean isNil() {
        return this instanceof Nil;
    }

    default Optional<Hash32> valueHash() {
        return this instanceof Block b ? Optional.of(b.hash()) : Optional.empty();
    }

    @Override
    default int compareTo(VoteValue other) {
        if (this instanceof Block a && other instanceof Block b) {
            return a.hash().compareTo(b.hash());
        }
        return Boolean.compare(!isNil(), !other.isNil());
    }
}
