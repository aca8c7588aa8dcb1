package dev.oasisj.modelcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per-action and per-guard-branch coverage of a consensus trace set (issue 8, point 3): which of the spec's actions
 * the traces take, and for the actions whose effect depends on a branch (a lock, a proof-of-lock round, a validity
 * test, a Byzantine sender's choice) which branch each step took. A trace set that never takes a branch cannot show
 * that the implementation gets it right; the trace generator writes these counts next to the traces
 * ({@code coverage.json}) and fails when a branch has fewer steps than its committed minimum.
 *
 * <p>Each step is classified from the state before it, its {@code action} (name and parameters) and the state after
 * it (the message it added), so the branches are those of {@code spec/consensus/Consensus.tla}:
 * <ul>
 *   <li>{@code Propose}: {@code fresh} (no valid value, {@code validRound = -1}) or {@code re-proposal}.</li>
 *   <li>{@code PrevoteOnProposal}: {@code unlocked}, {@code locked-same-value} (both prevote the value),
 *       {@code locked-other-value} (prevote Nil: the lock check), {@code invalid-value} (prevote Nil: the validity
 *       check).</li>
 *   <li>{@code PrevoteOnProposalWithPOL(v, vr)}: {@code unlocked}, {@code locked-same-value},
 *       {@code lock-older-than-pol} (locked on another value at a round {@code < vr}: prevote v),
 *       {@code lock-at-pol} (locked on another value at round {@code vr} itself: prevote v, the rule's edge),
 *       {@code lock-newer-than-pol} (locked on another value at a round {@code > vr}: prevote Nil),
 *       {@code invalid-value}.</li>
 *   <li>{@code LockOnPOL}: {@code lock-unlocked}, {@code lock-same-value}, {@code relock-other-value} (in step
 *       prevote: lock and precommit), {@code valid-value-only} (in step precommit).</li>
 *   <li>{@code Decide}: {@code current-round} or {@code earlier-round}.</li>
 *   <li>{@code RoundSkip}: {@code skip-1} or {@code skip-2+} rounds.</li>
 *   <li>{@code ByzantinePropose}: {@code invalid-value}, {@code equivocation} (a second proposal of that height and
 *       round), {@code re-proposal} ({@code validRound >= 0}), else {@code fresh-valid}.</li>
 *   <li>{@code ByzantinePrevote}, {@code ByzantinePrecommit}: {@code equivocation} (another vote of the sender at that
 *       height and round), else {@code nil} or {@code value}.</li>
 * </ul>
 * Every other action is counted under its name only (branch {@code -}).
 */
public final class ConsensusCoverage {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Counts per action, then per branch (both sorted, so the report is byte-stable). */
    private final TreeMap<String, TreeMap<String, Long>> counts = new TreeMap<>();
    private long steps;
    private long traces;

    /** Adds every step of one NDJSON trace file of a model whose valid values are {@code validValues}. */
    public void addTrace(Path file, Set<String> validValues) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        traces++;
        for (int i = 1; i < lines.size(); i++) {
            JsonNode action = lines.get(i).get("action");
            String name = action.get("name").asText();
            String branch = classify(name, action, lines.get(i - 1).get("state"), lines.get(i).get("state"),
                    validValues);
            counts.computeIfAbsent(name, k -> new TreeMap<>()).merge(branch, 1L, Long::sum);
            steps++;
        }
    }

    /** The branch a step of action {@code name} took (see the class comment). */
    static String classify(String name, JsonNode action, JsonNode before, JsonNode after, Set<String> validValues) {
        String p = text(action, "p");
        switch (name) {
            case "Propose":
                return action.get("validRound").asInt() >= 0 ? "re-proposal" : "fresh";
            case "PrevoteOnProposal": {
                String v = text(action, "value");
                String vote = addedVote(before, after, "msgsPrevote", p);
                int lockedRound = before.get("lockedRound").get(p).asInt();
                String lockedValue = before.get("lockedValue").get(p).asText();
                if (lockedRound >= 0 && !lockedValue.equals(v)) {
                    return "locked-other-value";
                }
                if (!vote.equals(v)) {
                    return "invalid-value";
                }
                return lockedRound >= 0 ? "locked-same-value" : "unlocked";
            }
            case "PrevoteOnProposalWithPOL": {
                String v = text(action, "value");
                int vr = action.get("validRound").asInt();
                String vote = addedVote(before, after, "msgsPrevote", p);
                int lockedRound = before.get("lockedRound").get(p).asInt();
                String lockedValue = before.get("lockedValue").get(p).asText();
                if (lockedRound >= 0 && !lockedValue.equals(v)) {
                    return lockedRound > vr ? "lock-newer-than-pol"
                            : lockedRound == vr ? "lock-at-pol" : "lock-older-than-pol";
                }
                if (!vote.equals(v)) {
                    return "invalid-value";
                }
                return lockedRound >= 0 ? "locked-same-value" : "unlocked";
            }
            case "LockOnPOL": {
                if (!before.get("step").get(p).asText().equals("prevote")) {
                    return "valid-value-only";
                }
                int lockedRound = before.get("lockedRound").get(p).asInt();
                if (lockedRound < 0) {
                    return "lock-unlocked";
                }
                return before.get("lockedValue").get(p).asText().equals(text(action, "value")) ? "lock-same-value"
                        : "relock-other-value";
            }
            case "Decide":
                return action.get("round").asInt() == before.get("round").get(p).asInt() ? "current-round"
                        : "earlier-round";
            case "RoundSkip":
                return action.get("round").asInt() - before.get("round").get(p).asInt() == 1 ? "skip-1" : "skip-2+";
            case "ByzantinePropose": {
                if (!validValues.contains(text(action, "value"))) {
                    return "invalid-value";
                }
                if (hasMessageOf(before.get("msgsPropose"), p, action.get("height").asInt(),
                        action.get("round").asInt())) {
                    return "equivocation";
                }
                return action.get("validRound").asInt() >= 0 ? "re-proposal" : "fresh-valid";
            }
            case "ByzantinePrevote":
            case "ByzantinePrecommit": {
                String set = name.equals("ByzantinePrevote") ? "msgsPrevote" : "msgsPrecommit";
                if (hasMessageOf(before.get(set), p, action.get("height").asInt(), action.get("round").asInt())) {
                    return "equivocation";
                }
                return text(action, "value").equals("Nil") ? "nil" : "value";
            }
            default:
                return "-";
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode f = node.get(field);
        if (f == null) {
            throw new IllegalArgumentException("action " + node + " has no field " + field);
        }
        return f.asText();
    }

    /** The value of the one vote of {@code p} that {@code set} gained in this step. */
    private static String addedVote(JsonNode before, JsonNode after, String set, String p) {
        Set<String> old = new java.util.HashSet<>();
        before.get(set).forEach(m -> old.add(m.toString()));
        for (JsonNode m : after.get(set)) {
            if (!old.contains(m.toString()) && m.get("src").asText().equals(p)) {
                return m.get("value").asText();
            }
        }
        // The same vote was already there (a correct validator never sends two votes in a round, so this is the
        // vote it sent before): the set did not grow.
        throw new IllegalArgumentException("a prevote step of " + p + " added no vote of " + p);
    }

    private static boolean hasMessageOf(JsonNode set, String src, int height, int round) {
        for (JsonNode m : set) {
            if (m.get("src").asText().equals(src) && m.get("height").asInt() == height
                    && m.get("round").asInt() == round) {
                return true;
            }
        }
        return false;
    }

    /** Steps of {@code action} that took {@code branch} ({@code "-"} for an action without branches). */
    public long count(String action, String branch) {
        return counts.getOrDefault(action, new TreeMap<>()).getOrDefault(branch, 0L);
    }

    public long steps() {
        return steps;
    }

    public long traces() {
        return traces;
    }

    /**
     * The valid values a model's configuration declares (its {@code ValidValues = {...}} line): the coverage needs
     * them to tell an invalid Byzantine proposal.
     */
    public static Set<String> validValuesOf(Path cfg) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*ValidValues\\s*=\\s*\\{([^}]*)}")
                .matcher(Files.readString(cfg));
        if (!m.find()) {
            throw new IllegalArgumentException(cfg + " has no line ValidValues = {...}");
        }
        Set<String> out = new java.util.TreeSet<>();
        for (String v : m.group(1).split(",")) {
            if (!v.isBlank()) {
                out.add(v.trim());
            }
        }
        return out;
    }

    /** Every (action, branch) with its count, sorted. */
    public Map<String, TreeMap<String, Long>> counts() {
        TreeMap<String, TreeMap<String, Long>> copy = new TreeMap<>();
        counts.forEach((a, b) -> copy.put(a, new TreeMap<>(b)));
        return copy;
    }

    /**
     * The (action, branch) pairs below their minimum: {@code minimums} maps {@code "Action"} or
     * {@code "Action/branch"} to the least count required. Empty when every minimum is met.
     */
    public List<String> shortfalls(Map<String, Long> minimums) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : new TreeMap<>(minimums).entrySet()) {
            String key = e.getKey();
            int slash = key.indexOf('/');
            long have = slash < 0
                    ? counts.getOrDefault(key, new TreeMap<>()).values().stream().mapToLong(Long::longValue).sum()
                    : count(key.substring(0, slash), key.substring(slash + 1));
            if (have < e.getValue()) {
                out.add(key + ": " + have + " step(s), minimum " + e.getValue());
            }
        }
        return out;
    }

    /** The report: traces, steps, and the counts per action and branch (canonical JSON, one object). */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"traces\":").append(traces).append(",\"steps\":").append(steps)
                .append(",\"actions\":{");
        boolean firstAction = true;
        for (Map.Entry<String, TreeMap<String, Long>> a : counts.entrySet()) {
            if (!firstAction) {
                sb.append(',');
            }
            firstAction = false;
            CanonicalJson.quote(a.getKey(), sb);
            sb.append(":{");
            boolean first = true;
            for (Map.Entry<String, Long> b : a.getValue().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                CanonicalJson.quote(b.getKey(), sb);
                sb.append(':').append(b.getValue());
            }
            sb.append('}');
        }
        return sb.append("}}\n").toString();
    }
}
