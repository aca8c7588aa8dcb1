package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ClientPortTest {

    /** Runs the agent's duty cycle on a thread of its own, as the node command does on its main thread. */
    private static Thread runAgent(NodeAgent agent, AtomicBoolean running) {
        Thread t = new Thread(() -> {
            while (running.get()) {
                if (agent.doWork() == 0) {
                    Thread.onSpinWait();
                }
            }
        }, "test-agent");
        t.start();
        return t;
    }

    private static String ask(BufferedReader in, OutputStream out, String line) throws Exception {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
    }

    @Test
    void submitAndStatus_overTcp_areServedByTheAgentThread() throws Exception {
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        RecordingStateMachine sm = new RecordingStateMachine(log, input -> NodeOutput.EMPTY);
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(1, 1));
        InMemoryJournal journal = new InMemoryJournal();
        NodeAgent agent = new NodeAgent(sm, journal, network.transport(0), new ManualClock(0),
                CoreInputCodec.INSTANCE, (n, b) -> {}, 0);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread agentThread = runAgent(agent, running);
        try (ClientPort port = new ClientPort(agent::offerClientRequest)) {
            int p = port.bind(new PeerAddress("127.0.0.1", 0));
            try (Socket s = new Socket("127.0.0.1", p)) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                JsonNode submitted = new ObjectMapper().readTree(ask(in, out, "submit 0a0b0c"));
                assertTrue(submitted.get("accepted").asBoolean(), submitted.toString());
                JsonNode status = new ObjectMapper().readTree(ask(in, out, "status"));
                assertEquals(0, status.get("height").asLong());
                assertEquals(64, status.get("lastBlockHash").asText().length());
                assertTrue(status.has("peers") && status.has("stateRoot"), status.toString());
                JsonNode bad = new ObjectMapper().readTree(ask(in, out, "submit xyz"));
                assertTrue(bad.has("error"), bad.toString());
                JsonNode unknown = new ObjectMapper().readTree(ask(in, out, "transfer everything"));
                assertTrue(unknown.get("error").asText().contains("unknown request"), unknown.toString());
            }
        } finally {
            running.set(false);
            agentThread.join();
        }
        assertEquals(1, journal.size(), "only the valid submit became an input");
        assertEquals(new NodeInput.ClientTransaction(new byte[] {10, 11, 12}).getClass(), sm.inputs.get(0).getClass());
        assertEquals("client \n\u000b\f", RecordingStateMachine.describe(sm.inputs.get(0)));
    }

    @Test
    void overlongLine_isAnsweredWithAnErrorAndTheConnectionClosed() throws Exception {
        try (ClientPort port = new ClientPort(r -> {
            throw new AssertionError("no request may reach the agent");
        })) {
            int p = port.bind(new PeerAddress("127.0.0.1", 0));
            try (Socket s = new Socket("127.0.0.1", p)) {
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'a');
                try {
                    for (int i = 0; i <= ShellLimits.MAX_CLIENT_LINE_BYTES / chunk.length; i++) {
                        out.write(chunk);
                    }
                    out.flush();
                } catch (java.io.IOException closedWhileWriting) {
                    // The port may close the connection before we finish writing: that is the expected outcome.
                }
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                String answer = in.readLine();
                assertTrue(answer != null && answer.contains("error"), String.valueOf(answer));
                assertEquals(null, in.readLine(), "connection closed after the error");
            }
        }
    }
}
