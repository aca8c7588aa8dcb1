package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.node.PeerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers by node key (issue 9, point 0), with real processes over TLS: four validators and a node that is no genesis
 * validator, all configured with {"address", "key"} peers. The observer connects (its key is in the validators' peer
 * lists), follows the chain block by block with the validators' hashes, and signs nothing; the chain goes on.
 */
class ObserverNodeProcessTest {
    @TempDir
    Path dir;

    @Test
    void aNodeThatIsNoGenesisValidator_connectsByKey_andFollowsTheChain() throws Exception {
        long seed = 23;
        int validators = 4;
        Genesis genesis = LocalnetSetup.genesis(validators, 8, seed, Genesis.ConsensusParams.DEFAULT);
        Files.writeString(dir.resolve("genesis.json"), genesis.toJson());
        Signer observerKey = Signer.deterministic("observer", seed);
        List<Signer> keys = new ArrayList<>();
        for (int i = 0; i < validators; i++) {
            keys.add(LocalnetSetup.validatorKey(i, seed));
        }
        keys.add(observerKey);
        List<PublicKey> peerKeys = keys.stream().map(Signer::publicKey).toList();
        List<PeerAddress> peers = NodeDirs.freeLoopbackAddresses(keys.size());
        List<PeerAddress> clients = NodeDirs.freeLoopbackAddresses(keys.size());
        List<NodeProc> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < keys.size(); i++) {
                Path cfg = NodeDirs.writeKeyedNode(dir, i < validators ? "node-" + i : "observer", keys.get(i), i,
                        peers, peerKeys, clients.get(i));
                nodes.add(NodeProc.start(cfg, "256m"));
            }
            NodeProc observer = nodes.get(validators);
            Runnable load = NodeProc.transfers(seed, 8, clients.subList(0, validators));
            NodeProc.await("the observer and validator 0 at height 8", 120,
                    () -> observer.height() >= 8 && nodes.get(0).height() >= 8, load, nodes);
            assertTrue(observer.transcript().contains("node observer-" + observerKey.publicKey().shortId()),
                    observer.tail(12));
            for (long h = 1; h <= 8; h++) {
                assertEquals(nodes.get(0).hashes.get(h), observer.hashes.get(h), "block hash at height " + h);
            }
            // The observer answers queries of its committed state from the command line (oasis query).
            String account = LocalnetSetup.accountKey(0, seed).publicKey().toHex();
            MainTest.Result q = MainTest.run("query", "--node", clients.get(validators).toString(), "account", account);
            assertEquals(0, q.exitCode(), q.out() + q.err());
            assertTrue(q.out().contains("\"found\":true") && q.out().contains("balance "), q.out());
            MainTest.Result bad = MainTest.run("query", "--node", clients.get(validators).toString(), "account", "abc");
            assertEquals(1, bad.exitCode(), bad.out() + bad.err());
            assertTrue(bad.err().contains("even number of hex digits"), bad.err());
        } finally {
            NodeProc.killAll(nodes);
        }
    }
}
