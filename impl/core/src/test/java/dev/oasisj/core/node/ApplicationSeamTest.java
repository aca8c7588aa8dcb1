package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.KeyValueApplication;
import dev.oasisj.core.ledger.TransferApplication;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seam between the consensus engine and the application (issue 9, point 0): the same nodes, block sync and state
 * sync drive a toy key-value store ({@link KeyValueApplication}, test code) that has no accounts, signatures or fees.
 */
class ApplicationSeamTest {
    private static KeyValueApplication kv(ValidatorNode n) {
        return (KeyValueApplication) n.application();
    }

    private static void submit(LocalnetTest.Net net, int node, String key, String value) {
        net.input(node, new NodeInput.ClientTransaction(KeyValueApplication.set(key, value)));
        net.pump();
    }

    @Test
    void fourNodesCommitAToyApplication_withIdenticalBlocksAndRoots() {
        LocalnetTest.Net net = new LocalnetTest.Net(KeyValueApplication.factory());
        submit(net, 0, "alpha", "1");
        submit(net, 1, "beta", "2");
        submit(net, 2, "alpha", "3");
        net.runUntilHeight(6, 1_000);
        long h = Math.min(Math.min(net.nodes[0].height(), net.nodes[1].height()),
                Math.min(net.nodes[2].height(), net.nodes[3].height()));
        net.assertAgreementUpTo(h, 0, 1, 2, 3);
        for (ValidatorNode n : net.nodes) {
            assertEquals("3", kv(n).get("alpha").orElseThrow(), "the later set wins (a block sets a key once)");
            assertEquals("2", kv(n).get("beta").orElseThrow());
            assertEquals(0, n.mempoolSize());
            Application.QueryResult q = n.application().query("get", "beta".getBytes(StandardCharsets.UTF_8));
            assertTrue(q.found());
            assertEquals("2", new String(q.value(), StandardCharsets.UTF_8));
            assertTrue(n.application().query("get", "gamma".getBytes(StandardCharsets.UTF_8)).found() == false);
            assertThrows(IllegalStateException.class, n::ledger, "a key-value node has no transfer ledger");
        }
        int transactions = 0;
        for (NodeOutput.CommittedBlock b : net.committed.get(0).values()) {
            transactions += b.transactionCount();
        }
        assertEquals(3, transactions, "each submission committed once");
        for (int i = 0; i < LocalnetTest.VALIDATORS; i++) {
            assertTrue(net.rejections.get(i).isEmpty(), "node " + i + ": " + net.rejections.get(i));
        }
    }

    /** The node reports what finalizing its last block returned: the application's events pass through the engine. */
    @Test
    void finalizeReturnsTheApplicationsEvents_andTheNodeReportsThem() {
        LocalnetTest.Net net = new LocalnetTest.Net(KeyValueApplication.factory());
        net.runUntilHeight(1, 200);
        assertEquals(List.of(), net.fresh(0).lastFinalized().events(), "nothing finalized at genesis");
        submit(net, 0, "alpha", "9");
        Application.Event set = new Application.Event("KV_SET", "alpha=9");
        boolean seen = false;
        for (int s = 0; s < 200 && !seen; s++) {
            net.step();
            seen = net.nodes[0].lastFinalized().events().contains(set);
        }
        assertTrue(seen, "node 0 reported the KV_SET event of the block that set alpha");
        assertEquals(net.nodes[0].stateRoot(), net.nodes[0].lastFinalized().stateRoot());
        net.runUntilHeight(net.nodes[0].height() + 1, 200);
        assertTrue(!net.nodes[0].lastFinalized().events().contains(set), "a later block reports its own events");
    }

    @Test
    void theApplicationDecidesWhatIsMalformedAndInvalid() {
        LocalnetTest.Net net = new LocalnetTest.Net(KeyValueApplication.factory());
        byte[] bad = "no equals sign".getBytes(StandardCharsets.UTF_8);
        NodeOutput out = net.nodes[0].apply(new NodeInput.ClientTransaction(bad));
        assertEquals("KV_MALFORMED", out.rejections().get(0).reason());
        byte[] frame = PeerWire.encode(new PeerWire.Transaction(bad));
        assertEquals("not key=value", net.nodes[0].junk(new NodeInput.PeerMessage(1, frame)));
        assertNull(net.nodes[0].junk(new NodeInput.PeerMessage(1,
                PeerWire.encode(new PeerWire.Transaction(KeyValueApplication.set("a", "b"))))));
        // A transfer is junk to a key-value node, and a key-value transaction is junk to a transfer node.
        LocalnetTest.Net transfers = new LocalnetTest.Net();
        assertNotNull(transfers.nodes[0].junk(new NodeInput.PeerMessage(1,
                PeerWire.encode(new PeerWire.Transaction(KeyValueApplication.set("a", "b"))))));
        assertInstanceOf(TransferApplication.class, transfers.nodes[0].application());
        // A block setting one key twice is invalid to the application, so to the engine.
        Application app = net.nodes[0].application();
        assertTrue(app.processProposal(new dev.oasisj.core.app.BlockContext(1, LocalnetTest.validatorKey(0).publicKey()),
                List.of(KeyValueApplication.set("a", "1"), KeyValueApplication.set("a", "2"))).isEmpty());
    }

    /** State sync and checkpoint restore move the toy application's state as opaque entries. */
    @Test
    void aNodeThatLostItsData_syncsTheToyApplicationFromRestoredPeers() {
        LocalnetTest.Net net = new LocalnetTest.Net(KeyValueApplication.factory());
        submit(net, 0, "alpha", "1");
        submit(net, 1, "beta", "2");
        net.runUntilHeight(8, 2_000);
        for (int i = 0; i < 3; i++) {
            ValidatorNode n = net.nodes[i];
            Application copy = KeyValueApplication.factory().restore(n.application().snapshot().entries());
            net.nodes[i] = ValidatorNode.restore(net.genesis, LocalnetTest.validatorKey(i), KeyValueApplication.factory(),
                    n.committedBlock(n.height()).orElseThrow(), copy, n.nowTick());
        }
        long restoredAt = net.nodes[0].height();
        net.restart(3);
        net.committed.get(3).clear();
        net.runUntilHeight(restoredAt + 4, 3_000);
        assertTrue(net.committed.get(3).firstKey() > 1, "node 3 installed a snapshot: " + net.committed.get(3).firstKey());
        assertEquals(net.nodes[0].stateRoot(), net.nodes[3].stateRoot());
        assertEquals("2", kv(net.nodes[3]).get("beta").orElseThrow());
        submit(net, 3, "gamma", "3");
        net.runUntilHeight(net.nodes[3].height() + 3, 1_000);
        for (ValidatorNode n : net.nodes) {
            assertEquals("3", kv(n).get("gamma").orElseThrow());
        }
    }
}
