package dev.oasisj.node;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link Journal} double held in memory, for unit tests and simulations. "Durable" here means: it survives the
 * {@link NodeAgent} and state machine that wrote it, because a simulated restart reuses this object. Closing it does not
 * lose the records (a closed journal can be {@link #reopen() reopened}, as a disk journal would be after a restart).
 */
public final class InMemoryJournal implements Journal {
    private final List<byte[]> records = new ArrayList<>();
    private boolean closed;

    @Override
    public void append(byte[] record) {
        if (closed) {
            throw new JournalException("journal is closed");
        }
        if (record.length > ShellLimits.MAX_JOURNAL_RECORD_BYTES) {
            throw new IllegalArgumentException("journal record of " + record.length + " bytes exceeds "
                    + ShellLimits.MAX_JOURNAL_RECORD_BYTES);
        }
        records.add(record.clone());
    }

    @Override
    public long replay(Consumer<byte[]> consumer) {
        if (closed) {
            throw new JournalException("journal is closed");
        }
        // Iterate over a snapshot by index so that a consumer that appends (it should not) cannot loop forever.
        int n = records.size();
        for (int i = 0; i < n; i++) {
            consumer.accept(records.get(i).clone());
        }
        return n;
    }

    /** Number of records appended so far. */
    public int size() {
        return records.size();
    }

    /** A copy of record {@code i}. */
    public byte[] record(int i) {
        return records.get(i).clone();
    }

    /** Makes a closed journal usable again, keeping its records (a simulated process restart). */
    public InMemoryJournal reopen() {
        closed = false;
        return this;
    }

    @Override
    public void close() {
        closed = true;
    }
}
