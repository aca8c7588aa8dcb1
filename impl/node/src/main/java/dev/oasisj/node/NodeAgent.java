package dev.oasisj.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.NodeStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The only code of a node that touches the clock, the network and the disk (DESIGN.md; modelled on Aeron's
 * {@code ClusteredServiceAgent}). {@link #doWork()} is one duty cycle:
 * <ol>
 *   <li>read the {@link Clock} once; if the tick advanced, the input {@code Tick(now)};</li>
 *   <li>poll the {@link Transport}: each frame becomes {@code PeerMessage(peer, bytes)}, unless it is dropped before it
 *       is journaled: from a banned peer, over the peer's byte or message budget, or junk
 *       ({@link NodeStateMachine#junk}; a peer that keeps sending junk is banned, see {@link PeerBudgets});</li>
 *   <li>poll the client queue: {@code submit} becomes {@code ClientTransaction(bytes)}, {@code status} is answered;</li>
 * </ol>
 * and for each input, in that order: prepare it ({@link NodeStateMachine#prepare}: for a submitted or gossiped
 * transaction, its signature verdict; the submissions of one cycle are prepared together before the first is
 * applied), encode it,
 * <b>append it to the {@link Journal}, then apply it</b> to the
 * {@link NodeStateMachine}, then send its outbound messages and report its committed blocks to the {@link Listener}.
 * Journaling first is what makes {@link #recover} exact: every input the state machine ever saw is in the journal.
 *
 * <p>Threading: everything but {@link #offerClientRequest} runs on one thread (the agent thread). A failing journal
 * append ({@link JournalException}) and a broken core invariant propagate out of {@link #doWork()}: the node stops rather
 * than run on with state it cannot reproduce.
 */
public final class NodeAgent {

    /** Receives what the node commits; called on the agent thread. */
    public interface Listener {
        void onCommitted(int nodeIndex, NodeOutput.CommittedBlock block);

        default void onRejection(int nodeIndex, NodeOutput.Rejection rejection) {}
    }

    /**
     * Decides which of one input's outbound messages may leave the node. Called after the input was journaled and
     * applied and before any of its messages is sent, with the number of inputs this agent has journaled so far (that
     * input included); returns those that may be sent, in order. A {@link SignGuard} keeps a validator from signing
     * twice this way. It may throw (for example when it cannot write its state): then nothing of this input is sent
     * and the exception propagates out of {@link #doWork()}.
     */
    public interface OutboundGate {
        /** Lets everything out. */
        OutboundGate OPEN = (outbound, inputsJournaled) -> outbound;

        List<NodeOutput.Outbound> admit(List<NodeOutput.Outbound> outbound, long inputsJournaled);
    }

    /**
     * Called after an input that committed at least one block was journaled, applied and its messages sent, with the
     * number of inputs this agent has journaled so far (that input included). A node takes its checkpoints here
     * ({@link NodeStore#checkpoint}): the state is then exactly the state after a journal boundary.
     */
    public interface CommitHook {
        void afterCommit(long inputsJournaled);
    }

    /** What {@link #recover} replayed: the number of inputs and the last tick seen (the agent resumes after it). */
    public record Recovery(long inputsReplayed, long lastTick, long committedBlocks) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The answer to an accepted submission: {@code {"accepted":true,"rejections":[]}}. */
    static final String ACCEPTED_REPLY = "{\"accepted\":true,\"rejections\":[]}";

    private final NodeStateMachine stateMachine;
    private final Journal journal;
    private final Transport transport;
    private final Clock clock;
    private final JournalCodec codec;
    private final Listener listener;
    private final OutboundGate gate;
    private final ArrayBlockingQueue<ClientRequest> clientQueue =
            new ArrayBlockingQueue<>(ShellLimits.CLIENT_QUEUE_REQUESTS);

    /** This duty cycle's client requests, and their prepared inputs (null for a status request). */
    private final ArrayList<ClientRequest> requests = new ArrayList<>();
    private final ArrayList<@Nullable NodeInput> prepared = new ArrayList<>();

    private long lastTick;
    private @Nullable CommitHook commitHook;
    private long inputsApplied;
    private long outboundDropped;
    private long clientRequestsRefused;
    private long inputsDroppedOutOfBounds;
    private final PeerBudgets budgets;
    private long peerFramesBanned;
    private long peerFramesOverBudget;
    private long peerFramesJunk;
    private long peerBans;

    /**
     * An agent over a state machine that already reflects its journal (fresh at genesis with an empty journal, or after
     * {@link #recover}); {@code lastTick} is the last tick already applied (from {@link Recovery#lastTick()}, or -1).
     */
    public NodeAgent(NodeStateMachine stateMachine, Journal journal, Transport transport, Clock clock, JournalCodec codec,
            Listener listener, long lastTick) {
        this(stateMachine, journal, transport, clock, codec, listener, lastTick, PeerBudgets.Settings.forTickMillis(1));
    }

    /** As above, with the per-peer budgets {@code budgets} (in ticks of {@code clock}). */
    public NodeAgent(NodeStateMachine stateMachine, Journal journal, Transport transport, Clock clock, JournalCodec codec,
            Listener listener, long lastTick, PeerBudgets.Settings budgets) {
        this(stateMachine, journal, transport, clock, codec, listener, lastTick, budgets, OutboundGate.OPEN);
    }

    /** As above, with every input's outbound messages passed through {@code gate} before sending. */
    public NodeAgent(NodeStateMachine stateMachine, Journal journal, Transport transport, Clock clock, JournalCodec codec,
            Listener listener, long lastTick, PeerBudgets.Settings budgets, OutboundGate gate) {
        this.budgets = new PeerBudgets(transport.validatorCount(), budgets);
        this.gate = gate;
        this.stateMachine = stateMachine;
        this.journal = journal;
        this.transport = transport;
        this.clock = clock;
        this.codec = codec;
        this.listener = listener;
        this.lastTick = lastTick;
    }

    /**
     * Replays the whole journal into {@code freshStateMachine} (built from the same genesis), before the node goes live.
     * Outbound messages produced during replay are not sent again (peers already got them, or consensus will ask again);
     * committed blocks are reported to {@code replayListener} if one is given.
     *
     * @throws JournalException if a record cannot be read or decoded: a journal the node cannot replay must not be
     *     silently truncated, since the node may have voted on the inputs that follow.
     */
    public static Recovery recover(Journal journal, NodeStateMachine freshStateMachine, JournalCodec codec,
            int nodeIndex, @Nullable Listener replayListener) {
        long[] lastTick = {-1};
        long[] committed = {0};
        long count = journal.replay(record -> {
            NodeInput input;
            try {
                input = codec.decode(record);
            } catch (DecodeException e) {
                throw new JournalException("journal record cannot be decoded: " + e.getMessage(), e);
            }
            if (input instanceof NodeInput.Tick t) {
                lastTick[0] = Math.max(lastTick[0], t.tick());
            }
            NodeOutput out = freshStateMachine.apply(input);
            committed[0] += out.committed().size();
            if (replayListener != null) {
                for (NodeOutput.CommittedBlock b : out.committed()) {
                    replayListener.onCommitted(nodeIndex, b);
                }
            }
        });
        return new Recovery(count, lastTick[0], committed[0]);
    }

    /** Overload for callers that do not watch replayed commits. */
    public static Recovery recover(Journal journal, NodeStateMachine freshStateMachine, JournalCodec codec) {
        return recover(journal, freshStateMachine, codec, -1, null);
    }

    /** Sets the hook called after each input that committed a block (agent thread; before the agent runs). */
    public void setCommitHook(@Nullable CommitHook hook) {
        this.commitHook = hook;
    }

    /** One duty cycle; returns the number of inputs and requests handled (0 = idle, the caller may back off). */
    public int doWork() {
        int work = 0;
        long now = clock.currentTick();
        if (now > lastTick) {
            lastTick = now;
            process(new NodeInput.Tick(now));
            work++;
        }
        work += transport.poll(this::onPeerFrame, ShellLimits.MAX_FRAMES_PER_DUTY_CYCLE);
        for (int i = 0; i < ShellLimits.MAX_CLIENT_REQUESTS_PER_DUTY_CYCLE; i++) {
            ClientRequest request = clientQueue.poll();
            if (request == null) {
                break;
            }
            requests.add(request);
        }
        // The submissions' signatures first, back to back (prepare is pure, so it may run ahead of the earlier
        // inputs' apply), then each request in arrival order.
        for (ClientRequest request : requests) {
            prepared.add(request instanceof ClientRequest.Submit submit
                    ? stateMachine.prepare(new NodeInput.ClientTransaction(submit.transaction())) : null);
        }
        for (int i = 0; i < requests.size(); i++) {
            ClientRequest request = requests.get(i);
            @Nullable NodeInput input = prepared.get(i);
            if (input != null) {
                submit(request, input);
            } else if (request instanceof ClientRequest.Query q) {
                request.reply().complete(queryJson(q.path(), q.data()).toString());
            } else {
                request.reply().complete(statusJson().toString());
            }
            work++;
        }
        requests.clear();
        prepared.clear();
        return work;
    }

    /**
     * A peer's frame, checked before it is journaled: the peer's ban, its budgets, then whether the core calls it junk
     * (dropped, counted, never journaled: applying it would have changed nothing). Time is this cycle's tick.
     */
    private void onPeerFrame(int peer, byte[] bytes) {
        if (peer < 0 || peer >= transport.validatorCount()) {
            peerFramesJunk++; // a transport attributes frames to validators; nothing else is journaled
            return;
        }
        switch (budgets.admit(peer, bytes.length, lastTick)) {
            case BANNED -> {
                peerFramesBanned++;
                return;
            }
            case OVER_BUDGET -> {
                peerFramesOverBudget++;
                return;
            }
            case ADMITTED -> { }
        }
        NodeInput.PeerMessage message = new NodeInput.PeerMessage(peer, bytes);
        if (stateMachine.junk(message) != null) {
            peerFramesJunk++;
            if (budgets.junk(peer, lastTick)) {
                peerBans++;
                transport.ban(peer, budgets.settings().banMillis());
            }
            return;
        }
        process(message);
    }

    /**
     * Prepare ({@link NodeStateMachine#prepare}), journal, then apply, then send and report. The order is the contract
     * of this class. An input outside the codec's bounds is dropped before journaling (and counted): it can be neither
     * journaled nor, therefore, applied.
     */
    private @Nullable NodeOutput process(NodeInput input) {
        return processPrepared(stateMachine.prepare(input));
    }

    /** As {@link #process} for an input that is already the result of {@link NodeStateMachine#prepare}. */
    private @Nullable NodeOutput processPrepared(NodeInput input) {
        if (!codec.fitsBounds(input)) {
            inputsDroppedOutOfBounds++;
            return null;
        }
        journal.append(codec.encode(input));
        NodeOutput out = stateMachine.apply(input);
        inputsApplied++;
        for (NodeOutput.Outbound o : gate.admit(out.outbound(), inputsApplied)) {
            if (o.peer() == NodeOutput.Outbound.BROADCAST) {
                int accepted = transport.broadcast(o.bytes());
                outboundDropped += (transport.validatorCount() - 1) - accepted;
            } else if (o.peer() < 0 || o.peer() >= transport.validatorCount() || o.peer() == transport.selfIndex()) {
                outboundDropped++;
            } else if (!transport.send(o.peer(), o.bytes())) {
                outboundDropped++;
            }
        }
        int self = transport.selfIndex();
        for (NodeOutput.CommittedBlock b : out.committed()) {
            listener.onCommitted(self, b);
        }
        for (NodeOutput.Rejection r : out.rejections()) {
            listener.onRejection(self, r);
        }
        CommitHook hook = commitHook;
        if (hook != null && !out.committed().isEmpty()) {
            hook.afterCommit(inputsApplied);
        }
        return out;
    }

    /** Processes a submission's prepared transaction {@code input} and answers {@code request}. */
    private void submit(ClientRequest request, NodeInput input) {
        NodeOutput out = processPrepared(input);
        if (out == null) {
            request.reply().complete(JSON.createObjectNode().put("accepted", false).put("error", "transaction too large")
                    .toString());
            return;
        }
        if (out.rejections().isEmpty()) {
            // the common answer, as a constant: the same bytes Jackson writes for it (a test compares them)
            request.reply().complete(ACCEPTED_REPLY);
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("accepted", false);
        ArrayNode rejections = answer.putArray("rejections");
        for (NodeOutput.Rejection r : out.rejections()) {
            rejections.addObject().put("reason", r.reason()).put("detail", r.detail());
        }
        request.reply().complete(answer.toString());
    }

    /**
     * The answer to {@code query <path> [<hex>]} (agent thread only): the application's answer for the committed state
     * at the current height; an error when this node drives no application (a test machine).
     */
    public ObjectNode queryJson(String path, byte[] data) {
        ObjectNode answer = JSON.createObjectNode();
        if (!(stateMachine instanceof dev.oasisj.core.node.ValidatorNode v)) {
            return answer.put("error", "this node answers no queries");
        }
        dev.oasisj.core.app.Application.QueryResult r = v.application().query(path, data);
        answer.put("height", v.height()).put("path", path).put("found", r.found())
                .put("value", java.util.HexFormat.of().formatHex(r.value())).put("detail", r.detail());
        answer.put("encoding", r.encoding().name().toLowerCase(java.util.Locale.ROOT));
        if (r.encoding() == dev.oasisj.core.app.Application.ValueEncoding.JSON) {
            // the consensus services answer in JSON: also shown as JSON
            try {
                answer.set("answer", JSON.readTree(r.value()));
            } catch (java.io.IOException notJson) {
                answer.put("answerError", "the application said JSON, but the value does not parse: "
                        + notJson.getMessage());
            }
        }
        return answer;
    }

    /**
     * The status answer: height, last block hash, state root, peers, and for a validator node its evidence counts and
     * the size and hash of the validator set of the next height (agent thread only).
     */
    public ObjectNode statusJson() {
        ObjectNode status = JSON.createObjectNode();
        status.put("validator", transport.selfIndex());
        status.put("height", stateMachine.height());
        status.put("lastBlockHash", stateMachine.lastBlockHash().toHex());
        status.put("stateRoot", stateMachine.stateRoot().toHex());
        status.put("tick", lastTick);
        status.put("peers", transport.connectedPeerCount());
        status.put("validators", transport.validatorCount());
        status.put("inputsApplied", inputsApplied);
        ObjectNode dropped = status.putObject("peerFramesDropped"); // before the journal, by reason
        dropped.put("junk", peerFramesJunk);
        dropped.put("overBudget", peerFramesOverBudget);
        dropped.put("banned", peerFramesBanned);
        status.put("peerBans", peerBans);
        if (stateMachine instanceof dev.oasisj.core.node.ValidatorNode v) {
            status.put("evidencePending", v.pendingEvidence().size());
            status.put("evidenceCommitted", v.committedEvidenceCount());
            // The set deciding the next height (validator sets per height); "validators" above counts transport peers.
            v.validatorsAt(v.height() + 1).ifPresent(set -> status.put("validatorSetSize", set.size())
                    .put("validatorSetHash", set.hash().toHex()));
        }
        return status;
    }

    /**
     * Hands a client request to the agent; callable from any thread; never blocks. When the bounded queue is full the
     * request is answered at once with {@code {"error":"busy"}} and false is returned.
     */
    public boolean offerClientRequest(ClientRequest request) {
        if (clientQueue.offer(request)) {
            return true;
        }
        synchronized (this) {
            clientRequestsRefused++;
        }
        request.reply().complete(ClientJson.error("busy"));
        return false;
    }

    public NodeStateMachine stateMachine() {
        return stateMachine;
    }

    public Transport transport() {
        return transport;
    }

    public long lastTick() {
        return lastTick;
    }

    public long inputsApplied() {
        return inputsApplied;
    }

    /** Inputs refused by the codec's bounds (never journaled, never applied). */
    public long inputsDroppedOutOfBounds() {
        return inputsDroppedOutOfBounds;
    }

    /** Peer frames dropped unjournaled because their peer was banned for sending junk. */
    public long peerFramesBanned() {
        return peerFramesBanned;
    }

    /** Peer frames dropped unjournaled because their peer's byte or message budget was spent. */
    public long peerFramesOverBudget() {
        return peerFramesOverBudget;
    }

    /** Peer frames dropped unjournaled as junk ({@link NodeStateMachine#junk}). */
    public long peerFramesJunk() {
        return peerFramesJunk;
    }

    /** Times a peer was banned for sending junk. */
    public long peerBans() {
        return peerBans;
    }

    public long outboundDropped() {
        return outboundDropped;
    }

    public synchronized long clientRequestsRefused() {
        return clientRequestsRefused;
    }
}
