package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    @TempDir
    Path dir;

    private NodeConfig read(String extra) throws Exception {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"validatorIndex\": 1, \"genesis\": \"../genesis.json\", \"key\": \"v.key\","
                + " \"dataDir\": \".\", \"client\": \"127.0.0.1:7100\", \"tickMillis\": 2,"
                + " \"peers\": [\"127.0.0.1:7000\", \"127.0.0.1:7001\", \"127.0.0.1:7002\", \"127.0.0.1:7003\"]"
                + extra + "}");
        return NodeConfig.read(f);
    }

    private String problems(String extra) {
        return assertThrows(IllegalArgumentException.class, () -> read(extra)).getMessage();
    }

    @Test
    void anHonestConfig_resolvesPathsAgainstItsFolder() throws Exception {
        NodeConfig c = read("");
        assertEquals(1, c.validatorIndex());
        assertEquals(dir.getParent().resolve("genesis.json").normalize(), c.genesis());
        assertEquals(dir.resolve("v.key"), c.key());
        assertEquals(new PeerAddress("127.0.0.1", 7001), c.listen());
        assertEquals(2, c.tickMillis());
        assertNull(c.byzantine());
    }

    @Test
    void theCheckpointInterval_defaultsTo1000Blocks_zeroMeansNever_andNegativeIsRefused() throws Exception {
        assertEquals(NodeConfig.DEFAULT_CHECKPOINT_INTERVAL_BLOCKS, read("").checkpointIntervalBlocks());
        assertEquals(1000, NodeConfig.DEFAULT_CHECKPOINT_INTERVAL_BLOCKS);
        assertEquals(0, read(", \"checkpointIntervalBlocks\": 0").checkpointIntervalBlocks());
        assertEquals(50, read(", \"checkpointIntervalBlocks\": 50").checkpointIntervalBlocks());
        assertTrue(problems(", \"checkpointIntervalBlocks\": -1")
                .contains("checkpointIntervalBlocks: expected an integer"));
    }

    @Test
    void aByzantineSection_givesSeedAndSortedCoalition() throws Exception {
        NodeConfig c = read(", \"byzantine\": {\"seed\": -5, \"coalition\": [3, 1]}");
        assertEquals(new NodeConfig.Byzantine(-5, List.of(1, 3)), c.byzantine());
    }

    @Test
    void aBadByzantineSection_isRefusedWithTheReason() {
        assertTrue(problems(", \"byzantine\": 3").contains("byzantine: expected an object"));
        assertTrue(problems(", \"byzantine\": {\"seed\": 1, \"coalition\": []}").contains("non-empty array"));
        assertTrue(problems(", \"byzantine\": {\"seed\": 1, \"coalition\": [4]}")
                .contains("byzantine.coalition[0]: expected a validator index in 0..3"));
        assertTrue(problems(", \"byzantine\": {\"seed\": 1, \"coalition\": [2]}")
                .contains("must contain this node's validatorIndex 1"));
        assertTrue(problems(", \"byzantine\": {\"seed\": \"x\", \"coalition\": [1]}")
                .contains("seed: expected an integer"));
    }

    @Test
    void aRegistrationSection_renewsWithinItsBounds_andABadOneIsRefusedWithTheReason() throws Exception {
        String base = ", \"registration\": {\"entityKey\": \"entity.key\", \"roles\": [\"compute\"]";
        NodeConfig.Registration r = read(base + "}").registration();
        assertEquals(new NodeConfig.Registration(dir.resolve("entity.key"), List.of("compute"), false, 3), r);
        assertEquals(1, read(base + ", \"renewEpochs\": 1}").registration().renewEpochs());
        assertEquals(NodeConfig.MAX_RENEW_EPOCHS, read(base + ", \"renewEpochs\": " + NodeConfig.MAX_RENEW_EPOCHS
                + "}").registration().renewEpochs());
        for (long bad : new long[] {0, NodeConfig.MAX_RENEW_EPOCHS + 1}) {
            assertTrue(problems(base + ", \"renewEpochs\": " + bad + "}").contains("renewEpochs"), "renewEpochs " + bad);
        }
        assertTrue(problems(base.replace("compute", "miner") + "}").contains("unknown role 'miner'"));
        assertTrue(problems(", \"registration\": {\"roles\": [\"compute\"]}").contains("registration: expected"));
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"validatorIndex\": -1, \"peers\": []}");
        String m = assertThrows(IllegalArgumentException.class, () -> NodeConfig.read(f)).getMessage();
        for (String field : List.of("validatorIndex", "genesis", "key", "dataDir", "peers", "client")) {
            assertTrue(m.contains(field + ":"), field + " in " + m);
        }
    }

    private static final String K0 = "11".repeat(32);
    private static final String K1 = "22".repeat(32);

    private NodeConfig keyed(String self, String peers) throws Exception {
        Path f = dir.resolve("keyed.json");
        Files.writeString(f, "{" + self + "\"genesis\": \"g.json\", \"key\": \"n.key\", \"dataDir\": \".\","
                + " \"client\": \"127.0.0.1:7100\", \"peers\": " + peers + "}");
        return NodeConfig.read(f);
    }

    private String keyedProblems(String self, String peers) {
        return assertThrows(IllegalArgumentException.class, () -> keyed(self, peers)).getMessage();
    }

    @Test
    void peersByNodeKey_areReadWithTheirKeys_andSelfNamesTheOwnEntry() throws Exception {
        NodeConfig c = keyed("\"self\": 1, ", "[{\"address\": \"127.0.0.1:7000\", \"key\": \"" + K0 + "\"},"
                + " {\"address\": \"127.0.0.1:7001\", \"key\": \"" + K1 + "\"}]");
        assertTrue(c.peersByKey());
        assertEquals(1, c.validatorIndex());
        assertEquals(new PeerAddress("127.0.0.1", 7001), c.listen());
        assertEquals(List.of(dev.oasisj.core.crypto.PublicKey.fromHex(K0), dev.oasisj.core.crypto.PublicKey.fromHex(K1)),
                c.peerKeys());
        assertTrue(!read("").peersByKey(), "plain addresses are the genesis validators in order");
    }

    @Test
    void badPeersByNodeKey_areRefusedWithTheReason() {
        String one = "{\"address\": \"127.0.0.1:7000\", \"key\": \"" + K0 + "\"}";
        assertTrue(keyedProblems("\"self\": 0, ", "[" + one + ", \"127.0.0.1:7001\"]").contains("not a mix"));
        assertTrue(keyedProblems("\"self\": 0, ", "[" + one + ", " + one.replace("7000", "7001") + "]")
                .contains("peers[1].key: the key of an earlier entry"));
        assertTrue(keyedProblems("\"self\": 0, ", "[{\"address\": \"127.0.0.1:7000\", \"key\": \"12\"}]")
                .contains("peers[0].key:"));
        assertTrue(keyedProblems("\"self\": 0, ", "[{\"key\": \"" + K0 + "\"}]").contains("peers[0].address:"));
        assertTrue(keyedProblems("\"self\": 1, ", "[" + one + "]").contains("self 1 has no entry in peers"));
        assertTrue(keyedProblems("\"self\": 0, \"byzantine\": {\"seed\": 1, \"coalition\": [0]}, ", "[" + one + "]")
                .contains("byzantine: needs peers in genesis validator order"));
    }
}
