package dev.oasisj.node;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.core.node.ValidatorNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A node's data folder with checkpoints and journal segments (issue point 6: restart time bounded by the checkpoint
 * interval, not by uptime).
 *
 * <p>Layout: {@code journal/} is the segment of the inputs from genesis (the folder a node without checkpoints has
 * always used); {@code checkpoint-<H>} ({@link Checkpoint}) is the state after the input that committed height H, and
 * {@code journal-<H>/} the segment of the inputs journaled after it (H in 20 digits). A checkpoint records how many
 * inputs were journaled since genesis up to it, so counts since genesis (the sign state's) stay comparable across
 * segments.
 *
 * <p>Taking a checkpoint ({@link #checkpoint}), in this order: (1) write {@code checkpoint-H} (temporary file, fsync,
 * rename, fsync of the folder); (2) create {@code journal-H/}, fsync the folder, and append to it from now on; (3)
 * delete the segments below the older of the two newest checkpoints (each renamed to {@code *.deleting} first, then
 * removed), then (4) the checkpoint files below it. A crash between any two steps leaves a startable folder:
 * after (1) only, the newest segment is missing and is empty by construction (nothing is journaled between (1) and
 * (2)); after (2) or (3) the old segments or files are still there and are ignored (a {@code *.deleting} left over is
 * removed at the next start).
 *
 * <p>Loading ({@link #load}): the newest checkpoint that reads and checks (a corrupt one is reported, renamed to
 * {@code *.corrupt} and the previous one used), or genesis; then every segment at or above its height, in order. The
 * segment of the base itself must be there (or be the newest and missing, as after a crash after step 1); a gap is
 * refused with a message rather than replayed.
 */
public final class NodeStore implements AutoCloseable {
    static final String GENESIS_SEGMENT = "journal";
    static final String SEGMENT_PREFIX = "journal-";
    static final String CHECKPOINT_PREFIX = "checkpoint-";
    static final String DELETING = ".deleting";
    static final String CORRUPT = ".corrupt";
    /** Checkpoints (and their segments) kept: the newest, and the previous one to fall back to if it is corrupt. */
    static final int KEPT_CHECKPOINTS = 2;

    private final Path dataDir;
    private final String chainId;
    private final ChronicleJournal.Durability durability;
    private final Consumer<String> log;
    private final SegmentedJournal journal = new SegmentedJournal();
    private long segmentHeight;
    /** Tests turn pruning off to build the folder a crash before step (3) leaves. */
    boolean pruneEnabled = true;

    /** What {@link #load} found and replayed. */
    public record Loaded(NodeStateMachine stateMachine, long checkpointHeight, long inputsReplayed,
            long inputsSinceGenesis, long lastTick, long replayNanos, List<Long> segments) {}

    /** The live journal: appends go to the newest segment; {@link NodeStore#checkpoint} rolls it. */
    public static final class SegmentedJournal implements Journal {
        private @Nullable ChronicleJournal current;

        private ChronicleJournal current() {
            ChronicleJournal c = current;
            if (c == null) {
                throw new JournalException("the journal is closed");
            }
            return c;
        }

        void roll(ChronicleJournal next) {
            ChronicleJournal old = current;
            current = next;
            if (old != null) {
                old.close();
            }
        }

        @Override
        public void append(byte[] record) {
            current().append(record);
        }

        /** Replays the current segment only. */
        @Override
        public long replay(Consumer<byte[]> consumer) {
            return current().replay(consumer);
        }

        @Override
        public void close() {
            ChronicleJournal c = current;
            current = null;
            if (c != null) {
                c.close();
            }
        }
    }

    public NodeStore(Path dataDir, String chainId, ChronicleJournal.Durability durability, Consumer<String> log) {
        this.dataDir = dataDir;
        this.chainId = chainId;
        this.durability = durability;
        this.log = log;
    }

    public static String segmentName(long height) {
        return height == 0 ? GENESIS_SEGMENT : String.format("%s%020d", SEGMENT_PREFIX, height);
    }

    Path segmentDir(long height) {
        return dataDir.resolve(segmentName(height));
    }

    /** The heights of the segments in the folder (0 for {@code journal/}), ascending. */
    TreeSet<Long> segments() {
        return heights(p -> Files.isDirectory(p), GENESIS_SEGMENT, SEGMENT_PREFIX);
    }

    /** The heights of the checkpoint files in the folder, ascending. */
    TreeSet<Long> checkpoints() {
        return heights(p -> Files.isRegularFile(p), null, CHECKPOINT_PREFIX);
    }

    private TreeSet<Long> heights(java.util.function.Predicate<Path> kind, @Nullable String zeroName, String prefix) {
        TreeSet<Long> out = new TreeSet<>();
        if (!Files.isDirectory(dataDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir)) {
            for (Path p : ds) {
                String n = name(p);
                if (!kind.test(p)) {
                    continue;
                }
                if (n.equals(zeroName)) {
                    out.add(0L);
                } else if (n.startsWith(prefix) && n.length() == prefix.length() + 20
                        && n.substring(prefix.length()).chars().allMatch(Character::isDigit)) {
                    out.add(Long.parseLong(n.substring(prefix.length())));
                }
            }
        } catch (IOException e) {
            throw new JournalException("cannot list " + dataDir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Loads the newest valid checkpoint (or genesis when there is none), replays the segments at or above it into the
     * node, through {@code wrap} (the sign guard observes the exact replay that way, from genesis or from a checkpoint),
     * and opens the newest segment for
     * appending. {@code fresh} builds the node at genesis when there is no usable checkpoint.
     */
    public Loaded load(Genesis genesis, Signer signer, java.util.function.Supplier<NodeStateMachine> fresh,
            UnaryOperator<NodeStateMachine> wrap, JournalCodec codec) {
        long start = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new JournalException("cannot create " + dataDir + ": " + e.getMessage(), e);
        }
        cleanLeftovers();
        @Nullable Checkpoint base = null;
        @Nullable NodeStateMachine restored = null;
        for (Long h : checkpoints().descendingSet()) {
            Path file = dataDir.resolve(Checkpoint.fileName(h));
            try {
                base = Checkpoint.read(file, chainId);
                restored = base.restore(genesis, signer); // checks the commit against the validator set
                break;
            } catch (Checkpoint.CorruptException | IllegalArgumentException e) {
                base = null;
                log.accept("checkpoint " + file.getFileName() + " is not usable (" + e.getMessage()
                        + "); it is renamed to " + file.getFileName() + CORRUPT + " and the previous one is used");
                try {
                    Files.move(file, file.resolveSibling(file.getFileName() + CORRUPT),
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException io) {
                    throw new JournalException("cannot rename " + file + ": " + io.getMessage(), io);
                }
            }
        }
        long baseHeight = base == null ? 0 : base.height();
        NodeStateMachine sm = restored == null ? fresh.get() : restored;
        TreeSet<Long> segs = new TreeSet<>(segments().tailSet(baseHeight, true));
        if (!segs.isEmpty() && segs.first() != baseHeight) {
            throw new JournalException("the journal segment " + segmentName(baseHeight) + " after the checkpoint at "
                    + "height " + baseHeight + " is missing, but later segments exist (" + segmentName(segs.first())
                    + "): the inputs in between are lost");
        }
        // Every replay is observed (SignGuard#observeReplayed), the one after a checkpoint too: that replay is exact
        // (the checkpoint carries the held messages and the mempool; CheckpointRestoreTest), and a node that does not
        // know the signatures it re-created cannot resend them. After all validators restarted from checkpoints, their
        // peers no longer held those votes, every resend was refused as "at or below the saved" state, and three
        // restored validators (a bare quorum) stopped at that height (NodeProcessKillRestartTest, 2026-12-05).
        NodeStateMachine replayInto = wrap.apply(sm);
        long replayed = 0;
        long lastTick = base == null ? -1 : base.tick();
        long newest = segs.isEmpty() ? baseHeight : segs.last();
        for (long h : segs) {
            ChronicleJournal j = ChronicleJournal.openFolder(segmentDir(h), durability);
            try {
                NodeAgent.Recovery r = NodeAgent.recover(j, replayInto, codec);
                replayed += r.inputsReplayed();
                lastTick = Math.max(lastTick, r.lastTick());
            } finally {
                if (h != newest) {
                    j.close();
                } else {
                    journal.roll(j);
                }
            }
        }
        if (segs.isEmpty()) {
            journal.roll(openSegment(baseHeight));
        }
        segmentHeight = newest;
        long sinceGenesis = (base == null ? 0 : base.inputs()) + replayed;
        return new Loaded(sm, baseHeight, replayed, sinceGenesis, lastTick, System.nanoTime() - start,
                List.copyOf(segs));
    }

    /** The live journal (the newest segment; rolled by {@link #checkpoint}). */
    public SegmentedJournal journal() {
        return journal;
    }

    /** The height of the segment appended to now. */
    public long segmentHeight() {
        return segmentHeight;
    }

    /**
     * Takes a checkpoint of {@code node} (right after the input that committed its last block), {@code inputs} inputs
     * having been journaled since genesis, then rolls the journal to a new segment and deletes what is no longer
     * needed (see the class comment for the order and the crash points).
     */
    public Path checkpoint(ValidatorNode node, long inputs) {
        Checkpoint cp = Checkpoint.of(node, inputs);
        Path file = cp.write(dataDir); // (1) durable
        journal.roll(openSegment(cp.height())); // (2)
        segmentHeight = cp.height();
        prune(); // (3), (4)
        return file;
    }

    /**
     * The agent hook that checkpoints {@code node} when its height enters a new multiple of {@code intervalBlocks}
     * ({@code inputsBefore}: inputs since genesis before the agent's first, {@link Loaded#inputsSinceGenesis()});
     * {@code report} gets one line per checkpoint.
     */
    public NodeAgent.CommitHook checkpointEvery(ValidatorNode node, long intervalBlocks, long inputsBefore,
            Consumer<String> report) {
        if (intervalBlocks <= 0) {
            throw new IllegalArgumentException("checkpoint interval must be positive, got " + intervalBlocks);
        }
        long[] last = {node.height()};
        return inputsJournaled -> {
            long h = node.height();
            if (h / intervalBlocks > last[0] / intervalBlocks) {
                long t0 = System.nanoTime();
                checkpoint(node, inputsBefore + inputsJournaled);
                last[0] = h;
                report.accept("checkpoint at height " + h + " (" + (System.nanoTime() - t0) / 1_000_000
                        + " ms; journal segment " + segmentName(h) + ")");
            }
        };
    }

    private ChronicleJournal openSegment(long height) {
        ChronicleJournal j = ChronicleJournal.openFolder(segmentDir(height), durability);
        fsyncDir(dataDir);
        return j;
    }

    /** Steps (3) and (4): segments, then checkpoint files, below the older of the newest two checkpoints. */
    void prune() {
        if (!pruneEnabled) {
            return;
        }
        TreeSet<Long> cps = checkpoints();
        if (cps.size() < KEPT_CHECKPOINTS) {
            return;
        }
        long keepFrom = new ArrayList<>(cps.descendingSet()).get(KEPT_CHECKPOINTS - 1);
        for (long h : segments().headSet(keepFrom, false)) {
            deleteTree(segmentDir(h));
        }
        fsyncDir(dataDir);
        for (long h : cps.headSet(keepFrom, false)) {
            try {
                Files.deleteIfExists(dataDir.resolve(Checkpoint.fileName(h)));
            } catch (IOException e) {
                throw new JournalException("cannot delete checkpoint " + h + ": " + e.getMessage(), e);
            }
        }
        fsyncDir(dataDir);
    }

    private void deleteTree(Path dir) {
        Path doomed = dir.resolveSibling(dir.getFileName() + DELETING);
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            removeRecursively(doomed);
        } catch (IOException e) {
            throw new JournalException("cannot delete journal segment " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void removeRecursively(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    private void cleanLeftovers() {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir)) {
            for (Path p : ds) {
                String n = name(p);
                if (n.endsWith(DELETING)) {
                    removeRecursively(p);
                } else if (n.startsWith(CHECKPOINT_PREFIX) && n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new JournalException("cannot clean " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static String name(Path p) {
        Path f = p.getFileName();
        return f == null ? "" : f.toString();
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new JournalException("cannot fsync " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        journal.close();
    }
}
