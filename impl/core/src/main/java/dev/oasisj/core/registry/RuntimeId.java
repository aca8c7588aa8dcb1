package dev.oasisj.core.registry;

import dev.oasisj.core.crypto.Hash32;

/** A runtime's identifier: 32 opaque bytes chosen by its owner; ordered as unsigned bytes. */
public record RuntimeId(Hash32 value) implements Comparable<RuntimeId> {
    public static final int SIZE_BYTES = Hash32.SIZE_BYTES;

    public static RuntimeId of(byte[] bytes) {
        return new RuntimeId(Hash32.of(bytes));
    }

    @Override
    public int compareTo(RuntimeId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return "runtime:" + value.shortHex();
    }
}
