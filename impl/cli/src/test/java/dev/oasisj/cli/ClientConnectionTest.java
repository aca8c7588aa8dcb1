package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.node.ClientJson;
import dev.oasisj.node.ClientPort;
import dev.oasisj.node.PeerAddress;
import dev.oasisj.node.ShellLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ClientConnectionTest {

    /** A one-shot fake node: accepts one connection, reads its request line, sends {@code answer}, closes. */
    private static Thread fakeNode(ServerSocket server, byte[] answer) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                while (s.getInputStream().read() != '\n') {
                    // the request line
                }
                OutputStream out = s.getOutputStream();
                out.write(answer);
                out.flush();
            } catch (IOException e) {
                // the client gave up: fine
            }
        }, "fake-node");
        t.start();
        return t;
    }

    @Test
    void answerLine_isReadUpToTheBound_crlfEnded_andNotBeyond() throws Exception {
        int max = ShellLimits.MAX_CLIENT_ANSWER_BYTES;
        try (ServerSocket server = new ServerSocket(0)) {
            PeerAddress node = new PeerAddress("127.0.0.1", server.getLocalPort());
            Thread t = fakeNode(server, ("x".repeat(max) + "\r\n").getBytes(StandardCharsets.UTF_8));
            assertEquals(max, ClientConnection.request(node, "status").length(), "exactly the bound");
            t.join();
            t = fakeNode(server, ("x".repeat(max + 1) + "\n").getBytes(StandardCharsets.UTF_8));
            IOException e = assertThrows(IOException.class, () -> ClientConnection.request(node, "status"));
            assertTrue(e.getMessage().contains("longer than " + max), e.getMessage());
            t.join();
            t = fakeNode(server, "{\"accepted\":tr".getBytes(StandardCharsets.UTF_8));
            e = assertThrows(IOException.class, () -> ClientConnection.request(node, "status"));
            assertTrue(e.getMessage().contains("without answering"), e.getMessage());
            t.join();
        }
    }

    @Test
    void acceptedIsReadAsJson_notAsText() {
        assertTrue(ClientJson.accepted("{\"accepted\":true,\"rejections\":[]}"));
        assertTrue(ClientJson.accepted("{ \"rejections\": [], \"accepted\": true }"), "any JSON spelling");
        assertEquals(false, ClientJson.accepted("{\"accepted\":false,\"detail\":\"\\\"accepted\\\":true\"}"));
        assertEquals(false, ClientJson.accepted("{\"error\":\"busy\"}"));
        assertEquals(false, ClientJson.accepted("not json"));
        assertEquals("{\"error\":\"a \\\"quoted\\\" reason\"}", ClientJson.error("a \"quoted\" reason"));
    }

    /** A node over its per-address connection limit answers an error: {@code oasis status} reports it and exits 1. */
    @Test
    void status_refusedByTheNodesConnectionLimit_exits1AndSaysWhy() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ClientPort port = new ClientPort(r -> r.reply().complete("{\"height\":7}"),
                ClientPort.Limits.defaults().withConnections(ShellLimits.MAX_CLIENT_CONNECTIONS, 1))) {
            int p = port.bind(new PeerAddress("127.0.0.1", 0));
            MainTest.Result ok = MainTest.run("status", "--node", "127.0.0.1:" + p);
            assertEquals(0, ok.exitCode(), ok.err());
            assertTrue(ok.out().contains("\"height\":7"), ok.out());
            held.add(new Socket("127.0.0.1", p));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (port.openConnections() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            MainTest.Result refused = MainTest.run("status", "--node", "127.0.0.1:" + p);
            assertEquals(1, refused.exitCode(), refused.out());
            assertTrue(refused.err().contains("too many client connections"), refused.err());
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
