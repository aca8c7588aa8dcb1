package dev.oasisj.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-action and per-branch coverage of committee traces: each step is counted under {@code Action} and under every
 * {@code Action/branch} label it takes (a step may take several, e.g. an epoch transition that releases debonding and
 * suspends a runtime for "cap"). The branches are the cases of the spec's actions and of the elections they run,
 * classified from the state before and after the step (never from the implementation).
 */
final class CommitteeCoverage {
    private final TreeMap<String, Long> counts = new TreeMap<>();
    private long traces;
    private long steps;

    void add(Trace t) {
        traces++;
        for (int i = 1; i < t.steps().size(); i++) {
            steps++;
            Trace.Step s = t.steps().get(i);
            String name = s.actionName();
            counts.merge(name, 1L, Long::sum);
            for (String b : branches(t.steps().get(i - 1).state(), s.action(), s.state())) {
                counts.merge(name + "/" + b, 1L, Long::sum);
            }
        }
    }

    long traces() {
        return traces;
    }

    long steps() {
        return steps;
    }

    Map<String, Long> counts() {
        return counts;
    }

    /** The labels of one step (before, action, after). */
    static List<String> branches(JsonNode before, JsonNode action, JsonNode after) {
        List<String> b = new ArrayList<>();
        long epoch = before.path("epoch").asLong();
        switch (action.path("name").asText()) {
            case "Register": {
                long was = before.path("reg").path(action.path("node").asText()).asLong();
                long x = action.path("expiry").asLong();
                b.add(was < 0 ? "new" : was < epoch ? "renew-expired" : "update");
                if (x == epoch) {
                    b.add("expiry-now");
                }
                if (contains(before.path("frozen"), action.path("node").asText())) {
                    b.add("frozen-node");
                }
                break;
            }
            case "Deregister":
                b.add(inValidatorsOrCommittee(before, action.path("node").asText()) ? "holding-role" : "no-role");
                if (contains(before.path("frozen"), action.path("node").asText())) {
                    b.add("frozen-node"); // finding 1 (resolved): the freeze stays
                }
                break;
            case "Transfer": {
                long bal = before.path("balance").path(action.path("from").asText()).asLong();
                b.add(bal == action.path("amount").asLong() ? "whole-balance" : "part");
                break;
            }
            case "AddEscrow": {
                String e = action.path("entity").asText();
                long pool = before.path("poolBalance").path(e).asLong();
                long total = totalShares(before, e);
                long a = action.path("amount").asLong();
                b.add(total == 0 ? (pool == 0 ? "empty-pool" : "unshared-rewards") : (a * total) % pool == 0
                        ? "priced-exact" : "priced-rounded");
                b.add(action.path("delegator").asText().equals(e) ? "self" : "delegated");
                break;
            }
            case "ReclaimEscrow": {
                String e = action.path("entity").asText();
                String d = action.path("delegator").asText();
                long s = action.path("shares").asLong();
                long pool = before.path("poolBalance").path(e).asLong();
                long total = totalShares(before, e);
                b.add(s == before.path("shares").path(e).path(d).asLong() ? "all-shares" : "some-shares");
                b.add((s * pool) % total == 0 ? "exact" : "rounded-down");
                if (before.path("debonding").size() == after.path("debonding").size()) {
                    b.add("merged-entry");
                }
                break;
            }
            case "Slash": {
                String n = action.path("node").asText();
                String e = entityOf(before, after, n);
                long pool = before.path("poolBalance").path(e).asLong();
                long taken = pool - after.path("poolBalance").path(e).asLong();
                b.add(pool == 0 ? "empty-pool" : after.path("poolBalance").path(e).asLong() == 0 ? "slashed-out"
                        : "partial");
                b.add(before.path("validators").has(n) ? "validator" : "committee-only");
                if (taken > 0 && before.path("reg").path(n).asLong() < 0) {
                    b.add("deregistered");
                }
                break;
            }
            case "EpochTransition": {
                int rewarded = action.path("rewarded").size();
                int paid = action.path("paid").size();
                b.add(rewarded == 0 ? "no-validator-entity" : paid == rewarded ? "all-paid" : paid == 0
                        ? "none-paid" : "rewards-short");
                if (after.path("debonding").size() < before.path("debonding").size()) {
                    b.add("release");
                }
                if (after.path("valKept").asBoolean()) {
                    b.add("validators-kept");
                } else {
                    b.add(after.path("validators").equals(before.path("validators")) ? "validators-same"
                            : "validators-changed");
                }
                after.path("suspended").fields().forEachRemaining(r -> b.add("suspended-" + r.getValue().asText()));
                if (!after.path("frozen").isEmpty()) {
                    b.add("with-frozen");
                }
                break;
            }
            default:
                b.add("unknown");
        }
        return b;
    }

    private static boolean contains(JsonNode array, String x) {
        for (JsonNode n : array) {
            if (n.asText().equals(x)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inValidatorsOrCommittee(JsonNode st, String n) {
        if (st.path("validators").has(n)) {
            return true;
        }
        boolean[] found = {false};
        st.path("committee").fields().forEachRemaining(r -> r.getValue().fields().forEachRemaining(
                k -> found[0] |= contains(k.getValue(), n)));
        return found[0];
    }

    private static long totalShares(JsonNode st, String e) {
        long t = 0;
        for (JsonNode x : st.path("shares").path(e)) {
            t += x.asLong();
        }
        return t;
    }

    /** The entity of a slashed node: the pool that lost stake to the common pool (or, if none lost any, "?"). */
    private static String entityOf(JsonNode before, JsonNode after, String node) {
        var it = before.path("poolBalance").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (after.path("poolBalance").path(e.getKey()).asLong() != e.getValue().asLong()) {
                return e.getKey();
            }
        }
        return "?";
    }

    /** The counts below their minimum ("Action" or "Action/branch" -> least count). */
    List<String> shortfalls(Map<String, Long> minimums) {
        List<String> out = new ArrayList<>();
        minimums.forEach((k, min) -> {
            long c = counts.getOrDefault(k, 0L);
            if (c < min) {
                out.add(k + ": " + c + " < " + min);
            }
        });
        return out;
    }

    String toJson() {
        StringBuilder sb = new StringBuilder("{\"traces\":").append(traces).append(",\"steps\":").append(steps)
                .append(",\"counts\":{\n");
        List<String> lines = new ArrayList<>();
        counts.forEach((k, v) -> lines.add("  \"" + k + "\": " + v));
        return sb.append(String.join(",\n", lines)).append("\n}}\n").toString();
    }
}
