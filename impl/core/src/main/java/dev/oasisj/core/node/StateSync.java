package dev.oasisj.core.node;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.app.StateEntry;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.Commit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
 * <p><b>Serving.</b> A node keeps as snapshots the state after its two latest heights that are multiples of
 * {@link NodeLimits#SNAPSHOT_INTERVAL_BLOCKS}, and the state it was restored at ({@link Application#snapshot}: the
 * transfer ledger is persistent, so a snapshot costs only the tree paths changed since). The chunks carry the
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
 * only the sets it derived itself: the genesis set, and the sets its own committed blocks led to; the newest of them
 * is the set of its committed height + 2. It must not trust a set a peer merely claims. The sound rule, which this
 * class does <em>not</em> implement yet, is a chain of changes: the set of {@code h + 1} is trusted when the header
 * of {@code h} was committed by more than two thirds of the trusted set of {@code h} and names it as
 * {@code nextValidatorsHash}; an offer would carry the blocks and commits where the set changed (whole blocks: a
 * precommit signs the consensus value, SHA-256 of the whole block encoding, not the header hash, so a header alone
 * cannot be checked against a commit; a bounded proof needs either that or votes over the header hash). What is
 * implemented is the restriction that needs no such chain: a snapshot is taken only if its head block names the
 * node's newest trusted set as both its {@code validatorsHash} and its {@code nextValidatorsHash}, and its commit
 * holds more than two thirds of that set's power; any other offer is refused ({@code SNAPSHOT_PAST_SET_CHANGE}) and
 * the node catches up by block sync instead, which checks every set change block by block. The installed node takes
 * that set as the set of the head's height + 2 as well; if block {@code H} itself changed it (its updates take effect
 * at {@code H + 2}), block {@code H + 1} names another {@code nextValidatorsHash} and the node refuses it
 * ({@code SYNC_INVALID_BLOCK}): it fails safe, never installing a set nobody committed, but stays behind. Honest nodes
 * therefore serve only snapshots at heights whose next two sets equal the set of the height
 * ({@link ValidatorNode}).
 *
 * <p><b>What a hostile peer can do.</b> It cannot make a node install a state no quorum of the node's trusted set
 * committed (the set hashes, the commit and the root are checked). It cannot make it trust a validator set. If the
 * newest trusted set has since been replaced on the real chain, more than two thirds of that old set (keys that no
 * longer secure anything) could sign a forged head naming it: the long-range attack the chain-of-changes rule
 * narrows and a trusting period closes; a node that must resist it syncs by blocks. It can offer a genuine snapshot
 * at a height whose set changes two heights later, stalling the node's sync as described above. It can make a node hold one snapshot's entries (at most
 * {@code MAX_SNAPSHOT_CHUNKS * SNAPSHOT_ENTRIES_PER_CHUNK} of at most {@code MAX_SNAPSHOT_ENTRY_BYTES} in all)
 * before the root check fails, and delay a sync: each
 * session it starts costs at most the retries of one chunk after its last answer, and then it is penalized.
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

        Session(int peer, PeerWire.SnapshotHead head, int chunkCount) {
            this.peer = peer;
            this.head = head;
            this.chunkCount = chunkCount;
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

    /** What a chunk, or a tick, leads to. */
    sealed interface Outcome {
        /** Nothing to do (a stale or unexpected chunk, ignored). */
        record None() implements Outcome {}

        /** Send {@code request} to {@code peer}. */
        record Request(int peer, PeerWire.SnapshotRequest request) implements Outcome {}

        /** The session failed; report {@code reason}. */
        record Failed(String reason, String detail) implements Outcome {}

        /** The snapshot checked out: install {@code app} as the state after {@code committed}. */
        record Complete(int peer, PeerWire.CommittedBlock committed, Application app) implements Outcome {}
    }

    static final Outcome NONE = new Outcome.None();

    private final ApplicationFactory factory;
    private final ArrayDeque<Served> served = new ArrayDeque<>();
    private @Nullable Session session;
    /** Peer to the tick until which its offers are ignored. Bounded by the number of peer indexes that ever failed. */
    private final TreeMap<Integer, Long> penalizedUntil = new TreeMap<>();

    StateSync(ApplicationFactory factory) {
        this.factory = factory;
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

    // ------------------------------------------------------------------------------------------ fetching

    /** True while a snapshot is being fetched. */
    boolean inProgress() {
        return session != null;
    }

    /**
     * A chunk from {@code peer}. {@code committedHeight} is the node's; {@code trustedSetHash} the hash of its newest
     * trusted validator set, which the head block must name as its current and next set (see the class comment);
     * {@code validCommit} checks a commit against that set; {@code silenceTicks} is genesis
     * {@code blockSyncSilenceTicks} (the penalty's unit).
     */
    Outcome accept(int peer, PeerWire.SnapshotChunk c, long committedHeight, long nowTick, long silenceTicks,
            Hash32 trustedSetHash, BiPredicate<Block, Commit> validCommit) {
        if (c.height() <= committedHeight) {
            return NONE;
        }
        Session s = session;
        PeerWire.SnapshotHead head = c.head();
        if (head != null) {
            if (s != null || nowTick < penalizedUntil.getOrDefault(peer, Long.MIN_VALUE)) {
                return NONE;
            }
            Block headBlock = head.committed().block();
            if (!headBlock.validatorsHash().equals(trustedSetHash)
                    || !headBlock.nextValidatorsHash().equals(trustedSetHash)) {
                penalize(peer, nowTick, silenceTicks);
                return new Outcome.Failed("SNAPSHOT_PAST_SET_CHANGE", "peer " + peer + ": the snapshot at height "
                        + c.height() + " names validator sets " + headBlock.validatorsHash().shortHex() + "/"
                        + headBlock.nextValidatorsHash().shortHex() + ", not the trusted set "
                        + trustedSetHash.shortHex() + " (state sync across a validator-set change is not supported;"
                        + " sync by blocks)");
            }
            if (!validCommit.test(head.committed().block(), head.committed().commit())) {
                penalize(peer, nowTick, silenceTicks);
                return new Outcome.Failed("SNAPSHOT_BAD_COMMIT", "peer " + peer + ": the snapshot at height "
                        + c.height() + " lacks valid precommits of more than two thirds of the power");
            }
            s = new Session(peer, head, c.chunkCount());
            session = s;
        } else if (s == null || s.peer != peer || s.height() != c.height() || !s.blockHash().equals(c.blockHash())
                || s.nextChunk != c.chunk() || s.chunkCount != c.chunkCount()) {
            return NONE; // not the chunk asked for (a resend's duplicate, or from an abandoned session)
        }
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
        return new Outcome.Complete(s.peer, s.head.committed(), app);
    }

    /**
     * On a tick: a chunk request unanswered for {@code retryTicks} is sent again; after {@link #MAX_RETRIES} resends
     * the session is dropped and the peer penalized.
     */
    Outcome tick(long nowTick, long retryTicks, long silenceTicks) {
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
