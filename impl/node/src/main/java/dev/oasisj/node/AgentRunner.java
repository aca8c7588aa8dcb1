package dev.oasisj.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs a node's duty cycle ({@link NodeAgent#doWork()}) on the calling thread, the agent thread, until it is asked to
 * stop or the duty cycle throws, and then closes the node's resources. Whatever ends the loop, an {@link Error} such
 * as {@link OutOfMemoryError} included, {@link #run()} returns an {@link Outcome} saying why, after every resource has
 * been closed (each on its own: one that fails to close does not keep the others open), and {@link #awaitFinished}
 * returns true from then on. The caller decides what the process does with a failure; {@code oasis node} exits
 * non-zero (DESIGN.md, "Hostile input": a dead agent thread ends the process, never a hang with ports open).
 *
 * <p>Threads: {@link #run()} on the agent thread, once; {@link #requestStop()} and {@link #awaitFinished} from any
 * thread (a shutdown hook).
 */
public final class AgentRunner {

    /** Why {@link #run()} returned. */
    public sealed interface Outcome {
        /** {@link #requestStop()} was called; the loop ended between two duty cycles. */
        record Stopped() implements Outcome {}

        /** The duty cycle threw {@code cause}; the node must not go on (its state may be ahead of its journal). */
        record Failed(Throwable cause) implements Outcome {}
    }

    private final IntSupplier dutyCycle;
    private final long idleParkNanos;
    private final List<AutoCloseable> resources;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile @Nullable Thread agentThread;
    private boolean started;

    /**
     * @param dutyCycle one duty cycle, returning the work done (0 = idle: the thread then parks {@code idleParkNanos})
     * @param resources closed in this order when the loop ends (e.g. client port, transport, journal)
     */
    public AgentRunner(IntSupplier dutyCycle, long idleParkNanos, List<? extends AutoCloseable> resources) {
        if (idleParkNanos < 0) {
            throw new IllegalArgumentException("idleParkNanos must be >= 0, got " + idleParkNanos);
        }
        this.dutyCycle = dutyCycle;
        this.idleParkNanos = idleParkNanos;
        this.resources = List.copyOf(resources);
    }

    /** Runs the duty cycle until stopped or failed, then closes the resources; returns why it ended. Call once. */
    public Outcome run() {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("an agent runner runs once");
            }
            started = true;
        }
        agentThread = Thread.currentThread();
        @Nullable Throwable failure = null;
        try {
            while (!stopRequested) {
                if (dutyCycle.getAsInt() == 0) {
                    LockSupport.parkNanos(idleParkNanos);
                }
            }
        } catch (Throwable t) { // an Error too: the agent thread must never end without saying why
            failure = t;
        } finally {
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Throwable closeFailure) {
                    if (failure != null) {
                        failure.addSuppressed(closeFailure);
                    } else {
                        failure = closeFailure;
                    }
                }
            }
            finished.countDown();
        }
        return failure == null ? new Outcome.Stopped() : new Outcome.Failed(failure);
    }

    /** Asks the loop to end after the current duty cycle; returns at once. */
    public void requestStop() {
        stopRequested = true;
        Thread t = agentThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Waits at most {@code timeout} for {@link #run()} to have ended and closed the resources; true if it has. A
     * shutdown hook uses this bounded wait, so that a stuck or dead agent thread can never hold the process open.
     */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
