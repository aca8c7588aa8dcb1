package dev.oasisj.bench;

import dev.oasisj.node.Journal;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * A {@link Journal} that times every {@link #append} of the journal it wraps (System.nanoTime around the call) into an
 * HdrHistogram of nanoseconds ({@link #latencyHistogram}).
 */
final class TimedJournal implements Journal {
    /** The longest append the histogram tells apart; a longer one is recorded as this long (and as max exactly). */
    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    private final Journal inner;
    private final Histogram appendNanos;
    private boolean recording;
    private long recordBytes;
    private long maxNanos;

    TimedJournal(Journal inner, Histogram appendNanos) {
        this.inner = inner;
        this.appendNanos = appendNanos;
    }

    /**
     * A histogram for append latencies: 0 ns to {@link #HIGHEST_NANOS} with two significant digits (a reported
     * percentile is at most 1% above the true value); fixed size, so recording allocates nothing.
     */
    static Histogram latencyHistogram() {
        return new Histogram(HIGHEST_NANOS, 2);
    }

    /** The longest append recorded (exact; the histogram's own maximum is within its precision). */
    long maxNanos() {
        return maxNanos;
    }

    /** Starts (true) or stops recording latencies; starting clears what was recorded before. */
    void recording(boolean on) {
        if (on && !recording) {
            appendNanos.reset();
            recordBytes = 0;
            maxNanos = 0;
        }
        recording = on;
    }

    /** Total bytes of the records appended while recording. */
    long recordBytes() {
        return recordBytes;
    }

    @Override
    public void append(byte[] record) {
        if (!recording) {
            inner.append(record);
            return;
        }
        long start = System.nanoTime();
        inner.append(record);
        long end = System.nanoTime();
        long nanos = Math.max(0, end - start);
        appendNanos.recordValue(Math.min(nanos, HIGHEST_NANOS));
        maxNanos = Math.max(maxNanos, nanos);
        recordBytes += record.length;
    }

    @Override
    public long replay(Consumer<byte[]> consumer) {
        return inner.replay(consumer);
    }

    @Override
    public void close() {
        inner.close();
    }
}
