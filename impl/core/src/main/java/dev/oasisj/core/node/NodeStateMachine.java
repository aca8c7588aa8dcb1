package dev.oasisj.core.node;

import dev.oasisj.core.crypto.Hash32;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The whole deterministic state of one node (consensus core, ledger, mempool, timers), driven one input at a time.
 *
 * <p>Contract (the node agent relies on every point):
 * <ul>
 *   <li>Deterministic: the same sequence of inputs from the same genesis gives the same outputs and the same
 *       {@link #stateRoot()} and {@link #lastBlockHash()}, on any machine. No clock, no threads, no I/O, no unseeded
 *       randomness; time enters only as {@link NodeInput.Tick}.</li>
 *   <li>Single-threaded: {@link #apply} is never called concurrently.</li>
 *   <li>Never throws on bad input: malformed, oversized, badly signed, replayed or stale input is reported in
 *       {@link NodeOutput#rejections()} and leaves the state root unchanged. It throws
 *       {@link dev.oasisj.core.Invariant.ViolationException} only when its own invariants break (a bug).</li>
 *   <li>Every input the agent applies has first been appended to the journal, so replaying the journal into a fresh
 *       instance built from the same genesis reproduces the state exactly.</li>
 * </ul>
 */
public interface NodeStateMachine {
    /** Applies one input and returns what the agent must send, the blocks committed by it, and any rejections. */
    NodeOutput apply(NodeInput input);

    /**
     * Work on an input that does not depend on the state, done by the agent before it journals the input; the result
     * is journaled and applied instead. It must apply exactly as {@code input} would (same outputs, same state), and be
     * a pure function of {@code input}, so that it may run ahead of earlier inputs' {@link #apply}: for example a
     * client transaction with its signature verdict, which replay then does not compute again. Default: the input.
     */
    default NodeInput prepare(NodeInput input) {
        return input;
    }

    /**
     * Why a peer message is junk, or null if it is not: junk is a message that {@link #apply} would only reject
     * (no state change, no outbound message, no commit; a rejection at most), and that can be told from its bytes
     * alone (size, kind, decoding), without the state. A pure function of {@code message}, like {@link #prepare}. The
     * agent drops junk and counts it against the peer <b>without journaling it</b>: replay is unaffected, since applying
     * junk would not have changed anything. Default: nothing is junk.
     */
    default @Nullable String junk(NodeInput.PeerMessage message) {
        return null;
    }

    /** Height of the last committed block (0 = genesis). */
    long height();

    /**
     * What this machine sent while it was built (a node restored exactly from a checkpoint drives its core once and
     * signs again the next height's messages the live node had signed: the same messages, the same signatures), so
     * that the sign guard can know them as released, as it knows what a replay re-creates. Empty by default.
     */
    default java.util.List<NodeOutput.Outbound> restoreOutbound() {
        return java.util.List.of();
    }

    /** Hash of the last committed block (the genesis hash at height 0). */
    Hash32 lastBlockHash();

    /** Root of the application state (the ledger) after the last committed block. */
    Hash32 stateRoot();
}
