package dev.oasisj.core.node;

import dev.oasisj.core.ledger.SignatureVerdict;

/**
 * Everything that can happen to a node, as values. The node agent journals each input (encoded by
 * {@link NodeInputCodec}) before applying it.
 */
public sealed interface NodeInput {
    /** Logical time advanced to {@code tick} (ticks are monotonic; the agent derives them from its clock). */
    record Tick(long tick) implements NodeInput {}

    /**
     * Bytes received from peer number {@code peer} (an index into the genesis validator list; -1 if unknown); for a
     * gossiped transaction, the verdict on its signature if the node checked it before journaling
     * ({@link NodeStateMachine#prepare}).
     */
    record PeerMessage(int peer, byte[] bytes, SignatureVerdict transactionSignature) implements NodeInput {
        /** A peer message whose transaction signature (if it carries a transaction) has not been checked yet. */
        public PeerMessage(int peer, byte[] bytes) {
            this(peer, bytes, SignatureVerdict.NOT_CHECKED);
        }
    }

    /**
     * A transaction submitted by a client over the client port (encoded transaction bytes, not yet decoded), with the
     * verdict on its signature if the node checked it before journaling ({@link NodeStateMachine#prepare}).
     */
    record ClientTransaction(byte[] bytes, SignatureVerdict signature) implements NodeInput {
        /** A transaction whose signature has not been checked yet. */
        public ClientTransaction(byte[] bytes) {
            this(bytes, SignatureVerdict.NOT_CHECKED);
        }
    }
}
