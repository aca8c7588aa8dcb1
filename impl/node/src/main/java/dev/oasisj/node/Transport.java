package dev.oasisj.node;

/**
 * Port: sends and receives opaque byte frames between the validators of one network. Peers are numbered by their index in
 * the genesis validator list; this node is {@link #selfIndex()}.
 *
 * <p>Contract (the {@link NodeAgent} relies on every point):
 * <ul>
 *   <li><b>Single-threaded use:</b> {@link #send}, {@link #broadcast} and {@link #poll} are called only from the agent
 *       thread. Implementations may use their own I/O threads internally, and hand received frames over through a
 *       bounded queue.</li>
 *   <li><b>Must not block:</b> sending only enqueues; a frame that cannot be enqueued (peer not connected, its buffer
 *       full, frame larger than {@link ShellLimits#MAX_FRAME_BYTES}) is dropped and counted, and {@code send} returns
 *       false. Consensus tolerates loss; blocking the agent would not be tolerated.</li>
 *   <li><b>Must not throw</b> on any network condition; arguments that are programming errors (a peer index out of
 *       range) throw {@link IllegalArgumentException}.</li>
 *   <li><b>No delivery guarantee:</b> frames may be lost, duplicated or reordered (the simulated network does all three
 *       on purpose); a frame that is delivered is delivered whole and attributed to the peer that sent it.</li>
 *   <li>Frames are never delivered to their sender: {@link #broadcast} sends to every validator except this one.</li>
 *   <li>The caller must not modify a byte array after passing it to {@code send}, nor the array it is handed in
 *       {@link FrameHandler#onFrame} after the handler returns unless it copied it (implementations do not reuse
 *       arrays, so keeping them is safe).</li>
 * </ul>
 */
public interface Transport extends AutoCloseable {
    /** This node's validator index. */
    int selfIndex();

    /** Number of validators in the network, this node included. */
    int validatorCount();

    /** Enqueues {@code bytes} for peer {@code peer}; false if the frame was dropped locally (see the contract). */
    boolean send(int peer, byte[] bytes);

    /** Enqueues {@code bytes} for every other validator; returns how many accepted it. */
    int broadcast(byte[] bytes);

    /** Hands up to {@code maxFrames} received frames, oldest first, to {@code handler}; returns how many. */
    int poll(FrameHandler handler, int maxFrames);

    /** Peers this node currently believes it can send to (for status reports; not a consensus input). */
    int connectedPeerCount();

    /**
     * Stops taking traffic from {@code peer} for {@code durationMillis} (the agent bans a peer that keeps sending junk):
     * a transport with connections closes the peer's inbound connection and refuses its reconnections meanwhile. The
     * agent drops the peer's frames during the ban whatever the transport does; the default does nothing more. Must not
     * block or throw (a peer index out of range is a programming error: {@link IllegalArgumentException}).
     */
    default void ban(int peer, long durationMillis) {}

    /** Releases threads and sockets; idempotent; never throws. */
    @Override
    void close();
}
