package dev.oasisj.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
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
 * CRC catches a record damaged some other way, failing replay loudly rather than feeding garbage to the node). An
 * append that fails part-way (an exception or an error while writing) is rolled back, so the journal is left as it
 * was; the record is refused up front if it is larger than {@link ShellLimits#MAX_JOURNAL_RECORD_BYTES}, which every
 * input limit is derived from, and the queue's block size is chosen so that the largest record fits one excerpt.
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

    /** The journal's own header in front of each record: the record's length and its CRC32C. */
    static final int HEADER_BYTES = 8;

    /**
     * Bytes of one excerpt: the largest record ({@link ShellLimits#MAX_JOURNAL_RECORD_BYTES}) with its header. Every
     * input limit is derived from the record size, so this is also the most any admitted input needs.
     */
    static final int EXCERPT_CAPACITY_BYTES = ShellLimits.MAX_JOURNAL_RECORD_BYTES + HEADER_BYTES;

    /**
     * The queue's block size. Chronicle holds at most a quarter of a block in one excerpt (its "overlap size";
     * measured here: with 16 MiB blocks an excerpt of 4,194,304 bytes is written and one of 4,194,305 throws), so the
     * block is four excerpts; {@link #open} checks the queue's actual capacity against {@link #EXCERPT_CAPACITY_BYTES}.
     */
    static final long BLOCK_SIZE_BYTES = 4L * EXCERPT_CAPACITY_BYTES;

    /**
     * Writes one record's excerpt body (header, then record) into Chronicle's bytes. Production uses
     * {@link #STANDARD_WRITER}; a test in this package substitutes one that fails part-way, to check that a failed
     * append leaves nothing behind.
     */
    @FunctionalInterface
    interface ExcerptWriter {
        void write(Bytes<?> bytes, byte[] record, int crc);
    }

    static final ExcerptWriter STANDARD_WRITER = (bytes, record, crc) -> {
        bytes.writeInt(record.length);
        bytes.writeInt(crc);
        bytes.write(record);
    };

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final Durability durability;
    private final ExcerptWriter writer;
    private @Nullable ExcerptAppender appender;
    private boolean closed;
    /** Free bytes on the journal's file system (tests replace it). */
    private LongSupplier usableSpace;
    /** Bytes appended since the free space was last checked; starts high so the first append checks. */
    private long bytesSinceSpaceCheck = SPACE_CHECK_INTERVAL_BYTES;

    /**
     * The journal refuses to append while its file system has fewer free bytes than this. Chronicle writes through
     * memory-mapped, sparse files: on a truly full disk a write to a fresh page kills the JVM with SIGBUS and no
     * message, so the node stops with a {@link JournalException} well before that: 64 MiB (four of the queue's
     * mapped blocks), checked every {@link #SPACE_CHECK_INTERVAL_BYTES}, so at most that plus one record is written
     * between two checks.
     */
    static final long MIN_FREE_DISK_BYTES = 64L * 1024 * 1024;
    static final long SPACE_CHECK_INTERVAL_BYTES = 4L * 1024 * 1024;

    private ChronicleJournal(Path directory, SingleChronicleQueue queue, Durability durability, ExcerptWriter writer) {
        this.directory = directory;
        this.queue = queue;
        this.durability = durability;
        this.writer = writer;
        this.usableSpace = () -> {
            try {
                return Files.getFileStore(directory).getUsableSpace();
            } catch (IOException e) {
                throw new JournalException("cannot read the free space of " + directory + ": " + e.getMessage(), e);
            }
        };
    }

    /** Replaces how free disk space is read (tests: a disk about to fill up). */
    void usableSpace(LongSupplier supplier) {
        this.usableSpace = supplier;
    }

    /** Opens (creating if needed) the journal of the node whose data folder is {@code nodeDataDir}. */
    public static ChronicleJournal open(Path nodeDataDir, Durability durability) {
        return open(nodeDataDir, durability, null, STANDARD_WRITER);
    }

    /** As {@link #open(Path, Durability)}, with the queue's clock replaced (tests move it across a roll). */
    static ChronicleJournal open(Path nodeDataDir, Durability durability,
            net.openhft.chronicle.core.time.@Nullable TimeProvider queueClock) {
        return open(nodeDataDir, durability, queueClock, STANDARD_WRITER);
    }

    /** As {@link #open(Path, Durability)}, with the queue's clock and the excerpt writer replaced (tests). */
    static ChronicleJournal open(Path nodeDataDir, Durability durability,
            net.openhft.chronicle.core.time.@Nullable TimeProvider queueClock, ExcerptWriter writer) {
        return openFolder(nodeDataDir.resolve("journal"), durability, queueClock, writer);
    }

    /** Opens (creating if needed) the journal whose queue folder is {@code dir} (a segment, see {@link NodeStore}). */
    public static ChronicleJournal openFolder(Path dir, Durability durability) {
        return openFolder(dir, durability, null, STANDARD_WRITER);
    }

    private static ChronicleJournal openFolder(Path dir, Durability durability,
            net.openhft.chronicle.core.time.@Nullable TimeProvider queueClock, ExcerptWriter writer) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JournalException("cannot create journal folder " + dir + ": " + e.getMessage(), e);
        }
        SingleChronicleQueueBuilder builder = ChronicleQueue.singleBuilder(dir)
                .rollCycle(LargeRollCycles.LARGE_DAILY)
                .blockSize(BLOCK_SIZE_BYTES)
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
        if (queue.overlapSize() < EXCERPT_CAPACITY_BYTES) {
            queue.close();
            throw new JournalException("journal " + dir + " holds excerpts of " + queue.overlapSize() + " bytes, fewer "
                    + "than the " + EXCERPT_CAPACITY_BYTES + " its largest record needs");
        }
        return new ChronicleJournal(dir, queue, durability, writer);
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
        bytesSinceSpaceCheck += record.length + HEADER_BYTES;
        if (bytesSinceSpaceCheck >= SPACE_CHECK_INTERVAL_BYTES) {
            long free = usableSpace.getAsLong();
            if (free < MIN_FREE_DISK_BYTES) {
                throw new JournalException("the disk of journal " + directory + " is nearly full: " + free
                        + " bytes free, the journal needs at least " + MIN_FREE_DISK_BYTES + " (nothing was appended)");
            }
            bytesSinceSpaceCheck = 0;
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
        int crc = crc(record, record.length);
        // A failed write is rolled back: without it, closing the context would complete an excerpt holding whatever
        // was written before the failure (e.g. just the header), and every later replay would stop on it. The
        // context is closed by hand, because try-with-resources closes it before a catch clause could mark it.
        DocumentContext dc;
        try {
            dc = a.writingDocument();
        } catch (RuntimeException e) {
            throw new JournalException("append to " + directory + " failed: " + e, e);
        }
        try {
            writer.write(wireBytes(dc), record, crc);
        } catch (Throwable e) {
            dc.rollbackOnClose();
            closeAfterFailure(dc, e);
            if (e instanceof Error error) {
                throw error;
            }
            throw new JournalException("append of a record of " + record.length + " bytes to " + directory
                    + " failed (rolled back): " + e, e);
        }
        try {
            dc.close();
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

    /** Closes (rolls back) {@code dc} after {@code failure}, keeping the failure as the one thrown. */
    private static void closeAfterFailure(DocumentContext dc, Throwable failure) {
        try {
            dc.close();
        } catch (Throwable closeFailure) {
            failure.addSuppressed(closeFailure);
        }
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
