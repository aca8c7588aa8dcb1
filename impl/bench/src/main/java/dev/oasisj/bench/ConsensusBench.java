package dev.oasisj.bench;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.node.ValidatorNode;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.node.ChronicleJournal;
import dev.oasisj.node.ClientRequest;
import dev.oasisj.node.FrameHandler;
import dev.oasisj.node.JournalCodec;
import dev.oasisj.node.JvmFlags;
import dev.oasisj.node.ManualClock;
import dev.oasisj.node.NodeAgent;
import dev.oasisj.node.CoreInputCodec;
import dev.oasisj.node.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import dev.oasisj.node.NodeStore;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code oasis bench consensus}: one run, one thread, five phases, each result stated against its goal.
 * <ol>
 *   <li><b>Physical limit</b>: raw Bouncy Castle Ed25519 verifications per second of the benchmark's own transfers
 *       (their signing bytes, signatures and keys), pre-signed.</li>
 *   <li><b>Pipeline</b>: pre-generated signed transfers (encoded) are submitted to a real {@link NodeAgent} (client
 *       request, journal append to a {@link ChronicleJournal}, apply, reply) over the {@link ValidatorNode} as the
 *       only validator (mempool admission: decode, hash, verify; on the tick after every
 *       {@link BenchOptions#blockTransactions()} transfers: block proposal from the mempool, consensus with itself,
 *       commit: fees, state root, block hash); or, with {@link BenchOptions#ledgerOnly()}, over the
 *       {@link BenchLedgerMachine}. tx/s and its ratio to (1), both measured in alternating slices; goal ratio
 *       >= 0.8.</li>
 *   <li><b>Journal append latency</b> of those inputs, from an HdrHistogram ({@link TimedJournal#latencyHistogram}).</li>
 *   <li><b>Replay</b>: {@link NodeAgent#recover} of the journal into a fresh machine from genesis; tx/s against
 *       the live rate (goal >= 1.0); the replayed state root and last block hash must equal the live ones. The node
 *       journals each submitted transfer with the verdict on its signature (checked live by
 *       {@code NodeStateMachine.prepare}, just before journaling), so replay does not verify it again; every other
 *       rule is checked again and every transfer applied again.</li>
 *   <li><b>Memory</b>: {@link MemoryProbe} in a child JVM with {@code -Xmx512m}.</li>
 * </ol>
 * Returns 0 whether goals are met or not; 2 on a replay mismatch, 1 on any other failure (a crash, a refused transfer,
 * a child that failed other than by running out of memory).
 */
public final class ConsensusBench {
    static final double PIPELINE_GOAL = 0.80;
    static final double REPLAY_GOAL = 1.0;
    /** Restart after 10 checkpoint intervals / after 1: at most this (equal within noise). */
    static final double RESTART_GOAL = 1.5;
    static final int RESTART_INTERVAL_BLOCKS = 10;
    static final String CHILD_HEAP = "512m";
    static final int EXIT_OK = 0;
    static final int EXIT_ERROR = 1;
    static final int EXIT_MISMATCH = 2;

    private static final int SAMPLE_MESSAGES = 1_024;
    private static final int LABEL_WIDTH = 46;
    private static final double SLICE_SECONDS = 0.5;

    /** The node's journal encoding of its inputs (the core's {@code NodeInputCodec}). */
    static final JournalCodec CODEC = CoreInputCodec.INSTANCE;

    /**
     * Client requests submitted per duty cycle (the agent serves up to 256 per cycle). Small enough that a timed slice
     * ends close to its deadline even on a slow or busy machine.
     */
    private static final int SUBMIT_BATCH = 64;

    private ConsensusBench() {}

    /**
     * For running without the CLI:
     * {@code ConsensusBench [phaseSeconds [warmupSeconds [accounts [node|ledger-only [blockTxs [dataDir]]]]]]};
     * exits with the code of {@link #run}.
     */
    public static void main(String[] args) {
        BenchOptions o = BenchOptions.defaults();
        if (args.length > 0) {
            o = o.withPhaseSeconds(Double.parseDouble(args[0]));
        }
        if (args.length > 1) {
            o = o.withWarmupSeconds(Double.parseDouble(args[1]));
        }
        if (args.length > 2) {
            o = o.withAccounts(Integer.parseInt(args[2]));
        }
        if (args.length > 3) {
            o = o.withLedgerOnly(args[3].equals("ledger-only"));
        }
        if (args.length > 4) {
            o = o.withBlockTransactions(Integer.parseInt(args[4]));
        }
        if (args.length > 5) {
            o = o.withDataDir(Path.of(args[5]));
        }
        System.exit(run(o, System.out, System.err));
    }

    /** Runs every phase and prints one line per result to {@code out}; see the class comment for the exit codes. */
    public static int run(BenchOptions options, PrintStream out) {
        return run(options, out, null);
    }

    /**
     * As {@link #run(BenchOptions, PrintStream)}, and announces each long phase on {@code progress} (one line each,
     * e.g. standard error) when it is not null.
     */
    public static int run(BenchOptions options, PrintStream out, @Nullable PrintStream progress) {
        Path base;
        try {
            Path parent = options.dataDir();
            if (parent == null) {
                base = Files.createTempDirectory("oasis-bench-");
            } else {
                Files.createDirectories(parent);
                base = Files.createTempDirectory(parent, "consensus-bench-");
            }
        } catch (IOException e) {
            out.println("ERROR: cannot create the data folder: " + e);
            return EXIT_ERROR;
        }
        try {
            return new Run(options, out, progress, base).phases();
        } catch (RuntimeException | IOException | OutOfMemoryError e) {
            out.println("ERROR: the bench failed: " + e);
            e.printStackTrace(out);
            return EXIT_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("ERROR: interrupted");
            return EXIT_ERROR;
        } finally {
            deleteRecursively(base, out);
        }
    }

    /** One run's state, so that the phases can share what they measured. */
    private static final class Run {
        private final BenchOptions o;
        private final PrintStream out;
        private final @Nullable PrintStream progress;
        private final Path base;
        private final long phaseNanos;
        private final long warmupNanos;

        Run(BenchOptions o, PrintStream out, @Nullable PrintStream progress, Path base) {
            this.o = o;
            this.out = out;
            this.progress = progress;
            this.base = base;
            this.phaseNanos = (long) (o.phaseSeconds() * 1e9);
            this.warmupNanos = (long) (o.warmupSeconds() * 1e9);
        }

        int phases() throws IOException, InterruptedException {
            long runStart = System.nanoTime();
            out.printf(Locale.ROOT, "consensus bench: 1 thread, %s accounts, blocks of up to %s transfers, seed %d, "
                    + "%.1f s per phase after %.1f s warm-up; java %s, %d cpus, load average %.1f%n",
                    count(o.accounts()), count(o.blockTransactions()), o.seed(), o.phaseSeconds(), o.warmupSeconds(),
                    property("java.version"), Runtime.getRuntime().availableProcessors(), loadAverage());

            progress("building the genesis of " + count(o.accounts()) + " accounts...");
            long t = System.nanoTime();
            BenchWorkload workload = new BenchWorkload(o.accounts(), o.seed(), !o.ledgerOnly());
            Genesis genesis = workload.genesis();
            Ledger genesisLedger = Ledger.fromGenesis(genesis);
            BenchWorkload.Signed[] sample = new BenchWorkload.Signed[SAMPLE_MESSAGES];
            for (int i = 0; i < sample.length; i++) {
                sample[i] = workload.next();
            }
            double setupSeconds = (System.nanoTime() - t) / 1e9;

            // 1 + 2 are measured in alternating slices, so that both see the same machine (other processes, CPU
            // frequency) and their ratio is fair even when the load on the machine changes during the run.
            int n = sample.length;
            byte[][] messages = new byte[n][];
            byte[][] signatures = new byte[n][];
            byte[][] keys = new byte[n][];
            for (int i = 0; i < n; i++) {
                messages[i] = sample[i].signingBytes();
                signatures[i] = sample[i].signature();
                keys[i] = sample[i].signer().toBytes();
            }
            Ed25519.PublicPoint[] points = new Ed25519.PublicPoint[n];
            for (int i = 0; i < n; i++) {
                Ed25519.@Nullable PublicPoint pp = Ed25519.validatePublicKeyPartialExport(keys[i], 0);
                if (pp == null) {
                    throw new IllegalStateException("a workload key fails validation");
                }
                points[i] = pp;
            }
            long[] warm = verifyLoop(messages, signatures, keys, null, Math.max(warmupNanos, 100_000_000L));
            verifyLoop(messages, signatures, keys, points, Math.max(warmupNanos, 100_000_000L) / 2);
            double warmRate = warm[0] / (warm[2] / 1e9);

            t = System.nanoTime();
            int needed = transfersNeeded(warmRate, o, sample.length);
            progress("signing " + count(needed) + " transfers (untimed)...");
            byte[][] txs = new byte[needed][];
            for (int i = 0; i < sample.length && i < needed; i++) {
                txs[i] = sample[i].encoded();
            }
            byte[][] rest = workload.nextEncoded(Math.max(0, needed - sample.length));
            System.arraycopy(rest, 0, txs, sample.length, rest.length);
            double signSeconds = (System.nanoTime() - t) / 1e9;
            out.printf(Locale.ROOT, "  setup (untimed): genesis + ledger of %s accounts in %.1f s; %s transfers from "
                    + "%s senders signed in %.1f s; journal in %s%n", count(o.accounts()), setupSeconds,
                    count(needed), count(workload.senderCount()), signSeconds, base);

            Path nodeDir = base.resolve("node-0");
            org.HdrHistogram.Histogram appendNanos = TimedJournal.latencyHistogram();
            Pipeline live = new Pipeline(newMachine(genesis, genesisLedger, workload.validator(), o.ledgerOnly(),
                    o.blockTransactions()),
                    txs, o.blockTransactions());
            TimedJournal journal = new TimedJournal(ChronicleJournal.open(nodeDir), appendNanos);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            int rounds = (int) Math.max(1, Math.round(o.phaseSeconds() / SLICE_SECONDS));
            long sliceNanos = phaseNanos / rounds;
            long verifyCount = 0;
            long verifyValid = 0;
            long verifyWall = 0;
            long verifyCpu = 0;
            long pipelineWall = 0;
            long pipelineCpu = 0;
            long decodedCount = 0;
            long decodedValid = 0;
            long decodedWall = 0;
            long verifyGcMillis = 0;
            long pipelineGcMillis = 0;
            progress(String.format(Locale.ROOT, "measuring: %.1f s warm-up, then Ed25519 verify and the pipeline "
                    + "alternating in %d slices of %.2f s (about %.0f s)...", o.warmupSeconds(), rounds,
                    sliceNanos / 1e9, o.warmupSeconds() + 2.5 * o.phaseSeconds()));
            try {
                live.start(journal);
                live.feedFor(warmupNanos);
                journal.recording(true);
                long first = live.cursor;
                for (int r = 0; r < rounds; r++) {
                    long gc0 = gcMillis();
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long[] v = verifyLoop(messages, signatures, keys, null, sliceNanos);
                    long cpu1 = threads.getCurrentThreadCpuTime();
                    long gc1 = gcMillis();
                    verifyGcMillis += gc1 - gc0;
                    verifyCount += v[0];
                    verifyValid += v[1];
                    verifyWall += v[2];
                    verifyCpu += cpu1 - cpu0;
                    long[] d = verifyLoop(messages, signatures, keys, points, sliceNanos / 2);
                    decodedCount += d[0];
                    decodedValid += d[1];
                    decodedWall += d[2];
                    cpu1 = threads.getCurrentThreadCpuTime();
                    gc1 = gcMillis();
                    long w0 = System.nanoTime();
                    live.feedFor(sliceNanos);
                    if (r == rounds - 1) {
                        live.finish();
                    }
                    pipelineWall += System.nanoTime() - w0;
                    pipelineCpu += threads.getCurrentThreadCpuTime() - cpu1;
                    pipelineGcMillis += gcMillis() - gc1;
                }
                journal.recording(false);
                live.timed = live.cursor - first;
            } finally {
                journal.close();
            }
            if (verifyValid != verifyCount || decodedValid != decodedCount) {
                throw new IllegalStateException((verifyCount - verifyValid + decodedCount - decodedValid)
                        + " valid signatures failed to verify");
            }
            double decodedRate = decodedCount / (decodedWall / 1e9);
            double verifyRate = verifyCount / (verifyWall / 1e9);
            int messageBytes = messages[0].length;
            int txBytes = txs[0].length;
            line("ed25519 verify (1 core)", String.format(Locale.ROOT,
                    "%s verifications/s  (Bouncy Castle, %d-byte signing bytes of %d-byte transfers: the physical "
                    + "limit)", rate(verifyRate), messageBytes, txBytes));
            double pipelineRate = live.timed / (pipelineWall / 1e9);
            PipelineResult p = new PipelineResult(live.timed, pipelineWall / 1e9, pipelineRate,
                    live.timed / (pipelineCpu / 1e9), live.rejections, live.firstRejection);
            double ratio = p.txPerSecond() / verifyRate;
            line("pipeline (1 core)", String.format(Locale.ROOT,
                    "%s tx/s  (decode, hash, verify, apply, journal: client request to committed block)",
                    rate(p.txPerSecond())));
            line("pipeline/verify ratio", String.format(Locale.ROOT, "%s (goal >= %.2f: %s)", goalRatio(ratio),
                    PIPELINE_GOAL, verdict(ratio >= PIPELINE_GOAL)));
            line("  stricter: verify, keys pre-decoded", String.format(Locale.ROOT,
                    "%s verifications/s; pipeline/that %.2f  (no goal: the node decodes a sender's key once and "
                    + "keeps it, so this is the limit for its signature checks alone)", rate(decodedRate),
                    p.txPerSecond() / decodedRate));
            out.println("  node: " + live.machine.description());
            double cpuRatio = (live.timed / (double) pipelineCpu) / (verifyCount / (double) verifyCpu);
            out.printf(Locale.ROOT, "  timing: verify and pipeline alternate in %d slice(s) of %.2f s each; verify %s in "
                    + "%.2f s, pipeline %s transfers in %.2f s (blocks in all: %s); per CPU-second of this thread: "
                    + "verify %s/s, pipeline %s tx/s, ratio %.2f; garbage collection: %,d ms in the pipeline slices, "
                    + "%,d ms in the verify slices%n", rounds, sliceNanos / 1e9, count(verifyCount),
                    verifyWall / 1e9,
                    count(p.timedTransactions()), p.timedSeconds(), count(live.machine.blocks()),
                    rate(verifyCount / (verifyCpu / 1e9)), rate(live.timed / (pipelineCpu / 1e9)), cpuRatio,
                    pipelineGcMillis, verifyGcMillis);
            long notCommitted = live.machine.clientTransactions() - live.machine.committedTransactions();
            if (p.rejections() > 0 || notCommitted != 0) {
                out.println("ERROR: the node refused " + p.rejections() + " valid transfers (first: "
                        + p.firstRejection() + "); " + notCommitted + " submitted but not committed");
                return EXIT_ERROR;
            }
            if (live.cursor == txs.length) {
                out.println("  note: the pre-generated transfers ran out before the end of the phase (the machine got "
                        + "faster than the warm-up estimate); the pipeline rate is over the transfers there were");
            }

            // 3. journal append latency
            line("journal append latency", String.format(Locale.ROOT,
                    "p50=%s p99=%s p99.9=%s max=%s  (Chronicle Queue, %s appends of %d B avg during the timed "
                    + "pipeline; no goal)",
                    micros(appendNanos.getValueAtPercentile(50)), micros(appendNanos.getValueAtPercentile(99)),
                    micros(appendNanos.getValueAtPercentile(99.9)), micros(journal.maxNanos()),
                    count(appendNanos.getTotalCount()),
                    appendNanos.getTotalCount() == 0 ? 0 : journal.recordBytes() / appendNanos.getTotalCount()));

            // 4. replay
            progress("replaying the journal into a fresh node from genesis...");
            int rc = replay(genesis, workload.validator(), nodeDir, live, p);

            // 4b. restart from checkpoints
            progress("restart: a node with a checkpoint every " + RESTART_INTERVAL_BLOCKS + " blocks, restarted after "
                    + "1 and after 10 intervals...");
            int restartRc = restart(genesis, workload.validator(), txs);
            rc = rc != EXIT_OK ? rc : restartRc;

            // 5. memory
            if (o.memoryChild()) {
                progress("memory: a child JVM (-Xmx" + CHILD_HEAP + ") builds a validator holding "
                        + count(o.memoryAccounts()) + " accounts and commits " + count(o.memoryTransactions())
                        + " transfers...");
            }
            int memoryRc = memory();
            out.printf(Locale.ROOT, "consensus bench: done in %.1f s, load average %.1f (other processes on this "
                    + "machine slow every phase alike; the ratios are the comparable numbers)%n",
                    (System.nanoTime() - runStart) / 1e9, loadAverage());
            return rc != EXIT_OK ? rc : memoryRc;
        }

        /**
         * A ratio printed next to its goal: truncated (not rounded) to two decimals, so that the printed number never
         * shows the goal reached when the verdict beside it says it is not (0.797 prints as 0.79, not 0.80).
         */
        static String goalRatio(double ratio) {
            return String.format(Locale.ROOT, "%.2f", Math.floor(ratio * 100) / 100);
        }

        /**
         * Verifies the sample round-robin for {@code nanos}, from the encoded keys, or with {@code points} from the
         * keys decoded beforehand (BC's {@code PublicPoint}); returns {count, valid, elapsed nanos}.
         */
        private static long[] verifyLoop(byte[][] messages, byte[][] signatures, byte[][] keys,
                Ed25519.PublicPoint @Nullable [] points, long nanos) {
            long count = 0;
            long valid = 0;
            int i = 0;
            long start = System.nanoTime();
            long end = start + nanos;
            long now;
            do {
                byte[] m = messages[i];
                if (points == null ? Ed25519.verify(signatures[i], 0, keys[i], 0, m, 0, m.length)
                        : Ed25519.verify(signatures[i], 0, points[i], m, 0, m.length)) {
                    valid++;
                }
                count++;
                i = i + 1 == messages.length ? 0 : i + 1;
                now = System.nanoTime();
            } while (now < end);
            return new long[] {count, valid, now - start};
        }

        private int replay(Genesis genesis, Signer validator, Path nodeDir, Pipeline live, PipelineResult p) {
            long t = System.nanoTime();
            CountingMachine fresh = newMachine(genesis, Ledger.fromGenesis(genesis), validator, o.ledgerOnly(),
                    o.blockTransactions());
            double genesisSeconds = (System.nanoTime() - t) / 1e9;
            NodeAgent.Recovery recovery;
            long elapsed;
            long cpu;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            try (ChronicleJournal journal = ChronicleJournal.open(nodeDir)) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                recovery = NodeAgent.recover(journal, fresh, CODEC);
                elapsed = System.nanoTime() - start;
                cpu = threads.getCurrentThreadCpuTime() - cpu0;
            }
            double replayRate = fresh.clientTransactions() / (elapsed / 1e9);
            double factor = replayRate / p.txPerSecond();
            Hash32 liveRoot = live.machine.stateRoot();
            Hash32 replayedRoot = fresh.stateRoot();
            boolean identical = liveRoot.equals(replayedRoot)
                    && live.machine.lastBlockHash().equals(fresh.lastBlockHash())
                    && live.machine.height() == fresh.height()
                    && live.machine.clientTransactions() == fresh.clientTransactions();
            String verdict = identical
                    ? "state root identical (" + replayedRoot.shortHex() + ", height " + fresh.height() + ")"
                    : "MISMATCH: live root " + liveRoot.shortHex() + " height " + live.machine.height()
                            + ", replayed root " + replayedRoot.shortHex() + " height " + fresh.height();
            line("replay (journal -> fresh node from genesis)", String.format(Locale.ROOT, "%s tx/s  (%s)",
                    rate(replayRate), verdict));
            line("replay/live ratio", String.format(Locale.ROOT, "%s (goal >= %.2f: %s)", goalRatio(factor),
                    REPLAY_GOAL, verdict(factor >= REPLAY_GOAL)));
            double cpuRate = fresh.clientTransactions() / (cpu / 1e9);
            out.printf(Locale.ROOT, "  replay: %s inputs (%s transfers, warm-up included) in %.2f s through "
                    + "NodeAgent.recover; signature verdicts read from the journal for %s transfers (checked live just "
                    + "before journaling), the other %s verified again; everything else re-checked and re-applied; "
                    + "per CPU-second: %s tx/s = %.2fx live; fresh genesis ledger built in %.1f s (untimed)%n",
                    count(recovery.inputsReplayed()), count(fresh.clientTransactions()), elapsed / 1e9,
                    count(fresh.withVerdict()), count(fresh.clientTransactions() - fresh.withVerdict()),
                    rate(cpuRate), cpuRate / p.txPerCpuSecond(), genesisSeconds);
            return identical ? EXIT_OK : EXIT_MISMATCH;
        }

        /**
         * Restart time against uptime (issue point 6): one {@link ValidatorNode} behind a {@link NodeAgent} over a
         * {@link NodeStore} that checkpoints every {@value #RESTART_INTERVAL_BLOCKS} blocks, fed the transfers in blocks;
         * stopped half an interval past the first checkpoint and half an interval past the tenth, and each time
         * restarted ({@link NodeStore#load}: read and check the newest checkpoint, replay its segment) three times, the
         * fastest counted. The restarted node must have the live node's height, block hash and state root, and the
         * run goes on from it. Goal: the restart after 10 intervals takes at most {@value #RESTART_GOAL} times the one
         * after 1 (equal within noise).
         */
        private int restart(Genesis genesis, Signer validator, byte[][] txs) throws IOException {
            int k = RESTART_INTERVAL_BLOCKS;
            int perBlock = (int) Math.max(1, Math.min(o.blockTransactions(), txs.length / (11L * k)));
            Path dir = base.resolve("restart-node");
            Files.createDirectories(dir);
            long[] cursor = {0};
            long[] nanos = new long[2];
            long[] replayed = new long[2];
            long[] heights = new long[2];
            long[] checkpointHeights = new long[2];
            int[] stops = {k + k / 2, 10 * k + k / 2};
            RestartNode node = RestartNode.start(dir, genesis, validator);
            boolean identical = true;
            String mismatch = "";
            for (int i = 0; i < stops.length; i++) {
                node.runTo(stops[i], k, txs, cursor, perBlock);
                Hash32 hash = node.node.lastBlockHash();
                Hash32 root = node.node.stateRoot();
                long height = node.node.height();
                node.close();
                long t0 = System.nanoTime();
                node = RestartNode.start(dir, genesis, validator);
                long best = System.nanoTime() - t0;
                for (int rep = 1; rep < 3; rep++) {
                    node.close();
                    t0 = System.nanoTime();
                    node = RestartNode.start(dir, genesis, validator);
                    best = Math.min(best, System.nanoTime() - t0);
                }
                nanos[i] = best;
                replayed[i] = node.loaded.inputsReplayed();
                heights[i] = height;
                checkpointHeights[i] = node.loaded.checkpointHeight();
                if (!node.node.lastBlockHash().equals(hash) || !node.node.stateRoot().equals(root)
                        || node.node.height() != height) {
                    identical = false;
                    mismatch = "MISMATCH after " + (i == 0 ? 1 : 10) + " intervals: live height " + height + " root "
                            + root.shortHex() + ", restarted height " + node.node.height() + " root "
                            + node.node.stateRoot().shortHex();
                }
            }
            node.close();
            for (int i = 0; i < 2; i++) {
                line("restart after " + (i == 0 ? "1 checkpoint interval" : "10 checkpoint intervals"),
                        String.format(Locale.ROOT, "%.1f ms  (height %d, checkpoint at %d, %s inputs replayed)",
                                nanos[i] / 1e6, heights[i], checkpointHeights[i], count(replayed[i])));
            }
            double ratio = (double) nanos[1] / nanos[0];
            line("restart 10/1 intervals ratio", String.format(Locale.ROOT, "%.2f (goal <= %.2f, equal within "
                    + "noise: %s)", ratio, RESTART_GOAL, verdict(ratio <= RESTART_GOAL)));
            out.printf(Locale.ROOT, "  restart: %s; checkpoint every %d blocks of %d transfers; a restart reads the "
                    + "newest checkpoint (ledger of %s accounts, commit verified) and replays the journal segment after "
                    + "it (best of 3); older segments and checkpoints beyond the last 2 are deleted%n",
                    identical ? "restarted node identical to the live one (height, block hash, state root)" : mismatch,
                    k, perBlock, count(genesis.accounts().size()));
            return identical ? EXIT_OK : EXIT_MISMATCH;
        }

        private int memory() throws IOException, InterruptedException {
            String label = "peak memory, validator (-Xmx" + CHILD_HEAP + ")";
            if (!o.memoryChild()) {
                line(label, "skipped (not requested)");
                return EXIT_OK;
            }
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(property("java.home"), "bin", "java").toString());
            List<String> command = new ArrayList<>();
            command.add(java);
            command.add("-Xmx" + CHILD_HEAP);
            command.add("-XX:+UseSerialGC");
            command.addAll(JvmFlags.CHRONICLE);
            command.add("-cp");
            command.add(property("java.class.path"));
            command.add(MemoryProbe.class.getName());
            command.add(Integer.toString(o.memoryAccounts()));
            command.add(Integer.toString(o.memoryTransactions()));
            command.add(Long.toString(o.seed()));
            command.add(Integer.toString(o.blockTransactions()));
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            }
            if (!child.waitFor(10, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                line(label, "ERROR: the child did not finish in 10 minutes");
                return EXIT_ERROR;
            }
            int exit = child.exitValue();
            @Nullable String result = null;
            for (String l : lines) {
                if (l.startsWith(MemoryProbe.RESULT_PREFIX)) {
                    result = l.substring(MemoryProbe.RESULT_PREFIX.length());
                }
            }
            if (exit == MemoryProbe.EXIT_OUT_OF_MEMORY) {
                line(label, String.format(Locale.ROOT, "%s accounts + %s transfers: ran out of memory "
                        + "(goal: runs in a %s MiB heap: %s)", count(o.memoryAccounts()),
                        count(o.memoryTransactions()), CHILD_HEAP.replace("m", ""), verdict(false)));
                return EXIT_OK;
            }
            if (exit != 0 || result == null) {
                line(label, "ERROR: child exited " + exit);
                for (String l : lines) {
                    out.println("  child: " + l);
                }
                return EXIT_ERROR;
            }
            String node = "?";
            for (String l : lines) {
                if (l.startsWith("MEMORY-PROBE-NODE ")) {
                    node = l.substring("MEMORY-PROBE-NODE ".length());
                }
            }
            TreeMap<String, String> kv = new TreeMap<>();
            for (String token : result.trim().split(" +")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    kv.put(token.substring(0, eq), token.substring(eq + 1));
                }
            }
            long after = Long.parseLong(value(kv, "heapAfterGcBytes"));
            long peak = Long.parseLong(value(kv, "peakBytes"));
            long max = Long.parseLong(value(kv, "maxHeapBytes"));
            long heapLimit = Long.parseLong(CHILD_HEAP.replace("m", "")) * 1024 * 1024;
            line(label, String.format(Locale.ROOT, "peak %s MiB, %s MiB after GC  (%s accounts, %s transfers "
                    + "committed in %s blocks; -Xmx%s, %s MiB usable; goal: runs in a %s MiB heap: %s)",
                    mib(peak), mib(after), count(Long.parseLong(value(kv, "accounts"))),
                    count(Long.parseLong(value(kv, "committed"))), value(kv, "blocks"), CHILD_HEAP, mib(max),
                    CHILD_HEAP.replace("m", ""), verdict(peak <= heapLimit)));
            String kind = node.startsWith("ValidatorNode (") ? "ValidatorNode" : "BenchLedgerMachine";
            out.println("  memory child: " + kind
                    + ", -XX:+UseSerialGC; peak = sum of the heap pools' peaks (an upper bound)");
            return EXIT_OK;
        }

        private void progress(String text) {
            PrintStream p = progress;
            if (p != null) {
                p.println("bench: " + text);
                p.flush();
            }
        }

        private void line(String label, String text) {
            out.println(String.format(Locale.ROOT, "%-" + LABEL_WIDTH + "s %s", label + ":", text));
        }
    }

    /**
     * The node the pipeline drives: the {@link ValidatorNode} as the only validator of the genesis; with
     * {@code ledgerOnly}, the {@link BenchLedgerMachine} instead (the ledger without mempool or consensus).
     */
    static CountingMachine newMachine(Genesis genesis, Ledger genesisLedger, Signer validator, boolean ledgerOnly,
            int blockTransactions) {
        if (!ledgerOnly) {
            return new CountingMachine(new ValidatorNode(genesis, validator), "ValidatorNode (the deterministic node: "
                    + "mempool, consensus with itself as the only validator, blocks, ledger); one tick after every "
                    + count(blockTransactions) + " client transfers, so blocks of up to " + count(blockTransactions));
        }
        return new CountingMachine(new BenchLedgerMachine(genesis, genesisLedger, validator.publicKey()),
                "ledger-only pipeline asked for: NodeAgent + ChronicleJournal + BenchLedgerMachine, which applies each "
                        + "transfer to the Ledger directly (no mempool, no consensus messages or votes) and closes a "
                        + "block of up to " + count(blockTransactions) + " on each tick (fees, state root, block hash)");
    }

    /** A node of the restart phase: store, restored or fresh node, agent, clock. */
    private static final class RestartNode {
        final NodeStore store;
        final NodeStore.Loaded loaded;
        final ValidatorNode node;
        final NodeAgent agent;
        final ManualClock clock;

        private RestartNode(NodeStore store, NodeStore.Loaded loaded) {
            this.store = store;
            this.loaded = loaded;
            this.node = (ValidatorNode) loaded.stateMachine();
            this.clock = new ManualClock(loaded.lastTick() + 1);
            this.agent = new NodeAgent(node, store.journal(), NoPeers.INSTANCE, clock, CODEC,
                    new NodeAgent.Listener() {
                        @Override
                        public void onCommitted(int nodeIndex, NodeOutput.CommittedBlock block) {}
                    }, loaded.lastTick());
            agent.setCommitHook(store.checkpointEvery(node, RESTART_INTERVAL_BLOCKS, loaded.inputsSinceGenesis(),
                    line -> { }));
        }

        static RestartNode start(Path dir, Genesis genesis, Signer validator) {
            NodeStore store = new NodeStore(dir, genesis.chainId(), ChronicleJournal.Durability.PROCESS_CRASH,
                    line -> { });
            NodeStore.Loaded loaded = store.load(genesis, validator, () -> new ValidatorNode(genesis, validator),
                    m -> m, CODEC);
            return new RestartNode(store, loaded);
        }

        /** Feeds blocks of {@code perBlock} transfers from {@code txs} (then empty blocks) until {@code height}. */
        void runTo(long height, int interval, byte[][] txs, long[] cursor, int perBlock) {
            for (int guard = 0; node.height() < height; guard++) {
                if (guard > 100 * height + 1000) {
                    throw new IllegalStateException("the restart node does not commit: " + node);
                }
                for (int i = 0; i < perBlock && cursor[0] < txs.length; i++) {
                    agent.offerClientRequest(new ClientRequest.Submit(txs[(int) cursor[0]++],
                            new CompletableFuture<>()));
                    if (i % SUBMIT_BATCH == SUBMIT_BATCH - 1) {
                        drain();
                    }
                }
                drain();
                clock.advanceTo(clock.currentTick() + 1);
                drain();
            }
        }

        private void drain() {
            while (agent.doWork() > 0) {
                // until idle
            }
        }

        void close() {
            store.close();
        }
    }

    /** The measured live pipeline: a {@link NodeAgent} over the node's state machine. */
    private static final class Pipeline implements NodeAgent.Listener {
        final CountingMachine machine;
        private final int blockTransactions;
        private final byte[][] txs;
        private final ManualClock clock = new ManualClock(0);
        private @Nullable NodeAgent agent;
        long rejections;
        String firstRejection = "none";
        int cursor;
        long timed;
        private int inBlock;

        Pipeline(CountingMachine machine, byte[][] txs, int blockTransactions) {
            this.machine = machine;
            this.blockTransactions = blockTransactions;
            this.txs = txs;
        }

        void start(TimedJournal journal) {
            NodeAgent a = new NodeAgent(machine, journal, NoPeers.INSTANCE, clock, CODEC, this, -1);
            agent = a;
            a.doWork();
        }

        private NodeAgent agent() {
            NodeAgent a = agent;
            if (a == null) {
                throw new IllegalStateException("start() first");
            }
            return a;
        }

        /**
         * Submits transfers in batches of {@value ConsensusBench#SUBMIT_BATCH} (the agent serves all of a batch before
         * the next), with a tick after every {@code blockTransactions}, for {@code nanos} or until the transfers run
         * out.
         */
        void feedFor(long nanos) {
            NodeAgent a = agent();
            long deadline = System.nanoTime() + nanos;
            while (cursor < txs.length && System.nanoTime() < deadline) {
                int n = Math.min(Math.min(SUBMIT_BATCH, blockTransactions - inBlock),
                        txs.length - cursor);
                for (int i = 0; i < n; i++) {
                    if (!a.offerClientRequest(new ClientRequest.Submit(txs[cursor++], new CompletableFuture<>()))) {
                        throw new IllegalStateException("the agent's client queue refused a request");
                    }
                }
                while (a.doWork() > 0) {
                    // drain
                }
                inBlock += n;
                if (inBlock >= blockTransactions) {
                    endBlock();
                }
            }
        }

        /** Ends the run: ticks until every submitted transfer is committed (at most {@value #MAX_FINAL_TICKS}). */
        void finish() {
            endBlock();
            for (int i = 0; i < MAX_FINAL_TICKS && machine.committedTransactions() < cursor && rejections == 0; i++) {
                endBlock();
            }
        }

        private static final int MAX_FINAL_TICKS = 100_000;

        /** Advances the clock one tick: the agent journals and applies a Tick (the stand-in closes its block). */
        void endBlock() {
            NodeAgent a = agent();
            clock.advanceTo(clock.currentTick() + 1);
            while (a.doWork() > 0) {
                // drain
            }
            inBlock = 0;
        }

        @Override
        public void onCommitted(int nodeIndex, NodeOutput.CommittedBlock block) {}

        @Override
        public void onRejection(int nodeIndex, NodeOutput.Rejection rejection) {
            if (rejections++ == 0) {
                firstRejection = rejection.reason() + ": " + rejection.detail();
            }
        }
    }

    private record PipelineResult(long timedTransactions, double timedSeconds, double txPerSecond,
            double txPerCpuSecond, long rejections, String firstRejection) {}

    /** A single validator's transport: no peers. */
    private enum NoPeers implements Transport {
        INSTANCE;

        @Override
        public int selfIndex() {
            return 0;
        }

        @Override
        public int validatorCount() {
            return 1;
        }

        @Override
        public boolean send(int peer, byte[] bytes) {
            return false;
        }

        @Override
        public int broadcast(byte[] bytes) {
            return 0;
        }

        @Override
        public int poll(FrameHandler handler, int maxFrames) {
            return 0;
        }

        @Override
        public int connectedPeerCount() {
            return 0;
        }

        @Override
        public void close() {}
    }

    private static String value(TreeMap<String, String> kv, String key) {
        @Nullable String v = kv.get(key);
        if (v == null) {
            throw new IllegalStateException("the memory child's result has no " + key);
        }
        return v;
    }

    /** Total collection time of every garbage collector so far, in milliseconds. */
    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String property(String name) {
        @Nullable String v = System.getProperty(name);
        return v == null ? "?" : v;
    }

    /**
     * Transfers to pre-sign: 1.5 times what the pipeline could take at the warm-up verify rate over the warm-up and
     * the phase, plus two blocks; at least the verify sample's {@code sampleLength} (they come first in the stream),
     * which a slow warm-up may estimate below.
     */
    static int transfersNeeded(double warmVerifyRate, BenchOptions o, int sampleLength) {
        long estimate = (long) Math.ceil(warmVerifyRate * (o.warmupSeconds() + o.phaseSeconds()) * 1.5);
        return (int) Math.max(sampleLength, Math.min(Integer.MAX_VALUE - 1L, estimate + 2L * o.blockTransactions()));
    }

    /** How a goal line ends: {@code met} or {@code NOT MET}. */
    static String verdict(boolean met) {
        return met ? "met" : "NOT MET";
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d", Math.round(bytes / (1024.0 * 1024.0)));
    }

    /** Nanoseconds as microseconds: one decimal below 10 us, whole above. */
    static String micros(long nanos) {
        return nanos < 10_000 ? String.format(Locale.ROOT, "%.1fus", nanos / 1000.0)
                : String.format(Locale.ROOT, "%,dus", nanos / 1000);
    }

    private static void deleteRecursively(Path root, PrintStream out) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            out.println("warning: could not delete " + root + ": " + e);
        }
    }
}
