package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.tools.attach.VirtualMachine;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.node.PeerAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue point 5 with a real {@code oasis node} process: while its agent thread runs the duty cycle, an {@link Error}
 * is thrown into that thread from outside: the test attaches to the process (the JDK's Attach API) and loads
 * {@link StopAgentThread}, which stops the thread with {@link ThreadDeath}, as the JVM raises an asynchronous error
 * such as {@link OutOfMemoryError} in whatever the thread is doing. Nothing in the shipped code knows about it. The
 * process must exit non-zero within seconds, saying why, rather than stay alive with its ports open; started again,
 * it replays its journal.
 *
 * <p>Two ways of failing the node's storage for real were tried and dropped because they sometimes crash the JVM
 * instead (SIGBUS inside a VM-native compare-and-swap, which no Java code can catch): truncating the journal's queue
 * file, and making it immutable ({@code chattr +i}) so that the queue cannot grow it.
 */
class NodeProcessAgentFailureTest {
    private static final long SEED = 5;

    @TempDir
    Path dir;

    /** Loaded into the node process by the Attach API: stops its agent thread ("main") with an error. */
    public static final class StopAgentThread {
        private StopAgentThread() {}

        @SuppressWarnings({"deprecation", "removal"}) // Thread.stop: exactly the asynchronous error wanted here
        public static void agentmain(String args, Instrumentation instrumentation) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals(args)) {
                    System.out.println("test agent: throwing ThreadDeath into thread " + t.getName());
                    System.out.flush();
                    t.stop();
                }
            }
        }
    }

    /** A jar whose manifest names {@link StopAgentThread} (the class itself is on the node's class path already). */
    private static Path agentJar(Path dir) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Agent-Class"), StopAgentThread.class.getName());
        Path jar = dir.resolve("stop-agent-thread.jar");
        try (OutputStream out = Files.newOutputStream(jar)) {
            new JarOutputStream(out, manifest).close(); // the manifest is all
        }
        return jar;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void whenTheAgentThreadDiesOfAnError_theProcessExitsNonZero_sayingWhy_andReplaysItsJournalWhenStartedAgain()
            throws Exception {
        Genesis genesis = LocalnetSetup.genesis(4, 4, SEED, Genesis.ConsensusParams.DEFAULT);
        Files.writeString(dir.resolve("genesis.json"), genesis.toJson());
        List<PeerAddress> peers = NodeDirs.freeLoopbackAddresses(4);
        Path cfg = NodeDirs.writeNode(dir, 0, SEED, peers, NodeDirs.freeLoopbackAddresses(1).get(0));
        // Only validator 0 runs: its agent ticks every millisecond and journals each tick.
        NodeProc started = NodeProc.start(cfg, "256m");
        Process node = started.process;
        List<String> lines = started.lines;
        Process[] restarted = {null};
        try {
            // The agent runs its duty cycle once the journal has its first record (the queue file of the day).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            Path journal = dir.resolve("node-0").resolve("journal");
            while (!hasQueueFile(journal) || lines.stream().noneMatch(l -> l.contains("client port"))) {
                if (System.nanoTime() > deadline || !node.isAlive()) {
                    fail("the node did not start its agent:\n" + String.join("\n", lines));
                }
                Thread.sleep(20);
            }
            Thread.sleep(500);

            VirtualMachine vm = VirtualMachine.attach(Long.toString(node.pid()));
            try {
                vm.loadAgent(agentJar(dir).toString(), "main");
            } finally {
                vm.detach();
            }

            boolean exited = node.waitFor(60, TimeUnit.SECONDS);
            String transcript = String.join("\n", lines);
            assertTrue(exited, "the node is still running a minute after its agent thread died:\n" + transcript);
            assertNotEquals(0, node.exitValue(), transcript);
            assertTrue(transcript.contains("STOPPED: the node agent failed: java.lang.ThreadDeath"), transcript);

            // Started again, it replays what it journaled before the error (an append the error cut short was rolled
            // back) and runs on.
            NodeProc startedAgain = NodeProc.start(cfg, "256m");
            restarted[0] = startedAgain.process;
            List<String> again = startedAgain.lines;
            Pattern replayed = Pattern.compile("^node validator-0: replayed (\\d+) inputs, .*");
            long restartDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (again.stream().noneMatch(l -> l.contains("client port"))) {
                if (System.nanoTime() > restartDeadline || !restarted[0].isAlive()) {
                    fail("the node did not start again:\n" + String.join("\n", again));
                }
                Thread.sleep(20);
            }
            Matcher m = again.stream().map(replayed::matcher).filter(Matcher::matches).findFirst().orElseThrow();
            assertTrue(Long.parseLong(m.group(1)) > 0, "nothing replayed:\n" + String.join("\n", again));
        } finally {
            for (Process p : new Process[] {node, restarted[0]}) {
                if (p != null) {
                    p.destroyForcibly();
                    p.waitFor(20, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static boolean hasQueueFile(Path journal) throws IOException {
        if (!Files.isDirectory(journal)) {
            return false;
        }
        try (Stream<Path> files = Files.list(journal)) {
            return files.anyMatch(p -> p.toString().endsWith(".cq4"));
        }
    }
}
