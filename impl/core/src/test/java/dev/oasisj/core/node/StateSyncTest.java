package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.app.StateEntry;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Account;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.Commit;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.ledger.LedgerLimits;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransferApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * State sync (issue 7, point 6: "a node that joins or lost its data syncs from peers' blocks or a snapshot"). The
 * network test reproduces the gap as it was: peers restored from a checkpoint hold no block below it, so a node that lost
 * its data could not catch up from them at all. The {@link StateSync} tests check each rule a hostile server meets.
 */
class StateSyncTest {
    private static final String CHAIN = "state-sync-test";
    private static final long SILENCE = 200;
    private static final long RETRY = 30;

    private static Transaction transfer(String from, String to, long amount, long nonce) {
        return Transaction.sign(LocalnetTest.accountKey(from), LocalnetTest.CHAIN,
                LocalnetTest.accountKey(to).publicKey(), amount, 2, nonce);
    }

    private static ValidatorNode restoredNow(LocalnetTest.Net net, int i) {
        ValidatorNode n = net.nodes[i];
        return ValidatorNode.restore(net.genesis, LocalnetTest.validatorKey(i),
                n.committedBlock(n.height()).orElseThrow(), n.ledger(), n.nowTick());
    }

    @Test
    void aNodeThatLostItsData_catchesUpFromPeersRestoredFromCheckpoints_bySnapshotThenBlocks() {
        LocalnetTest.Net net = new LocalnetTest.Net();
        for (int n = 0; n < 6; n++) {
            net.submit(n % LocalnetTest.VALIDATORS, transfer("alice", "bob", 100, n));
            net.step();
        }
        net.runUntilHeight(10, 2_000);
        // Nodes 0-2 restart from checkpoints taken now (they hold no block below them); node 3 lost everything.
        long[] restoredAt = new long[3];
        for (int i = 0; i < 3; i++) {
            net.nodes[i] = restoredNow(net, i);
            restoredAt[i] = net.nodes[i].height();
            assertTrue(net.nodes[i].committedBlock(restoredAt[i] - 1).isEmpty(), "a restored node has no older block");
        }
        net.restart(3);
        net.committed.get(3).clear();
        net.rejections.get(3).clear();
        assertEquals(0, net.nodes[3].height());
        long target = restoredAt[0] + 6;
        // Before state sync this failed: node 3 asked for block 1, which no peer had, and stayed at height 0.
        net.runUntilHeight(target, 3_000);

        ValidatorNode synced = net.nodes[3];
        long snapshotHeight = net.committed.get(3).firstKey();
        assertTrue(snapshotHeight >= restoredAt[0] - 1 && snapshotHeight > 1,
                "node 3's first commit is the snapshot it installed, not block 1: " + snapshotHeight);
        for (long h = snapshotHeight; h <= target; h++) {
            assertEquals(net.committed.get(0).get(h).blockHash(), net.committed.get(3).get(h).blockHash(), "height " + h);
            assertEquals(net.committed.get(0).get(h).stateRoot(), net.committed.get(3).get(h).stateRoot(), "height " + h);
        }
        assertEquals(1_000_000 + 600, synced.ledger().balance(LocalnetTest.accountKey("bob").publicKey()));
        assertTrue(net.rejections.get(3).stream().noneMatch(r -> r.reason().startsWith("SNAPSHOT_")),
                () -> "no snapshot failed: " + net.rejections.get(3));

        // The synced node keeps committing with its peers, transactions included.
        net.submit(3, transfer("alice", "carol", 7, 6));
        net.runUntilHeight(target + 4, 2_000);
        assertEquals(1_000_000 + 7, net.nodes[0].ledger().balance(LocalnetTest.accountKey("carol").publicKey()));
        assertEquals(net.nodes[0].stateRoot(), net.nodes[3].stateRoot());
    }

    /**
     * As above, but the node that lost its data starts only when its peers are past several snapshot heights (they keep
     * the newest two), and it is offered snapshots while they move on.
     */
    @Test
    void aNodeThatLostItsData_syncsWhenItsPeersArePastSeveralSnapshotHeights() {
        LocalnetTest.Net net = new LocalnetTest.Net();
        net.runUntilHeight(12, 2_000);
        for (int i = 0; i < 3; i++) {
            net.nodes[i] = restoredNow(net, i);
        }
        net.crashed[3] = true;
        net.runUntilHeight(3 * NodeLimits.SNAPSHOT_INTERVAL_BLOCKS + 20, 20_000);
        net.restart(3);
        net.committed.get(3).clear();
        net.rejections.get(3).clear();
        long target = net.nodes[0].height() + 5;
        net.runUntilHeight(target, 5_000);
        long first = net.committed.get(3).firstKey();
        assertEquals(3 * NodeLimits.SNAPSHOT_INTERVAL_BLOCKS, first, "installed the newest snapshot");
        assertEquals(net.nodes[0].stateRoot(), net.nodes[3].stateRoot());
    }

    // ------------------------------------------------------------------------------------------ StateSync rules

    private static PublicKey key(int i) {
        return Signer.fromSeed(Hash32.sha256(("acct-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toBytes()).publicKey();
    }

    /** A served state of {@code accounts} accounts (and the supply entry) at height 7, and the block naming its root. */
    private record Served(PeerWire.CommittedBlock committed, TransferApplication app) {
        Application.Snapshot snapshot() {
            return app.snapshot();
        }
    }

    private static Served state(int accounts) {
        List<Map.Entry<PublicKey, Account>> list = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            list.add(Map.entry(key(i), new Account(1 + i % 5, i % 3)));
        }
        list.sort(Map.Entry.comparingByKey());
        long supply = list.stream().mapToLong(e -> e.getValue().balanceBaseUnits()).sum() + 11;
        Ledger ledger = Ledger.restore(CHAIN, list, supply, 11);
        Block block = new Block(7, Hash32.sha256(new byte[] {1}), key(0), List.of(), new Commit(0, List.of()),
                ledger.stateRoot());
        return new Served(new PeerWire.CommittedBlock(block, new Commit(0, List.of())),
                new TransferApplication(ledger, supply));
    }

    /** A state sync that rebuilds transfer ledgers of the total supply {@code state(n)} has. */
    private static StateSync sync(Served s) {
        long supply = s.app().ledger().totalSupplyBaseUnits();
        return new StateSync(new ApplicationFactory() {
            @Override
            public Application genesis() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Application restore(List<StateEntry> entries) {
                return new TransferApplication(transferLedger(entries, supply), supply);
            }
        });
    }

    private static Ledger transferLedger(List<StateEntry> entries, long supply) {
        List<Map.Entry<PublicKey, Account>> accounts = new ArrayList<>();
        long[] meta = longs(entries.get(0));
        for (StateEntry e : entries.subList(1, entries.size())) {
            long[] v = longs(e);
            accounts.add(Map.entry(PublicKey.of(e.key()), new Account(v[0], v[1])));
        }
        if (meta[0] != supply) {
            throw new IllegalArgumentException("supply " + meta[0]);
        }
        return Ledger.restore(CHAIN, accounts, meta[0], meta[1]);
    }

    private static long[] longs(StateEntry e) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(e.value());
        return new long[] {b.getLong(), b.getLong()};
    }

    private static StateEntry withLongs(StateEntry e, long first, long second) {
        return new StateEntry(e.key(), java.nio.ByteBuffer.allocate(16).putLong(first).putLong(second).array());
    }

    /** Through the wire, as a peer sends it. */
    private static PeerWire.SnapshotChunk wire(PeerWire.SnapshotChunk c) {
        try {
            return (PeerWire.SnapshotChunk) PeerWire.decode(PeerWire.encode(c));
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }

    private static StateSync.Outcome fetch(StateSync client, StateSync server, int peer, long tick) {
        StateSync.Outcome o = client.accept(peer, wire(server.offer(1).orElseThrow()), 0, tick, SILENCE, Hash32.ZERO, (b, c) -> true);
        while (o instanceof StateSync.Outcome.Request q) {
            o = client.accept(peer, wire(server.serve(q.request()).orElseThrow()), 0, tick, SILENCE, Hash32.ZERO, (b, c) -> true);
        }
        return o;
    }

    @Test
    void aSnapshotOfThreeChunks_crossesTheWire_andRebuildsTheSameRoot() {
        Served s = state(2 * NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK + 5);
        StateSync server = sync(s);
        server.retain(s.committed(), s.snapshot());
        assertEquals(3, server.offer(1).orElseThrow().chunkCount());
        assertTrue(server.offer(8).isEmpty(), "no offer above the snapshot's height");

        StateSync.Outcome o = fetch(sync(s), server, 2, 100);
        StateSync.Outcome.Complete done = assertInstanceOf(StateSync.Outcome.Complete.class, o);
        assertEquals(s.app().stateRoot(), done.app().stateRoot());
        assertEquals(s.app().ledger().accountCount(), ((TransferApplication) done.app()).ledger().accountCount());
        assertEquals(2, done.peer());
    }

    @Test
    void entriesTheApplicationRefuses_failTheSession() {
        Served s = state(3);
        StateSync server = sync(s);
        server.retain(s.committed(), s.snapshot());
        StateSync refusing = new StateSync(new ApplicationFactory() {
            @Override
            public Application genesis() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Application restore(List<StateEntry> entries) {
                throw new IllegalArgumentException("not a state of mine");
            }
        });
        StateSync.Outcome.Failed f = assertInstanceOf(StateSync.Outcome.Failed.class, fetch(refusing, server, 1, 5));
        assertEquals("SNAPSHOT_BAD_STATE", f.reason());
        assertTrue(f.detail().contains("not a state of mine"), f.detail());
    }

    /** A session's entries may hold MAX_SNAPSHOT_ENTRY_BYTES in all; the chunk that goes past it ends the session. */
    @Test
    void entriesPastTheByteBound_endTheSession() {
        int per = NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK;
        int entryBytes = StateEntry.MAX_KEY_BYTES + StateEntry.MAX_VALUE_BYTES;
        int fullChunks = (int) (NodeLimits.MAX_SNAPSHOT_ENTRY_BYTES / ((long) per * entryBytes));
        assertEquals(0, NodeLimits.MAX_SNAPSHOT_ENTRY_BYTES % ((long) per * entryBytes), "chunks fill the bound");
        int chunks = fullChunks + 1;
        Served s = state(1);
        Block b = s.committed().block();
        StateSync client = sync(s);
        byte[] value = new byte[StateEntry.MAX_VALUE_BYTES];
        int n = 0;
        StateSync.Outcome o = StateSync.NONE;
        for (int c = 0; c < chunks; c++) {
            List<StateEntry> entries = new ArrayList<>(per);
            for (int i = 0; i < per; i++, n++) {
                byte[] key = new byte[StateEntry.MAX_KEY_BYTES];
                java.nio.ByteBuffer.wrap(key).putInt(n);
                entries.add(new StateEntry(key, value));
            }
            PeerWire.SnapshotHead head = c == 0 ? new PeerWire.SnapshotHead(s.committed(), (long) chunks * per) : null;
            o = client.accept(1, new PeerWire.SnapshotChunk(7, b.hash(), c, chunks, head, entries), 0, 10, SILENCE,
                    Hash32.ZERO, (x, y) -> true);
            if (c < fullChunks) {
                assertInstanceOf(StateSync.Outcome.Request.class, o, "chunk " + c + " is within the bound");
            }
        }
        assertEquals("SNAPSHOT_TOO_LARGE", assertInstanceOf(StateSync.Outcome.Failed.class, o).reason());
        assertTrue(!client.inProgress());
    }

    @Test
    void aTamperedAccount_failsTheRootCheck_andThePeerIsPenalized() {
        Served s = state(NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK + 3);
        StateSync server = sync(s);
        server.retain(s.committed(), s.snapshot());
        StateSync client = sync(s);
        PeerWire.SnapshotChunk first = server.offer(1).orElseThrow();
        StateSync.Outcome o = client.accept(1, wire(first), 0, 100, SILENCE, Hash32.ZERO, (b, c) -> true);
        PeerWire.SnapshotRequest next = assertInstanceOf(StateSync.Outcome.Request.class, o).request();
        PeerWire.SnapshotChunk honest = server.serve(next).orElseThrow();
        List<StateEntry> accounts = new ArrayList<>(honest.entries());
        // Moves one unit between two accounts: the supply still adds up, only the root tells.
        long[] a = longs(accounts.get(1));
        long[] b = longs(accounts.get(2));
        accounts.set(1, withLongs(accounts.get(1), a[0] + 1, a[1]));
        accounts.set(2, withLongs(accounts.get(2), b[0] - 1, b[1]));
        PeerWire.SnapshotChunk tampered = new PeerWire.SnapshotChunk(honest.height(), honest.blockHash(), 1, 2, null,
                accounts);
        StateSync.Outcome.Failed f = assertInstanceOf(StateSync.Outcome.Failed.class,
                client.accept(1, wire(tampered), 0, 110, SILENCE, Hash32.ZERO, (x, y) -> true));
        assertEquals("SNAPSHOT_ROOT_MISMATCH", f.reason());
        assertTrue(!client.inProgress());

        // Peer 1 is not taken an offer from for the penalty; another peer is, and completes.
        assertEquals(StateSync.NONE, client.accept(1, wire(first), 0, 120, SILENCE, Hash32.ZERO, (x, y) -> true));
        assertInstanceOf(StateSync.Outcome.Complete.class, fetch(client, server, 3, 130));
        long after = 110 + NodeLimits.SNAPSHOT_PEER_PENALTY_SILENCES * SILENCE;
        assertInstanceOf(StateSync.Outcome.Request.class,
                sync(s).accept(1, wire(first), 0, after, SILENCE, Hash32.ZERO, (x, y) -> true));
    }

    @Test
    void anOfferWhoseCommitDoesNotCheck_isRefused() {
        Served s = state(3);
        StateSync server = sync(s);
        server.retain(s.committed(), s.snapshot());
        StateSync client = sync(s);
        StateSync.Outcome.Failed f = assertInstanceOf(StateSync.Outcome.Failed.class,
                client.accept(0, wire(server.offer(1).orElseThrow()), 0, 5, SILENCE, Hash32.ZERO, (b, c) -> false));
        assertEquals("SNAPSHOT_BAD_COMMIT", f.reason());
        assertTrue(!client.inProgress());
    }

    @Test
    void chunksThatAreNotTheOneAskedFor_areIgnored_andAStaleSnapshotIsNotStarted() {
        Served s = state(2 * NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK + 1);
        StateSync server = sync(s);
        server.retain(s.committed(), s.snapshot());
        StateSync client = sync(s);
        PeerWire.SnapshotChunk first = server.offer(1).orElseThrow();
        assertEquals(StateSync.NONE, client.accept(0, first, 7, 1, SILENCE, Hash32.ZERO, (b, c) -> true), "not above our height");
        assertInstanceOf(StateSync.Outcome.Request.class, client.accept(0, first, 6, 1, SILENCE, Hash32.ZERO, (b, c) -> true));
        PeerWire.SnapshotChunk c1 = server.serve(new PeerWire.SnapshotRequest(7, 1)).orElseThrow();
        PeerWire.SnapshotChunk c2 = server.serve(new PeerWire.SnapshotRequest(7, 2)).orElseThrow();
        assertEquals(StateSync.NONE, client.accept(1, c1, 6, 2, SILENCE, Hash32.ZERO, (b, c) -> true), "from another peer");
        assertEquals(StateSync.NONE, client.accept(0, c2, 6, 2, SILENCE, Hash32.ZERO, (b, c) -> true), "skips a chunk");
        assertEquals(StateSync.NONE, client.accept(2, first, 6, 2, SILENCE, Hash32.ZERO, (b, c) -> true), "a second offer");
        assertInstanceOf(StateSync.Outcome.Request.class, client.accept(0, c1, 6, 3, SILENCE, Hash32.ZERO, (b, c) -> true));
        assertEquals(StateSync.NONE, client.accept(0, c1, 6, 3, SILENCE, Hash32.ZERO, (b, c) -> true), "a duplicate");
        assertInstanceOf(StateSync.Outcome.Complete.class, client.accept(0, c2, 6, 4, SILENCE, Hash32.ZERO, (b, c) -> true));
        assertTrue(server.serve(new PeerWire.SnapshotRequest(7, 3)).isEmpty(), "no chunk 3");
        assertTrue(server.serve(new PeerWire.SnapshotRequest(8, 0)).isEmpty(), "no snapshot at 8");
    }

    @Test
    void anUnansweredRequest_isResent_thenTheSessionTimesOut_andThePeerIsPenalized() {
        Served s = state(NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK + 1);
        StateSync server = sync(s);
        server.retain(s.committed(), s.snapshot());
        StateSync client = sync(s);
        PeerWire.SnapshotChunk first = server.offer(1).orElseThrow();
        client.accept(4, first, 0, 1000, SILENCE, Hash32.ZERO, (b, c) -> true);
        assertEquals(StateSync.NONE, client.tick(1000 + RETRY - 1, RETRY, SILENCE), "not yet");
        long t = 1000;
        for (int i = 0; i < StateSync.MAX_RETRIES; i++) {
            t += RETRY;
            StateSync.Outcome.Request q = assertInstanceOf(StateSync.Outcome.Request.class,
                    client.tick(t, RETRY, SILENCE));
            assertEquals(4, q.peer());
            assertEquals(new PeerWire.SnapshotRequest(7, 1), q.request());
        }
        t += RETRY;
        assertEquals("SNAPSHOT_TIMEOUT",
                assertInstanceOf(StateSync.Outcome.Failed.class, client.tick(t, RETRY, SILENCE)).reason());
        assertTrue(!client.inProgress());
        assertEquals(StateSync.NONE, client.accept(4, first, 0, t + 1, SILENCE, Hash32.ZERO, (b, c) -> true), "penalized");
        assertInstanceOf(StateSync.Outcome.Request.class, client.accept(5, first, 0, t + 1, SILENCE, Hash32.ZERO, (b, c) -> true));
    }

    @Test
    void theServerKeepsItsTwoNewestSnapshots() {
        Served s = state(2);
        StateSync server = sync(s);
        for (long h : new long[] {100, 200, 300}) {
            Block b = s.committed().block();
            Block at = new Block(h, b.previousBlockHash(), b.proposer(), List.of(), b.lastCommit(), b.stateRoot());
            server.retain(new PeerWire.CommittedBlock(at, s.committed().commit()), s.snapshot());
        }
        assertEquals(300, server.newestSnapshotHeight());
        assertTrue(server.serve(new PeerWire.SnapshotRequest(100, 0)).isEmpty());
        assertTrue(server.serve(new PeerWire.SnapshotRequest(200, 0)).isPresent());
        assertEquals(300, server.offer(150).orElseThrow().height(), "the newest is offered");
    }

    // ------------------------------------------------------------------------------------------ the wire

    @Test
    void theLargestSnapshotChunk_fitsAPeerMessage() {
        int n = NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK;
        long bound = 1L + 8 + 32 + 4 + 4 + 4 + LedgerLimits.MAX_BLOCK_BYTES
                + 4 + 4 + LedgerLimits.MAX_VALIDATORS * (32L + 64 + 8) + 8 + 4 + (long) n * PeerWire.MAX_ENTRY_BYTES;
        assertTrue(bound < NodeLimits.MAX_PEER_MESSAGE_BYTES, bound + " < " + NodeLimits.MAX_PEER_MESSAGE_BYTES);
        Served s = state(n);
        StateSync server = sync(s);
        server.retain(s.committed(), s.snapshot());
        byte[] bytes = PeerWire.encode(server.offer(1).orElseThrow());
        assertTrue(bytes.length > n * (4 + 32 + 4 + 16) && bytes.length <= bound);
        // A chunk of entries of the largest key and value is within the bound too.
        List<StateEntry> big = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[StateEntry.MAX_KEY_BYTES];
            java.nio.ByteBuffer.wrap(key).putInt(i);
            big.add(new StateEntry(key, new byte[StateEntry.MAX_VALUE_BYTES]));
        }
        byte[] largest = PeerWire.encode(new PeerWire.SnapshotChunk(7, s.committed().block().hash(), 0, 1,
                new PeerWire.SnapshotHead(s.committed(), n), big));
        assertTrue(largest.length > n * PeerWire.MAX_ENTRY_BYTES && largest.length <= bound, largest.length + "");
    }

    /** Each snapshot limit at exactly its value and one past it. */
    @Test
    void snapshotLimits_atTheLimitAndOnePast() throws DecodeException {
        assertEquals(new PeerWire.SnapshotRequest(7, NodeLimits.MAX_SNAPSHOT_CHUNKS - 1),
                PeerWire.decode(PeerWire.encode(new PeerWire.SnapshotRequest(7, NodeLimits.MAX_SNAPSHOT_CHUNKS - 1))));
        long most = (long) NodeLimits.MAX_SNAPSHOT_CHUNKS * NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK;
        assertEquals(NodeLimits.MAX_SNAPSHOT_CHUNKS, PeerWire.chunkCountFor(most));
        assertEquals(Integer.MAX_VALUE, PeerWire.chunkCountFor(most + 1), "one entry more cannot be chunked");
        Served s = state(NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK + 1);
        List<StateEntry> all = s.snapshot().entries();
        Block b = s.committed().block();
        PeerWire.SnapshotHead head = new PeerWire.SnapshotHead(s.committed(), all.size());
        assertThrows(IllegalArgumentException.class, () -> new PeerWire.SnapshotChunk(7, b.hash(), 0, 2, head, all),
                "entries past a chunk");
        List<StateEntry> firstChunk = all.subList(0, NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK);
        PeerWire.SnapshotChunk full = new PeerWire.SnapshotChunk(7, b.hash(), 0, 2, head, firstChunk);
        assertEquals(NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK,
                ((PeerWire.SnapshotChunk) PeerWire.decode(PeerWire.encode(full))).entries().size());
        // The same bytes with the entry count raised by one (and a copy of the last entry appended) do not decode.
        byte[] bytes = PeerWire.encode(full);
        int entriesBytes = 0;
        for (StateEntry e : firstChunk) {
            entriesBytes += 8 + e.key().length + e.value().length;
        }
        int countAt = bytes.length - entriesBytes - 4;
        int lastEntry = 8 + PublicKey.SIZE_BYTES + 16;
        byte[] over = java.util.Arrays.copyOf(bytes, bytes.length + lastEntry);
        System.arraycopy(bytes, bytes.length - lastEntry, over, bytes.length, lastEntry);
        java.nio.ByteBuffer.wrap(over).putInt(countAt, NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK + 1);
        DecodeException e = assertThrows(DecodeException.class, () -> PeerWire.decode(over));
        assertTrue(e.getMessage().contains("snapshotChunk.entries"), e.getMessage());
        // An entry one byte past its key or value limit does not decode either.
        assertThrows(IllegalArgumentException.class, () -> new StateEntry(new byte[StateEntry.MAX_KEY_BYTES + 1],
                new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new StateEntry(new byte[0],
                new byte[StateEntry.MAX_VALUE_BYTES + 1]));
    }

    @Test
    void malformedChunks_doNotDecode() throws DecodeException {
        Served s = state(4);
        Block b = s.committed().block();
        List<StateEntry> sorted = s.snapshot().entries();
        PeerWire.SnapshotHead head = new PeerWire.SnapshotHead(s.committed(), sorted.size());
        List<StateEntry> unsorted = List.of(sorted.get(1), sorted.get(0));
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, b.hash(), 0, 1, head, unsorted), "keys not ascending");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, b.hash(), 0, 2, head, sorted), "5 entries are one chunk");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, b.hash(), 1, 2, head, sorted), "head only in chunk 0");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, b.hash(), 0, 1, null, sorted), "chunk 0 needs the head");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(8, b.hash(), 0, 1, head, sorted), "head of another height");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, Hash32.ZERO, 0, 1, head, sorted), "head of another block");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, b.hash(), 0, 2, new PeerWire.SnapshotHead(s.committed(),
                        NodeLimits.SNAPSHOT_ENTRIES_PER_CHUNK + 1), sorted), "every chunk but the last is full");
        assertThrows(IllegalArgumentException.class, () -> new PeerWire.SnapshotRequest(7,
                NodeLimits.MAX_SNAPSHOT_CHUNKS));

        // The decoder applies the same checks to bytes a hostile peer writes by hand: a valid chunk with its last two
        // account entries swapped (account entries have one size, so the swap keeps every length right).
        PeerWire.SnapshotChunk ok = new PeerWire.SnapshotChunk(7, b.hash(), 0, 1, head, sorted);
        byte[] bytes = PeerWire.encode(ok);
        int e = 8 + PublicKey.SIZE_BYTES + 16;
        int last = bytes.length - e;
        byte[] swapped = bytes.clone();
        System.arraycopy(bytes, last - e, swapped, last, e);
        System.arraycopy(bytes, last, swapped, last - e, e);
        DecodeException ex = assertThrows(DecodeException.class, () -> PeerWire.decode(swapped));
        assertTrue(ex.getMessage().contains("ascending"), ex.getMessage());
        assertEquals(ok.entries(), ((PeerWire.SnapshotChunk) PeerWire.decode(bytes)).entries());
    }
}
