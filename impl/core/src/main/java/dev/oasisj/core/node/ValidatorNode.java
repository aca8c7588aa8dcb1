package dev.oasisj.core.node;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.Action;
import dev.oasisj.core.consensus.ConsensusConfig;
import dev.oasisj.core.consensus.ConsensusCore;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.ConsensusSnapshot;
import dev.oasisj.core.consensus.Decision;
import dev.oasisj.core.consensus.DeliverResult;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.Step;
import dev.oasisj.core.consensus.StepResult;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.consensus.ValuePayload;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.BlockCodec;
import dev.oasisj.core.ledger.Commit;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.core.ledger.TransferApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The deterministic validator node: the consensus core ({@link ConsensusCore}), the committed chain, the application
 * it drives ({@link Application}: its state and pending transactions; the transfer ledger unless another is given) and
 * the timers, driven one {@link NodeInput} at a time (contract: {@link NodeStateMachine}).
 *
 * <p><b>After every input</b> the node drives the core to quiescence ({@link #drive}): it applies the first enabled
 * action (the core's priority order) one at a time, and, when this node is the proposer of the current round in step
 * {@code propose} and has not proposed there, proposes (the core's required re-proposal if it has a valid value, else
 * a fresh block built from the mempool). The proposer waits for the first tick after the previous commit before it
 * proposes (so the mempool fills for at least a tick, and a network without ticks cannot spin through heights).
 * Signed messages are broadcast. A {@code Decide} commits the block right away,
 * before the next action, so that candidates of the next height are validated against the new ledger.
 *
 * <p><b>Timers</b> (named fields, TigerBeetle style): {@link #proposeTimeout}, {@link #prevoteTimeout},
 * {@link #precommitTimeout}. Each starts when the core reports its timeout armed at a (height, round) and expires
 * {@code base + round * delta} ticks later (genesis {@link Genesis.ConsensusParams}); on a {@link NodeInput.Tick} past
 * the deadline, if still armed, the node fires the core's timeout action.
 *
 * <p><b>Block sync</b>: a consensus message at least {@link NodeLimits#SYNC_TRIGGER_HEIGHT_GAP} heights above the
 * core's height, a message of a higher height when such messages have been arriving for a propose timeout (peers
 * that committed a block we missed the precommits of, and may need our votes to go further), or
 * {@code blockSyncSilenceTicks} without a commit, makes the node ask for the committed blocks after
 * its own ({@link PeerWire.BlockRequest}). A peer answers from its retained blocks with each block and the commit that
 * finalized it. A synced block is accepted only with valid precommit signatures of more than two thirds of the power
 * for exactly that block, and only if it is valid (same rules as a proposal). After a sync the core restarts at the
 * new height, keeping the messages it had already received for it or later. A peer that no longer holds the blocks
 * asked for answers with a snapshot of its state instead ({@link StateSync}: state sync, checked against a commit and
 * the committed state root before it is installed).
 *
 * <p><b>Vote forwarding</b>: nodes send their own messages, and on entering a round above 0 also forward the prevotes
 * behind their valid value (see {@link #forwardPolkaOnNewRound}), so that a re-proposal with a proof-of-lock round is
 * accepted by validators that missed part of that polka.
 *
 * <p><b>Evidence</b>: every consensus message from a peer goes through an {@link EvidencePool}; two different votes
 * of one kind by one validator at one (height, round) become a {@link DuplicateVote}, which the node keeps for
 * inclusion (at most {@link NodeLimits#MAX_PENDING_EVIDENCE}) and gossips once; evidence gossiped by a peer is checked
 * and kept, not forwarded. The proposer puts the evidence it holds (at most {@code MAX_BLOCK_EVIDENCE}, none older
 * than {@link NodeLimits#MAX_EVIDENCE_AGE_BLOCKS}) in its block; the application is told of it when the block is
 * processed and finalized ({@link dev.oasisj.core.app.BlockContext#evidence}).
 *
 * <p><b>Transactions</b> from clients are admitted by the application ({@link Application#checkTx}: for transfers,
 * decoded, nonce and balance checked against the ledger and pending transactions, signature verified) and gossiped to
 * the peers once; gossiped ones are admitted but not forwarded again.
 */
public final class ValidatorNode implements NodeStateMachine {
    /** Bound on the actions one input may cause (each action makes progress; hitting it is a bug). */
    static final int MAX_ACTIONS_PER_INPUT = 100_000;

    /** One consensus timeout: armed for one (height, round), due at a tick. */
    private static final class Timeout {
        private final String name;
        private boolean armed;
        private long height;
        private int round;
        private long deadlineTick;

        Timeout(String name) {
            this.name = name;
        }

        /** Starts the timer the first time its timeout is armed at (height, round); disarms it when no longer armed. */
        void update(boolean armedNow, long h, int r, long nowTick, long durationTicks) {
            if (!armedNow) {
                armed = false;
            } else if (!armed || h != height || r != round) {
                armed = true;
                height = h;
                round = r;
                deadlineTick = nowTick + durationTicks;
            }
        }

        boolean due(long nowTick) {
            return armed && nowTick >= deadlineTick;
        }

        void disarm() {
            armed = false;
        }

        @Override
        public String toString() {
            return name + (armed ? "@" + deadlineTick + " (h=" + height + ", r=" + round + ")" : " (off)");
        }
    }

    /** Collects what one input produced. */
    private static final class Out {
        final List<NodeOutput.Outbound> outbound = new ArrayList<>();
        final List<NodeOutput.CommittedBlock> committed = new ArrayList<>();
        final List<NodeOutput.Rejection> rejections = new ArrayList<>();

        void broadcast(PeerWire.Message m) {
            outbound.add(new NodeOutput.Outbound(NodeOutput.Outbound.BROADCAST, PeerWire.encode(m)));
        }

        void send(int peer, PeerWire.Message m) {
            outbound.add(new NodeOutput.Outbound(peer, PeerWire.encode(m)));
        }

        void reject(String reason, String detail) {
            rejections.add(new NodeOutput.Rejection(reason, detail));
        }

        NodeOutput toOutput() {
            if (outbound.isEmpty() && committed.isEmpty() && rejections.isEmpty()) {
                return NodeOutput.EMPTY;
            }
            return new NodeOutput(outbound, committed, rejections);
        }
    }

    private final Genesis genesis;
    /** Makes the application: at genesis, and from a snapshot (state sync). */
    private final ApplicationFactory factory;
    private final Genesis.ConsensusParams params;
    private final Optional<Signer> signer;
    private final ConsensusConfig consensusConfig;
    /** Replaced when a snapshot from a peer is installed ({@link #installSnapshot}). */
    private Chain chain;
    private ConsensusCore core;
    private final StateSync stateSync;
    /**
     * {@code h / SNAPSHOT_INTERVAL_BLOCKS} of the newest state retained as a snapshot ({@link #commit}): the next one
     * is the first committed height of a later interval around which the validator set does not change.
     */
    private long snapshotInterval;
    /** Finds equivocations in the consensus messages peers send. */
    private final EvidencePool evidencePool;
    /** Evidence held for inclusion in a block, by slot ({@link DuplicateVote#slot}). */
    private final java.util.TreeMap<String, DuplicateVote> pendingEvidence = new java.util.TreeMap<>();
    /** Pieces of evidence in blocks this node committed. */
    private long committedEvidenceCount;
    /** What the drive inside an exact restore sent ({@link #restoreOutbound}); empty otherwise. */
    private List<NodeOutput.Outbound> restoreOutbound = List.of();

    private final Timeout proposeTimeout = new Timeout("timeoutPropose");
    private final Timeout prevoteTimeout = new Timeout("timeoutPrevote");
    private final Timeout precommitTimeout = new Timeout("timeoutPrecommit");

    private long nowTick;
    /** Tick of the last commit (or of the start): the silence that triggers a block request is measured from it. */
    private long lastProgressTick;
    private long lastBlockRequestTick = -NodeLimits.MIN_TICKS_BETWEEN_BLOCK_REQUESTS;
    /** The height and round at which {@link #forwardPolkaOnNewRound} last ran. */
    private long polkaForwardedHeight = -1;
    private int polkaForwardedRound = -1;
    /** The tick of the first message from a height above the core's, since the last commit; -1 if none. */
    private long aheadSinceTick = -1;
    private long ownTransactionsAdmitted;
    private long lastSilenceRequestTick;
    /** The (height, round) this node last proposed at, so it proposes at most once per round. */
    private long proposedHeight = -1;
    private int proposedRound = -1;

    /**
     * A node for {@code genesis} signing with {@code signer}. If the signer's key is not a genesis validator the node
     * is an observer: it follows and validates the chain but signs and proposes nothing.
     */
    public ValidatorNode(Genesis genesis, Signer signer) {
        this(genesis, signer, dev.oasisj.core.services.ChainApplications.factory(genesis));
    }

    /** As {@link #ValidatorNode(Genesis, Signer)}, driving the application {@code factory} makes. */
    public ValidatorNode(Genesis genesis, Signer signer, ApplicationFactory factory) {
        this(genesis, signer, factory, null, null, factory.genesis(), 0);
    }

    private ValidatorNode(Genesis genesis, Signer signer, ApplicationFactory factory,
            PeerWire.@Nullable CommittedBlock last, @Nullable ValidatorSets sets, Application app, long tick) {
        this.genesis = genesis;
        this.factory = factory;
        this.params = genesis.consensus();
        this.signer = Optional.of(signer);
        this.consensusConfig = ConsensusConfig.of(genesis.chainId());
        Chain c = last == null || sets == null ? new Chain(genesis, app) : new Chain(genesis, sets, last, app);
        this.chain = c;
        this.stateSync = new StateSync(factory, genesis);
        this.evidencePool = new EvidencePool(h -> chain.validatorsAt(h), genesis.chainId());
        if (last != null && setUnchangedAround(c, last.block().height())) {
            stateSync.retain(last, app.snapshot()); // a restored node serves the state it was restored at
            snapshotInterval = last.block().height() / NodeLimits.SNAPSHOT_INTERVAL_BLOCKS;
        }
        if (last != null) {
            retainSetChange(stateSync, c, last.block()); // and the set change its block named, if it named one
        }
        this.nowTick = tick;
        this.lastProgressTick = tick;
        c.setNowTick(tick);
        this.core = new ConsensusCore(consensusConfig, h -> chain.requireValidators(h), this.signer, c::isValid,
                c.height() + 1);
        updateTimers();
        checkInvariants();
    }


    /**
     * A node restored at a committed height from a checkpoint (issue point 6): {@code last} is the block at that
     * height with the commit that finalized it, {@code ledger} the ledger after it (its root must be the block's),
     * {@code tick} the node's tick when the checkpoint was taken. The validator sets are the genesis ones (a chain whose
     * set never changed); a chain whose set changed is restored with its sets ({@link #restore(Genesis, Signer,
     * ApplicationFactory, PeerWire.CommittedBlock, java.util.SortedMap, Application, long, List, List)}). The commit must
     * hold valid precommits of more than two thirds of the power of the set of its height for exactly that block, and
     * the block must name the sets of its height and the next, otherwise {@link IllegalArgumentException}.
     *
     * <p>The restored node is the live node as it was right after committing {@code last}, before anything of the next
     * height happened: a fresh consensus core at height + 1, round 0, no locks, timers from {@code tick}, the last
     * commit at {@code tick}. What a checkpoint does not carry, and the restored node therefore lacks: messages of the
     * next height received before the checkpoint was taken (the live node delivers them to its core in the same input
     * as the commit; peers resend their votes after a silence, and block sync fetches a block it missed), the mempool
     * (transactions not yet in a block; clients resubmit), equivocation evidence, and the retained blocks below
     * {@code last} (it can answer block requests from height {@code last} on only). Replaying the journal after the
     * checkpoint reproduces the live node's state exactly when none of these mattered; when one did, what it signs may
     * differ from what the live node signed, and the sign guard (DATADIR/sign-state) is what keeps it from signing
     * twice at a (height, round, step).
     */
    public static ValidatorNode restore(Genesis genesis, Signer signer, PeerWire.CommittedBlock last, Ledger ledger,
            long tick) {
        return restore(genesis, signer, dev.oasisj.core.services.ChainApplications.factory(genesis), last,
                new TransferApplication(ledger, genesis.totalSupplyBaseUnits()), tick);
    }

    /**
     * As {@link #restore(Genesis, Signer, PeerWire.CommittedBlock, Ledger, long)} for any application: {@code app} is
     * the state after {@code last} (its root must be the block's), {@code factory} the one that made it.
     */
    public static ValidatorNode restore(Genesis genesis, Signer signer, ApplicationFactory factory,
            PeerWire.CommittedBlock last, Application app, long tick) {
        java.util.TreeMap<Long, ValidatorSet> genesisSets = new java.util.TreeMap<>();
        genesisSets.put(1L, ValidatorSets.genesisSet(genesis));
        return restore(genesis, signer, factory, last, genesisSets, app, tick);
    }

    /**
     * As {@link #restore(Genesis, Signer, ApplicationFactory, PeerWire.CommittedBlock, Application, long)} with the
     * validator sets known at {@code last} ({@link #validatorSetChanges()}: the height each takes effect -> the set;
     * they must cover the block's height and the two after it).
     */
    public static ValidatorNode restore(Genesis genesis, Signer signer, ApplicationFactory factory,
            PeerWire.CommittedBlock last, java.util.SortedMap<Long, ValidatorSet> sets, Application app, long tick) {
        ValidatorSets vs = new ValidatorSets(genesis, new java.util.TreeMap<>(sets));
        Chain probe = new Chain(genesis, vs, last, app);
        if (!probe.isValidCommit(last.block(), last.commit())) {
            throw new IllegalArgumentException("the commit of block " + last.block().height() + " #"
                    + last.block().hash().shortHex() + " lacks valid precommits of more than two thirds of the power"
                    + " of the validator set of its height");
        }
        return new ValidatorNode(genesis, signer, factory, last, new ValidatorSets(genesis, new java.util.TreeMap<>(sets)),
                app, tick);
    }

    /**
     * As {@link #restore(Genesis, Signer, PeerWire.CommittedBlock, Ledger, long)}, and then what makes the restore
     * exact: the pending transactions are added to the mempool in their order ({@link #pendingTransactions()}), the
     * consensus messages of heights above {@code last} that the live node's core held ({@link #heldMessages()}) are
     * delivered, except this node's own, and the node is driven as it was after the input that committed {@code last}
     * (its own messages of the next height, if it had sent any, are signed again: the same messages, so the same
     * signatures). Taken right after that input, the restored node then applies the inputs that followed with the same
     * outputs as the live node (CheckpointRestoreTest).
     */
    public static ValidatorNode restore(Genesis genesis, Signer signer, PeerWire.CommittedBlock last, Ledger ledger,
            long tick, List<SignedMessage> held, List<byte[]> pending) {
        return restore(genesis, signer, dev.oasisj.core.services.ChainApplications.factory(genesis), last,
                new TransferApplication(ledger, genesis.totalSupplyBaseUnits()), tick, held, pending);
    }

    /** As the exact restore above, for any application (see {@link #restore(Genesis, Signer, ApplicationFactory,
     * PeerWire.CommittedBlock, Application, long)}). */
    public static ValidatorNode restore(Genesis genesis, Signer signer, ApplicationFactory factory,
            PeerWire.CommittedBlock last, Application app, long tick, List<SignedMessage> held, List<byte[]> pending) {
        java.util.TreeMap<Long, ValidatorSet> genesisSets = new java.util.TreeMap<>();
        genesisSets.put(1L, ValidatorSets.genesisSet(genesis));
        return restore(genesis, signer, factory, last, genesisSets, app, tick, held, pending);
    }

    /** The exact restore above with the validator sets known at {@code last} (see {@link #validatorSetChanges()}). */
    public static ValidatorNode restore(Genesis genesis, Signer signer, ApplicationFactory factory,
            PeerWire.CommittedBlock last, java.util.SortedMap<Long, ValidatorSet> sets, Application app, long tick,
            List<SignedMessage> held, List<byte[]> pending) {
        ValidatorNode n = restore(genesis, signer, factory, last, sets, app, tick);
        for (byte[] tx : pending) {
            n.chain.app().checkTx(tx, SignatureVerdict.NOT_CHECKED);
        }
        for (SignedMessage m : held) {
            if (!m.signer().equals(signer.publicKey()) && m.message().height() > n.chain.height()) {
                n.core.deliver(m);
            }
        }
        Out driven = new Out();
        n.drive(driven);
        n.restoreOutbound = List.copyOf(driven.outbound);
        n.checkInvariants();
        return n;
    }

    @Override
    public List<NodeOutput.Outbound> restoreOutbound() {
        return restoreOutbound;
    }

    /** The consensus messages of heights above the committed one that the core holds (a checkpoint carries them). */
    public List<SignedMessage> heldMessages() {
        List<SignedMessage> out = new ArrayList<>();
        for (SignedMessage m : core.messageLog()) {
            if (m.message().height() > chain.height()) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * The validator sets this node knows, by the height each takes effect (a checkpoint carries them): the sets of the
     * committed height, the next two, and back to the evidence age bound (bounded, see {@link ValidatorSets}).
     */
    public java.util.SortedMap<Long, ValidatorSet> validatorSetChanges() {
        return chain.validatorSetChanges();
    }

    /** The validator set of {@code height}, if this node knows it (committed height - evidence age .. + 2). */
    public Optional<ValidatorSet> validatorsAt(long height) {
        return chain.validatorsAt(height);
    }

    /** The mempool's transactions in arrival order, encoded (a checkpoint carries them). */
    public List<byte[]> pendingTransactions() {
        return chain.app().pendingTransactions();
    }

    // ------------------------------------------------------------------------------------------ NodeStateMachine

    @Override
    public NodeOutput apply(NodeInput input) {
        Out out = new Out();
        if (input instanceof NodeInput.Tick t) {
            onTick(t.tick(), out);
        } else if (input instanceof NodeInput.PeerMessage p) {
            onPeerMessage(p.peer(), p.bytes(), p.transactionSignature(), out);
            drive(out);
        } else if (input instanceof NodeInput.ClientTransaction c) {
            onClientTransaction(c.bytes(), c.signature(), out);
            drive(out);
        }
        checkInvariants();
        return out.toOutput();
    }

    /**
     * A client transaction, or a peer's gossiped transaction, whose signature has not been checked gets its verdict
     * ({@link Application#checkSignature}: pure in the bytes); every other input is returned as it is.
     */
    @Override
    public NodeInput prepare(NodeInput input) {
        if (input instanceof NodeInput.ClientTransaction c && c.signature() == SignatureVerdict.NOT_CHECKED) {
            SignatureVerdict verdict = chain.app().checkSignature(c.bytes());
            return verdict == SignatureVerdict.NOT_CHECKED ? input : new NodeInput.ClientTransaction(c.bytes(), verdict);
        }
        if (input instanceof NodeInput.PeerMessage p && p.transactionSignature() == SignatureVerdict.NOT_CHECKED
                && p.bytes().length > 0 && p.bytes()[0] == PeerWire.TAG_TRANSACTION) {
            PeerWire.Message m;
            try {
                m = PeerWire.decode(p.bytes());
            } catch (DecodeException e) {
                return input; // apply reports it
            }
            if (m instanceof PeerWire.Transaction t) {
                SignatureVerdict verdict = chain.app().checkSignature(t.bytes());
                return verdict == SignatureVerdict.NOT_CHECKED ? input
                        : new NodeInput.PeerMessage(p.peer(), p.bytes(), verdict);
            }
        }
        return input;
    }

    /**
     * A peer message is junk when it does not decode ({@link PeerWire#decode}: size, tag, counts, trailing bytes), when
     * it carries a consensus message that does not decode, or a transaction that does not decode: {@link #apply} answers
     * each of these with a rejection and nothing else ({@code MALFORMED_PEER_MESSAGE},
     * {@code MALFORMED_CONSENSUS_MESSAGE}, or the application's reason, {@code MALFORMED} for transfers). Signatures
     * are not checked here.
     */
    @Override
    public @Nullable String junk(NodeInput.PeerMessage message) {
        try {
            PeerWire.Message m = PeerWire.decode(message.bytes());
            if (m instanceof PeerWire.Consensus c) {
                ConsensusMessageCodec.decode(c.bytes());
            } else if (m instanceof PeerWire.Transaction t) {
                return chain.app().malformed(t.bytes());
            } else if (m instanceof PeerWire.Evidence e) {
                DuplicateVote.decode(e.bytes());
            }
            return null;
        } catch (DecodeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    @Override
    public long height() {
        return chain.height();
    }

    @Override
    public Hash32 lastBlockHash() {
        return chain.lastBlockHash();
    }

    @Override
    public Hash32 stateRoot() {
        return chain.app().stateRoot();
    }

    /** The events of the block just finalized, as {@code kind: detail} lines. */
    private List<String> eventLines() {
        List<String> lines = new ArrayList<>();
        for (Application.Event e : chain.lastFinalized().events()) {
            lines.add(e.kind() + ": " + e.detail());
        }
        return lines;
    }

    /** The application this node drives (its committed state and pending transactions). */
    public Application application() {
        return chain.app();
    }

    /** What finalizing the last committed block returned: its root, validator updates and events. */
    public Application.FinalizeResult lastFinalized() {
        return chain.lastFinalized();
    }

    /**
     * The ledger after the last committed block (immutable), when this node drives the transfer application;
     * otherwise {@link IllegalStateException}.
     */
    public Ledger ledger() {
        if (chain.app() instanceof TransferApplication t) {
            return t.ledger();
        }
        throw new IllegalStateException("this node drives " + chain.app() + ", not the transfer ledger");
    }

    /** The evidence this node holds for inclusion in a block, in slot order. */
    public List<DuplicateVote> pendingEvidence() {
        return List.copyOf(pendingEvidence.values());
    }

    /** Pieces of evidence in the blocks this node committed (since it started or was restored). */
    public long committedEvidenceCount() {
        return committedEvidenceCount;
    }

    /** Pending transactions of the application (its mempool). */
    public int mempoolSize() {
        return chain.app().pendingCount();
    }

    /** The height the consensus core is deciding (committed height + 1). */
    public long consensusHeight() {
        return core.height();
    }

    public int consensusRound() {
        return core.round();
    }

    public long nowTick() {
        return nowTick;
    }

    /** The committed block at {@code height} with its commit, if still retained. */
    public Optional<PeerWire.CommittedBlock> committedBlock(long height) {
        return chain.store().get(height);
    }

    public Genesis genesis() {
        return genesis;
    }

    // ------------------------------------------------------------------------------------------ inputs

    private void onTick(long tick, Out out) {
        if (tick < nowTick) {
            out.reject("NON_MONOTONIC_TICK", "tick " + tick + " < current tick " + nowTick);
            return;
        }
        // due when the tick crosses a multiple of the interval: a function of the ticks alone, so a node restored
        // from a checkpoint (which restores the tick) rebroadcasts at the same ticks as the live node did
        long interval = params.blockSyncSilenceTicks();
        boolean rebroadcastDue = tick / interval > nowTick / interval;
        nowTick = tick;
        chain.setNowTick(tick);
        if (rebroadcastDue) {
            rebroadcastPending(out);
        }
        drive(out);
        // Fire due timeouts; each may change the round (whose new timers lie in the future), so this terminates.
        for (int i = 0; i < MAX_ACTIONS_PER_INPUT; i++) {
            StepResult fired;
            if (proposeTimeout.due(nowTick) && core.timeoutProposeArmed()) {
                proposeTimeout.disarm();
                fired = core.timeoutPropose();
            } else if (prevoteTimeout.due(nowTick) && core.timeoutPrevoteArmed()) {
                prevoteTimeout.disarm();
                fired = core.timeoutPrevote();
            } else if (precommitTimeout.due(nowTick) && core.timeoutPrecommitArmed()) {
                precommitTimeout.disarm();
                fired = core.timeoutPrecommit();
            } else {
                break;
            }
            handle(fired, out);
            drive(out);
        }
        if (aheadSinceTick >= 0 && nowTick - aheadSinceTick >= params.timeoutProposeTicks(0)
                && nowTick - lastBlockRequestTick >= NodeLimits.MIN_TICKS_BETWEEN_BLOCK_REQUESTS) {
            // Messages of a higher height arrived a propose timeout ago and we have not committed since: the peers
            // committed a block whose precommits we missed. They may need our votes to go further (so the gap never
            // grows to SYNC_TRIGGER_HEIGHT_GAP, and they may send nothing more): ask for the block now, and again
            // after each further propose timeout.
            aheadSinceTick = nowTick;
            requestBlocks(NodeOutput.Outbound.BROADCAST, out);
        }
        // Silence counts from the start of the height: an idle height may be held back (idleWait) for up to the
        // empty-blocks interval, during which nobody is expected to say anything.
        long quietSince = lastProgressTick + Math.min(params.createEmptyBlocksIntervalTicks(), nowTick - lastProgressTick);
        if (nowTick - quietSince >= params.blockSyncSilenceTicks()
                && nowTick - lastSilenceRequestTick >= params.blockSyncSilenceTicks()) {
            // Long silence: we may have missed a commit (ask for blocks) or peers may have missed our votes (resend).
            lastSilenceRequestTick = nowTick;
            requestBlocks(NodeOutput.Outbound.BROADCAST, out);
            for (SignedMessage m : core.messageLog()) {
                if (m.message().height() == core.height() && signer.isPresent()
                        && m.signer().equals(signer.get().publicKey())) {
                    out.broadcast(new PeerWire.Consensus(ConsensusMessageCodec.encode(m)));
                }
            }
        }
        onStateSync(stateSync.tick(nowTick, params.timeoutProposeTicks(0), params.blockSyncSilenceTicks()), out);
    }

    /**
     * Gossips the oldest {@link NodeLimits#MAX_REBROADCAST_TRANSACTIONS} pending transactions again (see there); on
     * every tick that crosses a multiple of {@code blockSyncSilenceTicks}.
     */
    private void rebroadcastPending(Out out) {
        List<byte[]> pending = chain.app().pendingTransactions();
        for (int i = 0; i < Math.min(pending.size(), NodeLimits.MAX_REBROADCAST_TRANSACTIONS); i++) {
            out.broadcast(new PeerWire.Transaction(pending.get(i)));
        }
    }

    /** Admits and gossips the application's own transactions for this node's key ({@link Application#ownTransactions}). */
    private void submitOwnTransactions(Out out) {
        Optional<Signer> self = signer;
        if (self.isEmpty()) {
            return;
        }
        for (byte[] tx : chain.app().ownTransactions(self.get())) {
            if (chain.app().checkTx(tx, SignatureVerdict.NOT_CHECKED) instanceof Application.CheckResult.Accepted) {
                ownTransactionsAdmitted++;
                out.broadcast(new PeerWire.Transaction(tx));
            }
        }
    }

    /** How many of the application's own transactions this node admitted ({@link Application#ownTransactions}). */
    public long ownTransactionsAdmitted() {
        return ownTransactionsAdmitted;
    }

    private void onClientTransaction(byte[] bytes, SignatureVerdict verdict, Out out) {
        Application.CheckResult r = chain.app().checkTx(bytes, verdict);
        if (r instanceof Application.CheckResult.Refused refused) {
            out.reject(refused.reason(), refused.detail());
        } else {
            out.broadcast(new PeerWire.Transaction(bytes));
        }
    }

    private void onPeerMessage(int peer, byte[] bytes, SignatureVerdict transactionSignature, Out out) {
        PeerWire.Message m;
        try {
            m = PeerWire.decode(bytes);
        } catch (DecodeException e) {
            out.reject("MALFORMED_PEER_MESSAGE", "peer " + peer + ": " + e.getMessage());
            return;
        }
        if (m instanceof PeerWire.Consensus c) {
            onConsensusMessage(peer, c.bytes(), out);
        } else if (m instanceof PeerWire.Transaction t) {
            Application.CheckResult r = chain.app().checkTx(t.bytes(), transactionSignature);
            if (r instanceof Application.CheckResult.Refused refused && !refused.duplicate()) {
                out.reject(refused.reason(), "gossiped by peer " + peer + ": " + refused.detail());
            }
        } else if (m instanceof PeerWire.Evidence e) {
            onEvidence(peer, e, out);
        } else if (m instanceof PeerWire.BlockRequest r) {
            onBlockRequest(peer, r, out);
        } else if (m instanceof PeerWire.BlockResponse r) {
            onBlockResponse(peer, r, out);
        } else if (m instanceof PeerWire.SnapshotRequest r) {
            if (peer >= 0) {
                stateSync.serve(r).ifPresent(c -> out.send(peer, c));
            }
        } else if (m instanceof PeerWire.SnapshotChunk c) {
            if (peer >= 0) {
                onStateSync(stateSync.accept(peer, c, chain.height(), nowTick, params.blockSyncSilenceTicks(),
                        chain.requireValidators(chain.height() + 2)), out);
            }
        } else if (m instanceof PeerWire.SetChangeRequest r) {
            if (peer >= 0) {
                out.send(peer, setChangeLink(r));
            }
        } else if (m instanceof PeerWire.SetChangeLink l) {
            if (peer >= 0) {
                onStateSync(stateSync.acceptLink(peer, l, chain.height(), nowTick, params.blockSyncSilenceTicks()),
                        out);
            }
        }
    }

    private void onConsensusMessage(int peer, byte[] bytes, Out out) {
        SignedMessage signed;
        try {
            signed = ConsensusMessageCodec.decode(bytes);
        } catch (DecodeException e) {
            out.reject("MALFORMED_CONSENSUS_MESSAGE", "peer " + peer + ": " + e.getMessage());
            return;
        }
        long gap = signed.message().height() - core.height();
        if (gap >= 1 && aheadSinceTick < 0) {
            aheadSinceTick = nowTick; // see onTick: still behind a propose timeout later, the node asks for blocks
        }
        if (gap >= NodeLimits.SYNC_TRIGGER_HEIGHT_GAP
                && nowTick - lastBlockRequestTick >= NodeLimits.MIN_TICKS_BETWEEN_BLOCK_REQUESTS) {
            requestBlocks(peer >= 0 ? peer : NodeOutput.Outbound.BROADCAST, out);
        }
        EvidencePool.Equivocation found = evidencePool.observe(signed, chain.height());
        if (found != null) {
            DuplicateVote e = DuplicateVote.of(found);
            if (e != null && addEvidence(e)) {
                out.broadcast(new PeerWire.Evidence(e.encode()));
            }
        }
        if (chain.validatorsAt(signed.message().height()).isEmpty()) {
            // Below the kept validator-set history (ValidatorSets prune), so below the core's height: stale. The core
            // looks the message's set up before its height checks, and an unknown set is an invariant failure there:
            // a lagging or hostile peer's old vote must not stop this node.
            return;
        }
        DeliverResult r = core.deliver(signed);
        if (r instanceof DeliverResult.Rejected rej && rej.reason() != DeliverResult.Reason.DUPLICATE
                && rej.reason() != DeliverResult.Reason.STALE_HEIGHT) {
            out.reject("CONSENSUS_" + rej.reason().name(), "peer " + peer + ": " + rej.detail());
        }
    }

    // ------------------------------------------------------------------------------------------ evidence

    private void onEvidence(int peer, PeerWire.Evidence m, Out out) {
        DuplicateVote e;
        try {
            e = DuplicateVote.decode(m.bytes());
        } catch (DecodeException ex) {
            out.reject("MALFORMED_EVIDENCE", "peer " + peer + ": " + ex.getMessage());
            return;
        }
        String why = chain.whyNotAcceptable(e, chain.height() + 1);
        if (why != null) {
            out.reject("BAD_EVIDENCE", "peer " + peer + ": " + why);
            return;
        }
        addEvidence(e);
    }

    /** Keeps {@code e} for inclusion unless it is known, committed, or the pool is full; true if kept. */
    private boolean addEvidence(DuplicateVote e) {
        String slot = e.slot();
        if (pendingEvidence.containsKey(slot) || chain.isEvidenceCommitted(slot)
                || pendingEvidence.size() >= NodeLimits.MAX_PENDING_EVIDENCE) {
            return false;
        }
        pendingEvidence.put(slot, e);
        return true;
    }

    /** The evidence for a block at {@code height}: pending, recent enough, at most {@code MAX_BLOCK_EVIDENCE}. */
    private List<DuplicateVote> evidenceFor(long height) {
        List<DuplicateVote> out = new ArrayList<>();
        for (DuplicateVote e : pendingEvidence.values()) {
            if (out.size() == dev.oasisj.core.ledger.LedgerLimits.MAX_BLOCK_EVIDENCE) {
                break;
            }
            if (e.height() <= height && e.height() >= height - NodeLimits.MAX_EVIDENCE_AGE_BLOCKS) {
                out.add(e);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ block sync

    private void requestBlocks(int peer, Out out) {
        if (stateSync.inProgress()) {
            return; // a snapshot is being fetched: further offers would be ignored, and its blocks come after it
        }
        lastBlockRequestTick = nowTick;
        PeerWire.BlockRequest request = new PeerWire.BlockRequest(chain.height() + 1,
                NodeLimits.MAX_BLOCKS_PER_RESPONSE);
        if (peer == NodeOutput.Outbound.BROADCAST) {
            out.broadcast(request);
        } else {
            out.send(peer, request);
        }
    }

    private void onBlockRequest(int peer, PeerWire.BlockRequest r, Out out) {
        if (peer < 0) {
            out.reject("UNKNOWN_PEER", "block request from an unknown peer cannot be answered");
            return;
        }
        List<PeerWire.CommittedBlock> blocks = chain.store().range(r.fromHeight(),
                Math.min(r.maxBlocks(), NodeLimits.MAX_BLOCKS_PER_RESPONSE), NodeLimits.MAX_RESPONSE_BLOCK_BYTES);
        if (!blocks.isEmpty()) {
            out.send(peer, new PeerWire.BlockResponse(blocks));
        } else {
            // Not retained (dropped from the bounded store, or below the checkpoint this node was restored at): offer
            // the newest snapshot if it gets the peer at least to the height asked for.
            stateSync.offer(r.fromHeight()).ifPresent(c -> out.send(peer, c));
        }
    }

    /**
     * The answer to a set-change request ({@link StateSync}): the first change this node keeps at or above the height
     * asked for out of the set asked for, with the block that named it while this node still holds that block;
     * otherwise a refusal (no block, no set).
     */
    private PeerWire.SetChangeLink setChangeLink(PeerWire.SetChangeRequest r) {
        Optional<java.util.Map.Entry<Long, ValidatorSet>> change = stateSync.setChangeFrom(r.fromHeight(),
                r.fromSetHash());
        if (change.isPresent()) {
            Optional<PeerWire.CommittedBlock> block = chain.store().get(change.get().getKey());
            ValidatorSet next = change.get().getValue();
            if (block.isPresent() && block.get().block().nextValidatorsHash().equals(next.hash())) {
                return new PeerWire.SetChangeLink(r.fromHeight(), r.fromSetHash(), block.get(),
                        StateSync.membersOf(next));
            }
        }
        return new PeerWire.SetChangeLink(r.fromHeight(), r.fromSetHash(), null, List.of());
    }

    /** Keeps the set change committed block {@code b} names, if it names one, to serve as a link. */
    private static void retainSetChange(StateSync stateSync, Chain c, Block b) {
        if (!b.nextValidatorsHash().equals(b.validatorsHash())) {
            c.validatorsAt(b.height() + 1).ifPresent(next -> stateSync.retainSetChange(b.height(), b.validatorsHash(),
                    next));
        }
    }

    private void onStateSync(StateSync.Outcome o, Out out) {
        if (o instanceof StateSync.Outcome.Request q) {
            out.send(q.peer(), q.request());
        } else if (o instanceof StateSync.Outcome.ProveSetChange q) {
            String reason = q.reason();
            if (reason != null) {
                out.reject(reason, String.valueOf(q.detail()));
            }
            out.send(q.peer(), q.request());
        } else if (o instanceof StateSync.Outcome.Failed f) {
            out.reject(f.reason(), f.detail());
        } else if (o instanceof StateSync.Outcome.Complete c) {
            ValidatorSet set = c.set();
            ValidatorSet trusted = set != null ? set : chain.requireValidators(chain.height() + 2);
            java.util.TreeMap<Long, ValidatorSet> known = new java.util.TreeMap<>();
            known.put(c.committed().block().height(), trusted); // StateSync checked the head names it twice
            installSnapshot(c.peer(), c.committed(), new ValidatorSets(genesis, known), c.app(), out);
        }
    }

    /**
     * Installs a snapshot that passed {@link StateSync}'s checks: the chain restarts at its block (as a checkpoint
     * restore does), the core at the next height keeps the messages it held for that height or later, and block sync
     * goes on from there with the peer that served it. The application's pending transactions start empty (clients
     * and peers resend).
     */
    private void installSnapshot(int peer, PeerWire.CommittedBlock committed, ValidatorSets sets, Application app,
            Out out) {
        Chain c = new Chain(genesis, sets, committed, app);
        c.setNowTick(nowTick);
        chain = c;
        if (setUnchangedAround(chain, committed.block().height())) {
            stateSync.retain(committed, app.snapshot());
            snapshotInterval = Math.max(snapshotInterval,
                    committed.block().height() / NodeLimits.SNAPSHOT_INTERVAL_BLOCKS);
        }
        Block b = committed.block();
        out.committed.add(new NodeOutput.CommittedBlock(b.height(), committed.commit().round(), b.hash(),
                b.stateRoot(), b.transactionCount(), chain.nameOf(b.proposer()), nowTick, nowTick, b.evidenceCount(),
                eventLines()));
        lastProgressTick = nowTick;
        aheadSinceTick = -1;
        restartCoreAtNextHeight();
        requestBlocks(peer, out);
    }

    private void onBlockResponse(int peer, PeerWire.BlockResponse r, Out out) {
        int applied = 0;
        for (PeerWire.CommittedBlock cb : r.blocks()) {
            Block block = cb.block();
            if (block.height() <= chain.height()) {
                continue;
            }
            if (block.height() != chain.height() + 1) {
                out.reject("SYNC_GAP", "peer " + peer + " sent height " + block.height() + ", need "
                        + (chain.height() + 1));
                break;
            }
            if (!chain.isValidCommit(block, cb.commit())) {
                out.reject("SYNC_BAD_COMMIT", "peer " + peer + ": block " + block.height()
                        + " lacks valid precommits of more than two thirds of the power");
                break;
            }
            byte[] payload = BlockCodec.encode(block);
            Optional<Chain.ValidatedBlock> validated = chain.validate(Hash32.sha256(payload), payload);
            if (validated.isEmpty()) {
                // A quorum signed an invalid block: more than a third is Byzantine, or our state differs.
                out.reject("SYNC_INVALID_BLOCK", "peer " + peer + ": block " + block.height()
                        + " has a commit but does not apply to our state");
                break;
            }
            commit(validated.get(), cb.commit(), out);
            applied++;
        }
        if (applied > 0) {
            restartCoreAtNextHeight();
            if (r.blocks().size() >= NodeLimits.MAX_BLOCKS_PER_RESPONSE && peer >= 0) {
                requestBlocks(peer, out);
            }
            drive(out);
        }
    }

    /** After a sync: a fresh core at the new height, fed the messages the old one held for that height or later. */
    private void restartCoreAtNextHeight() {
        ConsensusCore old = core;
        long next = chain.height() + 1;
        if (old.height() == next) {
            return;
        }
        core = new ConsensusCore(consensusConfig, h -> chain.requireValidators(h), signer, chain::isValid, next);
        for (SignedMessage m : old.messageLog()) {
            if (m.message().height() >= next) {
                core.deliver(m);
            }
        }
        proposeTimeout.disarm();
        prevoteTimeout.disarm();
        precommitTimeout.disarm();
        updateTimers();
    }

    // ------------------------------------------------------------------------------------------ driving the core

    /** Applies enabled actions one at a time and proposes when it is this node's turn, until nothing is left. */
    private void drive(Out out) {
        for (int i = 0; i < MAX_ACTIONS_PER_INPUT; i++) {
            List<Action> enabled = core.enabledActions();
            if (!enabled.isEmpty()) {
                handle(core.apply(enabled.get(0)), out);
                continue;
            }
            if (core.isProposer() && core.step() == Step.PROPOSE && nowTick > lastProgressTick && !idleWait()
                    && !(proposedHeight == core.height() && proposedRound == core.round())) {
                propose(out);
                continue;
            }
            updateTimers();
            forwardPolkaOnNewRound(out);
            return;
        }
        throw new Invariant.ViolationException("DriveTerminatesInv violated: more than " + MAX_ACTIONS_PER_INPUT
                + " actions for one input");
    }

    /**
     * On entering a round above 0 of a height, forwards the prevotes this node holds for its valid value at its valid
     * round (the polka that made the value valid here). A validator locked on a value re-proposes it with that round as
     * its proof of lock, and the others accept the re-proposal only if they hold the same prevotes themselves; a
     * Byzantine validator that sent its prevote to some of them only (a split vote) would otherwise keep them apart
     * round after round, because nodes send only their own votes. The messages are signed, so forwarding them is safe;
     * only prevotes for the valid value itself, so at most one per validator, once per round.
     */
    private void forwardPolkaOnNewRound(Out out) {
        long h = core.height();
        int r = core.round();
        if (r == 0 || (h == polkaForwardedHeight && r == polkaForwardedRound)) {
            return;
        }
        polkaForwardedHeight = h;
        polkaForwardedRound = r;
        ConsensusSnapshot snapshot = core.snapshot();
        int validRound = snapshot.validRound();
        if (validRound < 0 || snapshot.validValue().equals(VoteValue.NIL)) {
            return;
        }
        for (SignedMessage m : core.messageLog()) {
            if (m.message() instanceof ConsensusMessage.Prevote p && p.height() == h && p.round() == validRound
                    && p.value().equals(snapshot.validValue())) {
                out.broadcast(new PeerWire.Consensus(ConsensusMessageCodec.encode(m)));
            }
        }
    }

    private void propose(Out out) {
        proposedHeight = core.height();
        proposedRound = core.round();
        Optional<ValuePayload> required = core.requiredProposal();
        ValuePayload proposal;
        if (required.isPresent()) {
            proposal = required.get();
        } else {
            PublicKey own = signer.map(Signer::publicKey).orElseThrow();
            proposal = chain.buildProposal(own, evidenceFor(core.height()));
        }
        StepResult r = core.propose(proposal.value(), proposal.payload());
        Invariant.check(r.applied(), "OwnProposalAcceptedInv",
                () -> "the core refused this node's proposal at (" + proposedHeight + ", " + proposedRound + "): " + r);
        handle(r, out);
    }

    private void handle(StepResult r, Out out) {
        if (!(r instanceof StepResult.Applied applied)) {
            return;
        }
        for (SignedMessage m : applied.broadcast()) {
            out.broadcast(new PeerWire.Consensus(ConsensusMessageCodec.encode(m)));
        }
        if (applied.decision().isPresent()) {
            onDecision(applied.decision().get(), out);
        }
    }

    private void onDecision(Decision d, Out out) {
        Invariant.check(d.height() == chain.height() + 1, "DecisionAtNextHeightInv",
                "decided height " + d.height() + " but committed height is " + chain.height());
        Optional<Chain.ValidatedBlock> validated = chain.validate(d.value(), d.payload());
        Invariant.check(validated.isPresent(), "DecidedValueValidInv",
                "the core decided " + d.value().shortHex() + " at height " + d.height() + ", which is not valid here");
        commit(validated.orElseThrow(), Chain.commitOf(d.round(), d.precommits()), out);
    }

    private void commit(Chain.ValidatedBlock validated, Commit commit, Out out) {
        chain.commit(validated, commit);
        Block b = validated.block();
        committedEvidenceCount += validated.evidence().size();
        for (DuplicateVote e : validated.evidence()) {
            pendingEvidence.remove(e.slot());
        }
        pendingEvidence.values().removeIf(e -> e.height() < b.height() + 1 - NodeLimits.MAX_EVIDENCE_AGE_BLOCKS);
        // the first height of each interval whose state a syncing node can take: with the consensus services the
        // set changes at every epoch's end (rewards change the powers), so a multiple of the interval that is an
        // epoch's end, or the height after it, is passed over for the next height that qualifies
        long interval = b.height() / NodeLimits.SNAPSHOT_INTERVAL_BLOCKS;
        if (interval > snapshotInterval && setUnchangedAround(chain, b.height())) {
            stateSync.retain(new PeerWire.CommittedBlock(b, commit), chain.app().snapshot());
            snapshotInterval = interval;
        }
        stateSync.abandonIfReached(b.height());
        retainSetChange(stateSync, chain, b);
        out.committed.add(new NodeOutput.CommittedBlock(b.height(), commit.round(), b.hash(), b.stateRoot(),
                b.transactionCount(), chain.nameOf(b.proposer()), validated.firstSeenTick(), nowTick,
                b.evidenceCount(), eventLines()));
        lastProgressTick = nowTick;
        aheadSinceTick = -1;
        submitOwnTransactions(out);
    }

    /**
     * True when the sets of {@code h}, {@code h + 1} and {@code h + 2} are one: only a snapshot at such a height can be
     * taken by a syncing node (see {@link StateSync}), so only such heights are served.
     */
    private static boolean setUnchangedAround(Chain chain, long h) {
        Hash32 at = chain.requireValidators(h).hash();
        return chain.requireValidators(h + 1).hash().equals(at) && chain.requireValidators(h + 2).hash().equals(at);
    }

    /**
     * True while this node holds back round 0 of the current height (genesis {@code createEmptyBlocksIntervalTicks},
     * as CometBFT's {@code create_empty_blocks_interval}): no transaction or evidence is pending and fewer than that many ticks have
     * passed since the last commit. Then the proposer does not propose and the propose timer does not run; everything
     * else goes on (a proposal from a peer that had a transaction is handled as always, and moves this node on). The
     * core is not touched: holding back a proposal or a timeout is a stutter of the spec, never a new behaviour.
     */
    private boolean idleWait() {
        long interval = params.createEmptyBlocksIntervalTicks();
        return interval > 0 && core.round() == 0 && chain.app().pendingCount() == 0 && pendingEvidence.isEmpty()
                && nowTick - lastProgressTick < interval;
    }

    private void updateTimers() {
        long h = core.height();
        int r = core.round();
        proposeTimeout.update(core.timeoutProposeArmed() && !idleWait(), h, r, nowTick, params.timeoutProposeTicks(r));
        prevoteTimeout.update(core.timeoutPrevoteArmed(), h, r, nowTick, params.timeoutPrevoteTicks(r));
        precommitTimeout.update(core.timeoutPrecommitArmed(), h, r, nowTick, params.timeoutPrecommitTicks(r));
    }

    private void checkInvariants() {
        Invariant.check(core.height() == chain.height() + 1, "CoreAtNextHeightInv",
                "consensus height " + core.height() + " but committed height " + chain.height());
        // The application's state changes only when a block is finalized: its root is the last committed block's.
        chain.store().get(chain.height()).ifPresent(cb -> Invariant.check(
                cb.block().stateRoot().equals(chain.app().stateRoot()), "AppRootIsCommittedRootInv",
                () -> "the application's root " + chain.app().stateRoot().shortHex()
                        + " is not the root committed at height " + chain.height()));
        chain.app().checkInvariants();
    }

    @Override
    public String toString() {
        return "ValidatorNode[" + signer.map(s -> chain.nameOf(s.publicKey())).orElse("observer") + " h="
                + chain.height() + " core=(" + core.height() + "," + core.round() + "," + core.step() + ") tick="
                + nowTick + " " + proposeTimeout + " " + prevoteTimeout + " " + precommitTimeout + "]";
    }
}
