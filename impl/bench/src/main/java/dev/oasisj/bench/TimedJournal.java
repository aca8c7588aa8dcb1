package dev.oasisj.bench;

import dev.oasisj.node.Journal;
import java.util.function.Consumer;

/** A {@link Journal} that times every {@link #append} of the journal it wraps (System.nanoTime around the call). */
final class TimedJournal implements Journal {
    private final Journal inner;
    private final LogHistogram appendNanos;
    private boolean recording;
    private long recordBytes;

    TimedJournal(Journal inner, LogHistogram appendNanos) {
        this.inner = inner;
        this.appendNanos = appendNanos;
    }

    /** Starts (true) or stops recording latencies; starting clears what was recorded before. */
    void recording(boolean on) {
        if (on && !recording) {
            appendNanos.reset();
            recordBytes = 0;
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
        appendNanos.record(end - start);
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
