package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.ValidatorNode;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue point 2, the way it was found, over real sockets: four validators in this JVM (in-process {@link TcpTransport}
 * + {@link NodeAgent} + {@link ValidatorNode} each, one agent thread per node, one-millisecond ticks) commit blocks
 * over loopback TCP; then 200 raw connections to each of two of them (two of four: without them the others cannot
 * commit) announce 4 MiB frames (as a plain length prefix, or as a TLS record of the largest length a record header
 * can announce) and stream bytes, or trickle a well-formed TLS handshake record one byte at a time, reconnecting
 * whenever they are closed. The attacked nodes must keep committing, hold at most the cap of unauthenticated
 * connections, refuse and count the rest, and the direct memory in use must stay bounded. Before the fix each such
 * connection could make its node buffer up to 4 MiB.
 */
class PreAuthFloodTest {
    private static final int N = 4;
    private static final int CONNECTIONS_PER_TARGET = 200;
    private static final long ATTACK_MILLIS = 15_000;
    private static final long DIRECT_MEMORY_GROWTH_BOUND = 64L << 20;

    private static Signer key(int i) {
        return Signer.deterministic("flood-validator-" + i, 1);
    }

    /** Bytes of direct memory in use, as the largest of what Netty and the JVM report (the sources differ by mode). */
    private static long directMemoryBytes() {
        long used = Math.max(0, PlatformDependent.usedDirectMemory());
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
            used = Math.max(used, p.metric().usedDirectMemory());
        }
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                used = Math.max(used, pool.getMemoryUsed());
            }
        }
        return used;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void rawConnectionsAnnouncingFourMebibyteFrames_doNotStopTheAttackedNodesFromCommitting() throws Exception {
        List<Genesis.Validator> validators = new ArrayList<>();
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            validators.add(new Genesis.Validator("validator-" + i, key(i).publicKey(), 10));
            keys.add(key(i).publicKey());
        }
        Genesis genesis = new Genesis("flood-test", validators,
                List.of(new Genesis.InitialAccount(Signer.deterministic("flood-account", 1).publicKey(), 1_000)),
                Genesis.ConsensusParams.DEFAULT);
        List<TcpTransport> transports = new ArrayList<>();
        List<Thread> agents = new ArrayList<>();
        AtomicLong[] heights = new AtomicLong[N];
        AtomicReference<Throwable> agentFailure = new AtomicReference<>();
        RawFlood flood = null;
        try {
            int[] ports = new int[N];
            for (int i = 0; i < N; i++) {
                TcpTransport t = new TcpTransport(new TcpTransport.Identity(genesis.hash(), keys, i, key(i)),
                        TcpTransport.Settings.defaults());
                transports.add(t);
                ports[i] = t.bind(new PeerAddress("127.0.0.1", 0));
            }
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    if (i != j) {
                        transports.get(i).connectTo(j, new PeerAddress("127.0.0.1", ports[j]));
                    }
                }
            }
            for (int i = 0; i < N; i++) {
                AtomicLong height = new AtomicLong();
                heights[i] = height;
                NodeAgent agent = new NodeAgent(new ValidatorNode(genesis, key(i)), new InMemoryJournal(),
                        transports.get(i), new SystemClock(1, 0), CoreInputCodec.INSTANCE,
                        (node, block) -> height.set(block.height()), -1);
                Thread thread = new Thread(() -> {
                    try {
                        while (!stop) {
                            if (agent.doWork() == 0) {
                                LockSupport.parkNanos(200_000);
                            }
                        }
                    } catch (Throwable e) {
                        agentFailure.compareAndSet(null, e);
                    }
                }, "agent-" + i);
                thread.setDaemon(true);
                agents.add(thread);
                thread.start();
            }
            awaitHeights(heights, 3, 60, "the network to commit 3 blocks before the attack", agentFailure);

            // Two of the four are attacked (RawFlood: 200 connections each from 20 loopback addresses, half announcing
            // 4 MiB frames, half trickling a TLS handshake record).
            flood = new RawFlood(List.of(new InetSocketAddress("127.0.0.1", ports[0]),
                    new InetSocketAddress("127.0.0.1", ports[1])), CONNECTIONS_PER_TARGET);
            long baselineDirect = directMemoryBytes();
            long[] heightsAtStart = snapshot(heights);
            long[] maxDirect = {baselineDirect};
            flood.run(ATTACK_MILLIS, () -> maxDirect[0] = Math.max(maxDirect[0], directMemoryBytes()),
                    () -> agentFailure.get() != null);
            long[] heightsAtEnd = snapshot(heights);
            long connects = flood.connectionsOpened();
            flood.close();

            StringBuilder report = new StringBuilder();
            report.append("attack: ").append(connects).append(" connections opened; direct memory baseline ")
                    .append(baselineDirect >> 20).append(" MiB, max ").append(maxDirect[0] >> 20).append(" MiB");
            for (int i = 0; i < N; i++) {
                TcpTransport t = transports.get(i);
                report.append("\nnode ").append(i).append(": height ").append(heightsAtStart[i]).append(" -> ")
                        .append(heightsAtEnd[i]).append(", refused ").append(t.refusedConnections())
                        .append(", bad handshakes ").append(t.badHandshakes()).append(", oversized ")
                        .append(t.oversizedFrames()).append(", unauthenticated high water ")
                        .append(t.unauthenticatedHighWater());
            }
            System.out.println(report);
            assertTrue(agentFailure.get() == null, "an agent failed: " + agentFailure.get());
            // Before the fix: 901 MiB above a 3 MiB baseline here, 35 blocks in the 15 s instead of about 1,300.
            assertTrue(maxDirect[0] - baselineDirect <= DIRECT_MEMORY_GROWTH_BOUND,
                    "direct memory grew by more than " + (DIRECT_MEMORY_GROWTH_BOUND >> 20) + " MiB\n" + report);
            for (int i = 0; i < N; i++) {
                assertTrue(heightsAtEnd[i] >= heightsAtStart[i] + 20, "node " + i + " did not keep committing\n"
                        + report);
            }
            for (int target = 0; target < 2; target++) {
                TcpTransport t = transports.get(target);
                assertTrue(t.unauthenticatedHighWater() <= ShellLimits.MAX_UNAUTHENTICATED_CONNECTIONS,
                        "unauthenticated connections above the cap\n" + report);
                assertTrue(t.refusedConnections() > 0, "the caps refused nothing\n" + report);
                assertEquals(0, t.oversizedFrames(), "no attacker's byte reached the frame decoder\n" + report);
                assertTrue(t.badHandshakes() > 0,
                        "announced 4 MiB frames closed and counted before the handshake\n" + report);
            }
        } finally {
            stop = true;
            if (flood != null) {
                flood.close();
            }
            for (Thread t : agents) {
                t.join(10_000);
            }
            for (TcpTransport t : transports) {
                t.close();
            }
        }
    }

    /** Tells the agent threads to end. */
    private volatile boolean stop;

    private static long[] snapshot(AtomicLong[] heights) {
        long[] h = new long[heights.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = heights[i].get();
        }
        return h;
    }

    private static void awaitHeights(AtomicLong[] heights, long height, long seconds, String what,
            AtomicReference<Throwable> failure) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            boolean all = true;
            for (AtomicLong h : heights) {
                all &= h.get() >= height;
            }
            if (all) {
                return;
            }
            if (failure.get() != null || System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + " (agent failure: " + failure.get() + ")");
            }
            Thread.sleep(20);
        }
    }
}
