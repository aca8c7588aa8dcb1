package dev.oasisj.core.scheduler;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.registry.RuntimeId;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** The committees of every registered runtime for {@code epoch}, drawn with {@code beacon}, by runtime id. */
public record CommitteeElection(long epoch, Hash32 beacon, SortedMap<RuntimeId, RuntimeCommittee> committees) {
    public CommitteeElection {
        committees = Collections.unmodifiableSortedMap(new TreeMap<>(committees));
    }
}
