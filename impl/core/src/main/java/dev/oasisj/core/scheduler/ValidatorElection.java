package dev.oasisj.core.scheduler;

import java.util.List;

/**
 * The validator set for {@code epoch}: {@code validators} in ranking order (entity escrow descending, node key
 * ascending). When fewer than {@code minValidators} qualified ({@code qualified} of them, after the caps), the
 * previous set is kept as it was (powers included) and {@code keptPrevious} records it.
 */
public record ValidatorElection(long epoch, List<Validator> validators, boolean keptPrevious, int qualified) {
    public ValidatorElection {
        validators = List.copyOf(validators);
    }
}
