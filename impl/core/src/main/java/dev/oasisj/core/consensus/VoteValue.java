package dev.oasisj.core.consensus;

import dev.oasisj.core.crypto.Hash32;
import java.util.Optional;

/**
 * The value of a vote, a lock or a valid value: either {@link Nil} (the spec's {@code Nil}: no value) or a block hash.
 * Never null. Not ordered: nothing keys a sorted collection by a vote value (the logs key by sender and round).
 */
public sealed interface VoteValue permits VoteValue.Nil, VoteValue.Block {
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
}
