package dev.oasisj.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of one node process, read from a JSON file. Relative paths are resolved against the file's folder.
 * <pre>
 * {
 *   "validatorIndex": 0,                       // this node's index in the genesis validator list
 *   "genesis": "genesis.json",                 // the chain's genesis file
 *   "key": "validator-0.key",                  // this validator's Ed25519 seed file (hex)
 *   "dataDir": "node-0",                       // journal lives in dataDir/journal
 *   "peers": ["127.0.0.1:26600", ...],         // every validator's peer address, in genesis order (self included)
 *   "client": "127.0.0.1:26700",               // the client port (submit/status)
 *   "tickMillis": 1                            // one logical tick per this many milliseconds
 * }
 * </pre>
 * Every problem is collected and reported at once ({@link IllegalArgumentException} with one line per problem).
 */
public record NodeConfig(int validatorIndex, Path genesis, Path key, Path dataDir, List<PeerAddress> peers,
        PeerAddress client, long tickMillis) {

    public NodeConfig {
        peers = List.copyOf(peers);
    }

    public PeerAddress listen() {
        return peers.get(validatorIndex);
    }

    public static NodeConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        if (base == null) {
            base = Path.of(".");
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object");
        }
        int index = (int) integer(root, "validatorIndex", problems, 0, ShellLimits.MAX_VALIDATORS - 1);
        Path genesis = path(root, "genesis", base, problems);
        Path key = path(root, "key", base, problems);
        Path dataDir = path(root, "dataDir", base, problems);
        List<PeerAddress> peers = new ArrayList<>();
        JsonNode p = root.get("peers");
        if (p == null || !p.isArray() || p.size() == 0) {
            problems.add("peers: expected a non-empty array of \"host:port\" strings, in genesis validator order");
        } else if (p.size() > ShellLimits.MAX_VALIDATORS) {
            problems.add("peers: at most " + ShellLimits.MAX_VALIDATORS + " entries");
        } else {
            for (int i = 0; i < p.size(); i++) {
                try {
                    peers.add(PeerAddress.parse(p.get(i).asText()));
                } catch (IllegalArgumentException e) {
                    problems.add("peers[" + i + "]: " + e.getMessage());
                }
            }
            if (problems.isEmpty() && index >= peers.size()) {
                problems.add("validatorIndex " + index + " has no entry in peers (" + peers.size() + " entries)");
            }
        }
        PeerAddress client = new PeerAddress("127.0.0.1", 0);
        JsonNode c = root.get("client");
        if (c == null || !c.isTextual()) {
            problems.add("client: expected \"host:port\"");
        } else {
            try {
                client = PeerAddress.parse(c.asText());
            } catch (IllegalArgumentException e) {
                problems.add("client: " + e.getMessage());
            }
        }
        long tickMillis = root.has("tickMillis") ? integer(root, "tickMillis", problems, 1, 60_000) : 1;
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ":\n  " + String.join("\n  ", problems));
        }
        return new NodeConfig(index, genesis, key, dataDir, peers, client, tickMillis);
    }

    private static long integer(JsonNode root, String name, List<String> problems, long min, long max) {
        JsonNode n = root.get(name);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            problems.add(name + ": expected an integer in " + min + ".." + max);
            return min;
        }
        return n.asLong();
    }

    private static Path path(JsonNode root, String name, Path base, List<String> problems) {
        JsonNode n = root.get(name);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            problems.add(name + ": expected a path");
            return base;
        }
        return base.resolve(n.asText()).normalize();
    }
}
