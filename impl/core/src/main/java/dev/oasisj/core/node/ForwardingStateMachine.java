package dev.oasisj.core.node;

import dev.oasisj.core.crypto.Hash32;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A state machine that wraps another and passes every call through to it: subclasses override {@link #apply} to
 * observe or change what goes in and out, and inherit the rest ({@link #prepare}, {@link #junk}, the committed height,
 * block hash and state root), so that no wrapper can forget one of them (a wrapper that forgot {@code junk} would have
 * its node journal junk; one that forgot {@code prepare} would verify signatures on the agent thread).
 */
public abstract class ForwardingStateMachine implements NodeStateMachine {
    /** The wrapped machine. */
    protected final NodeStateMachine inner;

    protected ForwardingStateMachine(NodeStateMachine inner) {
        this.inner = inner;
    }

    @Override
    public NodeOutput apply(NodeInput input) {
        return inner.apply(input);
    }

    @Override
    public final NodeInput prepare(NodeInput input) {
        return inner.prepare(input);
    }

    @Override
    public final @Nullable String junk(NodeInput.PeerMessage message) {
        return inner.junk(message);
    }

    @Override
    public final long height() {
        return inner.height();
    }

    @Override
    public final Hash32 lastBlockHash() {
        return inner.lastBlockHash();
    }

    @Override
    public final Hash32 stateRoot() {
        return inner.stateRoot();
    }

    @Override
    public final java.util.List<NodeOutput.Outbound> restoreOutbound() {
        return inner.restoreOutbound();
    }
}
