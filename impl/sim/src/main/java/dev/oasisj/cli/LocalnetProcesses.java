package dev.oasisj.cli;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.staking.Transfer;
import dev.oasisj.node.PeerAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code localnet --processes}: the same network as the in-process localnet, but each validator is its own JVM running
 * {@code oasis node} over TCP, with the system clock (1 tick = 1 ms). This process writes the genesis (the consensus
 * services' genesis of the in-process localnet, or the plain transfer ledger's), keys and configs, starts the nodes,
 * drives a transfer workload through their client ports ({@code staking.Transfer} envelopes on the services, v1
 * transfers on the transfer ledger), reads the block lines each node prints with the event lines under them (epoch,
 * validators, committee, freeze, slash: node 0's are relayed under its block lines), and checks that every honest node
 * committed the same hash at every height. The nodes do their services duties themselves (each validator submits its
 * beacon VRF proof of every epoch as its own transaction; the genesis registers the compute nodes far ahead, so none
 * must renew). Validators 1..F are Byzantine (as in-process: their configs carry a {@code byzantine} section, the
 * coalition being all F), get no client transfers and are left out of the agreement check; each reports what it did
 * after every block it commits, and the last report is printed.
 * Not deterministic (real time, real sockets).
 */
final class LocalnetProcesses {
    private static final Pattern BLOCK_LINE = Pattern.compile(
            "^(block height=(\\d+) round=\\d+ txs=(\\d+) proposer=\\S+ latency=-?\\d+ticks(?: evidence=\\d+)?) "
                    + "hash=([0-9a-f]{64})$");
    /** How a node indents the event lines under a block line ({@link BlockLines#eventLines}). */
    private static final String EVENT_INDENT = "  ";
    private static final Pattern BYZANTINE_LINE = Pattern.compile("^byzantine \\S+: .*$");

    /** A block a node printed: its line without the hash, its event lines ("\n  kind: detail" each), and its hash. */
    private record Seen(String line, String events, int txs, String hash) {}

    private LocalnetProcesses() {}

    static int run(LocalnetRun.Options o, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        int n = o.validators();
        int accounts = Math.max(4, 2 * n);
        Genesis genesis = LocalnetRun.genesis(o);
        Path dir = o.dataDir();
        Files.writeString(dir.resolve("genesis.json"), genesis.toJson());
        List<PeerAddress> peers = NodeDirs.freeLoopbackAddresses(n);
        List<PeerAddress> clients = NodeDirs.freeLoopbackAddresses(n);
        List<Process> processes = new ArrayList<>();
        List<Map<Long, Seen>> seen = new ArrayList<>();
        List<AtomicReference<String>> reports = new ArrayList<>();
        List<Integer> coalition = new ArrayList<>();
        for (int i = 1; i <= o.byzantine(); i++) {
            coalition.add(i);
        }
        List<Integer> honest = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!coalition.contains(i)) {
                honest.add(i);
            }
        }
        out.println("localnet: validators=" + n + " byzantine=" + o.byzantine() + " processes=yes blocks=" + o.blocks()
                + " seed=" + o.seed() + " data-dir=" + dir + " genesis=" + genesis.hash().shortHex() + " "
                + o.application());
        out.flush();
        try {
            for (int i = 0; i < n; i++) {
                Path cfgFile = NodeDirs.writeNode(dir, i, o.seed(), peers, clients.get(i),
                        coalition.contains(i) ? coalition : null);
                List<String> command = NodeDirs.nodeCommand(cfgFile, System.getProperty("oasis.nodeHeap", "512m"));
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
                processes.add(p);
                Map<Long, Seen> mine = new ConcurrentHashMap<>();
                seen.add(mine);
                AtomicReference<String> report = new AtomicReference<>("");
                reports.add(report);
                Path log = dir.resolve("node-" + i + ".log");
                Thread reader = new Thread(() -> follow(p, log, mine, report), "localnet-node-" + i + "-output");
                reader.setDaemon(true);
                reader.start();
            }
            List<Signer> keys = new ArrayList<>();
            List<PublicKey> recipients = new ArrayList<>();
            for (int j = 0; j < accounts; j++) {
                keys.add(LocalnetSetup.accountKey(j, o.seed()));
            }
            for (int j = 0; j < accounts; j++) {
                recipients.add(keys.get((j + 1) % accounts).publicKey());
            }
            long[] nonces = new long[accounts];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + 2L * o.blocks());
            long printed = 0;
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < n; i++) {
                    if (!processes.get(i).isAlive()) {
                        err.println("localnet: node " + i + " exited with " + processes.get(i).exitValue() + "; see "
                                + dir.resolve("node-" + i + ".log"));
                        return Main.EXIT_FAILURE;
                    }
                }
                for (int j = 0; j < accounts; j++) {
                    byte[] tx = genesis.hasServices()
                            ? LocalnetRun.envelope(genesis, keys.get(j), nonces[j], StakingMethods.TRANSFER,
                                    new Transfer(recipients.get(j), 1 + j))
                            : TransactionCodec.encode(Transaction.sign(keys.get(j), genesis.chainId(),
                                    recipients.get(j), 1 + j, 1, nonces[j]));
                    try {
                        String answer = ClientConnection.request(clients.get(honest.get(j % honest.size())),
                                "submit " + HexFormat.of().formatHex(tx));
                        if (dev.oasisj.node.ClientJson.accepted(answer)) {
                            nonces[j]++;
                        }
                    } catch (IOException notUpYet) {
                        // The node may still be starting; the transfer is retried with the same nonce.
                    }
                }
                while (printed < o.blocks() && seen.get(0).containsKey(printed + 1)) {
                    printed++;
                    out.println(lineAt(seen.get(0), printed));
                    out.flush();
                }
                if (minHeight(seen, honest) >= o.blocks()) {
                    break;
                }
                Thread.sleep(100);
            }
            long reached = Math.min(minHeight(seen, honest), o.blocks());
            while (printed < reached) {
                printed++;
                out.println(lineAt(seen.get(0), printed));
            }
            List<String> problems = new ArrayList<>();
            long txs = 0;
            for (long h = 1; h <= reached; h++) {
                String first = seenAt(seen.get(0), h).hash();
                txs += seenAt(seen.get(0), h).txs();
                for (int i : honest) {
                    Seen s = seen.get(i).get(h);
                    if (s == null || !s.hash().equals(first)) {
                        problems.add("height " + h + ": node " + i + " committed " + (s == null ? "nothing" : s.hash())
                                + ", node 0 committed " + first);
                    }
                }
            }
            for (int b : coalition) {
                String report = reports.get(b).get();
                out.println(report.isEmpty() ? "byzantine " + LocalnetSetup.validatorName(b) + ": no report (it "
                        + "committed no block)" : report);
            }
            if (reached < o.blocks()) {
                err.println("localnet: only " + reached + " of " + o.blocks() + " blocks committed by every honest node "
                        + "in time");
            }
            problems.forEach(p -> err.println("localnet: " + p));
            out.println("summary: blocks=" + reached + " txs=" + txs + " safety=" + (problems.isEmpty() ? "ok" : "VIOLATED"));
            out.flush();
            err.flush();
            return problems.isEmpty() && reached == o.blocks() ? 0 : Main.EXIT_FAILURE;
        } finally {
            for (Process p : processes) {
                p.destroy(); // SIGTERM: the node's shutdown hook closes its journal
            }
            for (Process p : processes) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** Only called for heights known to be present (checked with containsKey or minHeight). */
    private static Seen seenAt(Map<Long, Seen> m, long height) {
        Seen s = m.get(height);
        if (s == null) {
            throw new IllegalStateException("no block seen at height " + height);
        }
        return s;
    }

    /** The block line at {@code height} with its event lines, as the in-process localnet prints it. */
    private static String lineAt(Map<Long, Seen> m, long height) {
        Seen s = seenAt(m, height);
        return s.line() + s.events();
    }

    private static String group(Matcher m, int group) {
        String g = m.group(group);
        return g == null ? "" : g;
    }

    private static long minHeight(List<Map<Long, Seen>> seen, List<Integer> nodes) {
        long min = Long.MAX_VALUE;
        for (int i : nodes) {
            Map<Long, Seen> m = seen.get(i);
            long h = 0;
            while (m.containsKey(h + 1)) {
                h++;
            }
            min = Math.min(min, h);
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /**
     * Copies a node's output to its log file and records the blocks it reports (with their event lines) and its latest
     * Byzantine report. A node prints a block line and its event lines (indented by two spaces) in one write, so the
     * event lines of a block are those that follow its line up to the first other line: they are read ahead with it
     * (what the node wrote with it is there to read), and any that come later are added to it.
     */
    private static void follow(Process p, Path log, Map<Long, Seen> blocks, AtomicReference<String> report) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            @Nullable String line = in.readLine();
            long open = 0; // the height of the block whose event lines may still follow
            while (line != null) {
                file.println(line);
                Matcher m = BLOCK_LINE.matcher(line);
                @Nullable String next = null;
                if (m.matches()) {
                    StringBuilder events = new StringBuilder();
                    while (in.ready()) {
                        next = in.readLine();
                        if (next == null || !next.startsWith(EVENT_INDENT)) {
                            break;
                        }
                        file.println(next);
                        events.append('\n').append(next);
                        next = null;
                    }
                    long height = Long.parseLong(group(m, 2));
                    blocks.putIfAbsent(height, new Seen(group(m, 1), events.toString(), Integer.parseInt(group(m, 3)),
                            group(m, 4)));
                    open = height;
                } else if (line.startsWith(EVENT_INDENT) && open > 0) {
                    String event = line;
                    blocks.computeIfPresent(open, (h, b) -> new Seen(b.line(), b.events() + "\n" + event, b.txs(),
                            b.hash()));
                } else {
                    open = 0;
                    if (BYZANTINE_LINE.matcher(line).matches()) {
                        report.set(line);
                    }
                }
                line = next != null ? next : in.readLine();
            }
        } catch (IOException e) {
            // The node exited; the main loop notices.
        }
    }
}
