package dev.oasisj.node;

/** A {@link Clock} that moves only when told: simulations advance every node's clock in lockstep. Single-threaded. */
public final class ManualClock implements Clock {
    private long tick;

    public ManualClock(long startTick) {
        if (startTick < 0) {
            throw new IllegalArgumentException("startTick must be >= 0, got " + startTick);
        }
        this.tick = startTick;
    }

    @Override
    public long currentTick() {
        return tick;
    }

    /** Moves the clock to {@code newTick}; moving backwards is a programming error. */
    public void advanceTo(long newTick) {
        if (newTick < tick) {
            throw new IllegalArgumentException("a clock never goes back: " + newTick + " < " + tick);
        }
        tick = newTick;
    }
}
