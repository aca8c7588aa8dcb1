package dev.oasisj.core.node;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.app.StateEntry;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.Commit;
import dev.oasisj.core.ledger.Genesis;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * State sync from a peer's snapshot (issue 7, point 6): how a node that joins, or lost its data, catches up when its
 * peers no longer hold the blocks it lacks (they were restored from a checkpoint, or dropped them from their bounded
 * {@link BlockStore}). Owned by one {@link ValidatorNode}; deterministic and single-threaded: every decision depends
 * only on the inputs (the journal replays a sync exactly).
 *
 * <p><b>Serving.</b> A node keeps as snapshots the state after the two latest of its snapshot heights, and the state
 * it was restored at. A snapshot height is the first height {@code h} of an interval of
 * {@link NodeLimits#SNAPSHOT_INTERVAL_BLOCKS} heights whose sets of {@code h}, {@code h + 1} and {@code h + 2} are one
 * (only such a state can be taken, see below): a multiple of the interval while the set stays the same; with the
 * consensus services, whose set changes at every epoch's end, two heights after an epoch end that is a multiple of it.
 * ({@link Application#snapshot}: the applications' states are persistent, so a snapshot costs only the tree paths
 * changed since.) The chunks carry the
 * application's state entries, opaque here. A block request it cannot answer from its blocks, for a height
 * at or below its newest snapshot, is answered with chunk 0 of that snapshot: an offer. Later chunks are answered to
 * {@link PeerWire.SnapshotRequest}s naming the snapshot's height.
 *
 * <p><b>Fetching.</b> The first offer above the node's height starts a session with that peer, if its head's commit
 * holds valid precommits of more than two thirds of the power for exactly the head block (otherwise
 * {@code SNAPSHOT_BAD_COMMIT}); one session at a time. Chunks are asked for one at a time, in order, from the same peer
 * (so at most one chunk is in flight); a request unanswered for a propose timeout is sent again, and after
 * {@link #MAX_RETRIES} resends the session is dropped ({@code SNAPSHOT_TIMEOUT}). Each chunk must continue the
 * previous one (next index, same height and block, keys ascending across chunks), and all the entries together hold
 * at most {@link NodeLimits#MAX_SNAPSHOT_ENTRY_BYTES} ({@code SNAPSHOT_TOO_LARGE}). After the last chunk the
 * application is rebuilt ({@link ApplicationFactory#restore}; {@code SNAPSHOT_BAD_STATE} if it refuses the entries)
 * and its state root must be the head block's ({@code SNAPSHOT_ROOT_MISMATCH}): only then is it installed. A
 * peer whose snapshot failed any check, or who timed out, is not taken an offer from for
 * {@link NodeLimits#SNAPSHOT_PEER_PENALTY_SILENCES} block-sync silences.
 *
 * <p><b>Which validator set judges the head's commit</b> (validator sets per height, issue 9). A syncing node trusts
 * only the sets it derived itself, the genesis set and the sets its own committed blocks led to (the newest of them is
 * the set of its committed height + 2), and the sets it proved by a <em>chain of set changes</em>; it never trusts a
 * set a peer merely claims. An offer whose head names the newest trusted set as both its {@code validatorsHash} and its
 * {@code nextValidatorsHash} is taken as before. An offer whose head names two different sets (its height is at a set
 * change) is refused ({@code SNAPSHOT_PAST_SET_CHANGE}, penalized): the sets after it cannot be known from it. An offer
 * whose head names another set twice is not taken as it came (reported as {@code SNAPSHOT_PAST_SET_CHANGE}, not
 * penalized): the node keeps that chunk 0 (one peer message) and asks the peer that sent it for the changes between
 * ({@link PeerWire.SetChangeRequest}: "the first change at or above height {@code a} out of the set {@code S}", where
 * {@code S} is trusted from {@code a} on; at first {@code a} is the committed height + 2). One set-change proof at a
 * time, with one peer; no snapshot session runs meanwhile, and block requests pause as during a session.
 *
 * <p><b>The link rule.</b> Each answer ({@link PeerWire.SetChangeLink}) carries one link: a whole committed block
 * {@code h} with its commit (a precommit signs the consensus value, SHA-256 of the whole block encoding, so a header
 * alone could not be checked against a commit), and the set it names as next, members in order with names and powers.
 * The link is taken, and the set of {@code h + 1} trusted from {@code h + 1} on, only if, in this order: the block
 * lies in {@code a .. H - 1} ({@code H} the snapshot's height; else {@code SET_CHANGE_OUT_OF_ORDER}, so heights strictly
 * increase and stay below the snapshot), it names {@code S} as its {@code validatorsHash}
 * ({@code SET_CHANGE_WRONG_SET}) and another set as its {@code nextValidatorsHash} ({@code SET_CHANGE_NOT_A_CHANGE}),
 * the proof has taken fewer than {@link NodeLimits#MAX_SET_CHANGE_LINKS} links ({@code SET_CHANGE_TOO_LONG}), its
 * commit holds valid precommits of more than two thirds of {@code S}'s power for exactly that block
 * ({@code SET_CHANGE_BAD_COMMIT}), the carried members make a set the engine can hold, each named as
 * {@link ValidatorSets} names that key ({@code SET_CHANGE_BAD_SET}; names are not in the hash), and that set hashes to
 * the block's {@code nextValidatorsHash} ({@code SET_CHANGE_SET_MISMATCH}). A refusal ("I hold no such change") ends
 * the proof ({@code SET_CHANGE_UNAVAILABLE}), and so does a request unanswered after {@link #MAX_RETRIES} resends
 * ({@code SET_CHANGE_TIMEOUT}), or a set of the snapshot's height that is not the one its head names
 * ({@code SET_CHANGE_HEAD_MISMATCH}). Every failure penalizes the peer as a failed snapshot does; the node then
 * catches up by block sync, or by another peer's offer. When the newest proved set is the one the head names, the kept
 * chunk 0 starts the session as any offer does, its commit judged by that set, and the installed node takes that set
 * as the set of the head's height and the two after it. The proof holds only the newest proved set, never the links.
 *
 * <p>What the rule assumes: the set {@code S} trusted from {@code a} is taken to be the set of every height from
 * {@code a} up to the next link's block, without the blocks between (the skipping a light client does). It is the
 * assumption the same-set case already makes for the snapshot's head, and it holds while more than two thirds of
 * {@code S}'s power signs only blocks of heights where it is the set. The installed node takes the head's set as the
 * set of its height + 2 too: if block {@code H} itself changed it (its updates take effect at {@code H + 2}), block
 * {@code H + 1} names another {@code nextValidatorsHash} and the node refuses it ({@code SYNC_INVALID_BLOCK}): it fails
 * safe, never installing a set nobody committed, but stays behind. Honest nodes therefore serve only snapshots at
 * heights whose next two sets equal the set of the height ({@link ValidatorNode}).
 *
 * <p><b>Serving links.</b> A node keeps the newest {@link NodeLimits#MAX_SERVED_SET_CHANGES} set changes it committed
 * (the height of the block that named the new set, the old set's hash, the new set; also the change the block it was
 * restored at named) and answers a request with the first kept change at or above the height asked for out of the
 * set asked for, with that block and commit from its {@link BlockStore} while it still holds them; otherwise with a
 * refusal. So an honest node serves a lagging peer only the changes it committed itself (not those before a checkpoint
 * it was restored from, nor those a state sync skipped), while their blocks are retained, and at most the newest 64;
 * a lagging node whose changes are older than that falls back to block sync as before.
 *
 * <p><b>What a hostile peer can do.</b> It cannot make a node install a state no quorum of a trusted set committed
 * (the set hashes, the commits and the root are checked). It cannot make it trust a validator set that a quorum of the
 * previously trusted set did not name. If a trusted set has since been replaced on the real chain, more than two thirds
 * of that old set (keys that no longer secure anything) could sign forged blocks or links naming sets of their choice:
 * the long-range attack a trusting period would close (not implemented); a node that must resist it syncs by blocks.
 * It can offer a genuine snapshot at a height whose set changes two heights later, stalling the node's sync as
 * described above. It can make a node hold one snapshot's entries (at most
 * {@code MAX_SNAPSHOT_CHUNKS * SNAPSHOT_ENTRIES_PER_CHUNK} of at most {@code MAX_SNAPSHOT_ENTRY_BYTES} in all), or one
 * offer and one validator set, before a check fails, and delay a sync: each proof or session it starts costs at most
 * the retries of one request after its last answer, and then it is penalized. A link that does not decode (more than
 * {@code ValidatorSet.MAX_VALIDATORS} members, a name longer than {@code PeerWire.MAX_SET_MEMBER_NAME_BYTES}) is junk
 * ({@code MALFORMED_PEER_MESSAGE}, counted by the shell's junk allowance), and the proof then times out.
 */
final class StateSync {
    /** Resends of one chunk request before the session is dropped. */
    static final int MAX_RETRIES = 4;
    /** Snapshots kept to serve (a transfer in progress survives the next snapshot being taken). */
    static final int SERVED_SNAPSHOTS = 2;

    /** A state this node serves: a committed block and the application's snapshot of the state after it. */
    private static final class Served {
        final PeerWire.CommittedBlock committed;
        final Application.Snapshot snapshot;

        Served(PeerWire.CommittedBlock committed, Application.Snapshot snapshot) {
            this.committed = committed;
            this.snapshot = snapshot;
        }

        long height() {
            return committed.block().height();
        }

        PeerWire.SnapshotChunk chunk(int i) {
            List<StateEntry> all = snapshot.entries();
            int count = PeerWire.chunkCountFor(all.size());
            int from = i * NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK;
            int to = Math.min(all.size(), from + NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK);
            PeerWire.SnapshotHead head = i == 0 ? new PeerWire.SnapshotHead(committed, all.size()) : null;
            return new PeerWire.SnapshotChunk(height(), committed.block().hash(), i, count, head,
                    all.subList(from, to));
        }

        int chunkCount() {
            return PeerWire.chunkCountFor(snapshot.entryCount());
        }
    }

    /** A snapshot being fetched from one peer. */
    private static final class Session {
        final int peer;
        final PeerWire.SnapshotHead head;
        final int chunkCount;
        final List<StateEntry> entries = new ArrayList<>();
        long entryBytes;
        int nextChunk;
        long requestedAtTick;
        int retries;
        /** The set the head's commit was judged by, to install as the sets of its height and the two after. */
        final @Nullable ValidatorSet set;

        Session(int peer, PeerWire.SnapshotHead head, int chunkCount, @Nullable ValidatorSet set) {
            this.peer = peer;
            this.head = head;
            this.chunkCount = chunkCount;
            this.set = set;
        }

        long height() {
            return head.committed().block().height();
        }

        Hash32 blockHash() {
            return head.committed().block().hash();
        }

        PeerWire.SnapshotRequest request() {
            return new PeerWire.SnapshotRequest(height(), nextChunk);
        }
    }

    /**
     * A chain of validator-set changes being proved to take {@link #offer}, whose head names a set the node does not
     * trust yet: {@link #set} is trusted from {@link #anchor} on (the node's own set of its committed height + 2, then
     * each set a checked link led to).
     */
    private static final class Proof {
        final int peer;
        /** Chunk 0 of the snapshot offered (one peer message): taken once the proof reaches the set its head names. */
        final PeerWire.SnapshotChunk offer;
        long anchor;
        ValidatorSet set;
        int links;
        long requestedAtTick;
        int retries;

        Proof(int peer, PeerWire.SnapshotChunk offer, long anchor, ValidatorSet set, long nowTick) {
            this.peer = peer;
            this.offer = offer;
            this.anchor = anchor;
            this.set = set;
            this.requestedAtTick = nowTick;
        }

        long height() {
            return offer.height();
        }

        Block head() {
            PeerWire.SnapshotHead h = offer.head();
            if (h == null) {
                throw new IllegalStateException("an offer is chunk 0, which carries the head");
            }
            return h.committed().block();
        }

        PeerWire.SetChangeRequest request() {
            return new PeerWire.SetChangeRequest(anchor, set.hash());
        }
    }

    /** A validator-set change this node serves as a link: the old set's hash and the new set. */
    private record ServedChange(Hash32 before, ValidatorSet after) {}

    /** What a chunk, or a tick, leads to. */
    sealed interface Outcome {
        /** Nothing to do (a stale or unexpected chunk, ignored). */
        record None() implements Outcome {}

        /** Send {@code request} to {@code peer}. */
        record Request(int peer, PeerWire.SnapshotRequest request) implements Outcome {}

        /** The session failed; report {@code reason}. */
        record Failed(String reason, String detail) implements Outcome {}

        /**
         * Send {@code request} to {@code peer} (the next link of a set-change proof); if {@code reason} is not null,
         * also report it: the offer that started the proof is not taken as it came.
         */
        record ProveSetChange(int peer, PeerWire.SetChangeRequest request, @Nullable String reason,
                @Nullable String detail) implements Outcome {}

        /**
         * The snapshot checked out: install {@code app} as the state after {@code committed}; {@code set} is the
         * validator set its head's commit was judged by (null when the caller passed only a hash: the caller's set).
         */
        record Complete(int peer, PeerWire.CommittedBlock committed, Application app, @Nullable ValidatorSet set)
                implements Outcome {
            Complete(int peer, PeerWire.CommittedBlock committed, Application app) {
                this(peer, committed, app, null);
            }
        }
    }

    static final Outcome NONE = new Outcome.None();

    private final ApplicationFactory factory;
    /** The chain's genesis (its id signs the precommits of a link, its names name a link's validators); null: no proofs. */
    private final @Nullable Genesis genesis;
    private final ArrayDeque<Served> served = new ArrayDeque<>();
    /** Set changes served as links, by the height of the block that named the new set (the newest few). */
    private final TreeMap<Long, ServedChange> servedChanges = new TreeMap<>();
    private @Nullable Session session;
    private @Nullable Proof proof;
    /** Peer to the tick until which its offers are ignored. Bounded by the number of peer indexes that ever failed. */
    private final TreeMap<Integer, Long> penalizedUntil = new TreeMap<>();

    /** A state sync that takes only snapshots naming the trusted set (no set-change proofs). */
    StateSync(ApplicationFactory factory) {
        this(factory, null);
    }

    /** A state sync of the chain of {@code genesis} that proves set changes ({@link #accept(int, PeerWire.SnapshotChunk,
     * long, long, long, ValidatorSet)}). */
    StateSync(ApplicationFactory factory, @Nullable Genesis genesis) {
        this.factory = factory;
        this.genesis = genesis;
    }

    // ------------------------------------------------------------------------------------------ serving

    /** Keeps the state after {@code committed} as a snapshot to serve (the newest {@link #SERVED_SNAPSHOTS}). */
    void retain(PeerWire.CommittedBlock committed, Application.Snapshot snapshot) {
        Served newest = served.peekLast();
        if (newest != null && newest.height() >= committed.block().height()) {
            return;
        }
        served.addLast(new Served(committed, snapshot));
        while (served.size() > SERVED_SNAPSHOTS) {
            served.pollFirst();
        }
    }

    /** The newest snapshot's height, or 0 when there is none. */
    long newestSnapshotHeight() {
        Served newest = served.peekLast();
        return newest == null ? 0 : newest.height();
    }

    /** Chunk 0 of the newest snapshot if it lies at or above {@code fromHeight} (a block request it answers). */
    Optional<PeerWire.SnapshotChunk> offer(long fromHeight) {
        Served newest = served.peekLast();
        return newest == null || newest.height() < fromHeight ? Optional.empty() : Optional.of(newest.chunk(0));
    }

    /** The chunk asked for, if this node still serves that snapshot and it has that chunk. */
    Optional<PeerWire.SnapshotChunk> serve(PeerWire.SnapshotRequest r) {
        for (Served s : served) {
            if (s.height() == r.height() && r.chunk() < s.chunkCount()) {
                return Optional.of(s.chunk(r.chunk()));
            }
        }
        return Optional.empty();
    }

    /**
     * Keeps the change named by committed block {@code height} (its {@code validatorsHash} {@code before}, its
     * {@code nextValidatorsHash} the hash of {@code after}, the set of {@code height + 1}) to serve as a link; the
     * newest {@link NodeLimits#MAX_SERVED_SET_CHANGES}.
     */
    void retainSetChange(long height, Hash32 before, ValidatorSet after) {
        servedChanges.put(height, new ServedChange(before, after));
        while (servedChanges.size() > NodeLimits.MAX_SERVED_SET_CHANGES) {
            servedChanges.pollFirstEntry();
        }
    }

    /**
     * The first kept change at a height {@code >= fromHeight} out of the set {@code fromSetHash}: the height of the
     * block that named the new set, and that set. The caller serves it with that block if it still holds it.
     */
    Optional<Map.Entry<Long, ValidatorSet>> setChangeFrom(long fromHeight, Hash32 fromSetHash) {
        for (Map.Entry<Long, ServedChange> e : servedChanges.tailMap(fromHeight, true).entrySet()) {
            if (e.getValue().before().equals(fromSetHash)) {
                return Optional.of(Map.entry(e.getKey(), e.getValue().after()));
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------------ fetching

    /** True while a snapshot is being fetched, or the set changes before one are being proved. */
    boolean inProgress() {
        return session != null || proof != null;
    }

    /**
     * A chunk from {@code peer} for a node that proves set changes: {@code trusted} is its newest trusted validator
     * set, the set of {@code committedHeight + 2}. An offer whose head names another set (as its current and next
     * one) starts a set-change proof with that peer (see the class comment) instead of being refused.
     */
    Outcome accept(int peer, PeerWire.SnapshotChunk c, long committedHeight, long nowTick, long silenceTicks,
            ValidatorSet trusted) {
        String chainId = requireGenesis().chainId();
        return accept(peer, c, committedHeight, nowTick, silenceTicks, trusted, trusted.hash(),
                (b, k) -> Chain.isValidCommit(trusted, chainId, b, k));
    }

    /**
     * A chunk from {@code peer}. {@code committedHeight} is the node's; {@code trustedSetHash} the hash of its newest
     * trusted validator set, which the head block must name as its current and next set (see the class comment);
     * {@code validCommit} checks a commit against that set; {@code silenceTicks} is genesis
     * {@code blockSyncSilenceTicks} (the penalty's unit).
     */
    Outcome accept(int peer, PeerWire.SnapshotChunk c, long committedHeight, long nowTick, long silenceTicks,
            Hash32 trustedSetHash, BiPredicate<Block, Commit> validCommit) {
        return accept(peer, c, committedHeight, nowTick, silenceTicks, null, trustedSetHash, validCommit);
    }

    private Outcome accept(int peer, PeerWire.SnapshotChunk c, long committedHeight, long nowTick, long silenceTicks,
            @Nullable ValidatorSet trusted, Hash32 trustedSetHash, BiPredicate<Block, Commit> validCommit) {
        if (c.height() <= committedHeight) {
            return NONE;
        }
        Session s = session;
        PeerWire.SnapshotHead head = c.head();
        if (head != null) {
            if (s != null || proof != null || nowTick < penalizedUntil.getOrDefault(peer, Long.MIN_VALUE)) {
                return NONE;
            }
            Block headBlock = head.committed().block();
            if (!headBlock.validatorsHash().equals(headBlock.nextValidatorsHash())) {
                penalize(peer, nowTick, silenceTicks);
                return new Outcome.Failed("SNAPSHOT_PAST_SET_CHANGE", "peer " + peer + ": the snapshot at height "
                        + c.height() + " names validator sets " + headBlock.validatorsHash().shortHex() + "/"
                        + headBlock.nextValidatorsHash().shortHex() + ": its height is at a set change, whose next"
                        + " sets the snapshot cannot prove (sync by blocks)");
            }
            if (!headBlock.validatorsHash().equals(trustedSetHash)) {
                long anchor = committedHeight + 2;
                if (trusted == null || genesis == null || c.height() <= anchor) {
                    penalize(peer, nowTick, silenceTicks);
                    return new Outcome.Failed("SNAPSHOT_PAST_SET_CHANGE", "peer " + peer + ": the snapshot at height "
                            + c.height() + " names validator set " + headBlock.validatorsHash().shortHex()
                            + ", not the trusted set " + trustedSetHash.shortHex() + (trusted == null ? ""
                            : " (no set change can lie between the trusted height " + anchor + " and it)")
                            + "; sync by blocks");
                }
                Proof p = new Proof(peer, c, anchor, trusted, nowTick);
                proof = p;
                return new Outcome.ProveSetChange(peer, p.request(), "SNAPSHOT_PAST_SET_CHANGE", "peer " + peer
                        + ": the snapshot at height " + c.height() + " names validator set "
                        + headBlock.validatorsHash().shortHex() + ", not the trusted set " + trustedSetHash.shortHex()
                        + ": not taken as it came; asking the peer for the set changes from height " + anchor);
            }
            return start(peer, c, trusted, validCommit, nowTick, silenceTicks);
        } else if (s == null || s.peer != peer || s.height() != c.height() || !s.blockHash().equals(c.blockHash())
                || s.nextChunk != c.chunk() || s.chunkCount != c.chunkCount()) {
            return NONE; // not the chunk asked for (a resend's duplicate, or from an abandoned session)
        }
        return take(s, c, nowTick, silenceTicks);
    }

    /** Starts a session with chunk 0 {@code c} if its head's commit checks (by {@code set}, when known). */
    private Outcome start(int peer, PeerWire.SnapshotChunk c, @Nullable ValidatorSet set,
            BiPredicate<Block, Commit> validCommit, long nowTick, long silenceTicks) {
        PeerWire.SnapshotHead head = c.head();
        if (head == null) {
            throw new IllegalStateException("a session starts with chunk 0");
        }
        if (!validCommit.test(head.committed().block(), head.committed().commit())) {
            penalize(peer, nowTick, silenceTicks);
            return new Outcome.Failed("SNAPSHOT_BAD_COMMIT", "peer " + peer + ": the snapshot at height "
                    + c.height() + " lacks valid precommits of more than two thirds of the power");
        }
        Session s = new Session(peer, head, c.chunkCount(), set);
        session = s;
        return take(s, c, nowTick, silenceTicks);
    }

    /** The entries of chunk {@code c}, the one {@code s} expects. */
    private Outcome take(Session s, PeerWire.SnapshotChunk c, long nowTick, long silenceTicks) {
        int peer = s.peer;
        List<StateEntry> entries = c.entries();
        if (!entries.isEmpty() && !s.entries.isEmpty()
                && StateEntry.compareKeys(s.entries.get(s.entries.size() - 1), entries.get(0)) >= 0) {
            return fail(s, nowTick, silenceTicks, "SNAPSHOT_BAD_CHUNK", "chunk " + c.chunk()
                    + " does not continue the previous one in key order");
        }
        for (StateEntry e : entries) {
            s.entryBytes += e.key().length + e.value().length;
        }
        if (s.entryBytes > NodeLimits.MAX_SNAPSHOT_ENTRY_BYTES) {
            return fail(s, nowTick, silenceTicks, "SNAPSHOT_TOO_LARGE", "its entries exceed "
                    + NodeLimits.MAX_SNAPSHOT_ENTRY_BYTES + " bytes at chunk " + c.chunk());
        }
        s.entries.addAll(entries);
        s.nextChunk++;
        s.retries = 0;
        s.requestedAtTick = nowTick;
        if (s.nextChunk < s.chunkCount) {
            return new Outcome.Request(peer, s.request());
        }
        return finish(s, nowTick, silenceTicks);
    }

    private Outcome finish(Session s, long nowTick, long silenceTicks) {
        if (s.entries.size() != s.head.entryCount()) {
            return fail(s, nowTick, silenceTicks, "SNAPSHOT_BAD_CHUNK", s.entries.size() + " entries, the head said "
                    + s.head.entryCount());
        }
        Application app;
        try {
            app = factory.restore(s.entries);
        } catch (IllegalArgumentException | ArithmeticException | Invariant.ViolationException e) {
            return fail(s, nowTick, silenceTicks, "SNAPSHOT_BAD_STATE", String.valueOf(e.getMessage()));
        }
        Block block = s.head.committed().block();
        if (!app.stateRoot().equals(block.stateRoot())) {
            return fail(s, nowTick, silenceTicks, "SNAPSHOT_ROOT_MISMATCH", "the rebuilt state root "
                    + app.stateRoot().shortHex() + " is not the root " + block.stateRoot().shortHex()
                    + " committed at height " + block.height());
        }
        session = null;
        return new Outcome.Complete(s.peer, s.head.committed(), app, s.set);
    }

    /**
     * A set-change link from {@code peer}, the answer to the proof's last request (anything else is ignored). A link
     * that checks (see the class comment) extends the trusted chain: the proof asks for the next one, or, once the
     * trusted set is the one the offered head names, starts the snapshot session with the offer. One that does not
     * check ends the proof with its reason, and the peer is penalized as for a failed snapshot.
     */
    Outcome acceptLink(int peer, PeerWire.SetChangeLink l, long committedHeight, long nowTick, long silenceTicks) {
        Proof p = proof;
        if (p == null || p.peer != peer || l.fromHeight() != p.anchor || !l.fromSetHash().equals(p.set.hash())) {
            return NONE; // unsolicited, or the answer to an earlier request (a resend's duplicate)
        }
        if (p.height() <= committedHeight) {
            proof = null;
            return NONE;
        }
        PeerWire.CommittedBlock cb = l.committed();
        if (cb == null) {
            return failProof(p, nowTick, silenceTicks, "SET_CHANGE_UNAVAILABLE", "it holds no change out of set "
                    + p.set.hash().shortHex() + " from height " + p.anchor + " (sync by blocks)");
        }
        Block b = cb.block();
        long h = b.height();
        if (h < p.anchor || h >= p.height()) {
            return failProof(p, nowTick, silenceTicks, "SET_CHANGE_OUT_OF_ORDER", "a link at height " + h
                    + ", not in " + p.anchor + ".." + (p.height() - 1) + " (from the trusted height to below the"
                    + " snapshot)");
        }
        if (!b.validatorsHash().equals(p.set.hash())) {
            return failProof(p, nowTick, silenceTicks, "SET_CHANGE_WRONG_SET", "block " + h + " names validator set "
                    + b.validatorsHash().shortHex() + ", not the trusted set " + p.set.hash().shortHex());
        }
        if (b.nextValidatorsHash().equals(b.validatorsHash())) {
            return failProof(p, nowTick, silenceTicks, "SET_CHANGE_NOT_A_CHANGE", "block " + h + " names set "
                    + b.validatorsHash().shortHex() + " as its next one too");
        }
        if (p.links >= NodeLimits.MAX_SET_CHANGE_LINKS) {
            return failProof(p, nowTick, silenceTicks, "SET_CHANGE_TOO_LONG", "more than "
                    + NodeLimits.MAX_SET_CHANGE_LINKS + " set changes");
        }
        Genesis g = requireGenesis();
        if (!Chain.isValidCommit(p.set, g.chainId(), b, cb.commit())) {
            return failProof(p, nowTick, silenceTicks, "SET_CHANGE_BAD_COMMIT", "block " + h + " lacks valid"
                    + " precommits of more than two thirds of the power of the trusted set " + p.set.hash().shortHex());
        }
        ValidatorSet next;
        try {
            next = setOf(l.nextSet(), g);
        } catch (IllegalArgumentException e) {
            return failProof(p, nowTick, silenceTicks, "SET_CHANGE_BAD_SET", "the set of height " + (h + 1) + ": "
                    + e.getMessage());
        }
        if (!next.hash().equals(b.nextValidatorsHash())) {
            return failProof(p, nowTick, silenceTicks, "SET_CHANGE_SET_MISMATCH", "the set carried hashes to "
                    + next.hash().shortHex() + ", block " + h + " names " + b.nextValidatorsHash().shortHex());
        }
        p.set = next;
        p.anchor = h + 1;
        p.links++;
        p.retries = 0;
        p.requestedAtTick = nowTick;
        Block head = p.head();
        if (next.hash().equals(head.validatorsHash())) {
            proof = null;
            return start(p.peer, p.offer, next, (x, k) -> Chain.isValidCommit(next, g.chainId(), x, k), nowTick,
                    silenceTicks);
        }
        if (p.anchor >= p.height()) {
            return failProof(p, nowTick, silenceTicks, "SET_CHANGE_HEAD_MISMATCH", "the proved set of height "
                    + p.anchor + " is " + next.hash().shortHex() + ", the snapshot's head names "
                    + head.validatorsHash().shortHex());
        }
        return new Outcome.ProveSetChange(p.peer, p.request(), null, null);
    }

    /**
     * The validator set a link carries, checked as the engine would hold it: {@link ValidatorSet}'s rules (not empty,
     * distinct keys and names, powers and total in range), and each name the one {@link ValidatorSets#apply} gives
     * that key (its genesis name or short id, or its full hex). Names are not in the set's hash, so this is what
     * keeps a peer from renaming validators. {@link IllegalArgumentException} otherwise.
     */
    static ValidatorSet setOf(List<PeerWire.SetMember> members, Genesis genesis) {
        List<ValidatorSet.Validator> vs = new ArrayList<>(members.size());
        for (PeerWire.SetMember m : members) {
            if (!m.name().equals(ValidatorSets.nameFor(m.key(), genesis)) && !m.name().equals(m.key().toHex())) {
                throw new IllegalArgumentException("validator " + m.key().shortId() + " is named " + m.name()
                        + ", not " + ValidatorSets.nameFor(m.key(), genesis));
            }
            vs.add(new ValidatorSet.Validator(m.name(), m.key(), m.power()));
        }
        return new ValidatorSet(vs);
    }

    /** The members of {@code set} as a link carries them. */
    static List<PeerWire.SetMember> membersOf(ValidatorSet set) {
        List<PeerWire.SetMember> out = new ArrayList<>(set.size());
        for (ValidatorSet.Validator v : set.validators()) {
            out.add(new PeerWire.SetMember(v.name(), v.key(), v.power()));
        }
        return out;
    }

    private Genesis requireGenesis() {
        Genesis g = genesis;
        if (g == null) {
            throw new IllegalStateException("this state sync proves no set changes (made without a genesis)");
        }
        return g;
    }

    private Outcome failProof(Proof p, long nowTick, long silenceTicks, String reason, String detail) {
        proof = null;
        penalize(p.peer, nowTick, silenceTicks);
        return new Outcome.Failed(reason, "peer " + p.peer + ", set-change proof for the snapshot at height "
                + p.height() + " (link " + (p.links + 1) + ", from height " + p.anchor + "): " + detail);
    }

    /**
     * On a tick: a chunk request unanswered for {@code retryTicks} is sent again; after {@link #MAX_RETRIES} resends
     * the session is dropped and the peer penalized.
     */
    Outcome tick(long nowTick, long retryTicks, long silenceTicks) {
        Proof p = proof;
        if (p != null) {
            if (nowTick - p.requestedAtTick < retryTicks) {
                return NONE;
            }
            if (p.retries >= MAX_RETRIES) {
                return failProof(p, nowTick, silenceTicks, "SET_CHANGE_TIMEOUT", "no answer after "
                        + (MAX_RETRIES + 1) + " requests");
            }
            p.retries++;
            p.requestedAtTick = nowTick;
            return new Outcome.ProveSetChange(p.peer, p.request(), null, null);
        }
        Session s = session;
        if (s == null || nowTick - s.requestedAtTick < retryTicks) {
            return NONE;
        }
        if (s.retries >= MAX_RETRIES) {
            return fail(s, nowTick, silenceTicks, "SNAPSHOT_TIMEOUT", "no chunk " + s.nextChunk + " of the snapshot at "
                    + "height " + s.height() + " after " + (MAX_RETRIES + 1) + " requests");
        }
        s.retries++;
        s.requestedAtTick = nowTick;
        return new Outcome.Request(s.peer, s.request());
    }

    /** Drops a session made useless by the node reaching its height another way (block sync). */
    void abandonIfReached(long committedHeight) {
        Session s = session;
        if (s != null && s.height() <= committedHeight) {
            session = null;
        }
        Proof p = proof;
        if (p != null && p.height() <= committedHeight) {
            proof = null;
        }
    }

    private Outcome fail(Session s, long nowTick, long silenceTicks, String reason, String detail) {
        session = null;
        penalize(s.peer, nowTick, silenceTicks);
        return new Outcome.Failed(reason, "peer " + s.peer + ", snapshot at height " + s.height() + ": " + detail);
    }

    private void penalize(int peer, long nowTick, long silenceTicks) {
        penalizedUntil.put(peer, nowTick + NodeLimits.SNAPSHOT_PEER_PENALTY_SILENCES * silenceTicks);
    }
}
