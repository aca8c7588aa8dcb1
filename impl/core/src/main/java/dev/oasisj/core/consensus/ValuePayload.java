package dev.oasisj.core.consensus;

import dev.oasisj.core.crypto.Hash32;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A block hash with the block bytes it is the SHA-256 of. */
public record ValuePayload(Hash32 value, byte[] payload) {
    public ValuePayload {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ValuePayload v && v.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
