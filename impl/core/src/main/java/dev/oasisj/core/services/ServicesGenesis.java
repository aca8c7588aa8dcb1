package dev.oasisj.core.services;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.InvalidGenesisException;
import dev.oasisj.core.registry.Admission;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisteredNode;
import dev.oasisj.core.registry.RegisteredRuntime;
import dev.oasisj.core.registry.RegistryConfig;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.registry.RuntimeDescriptor;
import dev.oasisj.core.registry.RuntimeId;
import dev.oasisj.core.scheduler.ValidatorElectionConfig;
import dev.oasisj.core.staking.StakingParameters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The {@code services} section of a genesis document: the services' parameters, the common pool, and the registry and
 * escrow the chain starts with. Genesis nodes and runtimes are trusted as written (no signatures); genesis escrows are
 * {@code staking.AddEscrow} calls from the delegator's genesis balance (the top-level {@code accounts}), applied in the
 * listed order, so they follow the share rule. Parsing reports every problem it finds, each naming its field
 * ({@link InvalidGenesisException}).
 *
 * <pre>
 * "services": {
 *   "epochLengthBlocks": 10,
 *   "staking":   {"debondingDelayEpochs": 2, "rewardPerEpochBaseUnits": 10, "commonPoolBaseUnits": 1000,
 *                 "doubleSignSlashBaseUnits": 100, "doubleSignFreezeEpochs": 2,
 *                 "incorrectResultsSlashBaseUnits": 50, "incorrectResultsFreezeEpochs": 1},
 *   "registry":  {"minValidatorNodeStakeBaseUnits": 100, "minComputeNodeStakeBaseUnits": 10,
 *                 "minKeymanagerNodeStakeBaseUnits": 0, "allowedRoles": ["validator", "compute"],
 *                 "maxNodeExpiryEpochs": 100},
 *   "scheduler": {"minValidatorStakeBaseUnits": 100, "maxValidatorsPerEntity": 1, "maxValidators": 10,
 *                 "minValidators": 1},
 *   "entities":  ["&lt;hex key&gt;", ...],
 *   "nodes":     [{"publicKey": "&lt;hex&gt;", "entity": "&lt;hex&gt;", "roles": ["validator"], "tee": false,
 *                  "expiryEpoch": 100}, ...],
 *   "escrows":   [{"delegator": "&lt;hex&gt;", "entity": "&lt;hex&gt;", "amountBaseUnits": 1000}, ...],
 *   "runtimes":  [{"id": "&lt;64 hex digits&gt;", "owner": "&lt;hex&gt;", "workers": 2, "backups": 1,
 *                  "allowedStragglers": 0, "roundTimeoutBlocks": 5, "minPoolSize": 2, "maxNodesPerEntity": 1,
 *                  "minStakeBaseUnits": 0, "teeRequired": false, "engineKind": 0,
 *                  "permissioned": ["&lt;hex entity&gt;", ...]   (optional: absent = permissionless)}, ...]
 * }
 * </pre>
 */
public record ServicesGenesis(ServicesParameters parameters, long commonPoolBaseUnits, List<PublicKey> entities,
        List<RegisteredNode> nodes, List<Escrow> escrows, List<RegisteredRuntime> runtimes) {

    /** A genesis escrow: {@code delegator} escrows {@code amountBaseUnits} of its genesis balance to {@code entity}. */
    public record Escrow(PublicKey delegator, PublicKey entity, long amountBaseUnits) {}

    public ServicesGenesis {
        entities = List.copyOf(entities);
        nodes = List.copyOf(nodes);
        escrows = List.copyOf(escrows);
        runtimes = List.copyOf(runtimes);
        if (commonPoolBaseUnits < 0) {
            throw new IllegalArgumentException("services.staking.commonPoolBaseUnits: negative");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses the section's JSON text ({@code Genesis.services()}). */
    public static ServicesGenesis fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidGenesisException(List.of("services: not valid JSON: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidGenesisException(List.of("services: not an object"));
        }
        Fields f = new Fields();
        long epochLength = f.integer(root, "epochLengthBlocks", "services.epochLengthBlocks");
        JsonNode st = f.object(root, "staking", "services.staking");
        JsonNode rg = f.object(root, "registry", "services.registry");
        JsonNode sc = f.object(root, "scheduler", "services.scheduler");
        long debonding = f.integer(st, "debondingDelayEpochs", "services.staking.debondingDelayEpochs");
        long reward = f.integer(st, "rewardPerEpochBaseUnits", "services.staking.rewardPerEpochBaseUnits");
        long commonPool = f.integer(st, "commonPoolBaseUnits", "services.staking.commonPoolBaseUnits");
        long slash = f.integer(st, "doubleSignSlashBaseUnits", "services.staking.doubleSignSlashBaseUnits");
        long freeze = f.integer(st, "doubleSignFreezeEpochs", "services.staking.doubleSignFreezeEpochs");
        long incorrectSlash = f.integer(st, "incorrectResultsSlashBaseUnits",
                "services.staking.incorrectResultsSlashBaseUnits");
        long incorrectFreeze = f.integer(st, "incorrectResultsFreezeEpochs",
                "services.staking.incorrectResultsFreezeEpochs");
        long minValidatorNode = f.integer(rg, "minValidatorNodeStakeBaseUnits",
                "services.registry.minValidatorNodeStakeBaseUnits");
        long minComputeNode = f.integer(rg, "minComputeNodeStakeBaseUnits",
                "services.registry.minComputeNodeStakeBaseUnits");
        long minKeymanagerNode = f.integer(rg, "minKeymanagerNodeStakeBaseUnits",
                "services.registry.minKeymanagerNodeStakeBaseUnits");
        Set<Role> allowedRoles = f.roles(rg, "allowedRoles", "services.registry.allowedRoles");
        long maxExpiry = f.integer(rg, "maxNodeExpiryEpochs", "services.registry.maxNodeExpiryEpochs");
        long minValidatorStake = f.integer(sc, "minValidatorStakeBaseUnits",
                "services.scheduler.minValidatorStakeBaseUnits");
        long maxPerEntity = f.integer(sc, "maxValidatorsPerEntity", "services.scheduler.maxValidatorsPerEntity");
        long maxValidators = f.integer(sc, "maxValidators", "services.scheduler.maxValidators");
        long minValidators = f.integer(sc, "minValidators", "services.scheduler.minValidators");

        List<PublicKey> entities = new ArrayList<>();
        JsonNode es = f.array(root, "entities", "services.entities");
        for (int i = 0; i < es.size(); i++) {
            PublicKey k = f.key(es.get(i), "services.entities[" + i + "]");
            if (k != null) {
                entities.add(k);
            }
        }
        List<RegisteredNode> nodes = new ArrayList<>();
        JsonNode ns = f.array(root, "nodes", "services.nodes");
        for (int i = 0; i < ns.size(); i++) {
            String where = "services.nodes[" + i + "]";
            JsonNode n = ns.get(i);
            PublicKey key = f.key(n.get("publicKey"), where + ".publicKey");
            PublicKey entity = f.key(n.get("entity"), where + ".entity");
            Set<Role> roles = f.roles(n, "roles", where + ".roles");
            boolean tee = f.bool(n, "tee", where + ".tee");
            long expiry = f.integer(n, "expiryEpoch", where + ".expiryEpoch");
            if (key != null && entity != null && expiry >= 0) {
                nodes.add(new RegisteredNode(new NodeDescriptor(key, entity, roles, tee, expiry), 0));
            } else if (expiry < 0) {
                f.problems.add(where + ".expiryEpoch: negative");
            }
        }
        List<Escrow> escrows = new ArrayList<>();
        JsonNode ws = f.array(root, "escrows", "services.escrows");
        for (int i = 0; i < ws.size(); i++) {
            String where = "services.escrows[" + i + "]";
            JsonNode w = ws.get(i);
            PublicKey delegator = f.key(w.get("delegator"), where + ".delegator");
            PublicKey entity = f.key(w.get("entity"), where + ".entity");
            long amount = f.integer(w, "amountBaseUnits", where + ".amountBaseUnits");
            if (delegator != null && entity != null) {
                if (amount < 1) {
                    f.problems.add(where + ".amountBaseUnits: must be at least 1");
                }
                escrows.add(new Escrow(delegator, entity, amount));
            }
        }
        List<RegisteredRuntime> runtimes = new ArrayList<>();
        JsonNode rs = f.array(root, "runtimes", "services.runtimes");
        for (int i = 0; i < rs.size(); i++) {
            String where = "services.runtimes[" + i + "]";
            RegisteredRuntime rt = f.runtime(rs.get(i), where);
            if (rt != null) {
                runtimes.add(rt);
            }
        }
        f.throwIfAny();
        try {
            ServicesParameters params = new ServicesParameters(epochLength,
                    new StakingParameters(debonding, reward), slash, freeze, incorrectSlash, incorrectFreeze,
                    new RegistryConfig(minValidatorNode, minComputeNode, minKeymanagerNode, allowedRoles, maxExpiry),
                    new ValidatorElectionConfig(minValidatorStake, Math.toIntExact(maxPerEntity),
                            Math.toIntExact(maxValidators), Math.toIntExact(minValidators)));
            return new ServicesGenesis(params, commonPool, entities, nodes, escrows, runtimes);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidGenesisException(List.of("services: " + e.getMessage()));
        }
    }

    /**
     * The consensus validators a genesis of this section with {@code accounts} must declare: the set the services
     * elect at genesis ({@link ServiceMultiplexer#electAtGenesis}), in election order, named {@code validator-I}, each
     * with its entity's escrow as its power. How the {@code genesis} command turns a declaration into a genesis.
     *
     * @throws InvalidGenesisException naming every problem of the declaration
     */
    public List<Genesis.Validator> electedValidators(String chainId, List<Genesis.InitialAccount> accounts) {
        ServiceMultiplexer mux = new ServiceMultiplexer(chainId, parameters);
        List<Genesis.Validator> out = new ArrayList<>();
        for (dev.oasisj.core.scheduler.Validator v : mux.electAtGenesis(accounts, this).validators().validators()) {
            out.add(new Genesis.Validator("validator-" + out.size(), v.node(), v.votingPower()));
        }
        return out;
    }

    /** The section as JSON (the form {@link #fromJson} reads), for the {@code genesis} command. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        ServicesParameters p = parameters;
        root.put("epochLengthBlocks", p.epochLengthBlocks());
        ObjectNode st = root.putObject("staking");
        st.put("debondingDelayEpochs", p.staking().debondingDelayEpochs());
        st.put("rewardPerEpochBaseUnits", p.staking().rewardPerEpochBaseUnits());
        st.put("commonPoolBaseUnits", commonPoolBaseUnits);
        st.put("doubleSignSlashBaseUnits", p.doubleSignSlashBaseUnits());
        st.put("doubleSignFreezeEpochs", p.doubleSignFreezeEpochs());
        st.put("incorrectResultsSlashBaseUnits", p.incorrectResultsSlashBaseUnits());
        st.put("incorrectResultsFreezeEpochs", p.incorrectResultsFreezeEpochs());
        ObjectNode rg = root.putObject("registry");
        rg.put("minValidatorNodeStakeBaseUnits", p.registry().minValidatorNodeStakeBaseUnits());
        rg.put("minComputeNodeStakeBaseUnits", p.registry().minComputeNodeStakeBaseUnits());
        rg.put("minKeymanagerNodeStakeBaseUnits", p.registry().minKeymanagerNodeStakeBaseUnits());
        putRoles(rg.putArray("allowedRoles"), p.registry().allowedRoles());
        rg.put("maxNodeExpiryEpochs", p.registry().maxNodeExpiryEpochs());
        ObjectNode sc = root.putObject("scheduler");
        sc.put("minValidatorStakeBaseUnits", p.validators().minValidatorStakeBaseUnits());
        sc.put("maxValidatorsPerEntity", p.validators().maxValidatorsPerEntity());
        sc.put("maxValidators", p.validators().maxValidators());
        sc.put("minValidators", p.validators().minValidators());
        ArrayNode es = root.putArray("entities");
        entities.forEach(e -> es.add(e.toHex()));
        ArrayNode ns = root.putArray("nodes");
        for (RegisteredNode n : nodes) {
            NodeDescriptor d = n.descriptor();
            ObjectNode o = ns.addObject();
            o.put("publicKey", d.nodeKey().toHex());
            o.put("entity", d.entity().toHex());
            putRoles(o.putArray("roles"), d.roles());
            o.put("tee", d.teeCapable());
            o.put("expiryEpoch", d.expiryEpoch());
        }
        ArrayNode ws = root.putArray("escrows");
        for (Escrow w : escrows) {
            ObjectNode o = ws.addObject();
            o.put("delegator", w.delegator().toHex());
            o.put("entity", w.entity().toHex());
            o.put("amountBaseUnits", w.amountBaseUnits());
        }
        ArrayNode rs = root.putArray("runtimes");
        for (RegisteredRuntime r : runtimes) {
            RuntimeDescriptor d = r.descriptor();
            ObjectNode o = rs.addObject();
            o.put("id", d.id().value().toHex());
            o.put("owner", r.owner().toHex());
            o.put("workers", d.workers());
            o.put("backups", d.backups());
            o.put("allowedStragglers", d.allowedStragglers());
            o.put("roundTimeoutBlocks", d.roundTimeoutBlocks());
            o.put("minPoolSize", d.minPoolSize());
            o.put("maxNodesPerEntity", d.maxNodesPerEntity());
            o.put("minStakeBaseUnits", d.minStakeBaseUnits());
            o.put("teeRequired", d.teeRequired());
            o.put("engineKind", d.engineKind());
            if (d.admission() instanceof Admission.Permissioned pm) {
                ArrayNode list = o.putArray("permissioned");
                pm.entities().forEach(e -> list.add(e.toHex()));
            }
        }
        return root;
    }

    private static void putRoles(ArrayNode array, Set<Role> roles) {
        for (Role r : roles) {
            array.add(r.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Field readers that collect problems instead of stopping at the first. */
    private static final class Fields {
        final List<String> problems = new ArrayList<>();
        private static final JsonNode MISSING = JSON.createObjectNode();
        private static final JsonNode EMPTY_ARRAY = JSON.createArrayNode();

        void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new InvalidGenesisException(problems);
            }
        }

        JsonNode object(JsonNode parent, String name, String where) {
            JsonNode n = parent.get(name);
            if (n == null || !n.isObject()) {
                problems.add(where + ": missing or not an object");
                return MISSING;
            }
            return n;
        }

        JsonNode array(JsonNode parent, String name, String where) {
            JsonNode n = parent.get(name);
            if (n == null || !n.isArray()) {
                problems.add(where + ": missing or not an array");
                return EMPTY_ARRAY;
            }
            return n;
        }

        long integer(JsonNode parent, String name, String where) {
            JsonNode n = parent.get(name);
            if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
                problems.add(where + ": missing or not an integer that fits 64 bits");
                return 0;
            }
            return n.asLong();
        }

        boolean bool(JsonNode parent, String name, String where) {
            JsonNode n = parent.get(name);
            if (n == null || !n.isBoolean()) {
                problems.add(where + ": missing or not true/false");
                return false;
            }
            return n.asBoolean();
        }

        Set<Role> roles(JsonNode parent, String name, String where) {
            EnumSet<Role> roles = EnumSet.noneOf(Role.class);
            JsonNode n = parent.get(name);
            if (n == null || !n.isArray()) {
                problems.add(where + ": missing or not an array");
                return roles;
            }
            for (int i = 0; i < n.size(); i++) {
                String text = n.get(i).asText("");
                try {
                    Role r = Role.valueOf(text.toUpperCase(Locale.ROOT));
                    if (!roles.add(r)) {
                        problems.add(where + "[" + i + "]: role " + text + " listed twice");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(where + "[" + i + "]: unknown role '" + text
                            + "' (known: validator, compute, keymanager)");
                }
            }
            return roles;
        }

        @Nullable PublicKey key(@Nullable JsonNode n, String where) {
            byte[] bytes = hex(n, where, PublicKey.SIZE_BYTES);
            return bytes == null ? null : PublicKey.of(bytes);
        }

        byte @Nullable [] hex(@Nullable JsonNode n, String where, int sizeBytes) {
            if (n == null || !n.isTextual()) {
                problems.add(where + ": missing or not a string");
                return null;
            }
            String hex = n.asText();
            if (hex.length() != 2 * sizeBytes) {
                problems.add(where + ": must be " + 2 * sizeBytes + " hex digits, got " + hex.length());
                return null;
            }
            try {
                return HexFormat.of().parseHex(hex);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": not hexadecimal");
                return null;
            }
        }

        @Nullable RegisteredRuntime runtime(JsonNode r, String where) {
            byte[] id = hex(r.get("id"), where + ".id", Hash32.SIZE_BYTES);
            PublicKey owner = key(r.get("owner"), where + ".owner");
            long workers = integer(r, "workers", where + ".workers");
            long backups = integer(r, "backups", where + ".backups");
            long stragglers = integer(r, "allowedStragglers", where + ".allowedStragglers");
            long timeout = integer(r, "roundTimeoutBlocks", where + ".roundTimeoutBlocks");
            long minPool = integer(r, "minPoolSize", where + ".minPoolSize");
            long perEntity = integer(r, "maxNodesPerEntity", where + ".maxNodesPerEntity");
            long minStake = integer(r, "minStakeBaseUnits", where + ".minStakeBaseUnits");
            boolean tee = bool(r, "teeRequired", where + ".teeRequired");
            long engine = integer(r, "engineKind", where + ".engineKind");
            Admission admission = new Admission.Permissionless();
            JsonNode listed = r.get("permissioned");
            if (listed != null) {
                TreeSet<PublicKey> keys = new TreeSet<>();
                if (!listed.isArray()) {
                    problems.add(where + ".permissioned: not an array");
                } else {
                    for (int i = 0; i < listed.size(); i++) {
                        PublicKey k = key(listed.get(i), where + ".permissioned[" + i + "]");
                        if (k != null && !keys.add(k)) {
                            problems.add(where + ".permissioned[" + i + "]: listed twice");
                        }
                    }
                }
                admission = new Admission.Permissioned(List.copyOf(keys));
            }
            if (id == null || owner == null) {
                return null;
            }
            try {
                RuntimeDescriptor d = new RuntimeDescriptor(RuntimeId.of(id), Math.toIntExact(workers),
                        Math.toIntExact(backups), Math.toIntExact(stragglers), timeout, Math.toIntExact(minPool),
                        Math.toIntExact(perEntity), minStake, admission, tee, Math.toIntExact(engine));
                String problem = d.problem();
                if (problem != null) {
                    problems.add(where + ": " + problem);
                    return null;
                }
                return new RegisteredRuntime(d, owner);
            } catch (IllegalArgumentException | ArithmeticException e) {
                problems.add(where + ": " + e.getMessage());
                return null;
            }
        }
    }
}
