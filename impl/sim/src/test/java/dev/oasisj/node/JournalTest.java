package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    private static List<byte[]> records(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[random.nextInt(0, 3000)];
            random.nextBytes(b);
            out.add(b);
        }
        return out;
    }

    private static List<byte[]> replayAll(Journal journal) {
        List<byte[]> out = new ArrayList<>();
        journal.replay(out::add);
        return out;
    }

    private static void assertSameRecords(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "record count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "record " + i);
        }
    }

    @Test
    void chronicleJournal_appendCloseReopenReplay_givesTheSameRecordsInOrder() {
        List<byte[]> written = records(500, 7);
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            written.forEach(journal::append);
        }
        try (ChronicleJournal reopened = ChronicleJournal.open(dir)) {
            assertSameRecords(written, replayAll(reopened));
        }
    }

    @Test
    void chronicleJournal_appendAfterReopen_continuesAfterTheOldRecords() {
        List<byte[]> first = records(20, 1);
        List<byte[]> second = records(30, 2);
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            first.forEach(journal::append);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            second.forEach(journal::append);
        }
        List<byte[]> all = new ArrayList<>(first);
        all.addAll(second);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, ChronicleJournal.Durability.FLUSH_EVERY_RECORD)) {
            assertSameRecords(all, replayAll(journal));
        }
    }

    @Test
    void chronicleJournal_recordsOnBothSidesOfADailyRoll_replayInOrder() {
        net.openhft.chronicle.core.time.SetTimeProvider queueClock =
                new net.openhft.chronicle.core.time.SetTimeProvider(java.time.Instant.parse("2026-01-01T23:59:00Z"));
        List<byte[]> written = records(40, 11);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, ChronicleJournal.Durability.PROCESS_CRASH,
                queueClock)) {
            for (int i = 0; i < written.size(); i++) {
                if (i == 20) {
                    queueClock.advanceMillis(2 * 60_000); // past midnight: the queue rolls to a new file
                }
                journal.append(written.get(i));
            }
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("journal"))) {
            assertEquals(2, files.filter(p -> p.toString().endsWith(".cq4")).count(), "expected one file per day");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, ChronicleJournal.Durability.PROCESS_CRASH,
                queueClock)) {
            assertSameRecords(written, replayAll(journal));
        }
    }

    @Test
    void chronicleJournal_emptyJournal_replaysNothing() {
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            assertEquals(0, journal.replay(r -> {
                throw new AssertionError("no record expected");
            }));
        }
    }

    @Test
    void chronicleJournal_refusesOversizedRecordsAndAppendsAfterClose() {
        ChronicleJournal journal = ChronicleJournal.open(dir);
        assertThrows(IllegalArgumentException.class,
                () -> journal.append(new byte[ShellLimits.MAX_JOURNAL_RECORD_BYTES + 1]));
        journal.close();
        assertThrows(JournalException.class, () -> journal.append(new byte[1]));
    }

    /**
     * The journal's real capacity, measured on Chronicle itself with the block size the journal uses: an excerpt of
     * exactly {@link ChronicleJournal#EXCERPT_CAPACITY_BYTES} (the largest record plus the journal's header) is
     * written, one of a byte more is refused by Chronicle.
     */
    @Test
    void chronicleExcerptCapacity_withTheJournalsBlockSize_isExactlyTheLargestRecordPlusItsHeader() {
        try (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue queue =
                net.openhft.chronicle.queue.ChronicleQueue.singleBuilder(dir.resolve("raw"))
                        .rollCycle(net.openhft.chronicle.queue.rollcycles.LargeRollCycles.LARGE_DAILY)
                        .blockSize(ChronicleJournal.BLOCK_SIZE_BYTES).build();
                net.openhft.chronicle.queue.ExcerptAppender appender = queue.createAppender()) {
            assertEquals(ChronicleJournal.EXCERPT_CAPACITY_BYTES, queue.overlapSize());
            try (net.openhft.chronicle.wire.DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(new byte[ChronicleJournal.EXCERPT_CAPACITY_BYTES]);
            }
            net.openhft.chronicle.wire.DocumentContext dc = appender.writingDocument();
            try {
                assertThrows(RuntimeException.class,
                        () -> dc.wire().bytes().write(new byte[ChronicleJournal.EXCERPT_CAPACITY_BYTES + 1]));
            } finally {
                dc.rollbackOnClose();
                dc.close();
            }
        }
        assertEquals(4 * 1024 * 1024, ChronicleJournal.EXCERPT_CAPACITY_BYTES, "the 4 MiB the README states");
    }

    @Test
    void chronicleJournal_recordOfExactlyTheLimit_replays_andOneByteMoreIsRefusedLeavingTheJournalAsItWas() {
        byte[] largest = new byte[ShellLimits.MAX_JOURNAL_RECORD_BYTES];
        new SplittableRandom(5).nextBytes(largest);
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            journal.append(largest);
            assertThrows(IllegalArgumentException.class,
                    () -> journal.append(new byte[ShellLimits.MAX_JOURNAL_RECORD_BYTES + 1]));
            journal.append(new byte[] {7});
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            assertSameRecords(List.of(largest, new byte[] {7}), replayAll(journal));
        }
    }

    /** Writes the header and half of the record, then fails as a disk or the heap might. */
    private static ChronicleJournal.ExcerptWriter failingHalfWay(Throwable failure) {
        return (bytes, record, crc) -> {
            bytes.writeInt(record.length);
            bytes.writeInt(crc);
            bytes.write(record, 0, record.length / 2);
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) failure;
        };
    }

    private void appendFailingHalfWay_leavesTheJournalAsItWas(Throwable failure, Class<? extends Throwable> thrown) {
        List<byte[]> before = records(30, 21);
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            before.forEach(journal::append);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, ChronicleJournal.Durability.PROCESS_CRASH, null,
                failingHalfWay(failure))) {
            assertThrows(thrown, () -> journal.append(new byte[100_000]));
        }
        // restarted: the journal replays exactly what was written before the failure, and appends go on after it
        List<byte[]> after = records(5, 22);
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            assertSameRecords(before, replayAll(journal));
            after.forEach(journal::append);
        }
        List<byte[]> all = new ArrayList<>(before);
        all.addAll(after);
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            assertSameRecords(all, replayAll(journal));
        }
    }

    @Test
    void chronicleJournal_appendFailingMidWrite_isRolledBack_andTheJournalReplaysWhatWasWrittenBefore() {
        appendFailingHalfWay_leavesTheJournalAsItWas(new IllegalStateException("device failure (injected)"),
                JournalException.class);
    }

    @Test
    void chronicleJournal_errorMidWrite_isRolledBackToo_andPropagates() {
        appendFailingHalfWay_leavesTheJournalAsItWas(new OutOfMemoryError("injected"), OutOfMemoryError.class);
    }

    /**
     * A nearly full disk stops appends with a message before Chronicle's mapped writes could hit a full file system
     * (where the JVM dies of SIGBUS, printing nothing): the free space is checked on the first append and after every
     * {@link ChronicleJournal#SPACE_CHECK_INTERVAL_BYTES}; what was written before replays.
     */
    @Test
    void chronicleJournal_onANearlyFullDisk_refusesToAppendWithAMessage_andKeepsWhatWasWritten() {
        long[] free = {ChronicleJournal.MIN_FREE_DISK_BYTES};
        int[] checks = {0};
        byte[] record = new byte[1 << 20];
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            journal.usableSpace(() -> {
                checks[0]++;
                return free[0];
            });
            journal.append("first".getBytes());
            assertEquals(1, checks[0], "checked on the first append");
            free[0] = ChronicleJournal.MIN_FREE_DISK_BYTES - 1;
            for (int i = 0; i < 3; i++) {
                journal.append(record); // 3 MiB since the check: not checked again yet
            }
            assertEquals(1, checks[0]);
            JournalException e = assertThrows(JournalException.class, () -> journal.append(record));
            assertTrue(e.getMessage().contains("nearly full") && e.getMessage().contains("nothing was appended"),
                    e.getMessage());
            assertEquals(2, checks[0]);
        }
        try (ChronicleJournal reopened = ChronicleJournal.open(dir)) {
            List<byte[]> replayed = new ArrayList<>();
            assertEquals(4, reopened.replay(replayed::add));
            assertArrayEquals("first".getBytes(), replayed.get(0));
        }
    }

    @Test
    void inMemoryJournal_survivesCloseAndReopen_likeADiskJournalAcrossARestart() {
        List<byte[]> written = records(50, 3);
        InMemoryJournal journal = new InMemoryJournal();
        written.forEach(journal::append);
        journal.close();
        assertThrows(JournalException.class, () -> journal.append(new byte[1]));
        assertSameRecords(written, replayAll(journal.reopen()));
    }

    /**
     * A child JVM appends numbered records as fast as it can and is killed with SIGKILL mid-stream. Replay must give
     * records 0..k-1, each whole, for some k > 0: the torn tail (if any) is not replayed, nothing before it is lost.
     */
    @Test
    void chronicleJournal_afterKillMinus9_replaysAWholePrefixOfTheRecords() throws Exception {
        Path data = dir.resolve("killed");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JournalWriterMain.chronicleFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JournalWriterMain.class.getName());
        command.add(data.toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Wait until the child says it has appended many records, then kill -9 it while it keeps appending.
        java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder transcript = new StringBuilder();
        while ((line = out.readLine()) != null) {
            transcript.append(line).append('\n');
            if (line.startsWith("appended ")) {
                break;
            }
        }
        assertTrue(line != null, "child did not start appending:\n" + transcript);
        child.destroyForcibly(); // SIGKILL on Linux
        child.waitFor();

        List<byte[]> replayed;
        try (ChronicleJournal journal = ChronicleJournal.open(data)) {
            replayed = replayAll(journal);
        }
        assertTrue(replayed.size() >= JournalWriterMain.REPORT_AFTER, "lost records acknowledged before the kill: "
                + replayed.size());
        for (int i = 0; i < replayed.size(); i++) {
            assertArrayEquals(JournalWriterMain.record(i), replayed.get(i), "record " + i);
        }
        // The journal is still appendable after the crash, and new records follow the old ones.
        try (ChronicleJournal journal = ChronicleJournal.open(data)) {
            journal.append("after".getBytes(StandardCharsets.UTF_8));
        }
        try (ChronicleJournal journal = ChronicleJournal.open(data)) {
            List<byte[]> all = replayAll(journal);
            assertEquals(replayed.size() + 1, all.size());
            assertArrayEquals("after".getBytes(StandardCharsets.UTF_8), all.get(all.size() - 1));
        }
    }

    /** Child-process entry point for the kill -9 test (test-only). */
    public static final class JournalWriterMain {
        static final int REPORT_AFTER = 2_000;

        static List<String> chronicleFlags() {
            return JvmFlags.CHRONICLE;
        }

        /** Record i: its index, then i % 1000 bytes of a pattern, so a torn or misplaced record is detectable. */
        static byte[] record(int i) {
            ByteBuffer b = ByteBuffer.allocate(4 + i % 1000);
            b.putInt(i);
            while (b.hasRemaining()) {
                b.put((byte) (i * 31 + b.position()));
            }
            return b.array();
        }

        public static void main(String[] args) {
            try (ChronicleJournal journal = ChronicleJournal.open(Path.of(args[0]))) {
                for (int i = 0; ; i++) {
                    journal.append(record(i));
                    if (i + 1 == REPORT_AFTER) {
                        System.out.println("appended " + REPORT_AFTER);
                        System.out.flush();
                    }
                }
            }
        }
    }
}
