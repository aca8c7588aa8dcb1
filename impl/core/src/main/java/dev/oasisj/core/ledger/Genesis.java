package dev.oasisj.core.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The agreed starting point of a chain: its id, the validator set (name, Ed25519 key, voting power), the initial
 * accounts and the consensus timing parameters (in ticks). A {@code Genesis} object is always valid: the constructor
 * checks everything and throws {@link InvalidGenesisException} listing every problem.
 *
 * <p>Simplification (documented, see the ledger README section in {@link Ledger}): validator voting power is given
 * directly in the genesis instead of being derived from escrowed account stake; balances are liquid only.
 *
 * <p>{@link #hash()} is SHA-256 over {@link #canonicalBytes()} (a binary encoding, not the JSON text, so formatting
 * and key order of the JSON file do not change the hash; list order does).
 *
 * <p><b>Services.</b> An optional {@code services} object makes the chain run the consensus services (staking,
 * registry, epochs, beacon, scheduler: {@code dev.oasisj.core.services}) instead of the transfer ledger; with it, the
 * validator powers above must be those the services elect at genesis (their check, not this record's). The engine
 * does not read the section: it is kept as its compact JSON text (CometBFT's {@code app_state}), whose key order
 * therefore counts in the hash, and a document without it hashes as before the section existed.
 */
public record Genesis(String chainId, List<Validator> validators, List<InitialAccount> accounts,
        ConsensusParams consensus, String services) {

    public static final String HASH_DOMAIN = "oasisj/genesis/v1";
    private static final String SERVICES_MARKER = "services";

    /** A validator: a unique name (for logs and reports), its signing key and its voting power (> 0). */
    public record Validator(String name, PublicKey publicKey, long power) {}

    /** An account that exists at genesis with the given balance (>= 0). */
    public record InitialAccount(PublicKey publicKey, long balanceBaseUnits) {}

    /**
     * Consensus timeouts in ticks. The timeout of a step in round {@code r} is {@code base + r * delta}, so timeouts
     * grow with the round until the network is synchronous enough to decide (as in Tendermint).
     * {@code blockSyncSilenceTicks}: a node that has heard nothing that advanced it for this long asks its peers for
     * blocks it may have missed. {@code createEmptyBlocksIntervalTicks} (CometBFT's
     * {@code create_empty_blocks_interval}): while its mempool is empty, a validator does not start round 0 of a new
     * height (no proposal, no propose timeout) until a transaction arrives or this many ticks have passed since the last
     * commit; 0 starts every height at once (a block per height even when idle). It is part of the genesis, not of a
     * node's config, because it changes what a node does at each tick: a journal replays to the same state only under
     * the same value.
     */
    public record ConsensusParams(long timeoutProposeBaseTicks, long timeoutProposeDeltaTicks,
            long timeoutPrevoteBaseTicks, long timeoutPrevoteDeltaTicks, long timeoutPrecommitBaseTicks,
            long timeoutPrecommitDeltaTicks, long blockSyncSilenceTicks, long createEmptyBlocksIntervalTicks) {

        /** Defaults for ticks of one millisecond; empty blocks at every height (the in-process tools rely on it). */
        public static final ConsensusParams DEFAULT = new ConsensusParams(300, 50, 100, 50, 100, 50, 2000);

        /**
         * What {@code oasis genesis} writes: an idle chain makes a block a second ({@code localnet}, also with
         * {@code --processes}, keeps {@link #DEFAULT}).
         */
        public static final long RECOMMENDED_EMPTY_BLOCKS_INTERVAL_TICKS = 1000;

        /** Parameters that create empty blocks at once (interval 0). */
        public ConsensusParams(long timeoutProposeBaseTicks, long timeoutProposeDeltaTicks,
                long timeoutPrevoteBaseTicks, long timeoutPrevoteDeltaTicks, long timeoutPrecommitBaseTicks,
                long timeoutPrecommitDeltaTicks, long blockSyncSilenceTicks) {
            this(timeoutProposeBaseTicks, timeoutProposeDeltaTicks, timeoutPrevoteBaseTicks, timeoutPrevoteDeltaTicks,
                    timeoutPrecommitBaseTicks, timeoutPrecommitDeltaTicks, blockSyncSilenceTicks, 0);
        }

        /** The same parameters with another {@code createEmptyBlocksIntervalTicks}. */
        public ConsensusParams withCreateEmptyBlocksIntervalTicks(long ticks) {
            return new ConsensusParams(timeoutProposeBaseTicks, timeoutProposeDeltaTicks, timeoutPrevoteBaseTicks,
                    timeoutPrevoteDeltaTicks, timeoutPrecommitBaseTicks, timeoutPrecommitDeltaTicks,
                    blockSyncSilenceTicks, ticks);
        }

        public long timeoutProposeTicks(int round) {
            return timeoutProposeBaseTicks + round * timeoutProposeDeltaTicks;
        }

        public long timeoutPrevoteTicks(int round) {
            return timeoutPrevoteBaseTicks + round * timeoutPrevoteDeltaTicks;
        }

        public long timeoutPrecommitTicks(int round) {
            return timeoutPrecommitBaseTicks + round * timeoutPrecommitDeltaTicks;
        }

        void validate(List<String> problems) {
            positive(problems, "consensus.timeoutProposeBaseTicks", timeoutProposeBaseTicks);
            nonNegative(problems, "consensus.timeoutProposeDeltaTicks", timeoutProposeDeltaTicks);
            positive(problems, "consensus.timeoutPrevoteBaseTicks", timeoutPrevoteBaseTicks);
            nonNegative(problems, "consensus.timeoutPrevoteDeltaTicks", timeoutPrevoteDeltaTicks);
            positive(problems, "consensus.timeoutPrecommitBaseTicks", timeoutPrecommitBaseTicks);
            nonNegative(problems, "consensus.timeoutPrecommitDeltaTicks", timeoutPrecommitDeltaTicks);
            positive(problems, "consensus.blockSyncSilenceTicks", blockSyncSilenceTicks);
            nonNegative(problems, "consensus.createEmptyBlocksIntervalTicks", createEmptyBlocksIntervalTicks);
        }

        private static void positive(List<String> problems, String field, long v) {
            if (v <= 0 || v > LedgerLimits.MAX_TIMEOUT_TICKS) {
                problems.add(field + " must be in 1.." + LedgerLimits.MAX_TIMEOUT_TICKS + ", got " + v);
            }
        }

        private static void nonNegative(List<String> problems, String field, long v) {
            if (v < 0 || v > LedgerLimits.MAX_TIMEOUT_TICKS) {
                problems.add(field + " must be in 0.." + LedgerLimits.MAX_TIMEOUT_TICKS + ", got " + v);
            }
        }
    }

    public Genesis {
        validators = List.copyOf(validators);
        accounts = List.copyOf(accounts);
        List<String> problems = problems(chainId, validators, accounts, consensus);
        if (services.length() > LedgerLimits.MAX_GENESIS_JSON_BYTES) {
            problems.add("services: larger than " + LedgerLimits.MAX_GENESIS_JSON_BYTES + " characters");
        }
        if (!problems.isEmpty()) {
            throw new InvalidGenesisException(problems);
        }
    }

    /** A genesis of the transfer ledger alone (no {@code services} section). */
    public Genesis(String chainId, List<Validator> validators, List<InitialAccount> accounts,
            ConsensusParams consensus) {
        this(chainId, validators, accounts, consensus, "");
    }

    /** True when the genesis has a {@code services} section: the chain runs the consensus services. */
    public boolean hasServices() {
        return !services.isEmpty();
    }

    private static List<String> problems(String chainId, List<Validator> validators, List<InitialAccount> accounts,
            ConsensusParams consensus) {
        List<String> problems = new ArrayList<>();
        int chainIdBytes = chainId.getBytes(StandardCharsets.UTF_8).length;
        if (chainIdBytes == 0 || chainIdBytes > LedgerLimits.MAX_CHAIN_ID_BYTES) {
            problems.add("chainId must be 1.." + LedgerLimits.MAX_CHAIN_ID_BYTES + " UTF-8 bytes, got " + chainIdBytes);
        }
        if (validators.isEmpty() || validators.size() > LedgerLimits.MAX_VALIDATORS) {
            problems.add("validators: need 1.." + LedgerLimits.MAX_VALIDATORS + ", got " + validators.size());
        }
        TreeSet<String> names = new TreeSet<>();
        TreeSet<PublicKey> validatorKeys = new TreeSet<>();
        long totalPower = 0;
        for (int i = 0; i < validators.size(); i++) {
            Validator v = validators.get(i);
            String where = "validators[" + i + "] (" + v.name() + ")";
            int nameBytes = v.name().getBytes(StandardCharsets.UTF_8).length;
            if (nameBytes == 0 || nameBytes > LedgerLimits.MAX_VALIDATOR_NAME_BYTES) {
                problems.add(where + ": name must be 1.." + LedgerLimits.MAX_VALIDATOR_NAME_BYTES + " UTF-8 bytes");
            }
            if (!names.add(v.name())) {
                problems.add(where + ": duplicate validator name");
            }
            if (!validatorKeys.add(v.publicKey())) {
                problems.add(where + ": duplicate validator public key " + v.publicKey().shortId());
            }
            if (v.power() <= 0 || v.power() > LedgerLimits.MAX_TOTAL_POWER) {
                problems.add(where + ": power must be in 1.." + LedgerLimits.MAX_TOTAL_POWER + ", got " + v.power());
            } else {
                totalPower += v.power();
            }
        }
        if (totalPower > LedgerLimits.MAX_TOTAL_POWER) {
            problems.add("validators: total power " + totalPower + " exceeds " + LedgerLimits.MAX_TOTAL_POWER);
        }
        if (accounts.size() > LedgerLimits.MAX_GENESIS_ACCOUNTS) {
            problems.add("accounts: at most " + LedgerLimits.MAX_GENESIS_ACCOUNTS + ", got " + accounts.size());
        }
        TreeSet<PublicKey> accountKeys = new TreeSet<>();
        long supply = 0;
        boolean supplyOverflow = false;
        for (int i = 0; i < accounts.size(); i++) {
            InitialAccount a = accounts.get(i);
            String where = "accounts[" + i + "] (" + a.publicKey().shortId() + ")";
            if (!accountKeys.add(a.publicKey())) {
                problems.add(where + ": duplicate account");
            }
            if (a.balanceBaseUnits() < 0) {
                problems.add(where + ": negative balance " + a.balanceBaseUnits());
            } else if (!supplyOverflow) {
                try {
                    supply = Math.addExact(supply, a.balanceBaseUnits());
                } catch (ArithmeticException e) {
                    supplyOverflow = true;
                    problems.add("accounts: total supply exceeds " + Long.MAX_VALUE + " base units");
                }
            }
        }
        consensus.validate(problems);
        return problems;
    }

    /** The total supply: the sum of the initial balances (validated not to overflow). */
    public long totalSupplyBaseUnits() {
        long s = 0;
        for (InitialAccount a : accounts) {
            s += a.balanceBaseUnits();
        }
        return s;
    }

    public long totalPower() {
        long p = 0;
        for (Validator v : validators) {
            p += v.power();
        }
        return p;
    }

    /** Index of the validator with this key in {@link #validators()}, or -1. */
    public int validatorIndex(PublicKey key) {
        for (int i = 0; i < validators.size(); i++) {
            if (validators.get(i).publicKey().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The canonical binary encoding that {@link #hash()} covers. */
    public byte[] canonicalBytes() {
        Writer w = new Writer().string(HASH_DOMAIN).string(chainId).i32(validators.size());
        for (Validator v : validators) {
            w.string(v.name()).fixed(v.publicKey().toBytes()).i64(v.power());
        }
        w.i32(accounts.size());
        for (InitialAccount a : accounts) {
            w.fixed(a.publicKey().toBytes()).i64(a.balanceBaseUnits());
        }
        ConsensusParams c = consensus;
        w.i64(c.timeoutProposeBaseTicks()).i64(c.timeoutProposeDeltaTicks()).i64(c.timeoutPrevoteBaseTicks())
                .i64(c.timeoutPrevoteDeltaTicks()).i64(c.timeoutPrecommitBaseTicks())
                .i64(c.timeoutPrecommitDeltaTicks()).i64(c.blockSyncSilenceTicks());
        if (c.createEmptyBlocksIntervalTicks() != 0) {
            // Last field, present only when set: genesis documents without it keep their hash.
            w.i64(c.createEmptyBlocksIntervalTicks());
        }
        if (!services.isEmpty()) {
            // Present only when set, after a marker no older field can produce: transfer-only genesis documents
            // keep their hash.
            w.string(SERVICES_MARKER).string(services);
        }
        return w.toBytes();
    }

    /** SHA-256 of {@link #canonicalBytes()}: the "previous block hash" of block 1. */
    public Hash32 hash() {
        return Hash32.sha256(canonicalBytes());
    }

    // ---- JSON ----

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** JSON with keys in a fixed order; public keys as lowercase hex, amounts and ticks as JSON integers. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("chainId", chainId);
        ArrayNode vs = root.putArray("validators");
        for (Validator v : validators) {
            ObjectNode o = vs.addObject();
            o.put("name", v.name());
            o.put("publicKey", v.publicKey().toHex());
            o.put("power", v.power());
        }
        ArrayNode as = root.putArray("accounts");
        for (InitialAccount a : accounts) {
            ObjectNode o = as.addObject();
            o.put("publicKey", a.publicKey().toHex());
            o.put("balanceBaseUnits", a.balanceBaseUnits());
        }
        ObjectNode c = root.putObject("consensus");
        c.put("timeoutProposeBaseTicks", consensus.timeoutProposeBaseTicks());
        c.put("timeoutProposeDeltaTicks", consensus.timeoutProposeDeltaTicks());
        c.put("timeoutPrevoteBaseTicks", consensus.timeoutPrevoteBaseTicks());
        c.put("timeoutPrevoteDeltaTicks", consensus.timeoutPrevoteDeltaTicks());
        c.put("timeoutPrecommitBaseTicks", consensus.timeoutPrecommitBaseTicks());
        c.put("timeoutPrecommitDeltaTicks", consensus.timeoutPrecommitDeltaTicks());
        c.put("blockSyncSilenceTicks", consensus.blockSyncSilenceTicks());
        if (consensus.createEmptyBlocksIntervalTicks() != 0) {
            c.put("createEmptyBlocksIntervalTicks", consensus.createEmptyBlocksIntervalTicks());
        }
        if (!services.isEmpty()) {
            try {
                root.set("services", JSON.readTree(services));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the services section was parsed from JSON", e);
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    /**
     * Parses and validates a genesis document. Throws {@link InvalidGenesisException} naming the field for missing
     * fields, wrong types, bad hex keys, or any rule of the constructor.
     */
    public static Genesis fromJson(String json) {
        if (json.length() > LedgerLimits.MAX_GENESIS_JSON_BYTES) {
            throw new InvalidGenesisException(List.of("document larger than " + LedgerLimits.MAX_GENESIS_JSON_BYTES));
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidGenesisException(List.of("not valid JSON: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidGenesisException(List.of("the document must be a JSON object"));
        }
        List<String> problems = new ArrayList<>();
        String chainId = text(root, "chainId", "chainId", problems);
        List<Validator> validators = new ArrayList<>();
        JsonNode vs = root.get("validators");
        if (vs == null || !vs.isArray()) {
            problems.add("validators: missing or not an array");
        } else {
            for (int i = 0; i < vs.size(); i++) {
                JsonNode v = vs.get(i);
                String where = "validators[" + i + "]";
                String name = text(v, "name", where + ".name", problems);
                PublicKey key = key(v, where + ".publicKey", problems);
                long power = integer(v, "power", where + ".power", problems);
                if (key != null) {
                    validators.add(new Validator(name, key, power));
                }
            }
        }
        List<InitialAccount> accounts = accountsFromJson(root.get("accounts"), problems);
        JsonNode c = root.get("consensus");
        ConsensusParams params = ConsensusParams.DEFAULT;
        if (c == null || !c.isObject()) {
            problems.add("consensus: missing or not an object");
        } else {
            params = new ConsensusParams(
                    integer(c, "timeoutProposeBaseTicks", "consensus.timeoutProposeBaseTicks", problems),
                    integer(c, "timeoutProposeDeltaTicks", "consensus.timeoutProposeDeltaTicks", problems),
                    integer(c, "timeoutPrevoteBaseTicks", "consensus.timeoutPrevoteBaseTicks", problems),
                    integer(c, "timeoutPrevoteDeltaTicks", "consensus.timeoutPrevoteDeltaTicks", problems),
                    integer(c, "timeoutPrecommitBaseTicks", "consensus.timeoutPrecommitBaseTicks", problems),
                    integer(c, "timeoutPrecommitDeltaTicks", "consensus.timeoutPrecommitDeltaTicks", problems),
                    integer(c, "blockSyncSilenceTicks", "consensus.blockSyncSilenceTicks", problems),
                    c.has("createEmptyBlocksIntervalTicks") ? integer(c, "createEmptyBlocksIntervalTicks",
                            "consensus.createEmptyBlocksIntervalTicks", problems) : 0);
        }
        JsonNode servicesNode = root.get("services");
        String services = "";
        if (servicesNode != null) {
            if (!servicesNode.isObject()) {
                problems.add("services: not an object");
            } else {
                services = servicesNode.toString();
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidGenesisException(problems);
        }
        return new Genesis(chainId, validators, accounts, params, services);
    }

    /**
     * The {@code accounts} array of a genesis document ({@code [{"publicKey": HEX, "balanceBaseUnits": N}, ...]}),
     * each problem added to {@code problems} with its place; also read by the {@code genesis} command's declarations.
     */
    public static List<InitialAccount> accountsFromJson(@Nullable JsonNode as, List<String> problems) {
        List<InitialAccount> accounts = new ArrayList<>();
        if (as == null || !as.isArray()) {
            problems.add("accounts: missing or not an array");
            return accounts;
        }
        for (int i = 0; i < as.size(); i++) {
            JsonNode a = as.get(i);
            String where = "accounts[" + i + "]";
            PublicKey key = key(a, where + ".publicKey", problems);
            long balance = integer(a, "balanceBaseUnits", where + ".balanceBaseUnits", problems);
            if (key != null) {
                accounts.add(new InitialAccount(key, balance));
            }
        }
        return accounts;
    }

    private static String text(JsonNode parent, String name, String where, List<String> problems) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isTextual()) {
            problems.add(where + ": missing or not a string");
            return "";
        }
        return n.asText();
    }

    private static long integer(JsonNode parent, String name, String where, List<String> problems) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            problems.add(where + ": missing or not an integer that fits 64 bits");
            return 0;
        }
        return n.asLong();
    }

    private static @Nullable PublicKey key(JsonNode parent, String where,
            List<String> problems) {
        JsonNode n = parent.get("publicKey");
        if (n == null || !n.isTextual()) {
            problems.add(where + ": missing or not a string");
            return null;
        }
        String hex = n.asText();
        if (hex.length() != 2 * PublicKey.SIZE_BYTES) {
            problems.add(where + ": must be " + 2 * PublicKey.SIZE_BYTES + " hex digits, got " + hex.length());
            return null;
        }
        try {
            return PublicKey.of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": not hexadecimal");
            return null;
        }
    }
}
