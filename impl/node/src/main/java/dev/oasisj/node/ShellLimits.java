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

    /**
     * Inbound peer connections that have not completed the TLS handshake, at once, in total; more are closed on accept
     * (and counted). Honest validators hold one each only while they are connecting. Before the handshake a
     * connection can make the node buffer at most one TLS record (16 KiB + 261 bytes with its header: longer ones are
     * refused at their header, {@code TlsRecordGuard}) plus the TLS engine's handshake state (handshake messages at most
     * {@code jdk.tls.maxHandshakeMessageSize}, 32 KiB by default), so this cap bounds the memory of all
     * unauthenticated connections together.
     */
    public static final int MAX_UNAUTHENTICATED_CONNECTIONS = 64;

    /** As {@link #MAX_UNAUTHENTICATED_CONNECTIONS}, from one remote IP address. */
    public static final int MAX_UNAUTHENTICATED_CONNECTIONS_PER_ADDRESS = 8;

    /**
     * After a failed TLS handshake from an address, its new peer connections are refused for this long: the acceptor's
     * side of a handshake (an X25519 exchange, an Ed25519 signature, the check of the dialler's) is the costly step of
     * a connection and is paid for any ClientHello; honest validators fail a handshake only when misconfigured or when
     * killed in the middle of one.
     */
    public static final long FAILED_HANDSHAKE_PENALTY_MILLIS = 1_000;

    /** Addresses remembered for {@link #FAILED_HANDSHAKE_PENALTY_MILLIS} at once; beyond it, expired ones are forgotten. */
    public static final int MAX_PENALIZED_ADDRESSES = 4_096;

    /** Time a peer connection has to complete its TLS handshake (either side) before it is closed. */
    public static final long HANDSHAKE_TIMEOUT_MILLIS = 5_000;

    /** Frames received by the network thread and not yet polled by the agent; more are dropped and counted. */
    public static final int INBOUND_QUEUE_FRAMES = 16_384;

    /**
     * Bytes of one peer's frames waiting for the agent at which the transport stops reading that peer's connection
     * (read back-pressure; {@code TcpTransport}); it reads again below {@link #PEER_QUEUED_BYTES_RESUME}. With a
     * frame being decoded and one socket read's worth of frames already decoded, one peer holds at most about
     * 8 + 4 + 1 MiB of this node's memory in received frames.
     */
    public static final long PEER_QUEUED_BYTES_PAUSE = 8L * 1024 * 1024;

    /** See {@link #PEER_QUEUED_BYTES_PAUSE}. */
    public static final long PEER_QUEUED_BYTES_RESUME = 4L * 1024 * 1024;

    /** Frames a transport hands to the agent in one duty cycle, so a flood cannot starve ticks and clients. */
    public static final int MAX_FRAMES_PER_DUTY_CYCLE = 1_024;

    /**
     * Per-peer byte budget (a token bucket in the agent, checked before journaling): bytes of frames one authenticated
     * peer may have journaled at once after a quiet spell; at least {@link #MAX_FRAME_BYTES}, so a frame of the
     * largest size still passes.
     */
    public static final long PEER_BURST_BYTES = 2L * MAX_FRAME_BYTES;

    /**
     * The byte budget's refill: bytes of frames per second one peer may have journaled, sustained. Honest traffic: a
     * peer gossips each transaction once and proposes blocks of them, and answers block requests with at most one
     * response of {@link dev.oasisj.core.node.NodeLimits#MAX_RESPONSE_BLOCK_BYTES} of blocks at a time.
     */
    public static final long PEER_BYTES_PER_SECOND = 4L * 1024 * 1024;

    /** Per-peer message budget: frames one peer may have journaled at once after a quiet spell. */
    public static final long PEER_BURST_MESSAGES = 40_000;

    /** The message budget's refill, frames per second. */
    public static final long PEER_MESSAGES_PER_SECOND = 20_000;

    /**
     * Junk frames (frames the core can tell are malformed from their bytes alone: never journaled) a peer may send
     * before it is banned; honest peers send none.
     */
    public static final int PEER_JUNK_FRAMES_BEFORE_BAN = 8;

    /** One junk frame of a peer's allowance is forgiven per this many milliseconds. */
    public static final long PEER_JUNK_FORGIVEN_MILLIS = 10_000;

    /** How long a banned peer's frames are dropped and its reconnections refused. */
    public static final long PEER_BAN_MILLIS = 60_000;

    /** Client requests waiting for the agent; more are refused with a "busy" answer. */
    public static final int CLIENT_QUEUE_REQUESTS = 1_024;

    /** Client requests the agent serves in one duty cycle. */
    public static final int MAX_CLIENT_REQUESTS_PER_DUTY_CYCLE = 256;

    /** Largest transaction a client may submit, in bytes (before hex encoding): the core's client input bound. */
    public static final int MAX_CLIENT_TRANSACTION_BYTES = dev.oasisj.core.node.NodeLimits.MAX_CLIENT_INPUT_BYTES;

    /** Largest data a client query may carry, in bytes (before hex encoding): a key or two, with room. */
    public static final int MAX_QUERY_DATA_BYTES = 256;

    /**
     * Longest request line on the client port, without its "\n" or "\r\n": exactly the largest legal request,
     * {@code submit } and the hex of a transaction of {@link #MAX_CLIENT_TRANSACTION_BYTES} (16,391 bytes).
     */
    public static final int MAX_CLIENT_LINE_BYTES = "submit ".length() + 2 * MAX_CLIENT_TRANSACTION_BYTES;

    /** Open client connections, all addresses together; a connection over it is answered an error and closed. */
    public static final int MAX_CLIENT_CONNECTIONS = 1_024;

    /** Open client connections from one IP address; a connection over it is answered an error and closed. */
    public static final int MAX_CLIENT_CONNECTIONS_PER_ADDRESS = 16;

    /** A client connection that neither sends nor receives a byte for this long is closed. */
    public static final long CLIENT_IDLE_TIMEOUT_MILLIS = 30_000;

    /**
     * Answers queued for one client connection above which the port stops reading its requests (Netty's
     * high-water mark); reading resumes below {@link #CLIENT_WRITE_LOW_WATER_BYTES}.
     */
    public static final int CLIENT_WRITE_HIGH_WATER_BYTES = 16 * 1024;

    /** See {@link #CLIENT_WRITE_HIGH_WATER_BYTES}. */
    public static final int CLIENT_WRITE_LOW_WATER_BYTES = 8 * 1024;

    /** Requests of one client connection handed to the agent and not yet answered; the port reads no more meanwhile. */
    public static final int MAX_CLIENT_OUTSTANDING_REQUESTS = 32;

    /**
     * Kernel socket buffers of one client connection, each way (SO_SNDBUF, SO_RCVBUF; Linux doubles them for its
     * bookkeeping): without them the kernel grows a connection's send buffer to megabytes of answers its client
     * does not read.
     */
    public static final int CLIENT_SOCKET_BUFFER_BYTES = 32 * 1024;

    /** Bytes the client port reads from one connection at a time. */
    public static final int CLIENT_READ_BYTES = 8 * 1024;

    /**
     * Request bytes received and not yet handed on (partial lines), all client connections together; a connection
     * whose bytes would go over it is answered an error and closed.
     */
    public static final int MAX_CLIENT_BUFFERED_REQUEST_BYTES = 1024 * 1024;

    /**
     * After its last answer (an error: a line too long, buffers full), a client connection is half-closed and what the
     * client still sends is read and discarded for at most this long, then it is closed.
     */
    public static final long CLIENT_CLOSE_LINGER_MILLIS = 2_000;

    /** Longest answer line a client (the CLI) reads from a node. */
    public static final int MAX_CLIENT_ANSWER_BYTES = 64 * 1024;

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
