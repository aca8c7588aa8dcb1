package dev.oasisj.core.services;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oasisj.core.app.Application.QueryResult;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.registry.Admission;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisteredNode;
import dev.oasisj.core.registry.RegisteredRuntime;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.registry.RuntimeDescriptor;
import dev.oasisj.core.registry.RuntimeId;
import dev.oasisj.core.scheduler.CommitteeElection;
import dev.oasisj.core.scheduler.RuntimeCommittee;
import dev.oasisj.core.scheduler.Validator;
import dev.oasisj.core.staking.DebondingEntry;
import dev.oasisj.core.staking.Delegation;
import dev.oasisj.core.staking.EscrowPool;
import dev.oasisj.core.staking.StakingAccount;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The services' queries on a committed state. Every answer's value is UTF-8 JSON (an object), its detail one readable
 * line; {@code found} is false when the path or its argument names nothing (the detail says which).
 *
 * <table>
 *   <caption>Paths</caption>
 *   <tr><th>path</th><th>data</th><th>answer</th></tr>
 *   <tr><td>{@code epoch}</td><td>none</td><td>height, epoch, beacon, epoch length</td></tr>
 *   <tr><td>{@code supply}</td><td>none</td><td>total supply, common pool</td></tr>
 *   <tr><td>{@code account}</td><td>32-byte key</td><td>general balance, nonce, debonding entries</td></tr>
 *   <tr><td>{@code escrow}</td><td>32-byte entity key</td><td>active pool balance, shares, delegations</td></tr>
 *   <tr><td>{@code entity}</td><td>32-byte entity key</td><td>registered or not, its nodes</td></tr>
 *   <tr><td>{@code node}</td><td>32-byte node key</td><td>descriptor, frozen-until epoch, registered now; a key
 *       that is not registered: found false, and if it has a freeze (freezes outlive registrations) the value holds
 *       {@code node}, {@code registered} false, {@code frozenUntilEpoch}, {@code frozenInCurrentEpoch}</td></tr>
 *   <tr><td>{@code runtime}</td><td>32-byte runtime id</td><td>owner and parameters</td></tr>
 *   <tr><td>{@code runtimes}</td><td>none</td><td>every runtime's id</td></tr>
 *   <tr><td>{@code validators}</td><td>none</td><td>the current epoch's elected set (node, entity, power)</td></tr>
 *   <tr><td>{@code committees}</td><td>none, or the epoch (8 bytes)</td><td>each runtime's committee or suspension;
 *       the current epoch's and those of the {@value ServicesState#KEPT_PAST_COMMITTEE_EPOCHS} epochs before it
 *       are kept (another epoch: found false, saying whether it is not elected yet or no longer kept)</td></tr>
 * </table>
 */
public final class ServicesQueries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServicesQueries() {}

    /** The answer to {@code path} with {@code data} on {@code s}. */
    public static QueryResult answer(ServicesState s, String path, byte[] data) {
        switch (path) {
            case "epoch":
                if (data.length == 0) {
                    ObjectNode o = JSON.createObjectNode().put("height", s.height()).put("epoch", s.epoch())
                            .put("beacon", s.beacon().toHex());
                    return found(o, "height " + s.height() + ", epoch " + s.epoch() + ", beacon "
                            + s.beacon().shortHex());
                }
                break;
            case "supply":
                if (data.length == 0) {
                    ObjectNode o = JSON.createObjectNode()
                            .put("totalSupplyBaseUnits", s.staking().totalSupplyBaseUnits())
                            .put("commonPoolBaseUnits", s.staking().commonPoolBaseUnits());
                    return found(o, "total supply " + s.staking().totalSupplyBaseUnits() + ", common pool "
                            + s.staking().commonPoolBaseUnits());
                }
                break;
            case "account":
                if (data.length == PublicKey.SIZE_BYTES) {
                    return account(s, PublicKey.of(data));
                }
                break;
            case "escrow":
                if (data.length == PublicKey.SIZE_BYTES) {
                    return escrow(s, PublicKey.of(data));
                }
                break;
            case "entity":
                if (data.length == PublicKey.SIZE_BYTES) {
                    return entity(s, PublicKey.of(data));
                }
                break;
            case "node":
                if (data.length == PublicKey.SIZE_BYTES) {
                    return node(s, PublicKey.of(data));
                }
                break;
            case "runtime":
                if (data.length == RuntimeId.SIZE_BYTES) {
                    return runtime(s, RuntimeId.of(data));
                }
                break;
            case "runtimes":
                if (data.length == 0) {
                    ArrayNode ids = JSON.createArrayNode();
                    s.registry().runtimes().forEach(r -> ids.add(r.descriptor().id().value().toHex()));
                    return found(JSON.createObjectNode().set("runtimes", ids), ids.size() + " runtimes");
                }
                break;
            case "validators":
                if (data.length == 0) {
                    return validators(s);
                }
                break;
            case "committees":
                if (data.length == 0 || data.length == 8) {
                    return committees(s, data);
                }
                break;
            default:
                return notFound("unknown query path '" + path + "' (known: epoch, supply, account, escrow, entity, "
                        + "node, runtime, runtimes, validators, committees)");
        }
        return notFound("query " + path + " takes other data than " + data.length + " bytes (see ServicesQueries)");
    }

    private static QueryResult account(ServicesState s, PublicKey key) {
        StakingAccount a = s.staking().account(key);
        ObjectNode o = JSON.createObjectNode().put("account", key.toHex())
                .put("generalBalanceBaseUnits", a.generalBalanceBaseUnits()).put("nonce", a.nonce());
        ArrayNode deb = o.putArray("debonding");
        for (DebondingEntry e : s.staking().debondingOf(key)) {
            deb.addObject().put("entity", e.entity().toHex()).put("amountBaseUnits", e.amountBaseUnits())
                    .put("endEpoch", e.endEpoch());
        }
        boolean known = !a.equals(StakingAccount.EMPTY) || !deb.isEmpty();
        return QueryResult.json(known, bytes(o), "account " + key.shortId() + ": balance "
                + a.generalBalanceBaseUnits() + ", nonce " + a.nonce() + ", " + deb.size() + " debonding");
    }

    private static QueryResult escrow(ServicesState s, PublicKey entity) {
        EscrowPool p = s.staking().escrowPool(entity);
        ObjectNode o = JSON.createObjectNode().put("entity", entity.toHex())
                .put("activeBalanceBaseUnits", p.activeBalanceBaseUnits()).put("totalShares", p.totalShares());
        ArrayNode ds = o.putArray("delegations");
        List<Delegation> delegations = s.staking().delegationsTo(entity);
        for (Delegation d : delegations) {
            ds.addObject().put("delegator", d.delegator().toHex()).put("shares", d.shares());
        }
        return QueryResult.json(!p.equals(EscrowPool.EMPTY), bytes(o), "escrow of " + entity.shortId() + ": "
                + p.activeBalanceBaseUnits() + " in " + p.totalShares() + " shares, " + delegations.size()
                + " delegations");
    }

    private static QueryResult entity(ServicesState s, PublicKey entity) {
        boolean registered = s.registry().hasEntity(entity);
        ObjectNode o = JSON.createObjectNode().put("entity", entity.toHex()).put("registered", registered);
        ArrayNode nodes = o.putArray("nodes");
        for (RegisteredNode n : s.registry().nodes()) {
            if (n.descriptor().entity().equals(entity)) {
                nodes.add(n.descriptor().nodeKey().toHex());
            }
        }
        return QueryResult.json(registered, bytes(o), "entity " + entity.shortId() + (registered ? " registered, "
                + nodes.size() + " nodes" : " not registered"));
    }

    private static QueryResult node(ServicesState s, PublicKey key) {
        @Nullable RegisteredNode n = s.registry().node(key);
        if (n == null) {
            long until = s.registry().frozenUntilEpoch(key);
            if (until == 0) {
                return notFound("node " + key.shortId() + " is not registered");
            }
            boolean frozenNow = s.registry().isFrozenIn(key, s.epoch());
            ObjectNode o = JSON.createObjectNode().put("node", key.toHex()).put("registered", false)
                    .put("frozenUntilEpoch", until).put("frozenInCurrentEpoch", frozenNow);
            return new QueryResult(false, bytes(o), "node " + key.shortId() + " is not registered"
                    + (frozenNow ? ", frozen until epoch " + until : ""));
        }
        NodeDescriptor d = n.descriptor();
        ObjectNode o = JSON.createObjectNode().put("node", key.toHex()).put("entity", d.entity().toHex());
        ArrayNode roles = o.putArray("roles");
        for (Role r : d.roles()) {
            roles.add(r.name().toLowerCase(Locale.ROOT));
        }
        boolean registeredNow = n.isRegisteredIn(s.epoch());
        boolean frozenNow = n.isFrozenIn(s.epoch());
        o.put("tee", d.teeCapable()).put("expiryEpoch", d.expiryEpoch()).put("frozenUntilEpoch", n.frozenUntilEpoch())
                .put("registeredInCurrentEpoch", registeredNow).put("frozenInCurrentEpoch", frozenNow);
        return found(o, "node " + key.shortId() + " of " + d.entity().shortId() + " " + d.roles() + ", expires after "
                + "epoch " + d.expiryEpoch() + (registeredNow ? "" : " (expired)")
                + (frozenNow ? ", frozen until epoch " + n.frozenUntilEpoch() : ""));
    }

    private static QueryResult runtime(ServicesState s, RuntimeId id) {
        @Nullable RegisteredRuntime r = s.registry().runtime(id);
        if (r == null) {
            return notFound(id + " is not registered");
        }
        RuntimeDescriptor d = r.descriptor();
        ObjectNode o = JSON.createObjectNode().put("id", id.value().toHex()).put("owner", r.owner().toHex())
                .put("workers", d.workers()).put("backups", d.backups())
                .put("allowedStragglers", d.allowedStragglers()).put("roundTimeoutBlocks", d.roundTimeoutBlocks())
                .put("minPoolSize", d.minPoolSize()).put("maxNodesPerEntity", d.maxNodesPerEntity())
                .put("minStakeBaseUnits", d.minStakeBaseUnits()).put("teeRequired", d.teeRequired())
                .put("engineKind", d.engineKind());
        if (d.admission() instanceof Admission.Permissioned p) {
            ArrayNode list = o.putArray("permissioned");
            p.entities().forEach(e -> list.add(e.toHex()));
        }
        return found(o, id + " of " + r.owner().shortId() + ": " + d.workers() + " workers, " + d.backups()
                + " backups, min pool " + d.minPoolSize() + ", " + (d.admission() instanceof Admission.Permissioned
                        ? "permissioned" : "permissionless") + (d.teeRequired() ? ", TEE" : ""));
    }

    private static QueryResult validators(ServicesState s) {
        ObjectNode o = JSON.createObjectNode().put("epoch", s.validators().epoch())
                .put("keptPrevious", s.validators().keptPrevious());
        ArrayNode vs = o.putArray("validators");
        StringBuilder line = new StringBuilder("epoch " + s.validators().epoch() + ":");
        for (Validator v : s.validators().validators()) {
            vs.addObject().put("node", v.node().toHex()).put("entity", v.entity().toHex())
                    .put("votingPower", v.votingPower());
            line.append(' ').append(v.node().shortId()).append('=').append(v.votingPower());
        }
        return found(o, line.toString());
    }

    private static QueryResult committees(ServicesState s, byte[] data) {
        CommitteeElection election = s.committees();
        if (data.length == 8) {
            long asked;
            try {
                Reader r = new Reader(data);
                asked = r.i64("epoch");
            } catch (DecodeException e) {
                return notFound("epoch: " + e.getMessage());
            }
            long current = election.epoch();
            Optional<CommitteeElection> kept = s.committeesOf(asked);
            if (kept.isEmpty()) {
                long oldest = s.pastCommittees().isEmpty() ? current : s.pastCommittees().firstKey();
                return notFound(asked > current
                        ? "committees of epoch " + asked + " are not elected yet: the current epoch is " + current
                        : "committees of epoch " + asked + " are no longer kept: this node keeps epochs " + oldest
                                + ".." + current + " (the current one and the "
                                + ServicesState.KEPT_PAST_COMMITTEE_EPOCHS + " before it)");
            }
            election = kept.get();
        }
        long epoch = election.epoch();
        ObjectNode o = JSON.createObjectNode().put("epoch", epoch).put("beacon", election.beacon().toHex());
        ArrayNode list = o.putArray("committees");
        StringBuilder line = new StringBuilder();
        for (RuntimeCommittee c : election.committees().values()) {
            ObjectNode co = list.addObject().put("runtime", c.runtime().value().toHex());
            if (c instanceof RuntimeCommittee.Elected e) {
                ArrayNode w = co.putArray("workers");
                e.workers().forEach(k -> w.add(k.toHex()));
                ArrayNode b = co.putArray("backups");
                e.backups().forEach(k -> b.add(k.toHex()));
            } else if (c instanceof RuntimeCommittee.Suspended su) {
                co.put("suspended", su.reason().name()).put("detail", su.detail());
            }
            line.append(line.length() == 0 ? "" : "; ").append(ServiceMultiplexer.describe(epoch, c));
        }
        return found(o, line.length() == 0 ? "epoch " + epoch + ": no runtimes" : line.toString());
    }

    private static QueryResult found(ObjectNode o, String detail) {
        return QueryResult.json(true, bytes(o), detail);
    }

    private static QueryResult notFound(String detail) {
        return new QueryResult(false, new byte[0], detail);
    }

    private static byte[] bytes(ObjectNode o) {
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }
}
