package dev.oasisj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.node.JvmFlags;
import dev.oasisj.node.PeerAddress;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The on-disk layout and the process command of a validator that runs as its own {@code oasis node} JVM, shared by
 * {@code localnet --processes} and the tests that start node processes themselves: {@code DIR/genesis.json}, and per
 * validator {@code DIR/node-I/} with {@code validator.key} and {@code config.json} (paths relative to the node's
 * directory, 1 tick = 1 ms).
 */
final class NodeDirs {
    private NodeDirs() {}

    /** Lowest port handed out: below the ephemeral ranges (Linux 32768-60999, BSD/macOS 49152-65535). */
    static final int FIRST_PORT = 15_000;
    /** Ports handed out: {@code FIRST_PORT .. FIRST_PORT + PORT_SPAN - 1}. */
    static final int PORT_SPAN = 17_000;
    /** The next port to try; each JVM starts at its own place so that concurrent ones rarely meet. */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT = new java.util.concurrent.atomic
            .AtomicInteger((int) (ProcessHandle.current().pid() * 97 % PORT_SPAN));

    /**
     * {@code n} loopback addresses on ports that were free when asked, never the same twice in this JVM. The ports
     * are not the OS's pick (port 0): that comes from the ephemeral range, from which the nodes' own outgoing
     * connections take their source ports, so a node started later could find its port taken by a connection between
     * the nodes started before it (seen once in CI: {@code BindException} of a fifth node after four dialled each
     * other). These come from below the ephemeral ranges, bound once to check that they are free.
     */
    static List<PeerAddress> freeLoopbackAddresses(int n) throws IOException {
        List<PeerAddress> out = new ArrayList<>(n);
        for (int tries = 0; out.size() < n; tries++) {
            if (tries >= PORT_SPAN) {
                throw new IOException("no free loopback port in " + FIRST_PORT + ".." + (FIRST_PORT + PORT_SPAN - 1));
            }
            int port = FIRST_PORT + Math.floorMod(NEXT_PORT.getAndIncrement(), PORT_SPAN);
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                out.add(new PeerAddress("127.0.0.1", s.getLocalPort()));
            } catch (IOException taken) {
                // in use: try the next one
            }
        }
        return out;
    }

    /**
     * Creates {@code dir/node-I/}, writes the validator's key (the localnet key of index {@code i} and {@code seed})
     * unless one is already there, and writes its {@code config.json}; returns the config file.
     */
    static Path writeNode(Path dir, int i, long seed, List<PeerAddress> peers, PeerAddress client) throws IOException {
        return writeNode(dir, i, seed, peers, client, null);
    }

    /** As {@link #writeNode(Path, int, long, List, PeerAddress)}; a Byzantine validator if {@code coalition} is set. */
    static Path writeNode(Path dir, int i, long seed, List<PeerAddress> peers, PeerAddress client,
            @Nullable List<Integer> coalition) throws IOException {
        Path nodeDir = dir.resolve("node-" + i);
        Files.createDirectories(nodeDir);
        Path keyFile = nodeDir.resolve("validator.key");
        if (!Files.exists(keyFile)) {
            KeyFiles.write(keyFile, LocalnetSetup.validatorKey(i, seed));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = json.createObjectNode();
        cfg.put("validatorIndex", i).put("genesis", "../genesis.json").put("key", "validator.key")
                .put("dataDir", ".").put("client", client.toString()).put("tickMillis", 1);
        var peerArray = cfg.putArray("peers");
        peers.forEach(p -> peerArray.add(p.toString()));
        if (coalition != null) {
            ObjectNode byzantine = cfg.putObject("byzantine");
            byzantine.put("seed", seed);
            var members = byzantine.putArray("coalition");
            coalition.forEach(members::add);
        }
        Path cfgFile = nodeDir.resolve("config.json");
        Files.writeString(cfgFile, json.writerWithDefaultPrettyPrinter().writeValueAsString(cfg));
        return cfgFile;
    }

    /**
     * Writes the directory {@code dir/name} of a node with peers by node key: its key file (seed of {@code key}), and
     * a configuration listing {@code peers} with {@code peerKeys}, this node at {@code self}.
     */
    static Path writeKeyedNode(Path dir, String name, Signer key, int self, List<PeerAddress> peers,
            List<dev.oasisj.core.crypto.PublicKey> peerKeys, PeerAddress client) throws IOException {
        Path nodeDir = dir.resolve(name);
        Files.createDirectories(nodeDir);
        Path keyFile = nodeDir.resolve("node.key");
        if (!Files.exists(keyFile)) {
            KeyFiles.write(keyFile, key);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = json.createObjectNode();
        cfg.put("self", self).put("genesis", "../genesis.json").put("key", "node.key").put("dataDir", ".")
                .put("client", client.toString()).put("tickMillis", 1);
        var peerArray = cfg.putArray("peers");
        for (int i = 0; i < peers.size(); i++) {
            peerArray.addObject().put("address", peers.get(i).toString()).put("key", peerKeys.get(i).toHex());
        }
        Path cfgFile = nodeDir.resolve("config.json");
        Files.writeString(cfgFile, json.writerWithDefaultPrettyPrinter().writeValueAsString(cfg));
        return cfgFile;
    }

    /** The command line of {@code oasis node --config CFG} in a child JVM of this one's class path, heap {@code heap}. */
    static List<String> nodeCommand(Path cfg, String heap) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.CHRONICLE);
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("node");
        command.add("--config");
        command.add(cfg.toString());
        return command;
    }
}
