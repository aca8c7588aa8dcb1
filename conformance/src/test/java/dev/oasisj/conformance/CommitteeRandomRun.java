package dev.oasisj.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oasisj.core.scheduler.SortingHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A seeded random run of the real committee-services cores (implementation -> spec trace validation): random
 * actions with random parameters within the model's bounds are offered to the cores through
 * {@link CommitteeReplayer#apply}; the ones the cores apply are recorded with the abstract state after them
 * ({@link CommitteeReplayer#abstractState}), the ones they refuse are not (a refused transaction changes nothing).
 * The run chooses a node to slash as the seam would: one that has a role this epoch and is not frozen, registered
 * or deregistered since (findings 1-3 of conformance/README.md are resolved: the registry keeps freezes apart from
 * registrations). {@code Deregister} is offered for every node in the registry, expired ones included (the registry
 * refuses those, as the spec's guard does; an accepted one would reach TLC and be rejected there). Deterministic: the
 * same seed gives the same run.
 */
final class CommitteeRandomRun {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** One recorded state: the observable variables and the action that led to it. */
    record Recorded(ObjectNode state, ObjectNode action) {}

    record Run(CommitteeWorld world, long seed, List<Recorded> states, int offered, int refused) {
        String moduleName() {
            return "ImplRun_" + world.name() + "_" + seed;
        }
    }

    private CommitteeRandomRun() {}

    static Run run(CommitteeWorld w, long seed, int steps) {
        return run(w, seed, steps, SortingHash.SHA256);
    }

    static Run run(CommitteeWorld w, long seed, int steps, SortingHash hash) {
        SplittableRandom rnd = new SplittableRandom(seed);
        CommitteeReplayer r = new CommitteeReplayer(w, hash);
        List<Recorded> out = new ArrayList<>();
        out.add(new Recorded(r.abstractState(), F.objectNode().put("name", "Init")));
        int offered = 0;
        int refused = 0;
        int guard = 0;
        while (out.size() <= steps && guard++ < steps * 20) {
            ObjectNode a = randomAction(w, r, rnd);
            if (a == null) {
                continue;
            }
            offered++;
            Optional<String> why = r.apply(a);
            if (why.isPresent()) {
                refused++;
                continue;
            }
            if (a.path("name").asText().equals("EpochTransition")) {
                a.set("rewarded", F.arrayNode().addAll(r.lastRewarded.stream().map(F::textNode).toList()));
                a.set("paid", F.arrayNode().addAll(r.lastPaid.stream().map(F::textNode).toList()));
            }
            out.add(new Recorded(r.abstractState(), a));
        }
        return new Run(w, seed, out, offered, refused);
    }

    private static <T> T pick(List<T> xs, SplittableRandom rnd) {
        return xs.get(rnd.nextInt(xs.size()));
    }

    /** A random action of the spec's kinds within the model's bounds, or null when the chosen kind has no candidate. */
    private static ObjectNode randomAction(CommitteeWorld w, CommitteeReplayer r, SplittableRandom rnd) {
        List<String> nodes = w.nodes().stream().map(CommitteeWorld.NodeSpec::name).toList();
        List<String> ents = w.entities();
        ObjectNode s = r.abstractState();
        long epoch = r.epoch;
        int kind = rnd.nextInt(9);
        ObjectNode a = F.objectNode();
        switch (kind) {
            case 0: {
                String n = pick(nodes, rnd);
                long x = epoch + rnd.nextInt((int) (w.maxEpoch() - epoch) + 1);
                return a.put("name", "Register").put("node", n).put("expiry", x);
            }
            case 1: {
                // every node in the registry, frozen or expired: the spec deregisters only a node registered now,
                // and so does the registry (EXPIRED); a refused offer is not recorded, an accepted one goes to TLC
                List<String> registered = nodes.stream().filter(n -> s.path("reg").path(n).asLong() >= 0)
                        .toList();
                return registered.isEmpty() ? null : a.put("name", "Deregister").put("node", pick(registered, rnd));
            }
            case 2:
                return a.put("name", "Transfer").put("from", pick(ents, rnd)).put("to", pick(ents, rnd))
                        .put("amount", pick(w.amounts(), rnd));
            case 3:
                return a.put("name", "AddEscrow").put("delegator", pick(ents, rnd)).put("entity", pick(ents, rnd))
                        .put("amount", pick(w.amounts(), rnd));
            case 4: {
                String d = pick(ents, rnd);
                String e = pick(ents, rnd);
                long held = s.path("shares").path(e).path(d).asLong();
                return held == 0 ? null : a.put("name", "ReclaimEscrow").put("delegator", d).put("entity", e)
                        .put("shares", 1 + rnd.nextLong(held));
            }
            case 5: {
                List<String> slashable = new ArrayList<>();
                for (String n : nodes) {
                    boolean role = s.path("validators").has(n) || hasCommitteeRole(s, n);
                    if (role && !contains(s.path("frozen"), n)) {
                        slashable.add(n);
                    }
                }
                return slashable.isEmpty() ? null : a.put("name", "Slash").put("node", pick(slashable, rnd));
            }
            default:
                return epoch >= w.maxEpoch() ? null : a.put("name", "EpochTransition").put("epoch", epoch + 1);
        }
    }

    static boolean hasCommitteeRole(JsonNode s, String n) {
        boolean[] found = {false};
        s.path("committee").fields().forEachRemaining(rt -> rt.getValue().fields().forEachRemaining(
                k -> found[0] |= contains(k.getValue(), n)));
        return found[0];
    }

    private static boolean contains(JsonNode array, String x) {
        for (JsonNode n : array) {
            if (n.asText().equals(x)) {
                return true;
            }
        }
        return false;
    }
}
