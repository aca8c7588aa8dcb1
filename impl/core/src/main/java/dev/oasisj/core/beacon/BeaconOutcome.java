package dev.oasisj.core.beacon;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.util.List;

/**
 * The beacon of {@code epoch}, as {@link BeaconRound#close()} formed it at the end of the previous epoch.
 *
 * @param epoch the epoch the beacon is for (the round's epoch + 1)
 * @param beacon the value
 * @param fallback true when too little power contributed and the beacon is the predictable fallback
 * @param contributors the validators whose outputs were combined, ascending (all accepted proofs, even for a fallback,
 *     where none is used: recorded for accountability)
 * @param contributedPower their total voting power
 * @param totalPower the round's validator set's total voting power
 */
public record BeaconOutcome(long epoch, Hash32 beacon, boolean fallback, List<PublicKey> contributors,
        long contributedPower, long totalPower) {
    public BeaconOutcome {
        contributors = List.copyOf(contributors);
    }
}
