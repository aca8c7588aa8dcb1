package dev.oasisj.node;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.NodeStateMachine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Test double of the node state machine: records every input, folds it into a running hash (so two instances fed the
 * same inputs have the same {@link #stateRoot()}), and answers each input with whatever {@code reaction} returns.
 */
final class RecordingStateMachine implements NodeStateMachine {
    final List<NodeInput> inputs = new ArrayList<>();
    private final List<String> eventLog;
    private final Function<NodeInput, NodeOutput> reaction;
    private Hash32 root = Hash32.ZERO;
    private long height;
    private Hash32 lastBlock = Hash32.ZERO;

    RecordingStateMachine(List<String> eventLog, Function<NodeInput, NodeOutput> reaction) {
        this.eventLog = eventLog;
        this.reaction = reaction;
    }

    static String describe(NodeInput input) {
        if (input instanceof NodeInput.Tick t) {
            return "tick " + t.tick();
        } else if (input instanceof NodeInput.PeerMessage m) {
            return "peer " + m.peer() + " " + new String(m.bytes(), java.nio.charset.StandardCharsets.UTF_8);
        } else {
            return "client " + new String(((NodeInput.ClientTransaction) input).bytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** What {@link #prepare} does (besides logging "prepare ..."); the identity unless a test sets it. */
    Function<NodeInput, NodeInput> preparer = Function.identity();

    @Override
    public NodeInput prepare(NodeInput input) {
        if (input instanceof NodeInput.ClientTransaction) {
            eventLog.add("prepare " + describe(input));
        }
        return preparer.apply(input);
    }

    /** What {@link #junk} says; nothing is junk unless a test sets it. */
    Function<NodeInput.PeerMessage, String> junker = m -> null;

    @Override
    public String junk(NodeInput.PeerMessage message) {
        return junker.apply(message);
    }

    @Override
    public NodeOutput apply(NodeInput input) {
        inputs.add(input);
        eventLog.add("apply " + describe(input));
        root = Hash32.sha256Parts(root.toBytes(), CoreInputCodec.INSTANCE.encode(input));
        NodeOutput out = reaction.apply(input);
        for (NodeOutput.CommittedBlock b : out.committed()) {
            height = b.height();
            lastBlock = b.blockHash();
        }
        return out;
    }

    @Override
    public long height() {
        return height;
    }

    @Override
    public Hash32 lastBlockHash() {
        return lastBlock;
    }

    @Override
    public Hash32 stateRoot() {
        return root;
    }

    static Hash32 hashOf(long height) {
        return Hash32.sha256(ByteBuffer.allocate(8).putLong(height).array());
    }
}
