package dev.oasisj.core.app;

import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One entry of an application's state in a snapshot: a key and its value, both opaque to the engine and bounded
 * ({@link #MAX_KEY_BYTES}, {@link #MAX_VALUE_BYTES}) so that a snapshot chunk of
 * {@code SNAPSHOT_ENTRIES_PER_CHUNK} entries fits a peer message. Keys order by unsigned bytes.
 */
public record StateEntry(byte[] key, byte[] value) {
    public static final int MAX_KEY_BYTES = 64;
    public static final int MAX_VALUE_BYTES = 192;

    public StateEntry {
        if (key.length > MAX_KEY_BYTES || value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("state entry of key " + key.length + " and value " + value.length
                    + " bytes (at most " + MAX_KEY_BYTES + " and " + MAX_VALUE_BYTES + ")");
        }
        key = key.clone();
        value = value.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Orders keys by unsigned bytes, shorter first on a common prefix. */
    public static int compareKeys(StateEntry a, StateEntry b) {
        return Arrays.compareUnsigned(a.key, b.key);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof StateEntry e && Arrays.equals(key, e.key) && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "StateEntry[" + key.length + " B -> " + value.length + " B]";
    }
}
