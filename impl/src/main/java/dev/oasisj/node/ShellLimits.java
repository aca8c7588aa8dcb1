package dev.oasisj.node;

/**
 * Every bound of the node shell in one place ("put a limit on everything"): queues reject or drop when full and count
 * it, frames are size-checked before anything is allocated, and a duty cycle does a bounded amount of work.
 */
public final class ShellLimits {
    private ShellLimits() {}

    /**
     * Largest frame a peer may send (and the largest payload a transport accepts to send): exactly the largest peer
     * message the core accepts, so a block-sync response the core is allowed to produce is never cut by the shell.
     * It derives from the journal's record capacity ({@link #MAX_JOURNAL_RECORD_BYTES} less the codec's largest
     * peer-message header: 4,194,286 bytes), so every admitted frame can be journaled.
     */
    public static final int MAX_FRAME_BYTES = dev.oasisj.core.node.NodeLimits.MAX_PEER_MESSAGE_BYTES;

    /** Frames received by the network thread and not yet polled by the agent; more are dropped and counted. */
    public static final int INBOUND_QUEUE_FRAMES = 16_384;

    /** Frames a transport hands to the agent in one duty cycle, so a flood cannot starve ticks and clients. */
    public static final int MAX_FRAMES_PER_DUTY_CYCLE = 1_024;

    /** Client requests waiting for the agent; more are refused with a "busy" answer. */
    public static final int CLIENT_QUEUE_REQUESTS = 1_024;

    /** Client requests the agent serves in one duty cycle. */
    public static final int MAX_CLIENT_REQUESTS_PER_DUTY_CYCLE = 256;

    /** Longest request line on the client port (a hex transaction is twice its size, plus the command). */
    public static final int MAX_CLIENT_LINE_BYTES = 256 * 1024;

    /** Largest transaction a client may submit, in bytes (before hex encoding): the core's client input bound. */
    public static final int MAX_CLIENT_TRANSACTION_BYTES = dev.oasisj.core.node.NodeLimits.MAX_CLIENT_INPUT_BYTES;

    /**
     * Largest journal record (4,194,296 bytes): the root of the input limits above, being what one Chronicle excerpt
     * of the node's journal holds after the journal's own 8-byte header ({@link ChronicleJournal}).
     */
    public static final int MAX_JOURNAL_RECORD_BYTES = dev.oasisj.core.node.NodeLimits.MAX_JOURNAL_ENTRY_BYTES;

    /** Validators a node configuration may list (the ledger has its own, possibly lower, limit). */
    public static final int MAX_VALIDATORS = 1_024;

    /** Messages in flight in a simulated network, all links together; more are dropped and counted. */
    public static final int SIMULATED_IN_FLIGHT_MESSAGES = 200_000;

    /** Messages delivered to one simulated node and not yet polled; more are dropped and counted. */
    public static final int SIMULATED_INBOX_MESSAGES = 16_384;
}
