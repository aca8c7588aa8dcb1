package dev.oasisj.core.node;

import dev.oasisj.core.crypto.Hash32;
import java.util.List;

/** What one {@link NodeStateMachine#apply} produced. All lists are immutable. */
public record NodeOutput(List<Outbound> outbound, List<CommittedBlock> committed, List<Rejection> rejections) {
    public static final NodeOutput EMPTY = new NodeOutput(List.of(), List.of(), List.of());

    public NodeOutput {
        outbound = List.copyOf(outbound);
        committed = List.copyOf(committed);
        rejections = List.copyOf(rejections);
    }

    /** Bytes to send: to peer number {@code peer}, or to every peer when {@code peer == BROADCAST}. */
    public record Outbound(int peer, byte[] bytes) {
        public static final int BROADCAST = -1;
    }

    /**
     * A block this node just committed (finalized by more than two thirds of the voting power), with the events its
     * application reported when finalizing it ({@code kind: detail}, in the application's order).
     */
    public record CommittedBlock(long height, int round, Hash32 blockHash, Hash32 stateRoot, int transactionCount,
            String proposer, long proposedAtTick, long committedAtTick, int evidenceCount, List<String> events) {
        public CommittedBlock {
            events = List.copyOf(events);
        }

        /** A block without application events. */
        public CommittedBlock(long height, int round, Hash32 blockHash, Hash32 stateRoot, int transactionCount,
                String proposer, long proposedAtTick, long committedAtTick, int evidenceCount) {
            this(height, round, blockHash, stateRoot, transactionCount, proposer, proposedAtTick, committedAtTick,
                    evidenceCount, List.of());
        }

        /** A block without evidence or application events. */
        public CommittedBlock(long height, int round, Hash32 blockHash, Hash32 stateRoot, int transactionCount,
                String proposer, long proposedAtTick, long committedAtTick) {
            this(height, round, blockHash, stateRoot, transactionCount, proposer, proposedAtTick, committedAtTick, 0);
        }
    }

    /** An input (or part of one) that was refused, with a specific machine-readable reason and a human detail. */
    public record Rejection(String reason, String detail) {}
}
