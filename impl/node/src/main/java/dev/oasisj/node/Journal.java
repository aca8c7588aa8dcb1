package dev.oasisj.node;

import java.util.function.Consumer;

/**
 * Port: the node's input journal, an append-only log of encoded inputs. The {@link NodeAgent} appends every input
 * before applying it, so replaying the journal into a fresh state machine from the same genesis reproduces the node's
 * state exactly (DESIGN.md, "a pure core in a thin shell").
 *
 * <p>Contract:
 * <ul>
 *   <li><b>Single-threaded:</b> one thread (the agent's) appends, replays and closes.</li>
 *   <li><b>Durable when {@link #append} returns</b>, to the degree the implementation states: an implementation
 *       documents whether a returned append survives the death of the process (kill -9) and whether it survives the
 *       death of the operating system (power loss). Records are never reordered and never partially visible: after a
 *       crash, replay yields a prefix of the appended records, each one whole.</li>
 *   <li><b>Must not block</b> beyond the cost of the write itself (and of the flush, when the implementation was asked
 *       to flush every record).</li>
 *   <li><b>Throws {@link JournalException}</b> when a record cannot be written (disk full, closed journal) or a stored
 *       record is unreadable. The agent then stops: it must never apply an input that it failed to journal. A failed
 *       append leaves the journal as it was (nothing of the failed record is replayed), so the node restarts from
 *       what was written.</li>
 *   <li>Records are opaque and at most {@link ShellLimits#MAX_JOURNAL_RECORD_BYTES} long; bigger ones are refused with
 *       {@link IllegalArgumentException}.</li>
 * </ul>
 */
public interface Journal extends AutoCloseable {
    /** Appends one record; see the contract for when it is durable. */
    void append(byte[] record);

    /** Feeds every record, from the first to the last appended, in order, to {@code consumer}; returns the count. */
    long replay(Consumer<byte[]> consumer);

    /** Flushes and releases the journal; idempotent. Appending afterwards throws {@link JournalException}. */
    @Override
    void close();
}
