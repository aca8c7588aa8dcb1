package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue point 5 in-process: whatever ends the agent's duty cycle (an {@link Error}, a {@link JournalException}, a
 * request to stop), {@link AgentRunner#run()} returns why, after closing every resource, and a bounded wait for it
 * never blocks forever. The process-level check is {@code NodeProcessAgentFailureTest}.
 */
@Timeout(60)
class AgentRunnerTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    /** A resource that records its closing, and may fail to close. */
    private final class Resource implements AutoCloseable {
        final String name;
        final boolean failToClose;

        Resource(String name, boolean failToClose) {
            this.name = name;
            this.failToClose = failToClose;
        }

        @Override
        public void close() {
            log.add("closed " + name);
            if (failToClose) {
                throw new IllegalStateException(name + " failed to close");
            }
        }
    }

    /** A journal that fails like a full disk from its {@code failAt}-th append (0-based) on. */
    private static final class FullDiskJournal extends ForwardingJournal {
        final int failAt;
        int appends;

        FullDiskJournal(Journal inner, int failAt) {
            super(inner);
            this.failAt = failAt;
        }

        @Override
        public void append(byte[] record) {
            if (appends == failAt) {
                throw new JournalException("no space left on device (simulated)");
            }
            super.append(record);
            appends++;
        }
    }

    @Test
    void anErrorInTheStateMachine_endsTheRun_withTheError_afterClosingEveryResource() throws Exception {
        OutOfMemoryError error = new OutOfMemoryError("Java heap space (injected)");
        RecordingStateMachine sm = new RecordingStateMachine(log, input -> {
            if (input instanceof NodeInput.Tick t && t.tick() == 3) {
                throw error;
            }
            return NodeOutput.EMPTY;
        });
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(1, 1));
        ManualClock clock = new ManualClock(0);
        InMemoryJournal journal = new InMemoryJournal();
        NodeAgent agent = new NodeAgent(sm, journal, network.transport(0), clock, CoreInputCodec.INSTANCE,
                (n, b) -> {}, -1);
        AgentRunner runner = new AgentRunner(() -> {
            clock.advanceTo(clock.currentTick() + 1);
            return agent.doWork();
        }, 0, List.of(new Resource("client port", false), new Resource("transport", false), journal));

        AgentRunner.Outcome outcome = runner.run();

        AgentRunner.Outcome.Failed failed = assertInstanceOf(AgentRunner.Outcome.Failed.class, outcome);
        assertSame(error, failed.cause());
        assertTrue(runner.awaitFinished(Duration.ZERO), "finished is signalled before run returns");
        assertEquals(List.of("closed client port", "closed transport"), log.subList(log.size() - 2, log.size()));
        assertThrows(JournalException.class, () -> journal.append(new byte[1]), "the journal was closed");
        // journal first: the tick that killed the agent was journaled, and replays (a restart meets the same error)
        assertEquals(3, journal.reopen().size());
    }

    @Test
    void aFullDisk_endsTheRunWithTheJournalException_andTheJournalReplaysWhatWasWritten() throws Exception {
        RecordingStateMachine sm = new RecordingStateMachine(log, input -> NodeOutput.EMPTY);
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(1, 1));
        ManualClock clock = new ManualClock(0);
        FullDiskJournal journal = new FullDiskJournal(ChronicleJournal.open(dir), 50);
        NodeAgent agent = new NodeAgent(sm, journal, network.transport(0), clock, CoreInputCodec.INSTANCE,
                (n, b) -> {}, -1);
        AgentRunner runner = new AgentRunner(() -> {
            clock.advanceTo(clock.currentTick() + 1);
            return agent.doWork();
        }, 0, List.of(journal));

        AgentRunner.Outcome outcome = runner.run();

        AgentRunner.Outcome.Failed failed = assertInstanceOf(AgentRunner.Outcome.Failed.class, outcome);
        assertInstanceOf(JournalException.class, failed.cause());
        assertTrue(failed.cause().getMessage().contains("no space left on device"), failed.cause().getMessage());
        assertEquals(50, agent.inputsApplied(), "the input that could not be journaled was not applied");
        // restart: the journal replays exactly the inputs that were applied, to the same state
        RecordingStateMachine fresh = new RecordingStateMachine(new ArrayList<>(), input -> NodeOutput.EMPTY);
        try (ChronicleJournal reopened = ChronicleJournal.open(dir)) {
            NodeAgent.Recovery recovery = NodeAgent.recover(reopened, fresh, CoreInputCodec.INSTANCE);
            assertEquals(50, recovery.inputsReplayed());
            assertEquals(50, recovery.lastTick());
        }
        assertEquals(sm.stateRoot(), fresh.stateRoot());
    }

    @Test
    void aRequestToStop_fromAnotherThread_endsTheRunCleanly() throws Exception {
        AgentRunner runner = new AgentRunner(() -> 0, 1_000_000, List.of(new Resource("journal", false)));
        Thread agentThread = new Thread(runner::run, "test-agent");
        agentThread.start();
        runner.requestStop();
        assertTrue(runner.awaitFinished(Duration.ofSeconds(30)));
        agentThread.join();
        assertEquals(List.of("closed journal"), log);
    }

    @Test
    void aResourceThatFailsToClose_doesNotKeepTheOthersOpen_andTheRunReportsIt() {
        RuntimeException boom = new IllegalStateException("invariant broken (injected)");
        AgentRunner runner = new AgentRunner(() -> {
            throw boom;
        }, 0, List.of(new Resource("client port", true), new Resource("transport", false),
                new Resource("journal", false)));
        AgentRunner.Outcome.Failed failed = assertInstanceOf(AgentRunner.Outcome.Failed.class, runner.run());
        assertSame(boom, failed.cause());
        assertEquals(1, boom.getSuppressed().length, "the close failure rides along");
        assertEquals(List.of("closed client port", "closed transport", "closed journal"), log);
    }

    @Test
    void theShutdownWait_isBounded_evenIfTheAgentNeverEnds() throws Exception {
        // A runner whose agent thread died before run() (or is stuck): the wait returns false instead of blocking.
        AgentRunner runner = new AgentRunner(() -> 0, 0, List.of());
        runner.requestStop();
        assertFalse(runner.awaitFinished(Duration.ofMillis(50)));
    }
}
