package dev.oasisj.core.consensus;

import java.util.List;
import java.util.Optional;

/** The outcome of asking the core to take an action. */
public sealed interface StepResult permits StepResult.Applied, StepResult.NotEnabled {

    Action action();

    /**
     * The action was enabled and its effect applied: {@code broadcast} holds the messages the core signed (already in
     * its own log; the caller sends them to the peers), {@code decision} is present for {@code Decide}.
     */
    record Applied(Action action, List<SignedMessage> broadcast, Optional<Decision> decision) implements StepResult {
        public Applied {
            broadcast = List.copyOf(broadcast);
        }
    }

    /** The action's enabling condition does not hold; nothing changed. */
    record NotEnabled(Action action, String reason) implements StepResult {}

    default boolean applied() {
        return this instanceof Applied;
    }
}
