package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production command line has no Byzantine behaviour (it is test-only, in oasisj-sim): {@code oasis node} refuses
 * a config that asks for one, saying what is missing, before it opens its data directory.
 */
class NodeByzantineWithoutSimTest {
    @TempDir
    Path dir;

    @Test
    void aByzantineConfig_isRefusedWithAClearMessage_whenSimIsNotOnTheClasspath() throws Exception {
        assertFalse(ServiceLoader.load(NodeBehaviour.class).iterator().hasNext(), "this module's tests run without sim");
        NodeProc.Network net = NodeProc.Network.write(dir, 4, 1, 7);
        Path cfg = net.configs().get(1);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(Files.readString(cfg));
        root.putObject("byzantine").put("seed", 3).putArray("coalition").add(1);
        Files.writeString(cfg, json.writeValueAsString(root));

        MainTest.Result r = MainTest.run("node", "--config", cfg.toString());
        assertEquals(Main.EXIT_FAILURE, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("asks for a Byzantine validator") && r.err().contains("oasisj-sim")
                && r.err().contains(NodeBehaviour.class.getName()), r.err());
        assertEquals("", r.out(), "the node must not start");
    }
}
