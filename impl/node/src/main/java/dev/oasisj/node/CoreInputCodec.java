package dev.oasisj.node;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeInputCodec;

/** The journal encoding the core defines ({@link NodeInputCodec}), as the agent's {@link JournalCodec}. */
public final class CoreInputCodec implements JournalCodec {
    public static final CoreInputCodec INSTANCE = new CoreInputCodec();

    private CoreInputCodec() {}

    @Override
    public byte[] encode(NodeInput input) {
        return NodeInputCodec.encode(input);
    }

    @Override
    public NodeInput decode(byte[] record) throws DecodeException {
        return NodeInputCodec.decode(record);
    }

    @Override
    public boolean fitsBounds(NodeInput input) {
        return NodeInputCodec.fitsBounds(input);
    }
}
