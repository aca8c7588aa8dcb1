package dev.oasisj.node;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.node.NodeInput;

/**
 * Turns a {@link NodeInput} into journal bytes and back. Decoding must invert encoding exactly, or replay would feed the
 * state machine different inputs than it saw live.
 */
public interface JournalCodec {
    byte[] encode(NodeInput input);

    /** False for inputs this codec refuses to encode (too large, bad peer index): the agent drops them unjournaled. */
    default boolean fitsBounds(NodeInput input) {
        return true;
    }

    NodeInput decode(byte[] record) throws DecodeException;
}
