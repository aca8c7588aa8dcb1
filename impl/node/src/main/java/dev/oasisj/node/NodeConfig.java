package dev.oasisj.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oasisj.core.crypto.PublicKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Configuration of one node process, read from a JSON file. Relative paths are resolved against the file's folder.
 * <pre>
 * {
 *   "validatorIndex": 0,                       // this node's own entry in "peers" (also accepted as "self")
 *   "genesis": "genesis.json",                 // the chain's genesis file
 *   "key": "validator-0.key",                  // this node's Ed25519 seed file (hex)
 *   "dataDir": "node-0",                       // journal segments and checkpoints live here (NodeStore)
 *   "peers": ["127.0.0.1:26600", ...],         // every validator's peer address, in genesis order (self included),
 *                                              // or, peers by node key (any nodes, validators or not):
 *                                              // [{"address": "127.0.0.1:26600", "key": "<64 hex>"}, ...]
 *   "client": "127.0.0.1:26700",               // the client port (submit/status)
 *   "tickMillis": 1,                           // one logical tick per this many milliseconds
 *   "checkpointIntervalBlocks": 1000,          // optional: a checkpoint every this many blocks (0 = never)
 *   "byzantine": {"seed": 1, "coalition": [1]} // optional, for tests of the protocol only: run as a Byzantine
 *                                              // validator (localnet's misbehaviour profile) seeded by seed,
 *                                              // colluding with the coalition (validator indices, self included)
 *   "registration": {"entityKey": "entity.key", "roles": ["compute"], "tee": false, "renewEpochs": 3}
 *                                              // optional, a services chain only: while the node runs it keeps
 *                                              // itself registered for these roles by its entity (whose key signs
 *                                              // the descriptor too), renewing when its registration would lapse
 *                                              // within an epoch, each time until renewEpochs epochs ahead
 * }
 * </pre>
 * Every problem is collected and reported at once ({@link IllegalArgumentException} with one line per problem).
 *
 * <p><b>Peers</b> are identified by their node key: the TLS handshake proves it, and a node accepts connections only
 * from the keys of its peer list. With plain addresses the list is the genesis validators in order (their keys come
 * from the genesis); with {@code {"address", "key"}} entries it is any set of nodes, so that nodes which are not
 * genesis validators (observers, later compute nodes and new validators) can connect. The two forms are not mixed.
 */
public record NodeConfig(int validatorIndex, Path genesis, Path key, Path dataDir, List<PeerAddress> peers,
        PeerAddress client, long tickMillis, @Nullable Byzantine byzantine, long checkpointIntervalBlocks,
        List<PublicKey> peerKeys, @Nullable Registration registration) {
    /** Most epochs ahead a node renews its own registration. */
    public static final long MAX_RENEW_EPOCHS = 1_000;

    /** The node's own registration: its entity's key file, roles (lower-case names), TEE, and how far it renews. */
    public record Registration(Path entityKey, List<String> roles, boolean tee, long renewEpochs) {
        public Registration {
            roles = List.copyOf(roles);
        }
    }
    /** Default {@code checkpointIntervalBlocks}: a checkpoint every this many committed blocks. */
    public static final long DEFAULT_CHECKPOINT_INTERVAL_BLOCKS = 1000;

    /** A Byzantine validator's settings: the seed of its choices and its coalition (sorted validator indices). */
    public record Byzantine(long seed, List<Integer> coalition) {
        public Byzantine {
            coalition = List.copyOf(new java.util.TreeSet<>(coalition));
        }
    }

    public NodeConfig {
        peers = List.copyOf(peers);
        peerKeys = List.copyOf(peerKeys);
        if (!peerKeys.isEmpty() && peerKeys.size() != peers.size()) {
            throw new IllegalArgumentException(peerKeys.size() + " peer keys for " + peers.size() + " peers");
        }
    }

    /** A configuration without a registration section. */
    public NodeConfig(int validatorIndex, Path genesis, Path key, Path dataDir, List<PeerAddress> peers,
            PeerAddress client, long tickMillis, @Nullable Byzantine byzantine, long checkpointIntervalBlocks,
            List<PublicKey> peerKeys) {
        this(validatorIndex, genesis, key, dataDir, peers, client, tickMillis, byzantine, checkpointIntervalBlocks,
                peerKeys, null);
    }

    /** A configuration whose peers are the genesis validators in order (plain addresses). */
    public NodeConfig(int validatorIndex, Path genesis, Path key, Path dataDir, List<PeerAddress> peers,
            PeerAddress client, long tickMillis, @Nullable Byzantine byzantine, long checkpointIntervalBlocks) {
        this(validatorIndex, genesis, key, dataDir, peers, client, tickMillis, byzantine, checkpointIntervalBlocks,
                List.of());
    }

    /** True when the peers are given by node key ({@code {"address", "key"}} entries), not in genesis order. */
    public boolean peersByKey() {
        return !peerKeys.isEmpty();
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
        String selfField = root.has("self") && !root.has("validatorIndex") ? "self" : "validatorIndex";
        int index = (int) integer(root, selfField, problems, 0, ShellLimits.MAX_VALIDATORS - 1);
        Path genesis = path(root, "genesis", base, problems);
        Path key = path(root, "key", base, problems);
        Path dataDir = path(root, "dataDir", base, problems);
        List<PeerAddress> peers = new ArrayList<>();
        List<PublicKey> peerKeys = new ArrayList<>();
        JsonNode p = root.get("peers");
        if (p == null || !p.isArray() || p.size() == 0) {
            problems.add("peers: expected a non-empty array of \"host:port\" strings, in genesis validator order, or"
                    + " of {\"address\": \"host:port\", \"key\": \"<64 hex>\"} objects");
        } else if (p.size() > ShellLimits.MAX_VALIDATORS) {
            problems.add("peers: at most " + ShellLimits.MAX_VALIDATORS + " entries");
        } else {
            boolean byKey = p.get(0).isObject();
            for (int i = 0; i < p.size(); i++) {
                JsonNode e = p.get(i);
                if (e.isObject() != byKey) {
                    problems.add("peers[" + i + "]: all entries are \"host:port\" strings or all are {\"address\", "
                            + "\"key\"} objects, not a mix");
                    continue;
                }
                JsonNode address = byKey ? e.get("address") : e;
                try {
                    if (address == null || !address.isTextual()) {
                        throw new IllegalArgumentException("expected \"host:port\"");
                    }
                    peers.add(PeerAddress.parse(address.asText()));
                } catch (IllegalArgumentException ex) {
                    problems.add("peers[" + i + "]" + (byKey ? ".address" : "") + ": " + ex.getMessage());
                }
                if (byKey) {
                    JsonNode k = e.get("key");
                    try {
                        if (k == null || !k.isTextual()) {
                            throw new IllegalArgumentException("expected 64 hex digits");
                        }
                        PublicKey peerKey = PublicKey.fromHex(k.asText());
                        if (peerKeys.contains(peerKey)) {
                            problems.add("peers[" + i + "].key: the key of an earlier entry");
                        }
                        peerKeys.add(peerKey);
                    } catch (IllegalArgumentException ex) {
                        problems.add("peers[" + i + "].key: " + ex.getMessage());
                    }
                }
            }
            if (problems.isEmpty() && index >= peers.size()) {
                problems.add(selfField + " " + index + " has no entry in peers (" + peers.size() + " entries)");
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
        @Nullable Byzantine byzantine = root.has("byzantine") ? byzantine(root.get("byzantine"), index, peers.size(),
                problems) : null;
        if (byzantine != null && !peerKeys.isEmpty()) {
            problems.add("byzantine: needs peers in genesis validator order (its coalition names validator indices)");
        }
        long checkpointInterval = root.has("checkpointIntervalBlocks")
                ? integer(root, "checkpointIntervalBlocks", problems, 0, 1_000_000_000)
                : DEFAULT_CHECKPOINT_INTERVAL_BLOCKS;
        @Nullable Registration registration = root.has("registration")
                ? registration(root.get("registration"), base, problems) : null;
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ":\n  " + String.join("\n  ", problems));
        }
        return new NodeConfig(index, genesis, key, dataDir, peers, client, tickMillis, byzantine, checkpointInterval,
                peerKeys, registration);
    }

    private static @Nullable Registration registration(JsonNode r, Path dir, List<String> problems) {
        JsonNode entityKey = r.get("entityKey");
        JsonNode roles = r.get("roles");
        if (!r.isObject() || entityKey == null || !entityKey.isTextual() || roles == null || !roles.isArray()
                || roles.isEmpty()) {
            problems.add("registration: expected {\"entityKey\": FILE, \"roles\": [\"compute\", ...], "
                    + "\"tee\": false, \"renewEpochs\": N}");
            return null;
        }
        List<String> names = new ArrayList<>();
        for (JsonNode role : roles) {
            String name = role.asText("");
            if (!List.of("validator", "compute", "keymanager").contains(name)) {
                problems.add("registration.roles: unknown role '" + name + "' (validator, compute, keymanager)");
            }
            names.add(name);
        }
        JsonNode tee = r.get("tee");
        long renew = r.has("renewEpochs") ? integer(r, "renewEpochs", problems, 1, MAX_RENEW_EPOCHS) : 3;
        return new Registration(dir.resolve(entityKey.asText()), names, tee != null && tee.asBoolean(false), renew);
    }

    private static @Nullable Byzantine byzantine(JsonNode b, int index, int validators, List<String> problems) {
        if (!b.isObject()) {
            problems.add("byzantine: expected an object {\"seed\": N, \"coalition\": [indices]}");
            return null;
        }
        long seed = integer(b, "seed", problems, Long.MIN_VALUE, Long.MAX_VALUE);
        List<Integer> coalition = new ArrayList<>();
        JsonNode c = b.get("coalition");
        if (c == null || !c.isArray() || c.size() == 0) {
            problems.add("byzantine.coalition: expected a non-empty array of validator indices");
            return null;
        }
        for (int i = 0; i < c.size(); i++) {
            JsonNode v = c.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0 || v.asInt() >= validators) {
                problems.add("byzantine.coalition[" + i + "]: expected a validator index in 0.." + (validators - 1));
                return null;
            }
            coalition.add(v.asInt());
        }
        if (!coalition.contains(index)) {
            problems.add("byzantine.coalition: must contain this node's validatorIndex " + index);
            return null;
        }
        return new Byzantine(seed, coalition);
    }

    private static long integer(JsonNode root, String name, List<String> problems, long min, long max) {
        JsonNode n = root.get(name);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            problems.add(name + ": expected an integer" + (min == Long.MIN_VALUE ? "" : " in " + min + ".." + max));
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
