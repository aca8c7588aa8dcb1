package dev.oasisj.core.consensus;

import dev.oasisj.core.crypto.Hash32;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A decision at {@code height}: the value decided at {@code round}, the proposed block bytes, and the precommits for it
 * at that round which formed the quorum (the commit certificate, one per sender).
 */
public record Decision(long height, int round, Hash32 value, byte[] payload, List<SignedMessage> precommits) {
    public Decision {
        payload = payload.clone();
        precommits = List.copyOf(precommits);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Decision d && d.height == height && d.round == round && d.value.equals(value)
                && d.precommits.equals(precommits);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(height) * 31 + round) * 31 + value.hashCode();
    }
}
