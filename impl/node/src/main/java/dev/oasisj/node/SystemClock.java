package dev.oasisj.node;

/**
 * A {@link Clock} for real deployments: one tick per {@code tickMillis} of the JVM's monotonic clock
 * ({@link System#nanoTime()}, which wall-clock adjustments do not move), counted from {@code startTick} at creation.
 */
public final class SystemClock implements Clock {
    private final long tickNanos;
    private final long originNanos;
    private final long startTick;

    public SystemClock(long tickMillis, long startTick) {
        if (tickMillis <= 0) {
            throw new IllegalArgumentException("tickMillis must be > 0, got " + tickMillis);
        }
        if (startTick < 0) {
            throw new IllegalArgumentException("startTick must be >= 0, got " + startTick);
        }
        this.tickNanos = tickMillis * 1_000_000L;
        this.originNanos = System.nanoTime();
        this.startTick = startTick;
    }

    @Override
    public long currentTick() {
        return startTick + Math.max(0, (System.nanoTime() - originNanos) / tickNanos);
    }
}
