package dev.oasisj.core.consensus;

import dev.oasisj.core.crypto.Hash32;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The abstract state of one validator, as in the spec's per-validator variables (the refinement mapping for
 * conformance): {@code height, round, step, lockedValue, lockedRound, validValue, validRound, decision}. Decisions map
 * each decided height to its value; undecided heights are absent (the spec's {@code Nil}).
 */
public record ConsensusSnapshot(long height, int round, Step step, VoteValue lockedValue, int lockedRound,
        VoteValue validValue, int validRound, SortedMap<Long, Hash32> decisions) {
    public ConsensusSnapshot {
        decisions = Collections.unmodifiableSortedMap(new TreeMap<>(decisions));
    }
}
