package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.fail;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.node.ClientJson;
import dev.oasisj.node.PeerAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code oasis node} process started by a test (see {@link NodeDirs#nodeCommand}), and everything it printed: a
 * daemon thread reads its output (stderr merged) line by line, and records the hash of each block it reports committed.
 */
final class NodeProc {
    /** The line a node prints for each committed block ({@code LocalnetRun.line} plus the block hash). */
    static final Pattern BLOCK = Pattern.compile("^block height=(\\d+) .* hash=([0-9a-f]{64})$");

    /**
     * A network of {@code oasis node} directories written by {@link #write}: the genesis, each node's peer and client
     * address, and the path of each node's configuration.
     */
    record Network(Genesis genesis, List<PeerAddress> peers, List<PeerAddress> clients, List<Path> configs) {
        /**
         * Writes {@code dir/genesis.json} ({@code validators} validators, {@code accounts} funded accounts, default
         * consensus parameters) and the directory of each validator, on free loopback ports.
         */
        static Network write(Path dir, int validators, int accounts, long seed) throws IOException {
            return write(dir, validators, accounts, seed, Genesis.ConsensusParams.DEFAULT);
        }

        /** As {@link #write(Path, int, int, long)} with the consensus parameters {@code params}. */
        static Network write(Path dir, int validators, int accounts, long seed, Genesis.ConsensusParams params)
                throws IOException {
            Genesis genesis = LocalnetSetup.genesis(validators, accounts, seed, params);
            Files.writeString(dir.resolve("genesis.json"), genesis.toJson());
            List<PeerAddress> peers = NodeDirs.freeLoopbackAddresses(validators);
            List<PeerAddress> clients = NodeDirs.freeLoopbackAddresses(validators);
            List<Path> configs = new ArrayList<>();
            for (int i = 0; i < validators; i++) {
                configs.add(NodeDirs.writeNode(dir, i, seed, peers, clients.get(i)));
            }
            return new Network(genesis, peers, clients, List.copyOf(configs));
        }
    }

    final Process process;
    /** Every output line so far. */
    final List<String> lines = new CopyOnWriteArrayList<>();
    /** The block hash (hex) it reported at each committed height. */
    final Map<Long, String> hashes = new ConcurrentHashMap<>();

    private NodeProc(Process process) {
        this.process = process;
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    Matcher m = BLOCK.matcher(line);
                    if (m.matches()) {
                        hashes.put(Long.parseLong(m.group(1)), m.group(2));
                    }
                }
            } catch (IOException e) {
                // the process died; what was read stays
            }
        }, "node-output");
        t.setDaemon(true);
        t.start();
    }

    /** Starts {@code oasis node} on {@code cfg} with the heap {@code heap} (e.g. "256m") and the extra arguments. */
    static NodeProc start(Path cfg, String heap, String... extra) throws IOException {
        List<String> command = new ArrayList<>(NodeDirs.nodeCommand(cfg, heap));
        command.addAll(List.of(extra));
        return new NodeProc(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The highest committed height it reported, 0 before the first block. */
    long height() {
        return hashes.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Everything it printed so far. */
    String transcript() {
        return String.join("\n", lines);
    }

    /**
     * Its last {@code n} output lines that are not stack frames (a stack trace's frames would push its exception's
     * message, the line that explains a failure, out of the tail).
     */
    String tail(int n) {
        List<String> l = lines.stream().filter(line -> !line.stripLeading().startsWith("at ")).toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - n), l.size()));
    }

    /**
     * Runs {@code meanwhile} every 20 ms until {@code done}; fails after {@code seconds}, with the last lines of every
     * node.
     */
    static void await(String what, long seconds, BooleanSupplier done, Runnable meanwhile, List<NodeProc> nodes)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder("timed out waiting for " + what);
                for (int i = 0; i < nodes.size(); i++) {
                    sb.append("\n--- node ").append(i).append(" (last lines) ---\n").append(nodes.get(i).tail(12));
                }
                fail(sb.toString());
            }
            meanwhile.run();
            Thread.sleep(20);
        }
    }

    /**
     * The workload of the node-process tests: each call signs and submits one transfer, round-robin over the
     * {@code accounts} genesis accounts of {@code seed} (each to the next), account j always through
     * {@code clients.get(j % clients.size())}; a node that does not answer yet is tried again on a later call.
     */
    static Runnable transfers(long seed, int accounts, List<PeerAddress> clients) {
        List<Signer> keys = new ArrayList<>();
        for (int j = 0; j < accounts; j++) {
            keys.add(LocalnetSetup.accountKey(j, seed));
        }
        long[] nonces = new long[accounts];
        int[] next = {0};
        return () -> {
            int j = next[0]++ % accounts;
            Transaction tx = Transaction.sign(keys.get(j), LocalnetSetup.CHAIN_ID,
                    keys.get((j + 1) % accounts).publicKey(), 1_000 + j, 1, nonces[j]);
            try {
                String answer = ClientConnection.request(clients.get(j % clients.size()),
                        "submit " + HexFormat.of().formatHex(TransactionCodec.encode(tx)));
                if (ClientJson.accepted(answer)) {
                    nonces[j]++;
                }
            } catch (IOException e) {
                // a node not listening yet: try again on a later call
            }
        };
    }

    /** Kills every node (SIGKILL), then waits up to 20 s for each to end. */
    static void killAll(List<NodeProc> nodes) throws InterruptedException {
        for (NodeProc n : nodes) {
            n.process.destroyForcibly();
        }
        for (NodeProc n : nodes) {
            n.process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
