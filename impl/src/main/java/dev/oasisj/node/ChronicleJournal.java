package dev.oasisj.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The node's {@link Journal} on disk: a Chronicle Queue in {@code <dataDir>/journal}, one excerpt per input. Each
 * excerpt holds a 4-byte big-endian record length, a 4-byte CRC32C of the record, and the record.
 *
 * <p>Durability: an append writes into a memory-mapped file; once {@link #append} returns the record is in the
 * operating system's page cache and survives the death of the process (kill -9), but not a power loss, unless the
 * journal was opened with {@link Durability#FLUSH_EVERY_RECORD}, which msyncs each record before returning (much
 * slower). Torn writes: Chronicle writes an excerpt's header as "not complete" first and marks it complete when the
 * document is closed; a tailer stops at an incomplete excerpt, so a record torn by a crash is never replayed (and the
 * CRC catches a record damaged some other way, failing replay loudly rather than feeding garbage to the node).
 *
 * <p>The roll cycle is daily ({@code LARGE_DAILY}: up to 2^32 records a day), so a test run almost never spans a roll;
 * replay reads every cycle from the start anyway (tested by moving the queue's clock across midnight). Not
 * {@code RollCycles.WEEKLY}: with this Chronicle version a tailer did not find records written in a weekly cycle.
 */
public final class ChronicleJournal implements Journal {
    static {
        // Chronicle otherwise tries to send usage analytics; the launcher and surefire set this too.
        System.setProperty("chronicle.analytics.disable", "true");
    }

    /** How far an appended record is guaranteed to survive. */
    public enum Durability {
        /** Survives kill -9 of the process (page cache); not a power loss. */
        PROCESS_CRASH,
        /** msync after every record: survives a power loss, at the cost of a disk flush per input. */
        FLUSH_EVERY_RECORD
    }

    private static final int HEADER_BYTES = 8;

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final Durability durability;
    private @Nullable ExcerptAppender appender;
    private boolean closed;

    private ChronicleJournal(Path directory, SingleChronicleQueue queue, Durability durability) {
        this.directory = directory;
        this.queue = queue;
        this.durability = durability;
    }

    /** Opens (creating if needed) the journal of the node whose data folder is {@code nodeDataDir}. */
    public static ChronicleJournal open(Path nodeDataDir, Durability durability) {
        return open(nodeDataDir, durability, null);
    }

    /** As {@link #open(Path, Durability)}, with the queue's clock replaced (tests move it across a roll). */
    static ChronicleJournal open(Path nodeDataDir, Durability durability,
            net.openhft.chronicle.core.time.@Nullable TimeProvider queueClock) {
        Path dir = nodeDataDir.resolve("journal");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JournalException("cannot create journal folder " + dir + ": " + e.getMessage(), e);
        }
        SingleChronicleQueueBuilder builder = ChronicleQueue.singleBuilder(dir)
                .rollCycle(LargeRollCycles.LARGE_DAILY)
                .blockSize(16L << 20)
                .syncMode(durability == Durability.FLUSH_EVERY_RECORD ? SyncMode.SYNC : SyncMode.NONE);
        if (queueClock != null) {
            builder.timeProvider(queueClock);
        }
        SingleChronicleQueue queue;
        try {
            queue = builder.build();
        } catch (RuntimeException e) {
            throw new JournalException("cannot open journal " + dir + " (does the JVM have the --add-opens/--add-exports "
                    + "flags of shared/TOOLCHAIN.md? the ./oasis launcher passes them): " + e, e);
        }
        return new ChronicleJournal(dir, queue, durability);
    }

    /** Opens with {@link Durability#PROCESS_CRASH}. */
    public static ChronicleJournal open(Path nodeDataDir) {
        return open(nodeDataDir, Durability.PROCESS_CRASH);
    }

    /** The queue folder. */
    public Path directory() {
        return directory;
    }

    @Override
    public void append(byte[] record) {
        if (closed) {
            throw new JournalException("journal " + directory + " is closed");
        }
        if (record.length > ShellLimits.MAX_JOURNAL_RECORD_BYTES) {
            throw new IllegalArgumentException("journal record of " + record.length + " bytes exceeds "
                    + ShellLimits.MAX_JOURNAL_RECORD_BYTES);
        }
        ExcerptAppender a = appender;
        if (a == null) {
            a = queue.createAppender();
            // Only the node agent's thread appends (the agent is single-threaded by design, and this appender is
            // created on first use by that thread); Chronicle's per-call thread-ownership check cost about 1% of
            // the node's pipeline in the benchmark's profile.
            a.singleThreadedCheckDisabled(true);
            appender = a;
        }
        try (DocumentContext dc = a.writingDocument()) {
            Bytes<?> bytes = wireBytes(dc);
            bytes.writeInt(record.length);
            bytes.writeInt(crc(record, record.length));
            bytes.write(record);
        } catch (RuntimeException e) {
            throw new JournalException("append to " + directory + " failed: " + e, e);
        }
        if (durability == Durability.FLUSH_EVERY_RECORD) {
            a.sync();
        }
    }

    @Override
    public long replay(Consumer<byte[]> consumer) {
        if (closed) {
            throw new JournalException("journal " + directory + " is closed");
        }
        long count = 0;
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.toStart();
            while (true) {
                byte[] record;
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    if (!dc.isData()) {
                        continue;
                    }
                    record = readRecord(wireBytes(dc), count);
                }
                consumer.accept(record);
                count++;
            }
        }
        return count;
    }

    /** Chronicle annotates {@code wire()} as nullable (no wire once the context is closed); ours are open. */
    private Bytes<?> wireBytes(DocumentContext dc) {
        net.openhft.chronicle.wire.@Nullable Wire wire = dc.wire();
        if (wire == null) {
            throw new JournalException("journal " + directory + ": document context has no wire");
        }
        return wire.bytes();
    }

    private byte[] readRecord(Bytes<?> bytes, long index) {
        if (bytes.readRemaining() < HEADER_BYTES) {
            throw new JournalException("journal " + directory + " record " + index + ": shorter than its header");
        }
        int length = bytes.readInt();
        int expectedCrc = bytes.readInt();
        // The length is checked before allocating, as for any untrusted length prefix.
        if (length < 0 || length > ShellLimits.MAX_JOURNAL_RECORD_BYTES || length != bytes.readRemaining()) {
            throw new JournalException("journal " + directory + " record " + index + ": bad length " + length);
        }
        byte[] record = new byte[length];
        bytes.read(record);
        if (crc(record, length) != expectedCrc) {
            throw new JournalException("journal " + directory + " record " + index + ": checksum mismatch");
        }
        return record;
    }

    private static int crc(byte[] data, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, 0, length);
        return (int) crc.getValue();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ExcerptAppender a = appender;
        if (a != null) {
            a.close();
        }
        queue.close();
    }
}
