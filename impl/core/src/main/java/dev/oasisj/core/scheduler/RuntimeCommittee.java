package dev.oasisj.core.scheduler;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.registry.RuntimeId;
import java.util.List;

/** One runtime's election result for an epoch: its committee, or its suspension with the reason. */
public sealed interface RuntimeCommittee permits RuntimeCommittee.Elected, RuntimeCommittee.Suspended {

    RuntimeId runtime();

    /**
     * The committee: {@code workers} and {@code backups} in election order (ascending sorting hash), so index 0 is the
     * first drawn. A node may be in both groups (they are drawn independently).
     */
    record Elected(RuntimeId runtime, List<PublicKey> workers, List<PublicKey> backups) implements RuntimeCommittee {
        public Elected {
            workers = List.copyOf(workers);
            backups = List.copyOf(backups);
        }
    }

    /** No committee for the epoch: {@code reason}, with {@code detail} (the counts) for logs. */
    record Suspended(RuntimeId runtime, SuspensionReason reason, String detail) implements RuntimeCommittee {}
}
