package dev.oasisj.node;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.node.NodeInput;
import java.util.function.Consumer;

/**
 * A test journal that hands everything to {@code inner}; subclasses override {@link #append} to watch or fail appends
 * and then call {@code super.append}.
 */
abstract class ForwardingJournal implements Journal {
    final Journal inner;

    ForwardingJournal(Journal inner) {
        this.inner = inner;
    }

    /** The node input that {@code record} encodes; a record that does not decode fails the test. */
    static NodeInput decode(byte[] record) {
        try {
            return CoreInputCodec.INSTANCE.decode(record);
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void append(byte[] record) {
        inner.append(record);
    }

    @Override
    public long replay(Consumer<byte[]> consumer) {
        return inner.replay(consumer);
    }

    @Override
    public void close() {
        inner.close();
    }
}
