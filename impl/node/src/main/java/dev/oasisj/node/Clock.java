package dev.oasisj.node;

/**
 * Port: where logical time comes from. The deterministic cores never read a clock; the {@link NodeAgent} reads this
 * once per duty cycle and turns an advance into a {@link dev.oasisj.core.node.NodeInput.Tick} input (which is
 * journaled, so replay needs no clock).
 *
 * <p>Contract:
 * <ul>
 *   <li>Monotonic: {@link #currentTick()} never returns a smaller value than it returned before.</li>
 *   <li>Must not block and must not throw.</li>
 *   <li>Read from the agent thread only (implementations need not be thread-safe unless they say so).</li>
 * </ul>
 */
public interface Clock {
    /** The current logical tick (0 or more). */
    long currentTick();
}
