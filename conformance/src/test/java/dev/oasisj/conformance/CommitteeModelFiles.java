package dev.oasisj.conformance;

import dev.oasisj.core.registry.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the committee trace models ({@code model-check/committee/<name>.tla} and {@code .cfg}) from a
 * {@link CommitteeWorld}: the constants, and the Java-derived ones ({@code EntityKey}, {@code NodeKey}: key ranks;
 * {@code Hash}: the real sorting hash's 31-bit prefixes for the model's beacons). {@code CommitteeModelFilesTest}
 * compares the committed files with this output ({@code -Dcommittee.regenerate=true} rewrites them).
 */
final class CommitteeModelFiles {
    private CommitteeModelFiles() {}

    static String module(CommitteeWorld w) {
        w.checkHashPrefixesDistinct();
        String n = w.name();
        StringBuilder sb = new StringBuilder();
        String title = " MODULE " + n + " ";
        int dashes = (77 - title.length()) / 2;
        sb.append("-".repeat(dashes)).append(title).append("-".repeat(77 - dashes - title.length())).append('\n');
        sb.append("(* GENERATED from CommitteeWorld.java (conformance tests) by CommitteeModelFiles: do not edit.\n");
        sb.append("   Regenerate: mvn -o -pl conformance -am verify -Dmodelcheck.skip=true\n");
        sb.append("     -Dtest=CommitteeModelFilesTest -Dsurefire.failIfNoSpecifiedTests=false -Dcommittee.regenerate=true\n");
        sb.append("   ").append(w.comment()).append("\n");
        sb.append("   NodeKey/EntityKey: rank of the concrete Ed25519 key in Java's key order. Hash[<<E, r, k, n>>]: the\n");
        sb.append("   first 31 bits of the REAL SortingHash.SHA256(beacon(E), E, runtimeId(r), k, nodeKey(n)), with\n");
        sb.append("   beacon(E) = SHA-256(\"oasisj/conformance/committee/beacon\" || E): distinct within each draw, so the\n");
        sb.append("   spec sorts exactly as the Java scheduler with its real hash. SIMNext = Next, EpochTransition\n");
        sb.append("   weighted ").append(w.epochWeight()).append("x for TLC's uniform action choice (every action of Next, also the two\n");
        sb.append("   steps the Java cores once refused, findings 1 and 2 of conformance/README.md: Deregister of a frozen\n");
        sb.append("   node, Slash of a deregistered node). *)\n");
        sb.append("EXTENDS CommitteeSelection\n\n");
        List<String> consts = new ArrayList<>(w.entities());
        w.nodes().forEach(x -> consts.add(x.name()));
        w.runtimes().forEach(x -> consts.add(x.name()));
        sb.append("CONSTANTS ").append(String.join(", ", consts)).append("\n\n");
        Map<String, Integer> er = w.entityRanks();
        Map<String, Integer> nr = w.nodeRanks();
        sb.append(n).append("EntityKey == ").append(fn(w.entities(), e -> String.valueOf(er.get(e)))).append('\n');
        List<String> nodes = w.nodes().stream().map(CommitteeWorld.NodeSpec::name).toList();
        sb.append(n).append("NodeKey == ").append(fn(nodes, x -> String.valueOf(nr.get(x)))).append('\n');
        sb.append(n).append("NodeEntity == ").append(fn(nodes, x -> w.node(x).entity())).append('\n');
        sb.append(n).append("NodeRoles == ").append(fn(nodes, x -> roles(w.node(x).roles()))).append('\n');
        sb.append(n).append("NodeTEE == ").append(fn(nodes, x -> w.node(x).tee() ? "TRUE" : "FALSE")).append('\n');
        sb.append(n).append("RuntimeParams ==\n    ").append(fn(w.runtimes().stream().map(
                CommitteeWorld.RuntimeSpec::name).toList(), r -> params(w.runtime(r)), " @@\n    ")).append('\n');
        sb.append(n).append("GenesisBalance == ").append(fn(w.entities(), e -> String.valueOf(w.genesisBalance().get(e))))
                .append('\n');
        sb.append(n).append("GenesisEscrow == ").append(fn(w.entities(), e -> String.valueOf(w.genesisEscrow().get(e))))
                .append('\n');
        sb.append(n).append("GenesisExpiry == ").append(fn(nodes, x -> String.valueOf(w.node(x).genesisExpiry())))
                .append('\n');
        sb.append(n).append("Actions == {").append(w.actions().stream().map(a -> "\"" + a + "\"")
                .collect(Collectors.joining(", "))).append("}\n");
        sb.append(n).append("Hash ==\n    ");
        List<String> entries = new ArrayList<>();
        for (long e = 0; e <= w.maxEpoch(); e++) {
            for (CommitteeWorld.RuntimeSpec r : w.runtimes()) {
                for (String k : List.of("worker", "backup")) {
                    for (String x : nodes) {
                        entries.add("<<" + e + ", " + r.name() + ", \"" + k + "\", " + x + ">> :> "
                                + CommitteeWorld.hashPrefix(e, r.name(), k, x));
                    }
                }
            }
        }
        sb.append(String.join(" @@\n    ", entries)).append("\n\n");
        sb.append(n).append("Next ==\n");
        sb.append("    \\/ \\E x \\in Nodes, y \\in Epochs : Register(x, y)\n");
        sb.append("    \\/ \\E x \\in Nodes : Deregister(x)\n");
        sb.append("    \\/ \\E from, to \\in Entities, a \\in Amounts : Transfer(from, to, a)\n");
        sb.append("    \\/ \\E d, e \\in Entities, a \\in Amounts : AddEscrow(d, e, a)\n");
        sb.append("    \\/ \\E d, e \\in Entities : \\E s \\in 1..shares[e][d] : ReclaimEscrow(d, e, s)\n");
        sb.append("    \\/ \\E x \\in Nodes : Slash(x)\n");
        for (int i = 0; i < w.epochWeight(); i++) {
            sb.append("    \\/ EpochTransition\n");
        }
        sb.append("=============================================================================\n");
        return sb.toString();
    }

    static String config(CommitteeWorld w) {
        String n = w.name();
        StringBuilder sb = new StringBuilder("\\* ").append(n).append(": GENERATED with ").append(n)
                .append(".tla from CommitteeWorld.java; see conformance/README.md.\nCONSTANTS\n");
        List<String> consts = new ArrayList<>(w.entities());
        w.nodes().forEach(x -> consts.add(x.name()));
        w.runtimes().forEach(x -> consts.add(x.name()));
        for (String c : consts) {
            sb.append("    ").append(c).append(" = ").append(c).append('\n');
        }
        sb.append("    Entities = {").append(String.join(", ", w.entities())).append("}\n");
        sb.append("    Nodes = {").append(w.nodes().stream().map(CommitteeWorld.NodeSpec::name)
                .collect(Collectors.joining(", "))).append("}\n");
        sb.append("    Runtimes = {").append(w.runtimes().stream().map(CommitteeWorld.RuntimeSpec::name)
                .collect(Collectors.joining(", "))).append("}\n");
        for (String c : List.of("EntityKey", "NodeKey", "NodeEntity", "NodeRoles", "NodeTEE", "RuntimeParams",
                "GenesisBalance", "GenesisEscrow", "GenesisExpiry", "Hash")) {
            sb.append("    ").append(c).append(" <- ").append(n).append(c).append('\n');
        }
        sb.append("    EnabledActions <- ").append(n).append("Actions\n");
        sb.append("    GenesisCommonPool = ").append(w.genesisCommonPool()).append('\n');
        sb.append("    DebondingDelay = ").append(w.debondingDelay()).append('\n');
        sb.append("    SlashAmount = ").append(w.slashAmount()).append('\n');
        sb.append("    RewardPerEpoch = ").append(w.rewardPerEpoch()).append('\n');
        sb.append("    MinValidatorStake = ").append(w.minValidatorStake()).append('\n');
        sb.append("    MaxValidators = ").append(w.maxValidators()).append('\n');
        sb.append("    MaxValidatorsPerEntity = ").append(w.maxValidatorsPerEntity()).append('\n');
        sb.append("    MinValidators = ").append(w.minValidators()).append('\n');
        sb.append("    MaxEpoch = ").append(w.maxEpoch()).append('\n');
        sb.append("    Amounts = {").append(w.amounts().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .append("}\n");
        sb.append("INIT Init\nNEXT ").append(n).append("Next\n");
        sb.append("\\* No INVARIANT: a trace model only generates behaviours (the MCCommittee* models check the invariants;\n"
                + "\\* SchedOrderInv alone would make generation 5x slower); every trace is replayed into the Java cores.\n");
        return sb.toString();
    }

    /**
     * A witness trace model of a difference between the spec and the Java cores that has been resolved (findings 1
     * and 2 of conformance/README.md): the full {@code Next} of the spec over {@code w}'s constants, and a deliberately
     * false invariant that TLC violates with the first behaviour taking the step the Java cores once refused; the
     * replay now requires the whole trace to conform, so it pins the agreeing behaviour.
     */
    record Witness(String name, CommitteeWorld world, String invariant, String definition, String comment) {}

    static final List<Witness> WITNESSES = List.of(
            new Witness("WITCommitteeDeregisterFrozen", CommitteeWorld.SIM, "NoDeregisterFrozenInv",
                    "lastAction.name = \"Deregister\" => lastAction.node \\notin frozen",
                    "The spec lets a frozen node deregister; Registry.deregisterNode refused it (FROZEN)\n"
                            + "   until the registry kept freezes apart from registrations (finding 1, resolved)."),
            new Witness("WITCommitteeSlashDeregistered", CommitteeWorld.SIM, "NoSlashDeregisteredInv",
                    "lastAction.name = \"Slash\" => reg[lastAction.node] # NotRegistered",
                    "The spec slashes (freezes) a node that deregistered during the epoch in which it holds a role;\n"
                            + "   Registry.freezeNode refused it (UNKNOWN_NODE) until the registry kept freezes apart\n"
                            + "   from registrations (finding 2, resolved)."));

    static String witnessModule(Witness x) {
        StringBuilder sb = new StringBuilder();
        String title = " MODULE " + x.name() + " ";
        int dashes = (77 - title.length()) / 2;
        sb.append("-".repeat(dashes)).append(title).append("-".repeat(77 - dashes - title.length())).append('\n');
        sb.append("(* GENERATED by CommitteeModelFiles (conformance tests): do not edit. A witness trace of a\n   resolved difference: ")
                .append(x.comment()).append("\n   The invariant is deliberately false; TLC's violating behaviour is the trace, and\n"
                        + "   CommitteeTraceConformanceTest requires the Java cores to take it whole. *)\n");
        sb.append("EXTENDS ").append(x.world().name()).append("\n\n");
        sb.append(x.invariant()).append(" == ").append(x.definition()).append('\n');
        sb.append("=============================================================================\n");
        return sb.toString();
    }

    static String witnessConfig(Witness x) {
        String base = config(x.world());
        String constants = base.substring(base.indexOf("CONSTANTS"), base.indexOf("INIT Init"));
        return "\\* " + x.name() + ": GENERATED by CommitteeModelFiles; see conformance/README.md.\n" + constants
                + "INIT Init\nNEXT Next\nINVARIANT " + x.invariant() + "\n";
    }

    private static String fn(List<String> domain, java.util.function.Function<String, String> value) {
        return fn(domain, value, " @@ ");
    }

    private static String fn(List<String> domain, java.util.function.Function<String, String> value, String sep) {
        return domain.stream().map(d -> d + " :> " + value.apply(d)).collect(Collectors.joining(sep));
    }

    private static String roles(java.util.Set<Role> roles) {
        List<String> r = new ArrayList<>();
        for (Role role : List.of(Role.VALIDATOR, Role.COMPUTE, Role.KEYMANAGER)) {
            if (roles.contains(role)) {
                r.add("\"" + role.name().toLowerCase(java.util.Locale.ROOT) + "\"");
            }
        }
        return "{" + String.join(", ", r) + "}";
    }

    private static String params(CommitteeWorld.RuntimeSpec r) {
        return "[workers |-> " + r.workers() + ", backups |-> " + r.backups() + ", allowedStragglers |-> "
                + r.allowedStragglers() + ", roundTimeout |-> " + r.roundTimeout() + ",\n           minPoolSize |-> "
                + r.minPoolSize() + ", maxNodesPerEntity |-> " + r.maxNodesPerEntity() + ", minStake |-> "
                + r.minStake() + ", permissioned |-> " + (r.permissioned() ? "TRUE" : "FALSE") + ",\n           allowed |-> {"
                + String.join(", ", r.allowed()) + "}, teeRequired |-> " + (r.teeRequired() ? "TRUE" : "FALSE") + "]";
    }
}
