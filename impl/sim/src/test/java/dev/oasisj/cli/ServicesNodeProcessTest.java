package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.node.PeerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consensus services with real node processes over TLS, driven by the command line ({@code oasis tx},
 * {@code oasis query}) as an operator would: a new entity is funded, registers, escrows and registers a validator
 * node whose process runs from the start as an observer; at the next epoch the services elect it, two heights later it
 * is a validator, and then it signs blocks: with two of the four genesis validators killed, the chain goes on only
 * because its precommits count.
 */
class ServicesNodeProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 29;

    @TempDir
    Path dir;

    private static JsonNode query(PeerAddress node, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("query", "--node", node.toString()));
        argv.addAll(List.of(args));
        MainTest.Result r = MainTest.run(argv.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.out() + r.err());
        return JSON.readTree(r.out());
    }

    /** The answer, or a missing node while the node is not answering yet (for polling). */
    private static JsonNode poll(PeerAddress node, String... args) {
        List<String> argv = new ArrayList<>(List.of("query", "--node", node.toString()));
        argv.addAll(List.of(args));
        MainTest.Result r = MainTest.run(argv.toArray(String[]::new));
        try {
            return r.exitCode() == 0 ? JSON.readTree(r.out()) : JSON.missingNode();
        } catch (java.io.IOException e) {
            return JSON.missingNode();
        }
    }

    private static void tx(String... args) {
        MainTest.Result r = MainTest.run(args);
        assertEquals(0, r.exitCode(), String.join(" ", args) + "\n" + r.out() + r.err());
    }

    @Test
    void aNodeDelegatedToByTransactions_becomesAValidatorOfTheNextEpoch_andSignsBlocks() throws Exception {
        int validators = 4;
        Genesis genesis = LocalnetSetup.servicesGenesis(LocalnetSetup.equalStakes(validators), 2, SEED,
                Genesis.ConsensusParams.DEFAULT.withCreateEmptyBlocksIntervalTicks(
                        Genesis.ConsensusParams.RECOMMENDED_EMPTY_BLOCKS_INTERVAL_TICKS), 4);
        Files.writeString(dir.resolve("genesis.json"), genesis.toJson());
        List<Signer> keys = new ArrayList<>();
        for (int i = 0; i <= validators; i++) {
            keys.add(LocalnetSetup.validatorKey(i, SEED)); // key 4 is no genesis validator
        }
        List<PublicKey> peerKeys = keys.stream().map(Signer::publicKey).toList();
        List<PeerAddress> peers = NodeDirs.freeLoopbackAddresses(keys.size());
        List<PeerAddress> clients = NodeDirs.freeLoopbackAddresses(keys.size());
        Signer funder = LocalnetSetup.accountKey(0, SEED);
        Signer entity = Signer.deterministic("new-entity", SEED);
        Path funderKey = dir.resolve("funder.key");
        Path entityKey = dir.resolve("entity.key");
        Path nodeKey = dir.resolve("node4.key");
        KeyFiles.write(funderKey, funder);
        KeyFiles.write(entityKey, entity);
        KeyFiles.write(nodeKey, keys.get(validators));
        List<NodeProc> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < keys.size(); i++) {
                Path cfg = NodeDirs.writeKeyedNode(dir, "node-" + i, keys.get(i), i, peers, peerKeys, clients.get(i));
                nodes.add(NodeProc.start(cfg, "256m"));
            }
            NodeProc.await("height 2 everywhere", 120, () -> nodes.stream().allMatch(n -> n.height() >= 2), () -> { },
                    nodes);
            String c0 = clients.get(0).toString();
            String entityHex = entity.publicKey().toHex();
            tx("tx", "send", "--node", c0, "--key", funderKey.toString(), "--nonce", "0", "--to", entityHex,
                    "--amount", "40000");
            NodeProc.await("the entity funded", 60,
                    () -> poll(clients.get(0), "account", entityHex).path("found").asBoolean(), () -> { }, nodes);
            tx("tx", "register-entity", "--node", c0, "--key", entityKey.toString(), "--nonce", "0");
            tx("tx", "escrow", "--node", c0, "--key", entityKey.toString(), "--nonce", "1", "--entity", entityHex,
                    "--amount", "30000");
            tx("tx", "register-node", "--node", c0, "--key", entityKey.toString(), "--nonce", "2", "--node-key",
                    nodeKey.toString(), "--entity-key", entityKey.toString(), "--roles", "validator",
                    "--expiry-epoch", "1000");
            String nodeHex = keys.get(validators).publicKey().toHex();
            // a refusal names its reason and changes nothing: the same nonce again
            MainTest.Result again = MainTest.run("tx", "register-entity", "--node", c0, "--key", entityKey.toString(),
                    "--nonce", "0");
            assertEquals(1, again.exitCode(), again.out());
            assertTrue(again.out().contains("BAD_NONCE") || again.out().contains("DUPLICATE"), again.out());
            NodeProc.await("the new node elected", 120,
                    () -> poll(clients.get(0), "validators").path("answer").toString().contains(nodeHex), () -> { },
                    nodes);
            JsonNode node = query(clients.get(0), "node", nodeHex);
            assertTrue(node.path("found").asBoolean(), node.toString());
            JsonNode escrow = query(clients.get(0), "escrow", entityHex);
            long escrowed = escrow.path("answer").path("activeBalanceBaseUnits").asLong();
            // 30,000, plus 10 a finished epoch in which its node was a validator (the query races the next epoch)
            assertTrue(escrowed >= 30000 && escrowed <= 30100, escrow.toString());
            JsonNode committees = query(clients.get(0), "committees");
            assertTrue(committees.path("answer").path("committees").size() == 1, committees.toString());
            long elected = nodes.get(0).height();
            NodeProc.await("two heights past the election", 60, () -> nodes.get(0).height() >= elected + 3,
                    () -> { }, nodes);
            // 4 x 10,000 (+ rewards) genesis stake and 30,000 for the new node: validators 0 and 1 alone hold
            // about 20,000 of 70,000; with the new node's 30,000 they pass two thirds, without it they do not
            for (int i : new int[] {2, 3}) {
                nodes.get(i).process.destroyForcibly();
                nodes.get(i).process.waitFor(20, TimeUnit.SECONDS);
            }
            long before = nodes.get(0).height();
            List<NodeProc> live = List.of(nodes.get(0), nodes.get(1), nodes.get(4));
            Runnable load = () -> { };
            NodeProc.await("five more blocks with validators 2 and 3 dead", 120,
                    () -> nodes.get(0).height() >= before + 5 && nodes.get(4).height() >= before + 5, load, live);
            for (long h = before; h <= before + 5; h++) {
                assertEquals(nodes.get(0).hashes.get(h), nodes.get(4).hashes.get(h), "block hash at height " + h);
            }
            assertTrue(nodes.get(0).transcript().contains("epoch: epoch 1"), nodes.get(0).tail(20));
        } finally {
            NodeProc.killAll(nodes);
        }
    }

    @Test
    void aValidatorThatDoubleSigns_isSlashedOnce_frozen_andLeavesTheSetAtTheNextEpoch() throws Exception {
        int validators = 4;
        Genesis genesis = LocalnetSetup.servicesGenesis(LocalnetSetup.equalStakes(validators), 2, SEED,
                Genesis.ConsensusParams.DEFAULT.withCreateEmptyBlocksIntervalTicks(200), 4);
        Files.writeString(dir.resolve("genesis.json"), genesis.toJson());
        List<PeerAddress> peers = NodeDirs.freeLoopbackAddresses(validators);
        List<PeerAddress> clients = NodeDirs.freeLoopbackAddresses(validators);
        List<NodeProc> nodes = new ArrayList<>();
        String byzantineHex = LocalnetSetup.validatorKey(1, SEED).publicKey().toHex();
        String entityHex = LocalnetSetup.entityKey(1, SEED).publicKey().toHex();
        try {
            for (int i = 0; i < validators; i++) {
                // validator 1 equivocates (the test-only Byzantine behaviour of a node config's "byzantine" section)
                Path cfg = NodeDirs.writeNode(dir, i, SEED, peers, clients.get(i), i == 1 ? List.of(1) : null);
                nodes.add(NodeProc.start(cfg, "256m"));
            }
            NodeProc.await("validator 1 frozen", 120, () -> poll(clients.get(0), "node", byzantineHex)
                    .path("answer").path("frozenUntilEpoch").asLong() > 0, () -> { }, nodes);
            // the answer that showed it (a later query may already see the epoch its freeze ended in)
            JsonNode[] without = new JsonNode[1];
            NodeProc.await("an epoch without validator 1", 120, () -> {
                JsonNode v = poll(clients.get(0), "validators").path("answer");
                without[0] = v;
                return v.path("epoch").asLong() >= 1 && !v.toString().contains(byzantineHex);
            }, () -> { }, nodes);
            assertEquals(3, without[0].path("validators").size(), without[0].toString());
            // slashed exactly once (1,000 of 10,000), whatever number of its equivocations the blocks carried
            String t = nodes.get(0).transcript();
            long slashes = t.lines().filter(l -> l.contains("slash: entity") && l.contains("lost 1000")).count();
            assertEquals(1, slashes, nodes.get(0).tail(30));
            long escrow = query(clients.get(0), "escrow", entityHex).path("answer").path("activeBalanceBaseUnits")
                    .asLong();
            assertTrue(escrow >= 9_000 && escrow < 10_000, "entity 1's escrow after one slashing and rewards: "
                    + escrow);
            long h = nodes.get(0).height();
            NodeProc.await("the chain goes on", 60, () -> nodes.get(0).height() >= h + 3, () -> { }, nodes);
        } finally {
            NodeProc.killAll(nodes);
        }
    }

    /** The workers and backups of the one runtime's committee, as key hex strings ("" when not answering). */
    private static String committee(PeerAddress node) {
        JsonNode c = poll(node, "committees").path("answer").path("committees").path(0);
        return c.path("workers").toString() + c.path("backups").toString();
    }

    @Test
    void computeNodesThatKeepThemselvesRegistered_stayEligible_andOneThatStops_dropsOutOfTheCommittees()
            throws Exception {
        int validators = 4;
        // compute nodes registered at genesis until epoch 1 only: each must renew to stay
        Genesis genesis = LocalnetSetup.servicesGenesis(LocalnetSetup.equalStakes(validators), 2, SEED,
                Genesis.ConsensusParams.DEFAULT.withCreateEmptyBlocksIntervalTicks(200), 4, 1);
        Files.writeString(dir.resolve("genesis.json"), genesis.toJson());
        List<Signer> keys = new ArrayList<>();
        for (int i = 0; i < validators; i++) {
            keys.add(LocalnetSetup.validatorKey(i, SEED));
        }
        int computeProcesses = 3; // compute nodes 0..2 run and renew; compute node 3 never runs
        for (int i = 0; i < computeProcesses; i++) {
            keys.add(LocalnetSetup.computeKey(i, SEED));
        }
        List<PublicKey> peerKeys = keys.stream().map(Signer::publicKey).toList();
        List<PeerAddress> peers = NodeDirs.freeLoopbackAddresses(keys.size());
        List<PeerAddress> clients = NodeDirs.freeLoopbackAddresses(keys.size());
        List<NodeProc> nodes = new ArrayList<>();
        String[] compute = new String[4];
        for (int i = 0; i < 4; i++) {
            compute[i] = LocalnetSetup.computeKey(i, SEED).publicKey().toHex();
        }
        try {
            for (int i = 0; i < keys.size(); i++) {
                String name = i < validators ? "node-" + i : "compute-" + (i - validators);
                Path cfg = NodeDirs.writeKeyedNode(dir, name, keys.get(i), i, peers, peerKeys, clients.get(i));
                if (i >= validators) {
                    int e = i - validators;
                    KeyFiles.write(cfg.getParent().resolve("entity.key"), LocalnetSetup.entityKey(e, SEED));
                    var json = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Files.readString(cfg));
                    json.putObject("registration").put("entityKey", "entity.key").put("tee", false)
                            .put("renewEpochs", 2).putArray("roles").add("compute");
                    Files.writeString(cfg, json.toString());
                }
                nodes.add(NodeProc.start(cfg, "256m"));
            }
            PeerAddress c0 = clients.get(0);
            // past epoch 1, compute node 3 (no process) has lapsed; nodes 0..2 renewed and make the committees
            NodeProc.await("epoch 3", 120, () -> poll(c0, "epoch").path("answer").path("epoch").asLong() >= 3,
                    () -> { }, nodes);
            assertTrue(!poll(c0, "node", compute[3]).path("answer").path("registeredInCurrentEpoch").asBoolean(),
                    "compute node 3 never renewed");
            for (int i = 0; i < computeProcesses; i++) {
                assertTrue(poll(c0, "node", compute[i]).path("answer").path("registeredInCurrentEpoch").asBoolean(),
                        "compute node " + i + " renewed itself: " + nodes.get(validators + i).tail(8));
                assertTrue(nodes.get(validators + i).transcript().contains("registration: renewing until epoch"),
                        nodes.get(validators + i).tail(8));
            }
            JsonNode beforeAnswer = poll(c0, "committees").path("answer");
            long beforeEpoch = beforeAnswer.path("epoch").asLong();
            String before = committee(c0);
            assertTrue(!before.contains(compute[3]), before);
            // compute node 2 stops (its process is killed): it renews no more and lapses within renewEpochs epochs
            NodeProc stopped = nodes.get(validators + 2);
            stopped.process.destroyForcibly();
            stopped.process.waitFor(20, TimeUnit.SECONDS);
            NodeProc.await("compute node 2 lapsed", 120,
                    () -> !poll(c0, "node", compute[2]).path("answer").path("registeredInCurrentEpoch").asBoolean(true),
                    () -> { }, nodes.subList(0, validators));
            long lapsedIn = poll(c0, "epoch").path("answer").path("epoch").asLong();
            NodeProc.await("the next epoch's committee", 60,
                    () -> poll(c0, "committees").path("answer").path("epoch").asLong() > lapsedIn, () -> { },
                    nodes.subList(0, validators));
            String after = committee(c0);
            assertTrue(!after.contains(compute[2]) && !after.contains(compute[3]), after);
            assertTrue(after.contains(compute[0]) && after.contains(compute[1]), after);
            // the earlier epoch's committee is still there to query, by its epoch (compute node 2 in it or not)
            JsonNode past = query(c0, "committees", "--epoch", Long.toString(beforeEpoch)).path("answer");
            assertEquals(beforeAnswer, past, "the committees of epoch " + beforeEpoch);
        } finally {
            NodeProc.killAll(nodes);
        }
    }
}
