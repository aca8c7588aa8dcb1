package dev.oasisj.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committee cores refuse exactly what the spec does not enable, and what they accept has the spec's effect: in
 * every state of the replayed traces (the golden ones and every 8th generated one; in mutation mode every third golden
 * one),
 * every candidate {@code Register},
 * {@code Deregister}, {@code Transfer}, {@code AddEscrow} and {@code ReclaimEscrow} over the model's nodes and entities,
 * with expiries, amounts and share counts at their edges (one epoch before, the epoch, the current expiry, the bound;
 * 1, the whole balance or holding, one more), is offered to a copy of
 * the cores; the core applies it exactly when the spec's guard (the semantics' guard: positive amounts, written here
 * from {@code CommitteeSelection.tla}) holds, and an applied one changes the abstract state as the spec's action does
 * (computed here from the spec's definitions {@code IssuedShares}, {@code ReclaimedAmount}, {@code AddDebonding}).
 * The trace shows only that the step the spec took is allowed; this checks the steps it did not take.
 *
 * <p>{@code Deregister} is offered for every node, frozen and expired ones included (findings 1 and 3 of
 * conformance/README.md, resolved: the cores now agree there). Expiries beyond {@code MaxEpoch} are not offered (a
 * model bound, not a guard).
 */
class CommitteeEnablednessConformanceTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /**
     * Outside mutation mode, every how many generated traces one is checked besides the golden ones; in mutation mode
     * every third golden trace (the check offers about fifty candidates per state, and PIT reruns it per mutant).
     */
    static final int EVERY = 8;

    private static List<Trace> traces = List.of();

    @BeforeAll
    static void load() {
        traces = select(MutationMode.select(TraceCorpus.load("committee")));
    }

    static List<Trace> select(List<Trace> corpus) {
        List<Trace> out = new ArrayList<>();
        int k = 0;
        int g = 0;
        for (Trace t : corpus) {
            boolean golden = t.file().toAbsolutePath().startsWith(TraceCorpus.repositoryRoot().resolve("traces"));
            boolean take = MutationMode.on() ? golden && g++ % 3 == 0 : golden || k++ % EVERY == 0;
            if (take) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void theCoresTakeExactlyTheStepsTheSpecEnables_withTheSpecsEffect() {
        int states = 0;
        int impostors = 0;
        int candidates = 0;
        int accepted = 0;
        for (Trace t : traces) {
            CommitteeReplayer r = new CommitteeReplayer(CommitteeWorld.byModel(CommitteeReplayer.baseModel(t.model())));
            for (int i = 0; i < t.steps().size(); i++) {
                if (i > 0) {
                    Optional<String> refused = r.apply(t.steps().get(i).action());
                    if (refused.isPresent()) {
                        fail(t.describe() + " step " + i + ": " + refused.get());
                    }
                }
                states++;
                JsonNode s = r.abstractState(STAKING_AND_REG);
                if (states % 4 == 0) {
                    impostors += impostorsAreRefused(t, i, r, s);
                }
                for (ObjectNode a : candidates(r.world, s)) {
                    candidates++;
                    boolean enabled = enabled(r.world, s, a);
                    Snapshot snap = Snapshot.of(r);
                    Optional<String> why = r.apply(a);
                    if (why.isEmpty()) {
                        accepted++;
                    }
                    if (enabled != why.isEmpty()) {
                        fail(t.describe() + " after step " + i + ": " + a + " is " + (enabled ? "enabled" : "not enabled")
                                + " in the spec, but the cores " + (why.isEmpty() ? "applied it" : "refused it: "
                                + why.get()));
                    }
                    if (why.isEmpty()) {
                        List<String> vars = STAKING_AND_REG;
                        ObjectNode expected = restrict(effect(r.world, s, a), vars);
                        List<String> d = StateDiff.differences(expected, r.abstractState(vars),
                                CommitteeReplayer.SET_VARIABLES);
                        if (!d.isEmpty()) {
                            fail(t.describe() + " after step " + i + ": " + a + " applied with another effect than the"
                                    + " spec's:\n  " + String.join("\n  ", d));
                        }
                    }
                    snap.restore(r);
                }
            }
        }
        System.out.printf("committee enabledness: %d traces, %d states, %d candidates, %d applied, %d impostor calls"
                + " refused%n", traces.size(), states, candidates, accepted, impostors);
        assertTrue(impostors > (MutationMode.on() ? 50 : 500), "too few impostor calls: " + impostors);
        assertTrue(candidates > (MutationMode.on() ? 5_000 : 50_000), "too few candidates: " + candidates);
        assertTrue(accepted > candidates / 10 && accepted < candidates - candidates / 10, "accepted " + accepted
                + " of " + candidates + ": the candidates should take both outcomes often");
    }

    /**
     * The spec's {@code Register(n, x)} and {@code Deregister(n)} are steps of n's entity ({@code NodeEntity} is a
     * constant): a call that is not its (a descriptor signed by another node's or entity's key, sent by a third
     * entity, or a deregistration by another entity) is no spec step, and the registry must refuse it even where the
     * genuine call is enabled. Returns the number of calls made.
     */
    static int impostorsAreRefused(Trace t, int step, CommitteeReplayer r, JsonNode s) {
        if (!r.world.actions().contains("Register")) {
            return 0;
        }
        long epoch = r.epoch;
        int calls = 0;
        List<CommitteeWorld.NodeSpec> nodes = r.world.nodes();
        for (int k = 0; k < nodes.size(); k++) {
            CommitteeWorld.NodeSpec n = nodes.get(k);
            String otherNode = nodes.get((k + 1) % nodes.size()).name();
            String otherEntity = r.world.entities().stream().filter(e -> !e.equals(n.entity())).findFirst()
                    .orElseThrow();
            long x = s.path("reg").path(n.name()).asLong() == epoch ? r.world.maxEpoch() : epoch;
            if (s.path("reg").path(n.name()).asLong() == x) {
                continue;
            }
            var d = new dev.oasisj.core.registry.NodeDescriptor(CommitteeWorld.nodeKey(n.name()),
                    CommitteeWorld.entityKey(n.entity()), n.roles(), n.tee(), x);
            var ok = new dev.oasisj.core.registry.CallContext(CommitteeWorld.CHAIN_ID,
                    CommitteeWorld.entityKey(n.entity()), epoch);
            var third = new dev.oasisj.core.registry.CallContext(CommitteeWorld.CHAIN_ID,
                    CommitteeWorld.entityKey(otherEntity), epoch);
            List<dev.oasisj.core.registry.RegistryOutcome> outcomes = List.of(
                    r.registry.registerNode(r.reg, ok, dev.oasisj.core.registry.RegisterNode.sign(d,
                            CommitteeWorld.CHAIN_ID, CommitteeWorld.nodeSigner(otherNode),
                            CommitteeWorld.entitySigner(n.entity())), r.escrow()),
                    r.registry.registerNode(r.reg, ok, dev.oasisj.core.registry.RegisterNode.sign(d,
                            CommitteeWorld.CHAIN_ID, CommitteeWorld.nodeSigner(n.name()),
                            CommitteeWorld.entitySigner(otherEntity)), r.escrow()),
                    r.registry.registerNode(r.reg, ok, dev.oasisj.core.registry.RegisterNode.sign(d,
                            CommitteeWorld.CHAIN_ID + "-other", CommitteeWorld.nodeSigner(n.name()),
                            CommitteeWorld.entitySigner(n.entity())), r.escrow()),
                    r.registry.registerNode(r.reg, third, dev.oasisj.core.registry.RegisterNode.sign(d,
                            CommitteeWorld.CHAIN_ID, CommitteeWorld.nodeSigner(n.name()),
                            CommitteeWorld.entitySigner(n.entity())), r.escrow()),
                    r.registry.deregisterNode(r.reg, third,
                            new dev.oasisj.core.registry.DeregisterNode(CommitteeWorld.nodeKey(n.name()))),
                    // n's descriptor naming a key that is no entity of the model, signed by it and sent by it
                    r.registry.registerNode(r.reg, new dev.oasisj.core.registry.CallContext(CommitteeWorld.CHAIN_ID,
                            CommitteeWorld.entityKey("stranger"), epoch), dev.oasisj.core.registry.RegisterNode.sign(
                            new dev.oasisj.core.registry.NodeDescriptor(CommitteeWorld.nodeKey(n.name()),
                                    CommitteeWorld.entityKey("stranger"), n.roles(), n.tee(), x),
                            CommitteeWorld.CHAIN_ID, CommitteeWorld.nodeSigner(n.name()),
                            CommitteeWorld.entitySigner("stranger")), r.escrow()),
                    // an entity's key registered as a node of another entity
                    r.registry.registerNode(r.reg, ok, dev.oasisj.core.registry.RegisterNode.sign(
                            new dev.oasisj.core.registry.NodeDescriptor(CommitteeWorld.entityKey(otherEntity),
                                    CommitteeWorld.entityKey(n.entity()), n.roles(), n.tee(), x),
                            CommitteeWorld.CHAIN_ID, CommitteeWorld.entitySigner(otherEntity),
                            CommitteeWorld.entitySigner(n.entity())), r.escrow()));
            if (s.path("reg").path(n.name()).asLong() != -1) {
                // a registered node claimed by another entity (NodeEntity is a constant of the spec)
                calls++;
                var claim = r.registry.registerNode(r.reg, third, dev.oasisj.core.registry.RegisterNode.sign(
                        new dev.oasisj.core.registry.NodeDescriptor(CommitteeWorld.nodeKey(n.name()),
                                CommitteeWorld.entityKey(otherEntity), n.roles(), n.tee(), x),
                        CommitteeWorld.CHAIN_ID, CommitteeWorld.nodeSigner(n.name()),
                        CommitteeWorld.entitySigner(otherEntity)), r.escrow());
                if (claim instanceof dev.oasisj.core.registry.RegistryOutcome.Applied) {
                    fail(t.describe() + " after step " + step + ": entity " + otherEntity + " took over node "
                            + n.name());
                }
            }
            for (var o : outcomes) {
                calls++;
                if (o instanceof dev.oasisj.core.registry.RegistryOutcome.Applied) {
                    fail(t.describe() + " after step " + step + ": the registry applied a call for " + n.name()
                            + " that is not its entity's (impostor call " + calls + ")");
                }
            }
        }
        return calls;
    }

    /** What the candidates can change (the elections' variables cannot change before the next transition). */
    static final List<String> STAKING_AND_REG = List.of("epoch", "reg", "balance", "poolBalance", "shares",
            "debonding", "commonPool", "frozen");

    static ObjectNode restrict(ObjectNode s, List<String> vars) {
        ObjectNode out = F.objectNode();
        vars.forEach(v -> out.set(v, s.get(v)));
        return out;
    }

    /** The cores' state, to undo a candidate (the cores are persistent values). */
    record Snapshot(long epoch, dev.oasisj.core.staking.StakingState staking, dev.oasisj.core.registry.RegistryState reg) {
        static Snapshot of(CommitteeReplayer r) {
            return new Snapshot(r.epoch, r.staking, r.reg);
        }

        void restore(CommitteeReplayer r) {
            r.epoch = epoch;
            r.staking = staking;
            r.reg = reg;
        }
    }

    static List<ObjectNode> candidates(CommitteeWorld w, JsonNode s) {
        List<ObjectNode> out = new ArrayList<>();
        long epoch = s.path("epoch").asLong();
        boolean registry = w.actions().contains("Register");
        for (CommitteeWorld.NodeSpec n : w.nodes()) {
            if (!registry) {
                break;
            }
            long reg = s.path("reg").path(n.name()).asLong();
            // expiries at the edges: one before the epoch, the epoch, the current expiry, the bound
            Set<Long> expiries = new LinkedHashSet<>(List.of(epoch - 1, epoch, reg, (long) w.maxEpoch()));
            expiries.removeIf(x -> x < 0 || x > w.maxEpoch());
            for (long x : expiries) {
                out.add(F.objectNode().put("name", "Register").put("node", n.name()).put("expiry", x));
            }
            out.add(F.objectNode().put("name", "Deregister").put("node", n.name()));
        }
        for (String a : w.entities()) {
            long bal = s.path("balance").path(a).asLong();
            Set<Long> amounts = new LinkedHashSet<>(List.of(1L, bal, bal + 1));
            amounts.remove(0L);
            for (String b : w.entities()) {
                for (long x : amounts) {
                    out.add(F.objectNode().put("name", "Transfer").put("from", a).put("to", b).put("amount", x));
                    out.add(F.objectNode().put("name", "AddEscrow").put("delegator", a).put("entity", b)
                            .put("amount", x));
                }
                long held = s.path("shares").path(b).path(a).asLong();
                Set<Long> counts = new LinkedHashSet<>(List.of(1L, held, held + 1));
                counts.remove(0L);
                for (long c : counts) {
                    out.add(F.objectNode().put("name", "ReclaimEscrow").put("delegator", a).put("entity", b)
                            .put("shares", c));
                }
            }
        }
        return out;
    }

    private static long totalShares(JsonNode s, String e) {
        long t = 0;
        for (JsonNode x : s.path("shares").path(e)) {
            t += x.asLong();
        }
        return t;
    }

    /** IssuedShares(a, B, S) of the spec. */
    static long issued(long a, long b, long total) {
        return total == 0 ? a : a * total / b;
    }

    /** The guards of CommitteeSelection.tla (with the semantics' positive amounts for the model's Amounts). */
    static boolean enabled(CommitteeWorld w, JsonNode s, JsonNode a) {
        long epoch = s.path("epoch").asLong();
        switch (a.path("name").asText()) {
            case "Register": {
                long x = a.path("expiry").asLong();
                return x >= epoch && x <= w.maxEpoch() && s.path("reg").path(a.path("node").asText()).asLong() != x;
            }
            case "Deregister":
                return s.path("reg").path(a.path("node").asText()).asLong() >= epoch;
            case "Transfer":
                return !a.path("from").asText().equals(a.path("to").asText())
                        && a.path("amount").asLong() <= s.path("balance").path(a.path("from").asText()).asLong();
            case "AddEscrow": {
                String e = a.path("entity").asText();
                long amount = a.path("amount").asLong();
                long pool = s.path("poolBalance").path(e).asLong();
                long total = totalShares(s, e);
                return amount <= s.path("balance").path(a.path("delegator").asText()).asLong()
                        && !(total > 0 && pool == 0) && issued(amount, pool, total) > 0;
            }
            case "ReclaimEscrow": {
                String e = a.path("entity").asText();
                long c = a.path("shares").asLong();
                long held = s.path("shares").path(e).path(a.path("delegator").asText()).asLong();
                long total = totalShares(s, e);
                return c >= 1 && c <= held && c * s.path("poolBalance").path(e).asLong() / total > 0;
            }
            default:
                throw new IllegalArgumentException(a.toString());
        }
    }

    /** The abstract state after an enabled candidate, by the spec's action (the compared variables). */
    static ObjectNode effect(CommitteeWorld w, JsonNode before, JsonNode a) {
        ObjectNode s = before.deepCopy();
        long epoch = before.path("epoch").asLong();
        switch (a.path("name").asText()) {
            case "Register":
                ((ObjectNode) s.get("reg")).put(a.path("node").asText(), a.path("expiry").asLong());
                break;
            case "Deregister":
                ((ObjectNode) s.get("reg")).put(a.path("node").asText(), -1);
                break;
            case "Transfer": {
                ObjectNode bal = (ObjectNode) s.get("balance");
                String from = a.path("from").asText();
                String to = a.path("to").asText();
                long x = a.path("amount").asLong();
                bal.put(from, bal.path(from).asLong() - x);
                bal.put(to, bal.path(to).asLong() + x);
                break;
            }
            case "AddEscrow": {
                String d = a.path("delegator").asText();
                String e = a.path("entity").asText();
                long x = a.path("amount").asLong();
                long pool = before.path("poolBalance").path(e).asLong();
                long n = issued(x, pool, totalShares(before, e));
                ((ObjectNode) s.get("balance")).put(d, before.path("balance").path(d).asLong() - x);
                ((ObjectNode) s.get("poolBalance")).put(e, pool + x);
                ((ObjectNode) s.get("shares").get(e)).put(d, before.path("shares").path(e).path(d).asLong() + n);
                break;
            }
            case "ReclaimEscrow": {
                String d = a.path("delegator").asText();
                String e = a.path("entity").asText();
                long c = a.path("shares").asLong();
                long pool = before.path("poolBalance").path(e).asLong();
                long amount = c * pool / totalShares(before, e);
                ((ObjectNode) s.get("shares").get(e)).put(d, before.path("shares").path(e).path(d).asLong() - c);
                ((ObjectNode) s.get("poolBalance")).put(e, pool - amount);
                long end = epoch + w.debondingDelay();
                var deb = s.withArray("debonding");
                long prev = 0;
                for (int k = deb.size() - 1; k >= 0; k--) {
                    JsonNode x = deb.get(k);
                    if (x.path("delegator").asText().equals(d) && x.path("entity").asText().equals(e)
                            && x.path("end").asLong() == end) {
                        prev += x.path("amount").asLong();
                        deb.remove(k);
                    }
                }
                ObjectNode entry = deb.addObject();
                entry.put("amount", prev + amount);
                entry.put("delegator", d);
                entry.put("end", end);
                entry.put("entity", e);
                break;
            }
            default:
                throw new IllegalArgumentException(a.toString());
        }
        return s;
    }
}
