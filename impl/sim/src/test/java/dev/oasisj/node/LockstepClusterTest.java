package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The cluster harness with a toy "consensus" test double (every 10 ticks the round-robin leader broadcasts the next
 * height, and every node commits it on receipt): enough to test the harness's crash/restart and agreement checking,
 * independent of the real validator.
 */
class LockstepClusterTest {
    private static final int N = 4;

    /** A toy node: commits height h (hash from {@code hashFor}) when it hears "h" from the leader, or leads itself. */
    private static Function<NodeInput, NodeOutput> toy(int self, long[] height, Function<Long, Hash32> hashFor) {
        return input -> {
            long next = height[0] + 1;
            if (input instanceof NodeInput.Tick t && t.tick() % 10 == 0 && (t.tick() / 10) % N == self) {
                height[0] = next;
                byte[] msg = ByteBuffer.allocate(8).putLong(next).array();
                return new NodeOutput(List.of(new NodeOutput.Outbound(NodeOutput.Outbound.BROADCAST, msg)),
                        List.of(block(next, hashFor.apply(next), t.tick())), List.of());
            }
            if (input instanceof NodeInput.PeerMessage m && ByteBuffer.wrap(m.bytes()).getLong() == next) {
                height[0] = next;
                return new NodeOutput(List.of(), List.of(block(next, hashFor.apply(next), 0)), List.of());
            }
            return NodeOutput.EMPTY;
        };
    }

    private static NodeOutput.CommittedBlock block(long h, Hash32 hash, long tick) {
        return new NodeOutput.CommittedBlock(h, 0, hash, Hash32.ZERO, 0, "toy", tick, tick);
    }

    private static LockstepCluster cluster(Function<Integer, Function<Long, Hash32>> hashes, List<InMemoryJournal> journals,
            List<String> commits) {
        for (int i = 0; i < N; i++) {
            journals.add(new InMemoryJournal());
        }
        return new LockstepCluster(new SimulatedNetwork(SimulatedNetwork.Config.reliable(N, 3)),
                i -> new RecordingStateMachine(new ArrayList<>(), toy(i, new long[1], hashes.apply(i))),
                i -> journals.get(i).reopen(), CoreInputCodec.INSTANCE,
                (node, b, replayed) -> commits.add(node + "@" + b.height() + (replayed ? "r" : "")));
    }

    @Test
    void honestNodes_agree_andACrashedNodeRestartsFromItsJournalWithTheSameHistory() {
        List<InMemoryJournal> journals = new ArrayList<>();
        List<String> commits = new ArrayList<>();
        LockstepCluster c = cluster(i -> RecordingStateMachine::hashOf, journals, commits);
        c.start();
        for (int t = 0; t < 45; t++) {
            c.step();
        }
        assertEquals(4, c.minCommittedHeight(List.of(0, 1, 2, 3)));
        int before = journals.get(2).size();
        c.crash(2);
        assertTrue(!c.isUp(2));
        for (int t = 0; t < 20; t++) {
            c.step(); // ticks 46..65: node 1 leads height 5 at tick 50; node 2 (down) would have led at tick 60
        }
        assertEquals(before, journals.get(2).size());
        c.restart(2);
        assertTrue(commits.containsAll(List.of("2@1r", "2@2r", "2@3r", "2@4r")), commits.toString());
        assertEquals(List.of(), c.violations());
        assertEquals(5, c.maxCommittedHeight());
        assertEquals(4, c.committedBy(2).lastKey(), "node 2 missed height 5 while down");
    }

    @Test
    void aNodeCommittingADifferentHash_isReportedAsAnAgreementViolation() {
        List<InMemoryJournal> journals = new ArrayList<>();
        LockstepCluster c = cluster(i -> i == 3 ? h -> Hash32.sha256(new byte[] {(byte) (h + 100)})
                : RecordingStateMachine::hashOf, journals, new ArrayList<>());
        c.start();
        for (int t = 0; t < 15; t++) {
            c.step();
        }
        assertTrue(c.violations().stream().anyMatch(v -> v.startsWith("AgreementInv: node 3")), c.violations().toString());
    }

    @Test
    void exemptNode_doesNotCountForAgreement() {
        List<InMemoryJournal> journals = new ArrayList<>();
        LockstepCluster c = cluster(i -> i == 3 ? h -> Hash32.sha256(new byte[] {(byte) (h + 100)})
                : RecordingStateMachine::hashOf, journals, new ArrayList<>());
        c.exemptFromAgreement(3, true);
        c.start();
        for (int t = 0; t < 45; t++) {
            c.step();
        }
        assertEquals(List.of(), c.violations());
    }

    @Test
    void sameSeed_sameCommitSequence() {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (List<String> commits : List.of(a, b)) {
            LockstepCluster c = cluster(i -> RecordingStateMachine::hashOf, new ArrayList<>(), commits);
            c.start();
            for (int t = 0; t < 100; t++) {
                c.step();
            }
        }
        assertTrue(a.size() >= 36, a.toString());
        assertEquals(a, b);
    }
}
