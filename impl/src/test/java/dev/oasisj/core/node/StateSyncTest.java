package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** A served state of {@code accounts} accounts (one unit each) at height 7, and the block naming its root. */
    private record Served(PeerWire.CommittedBlock committed, Ledger ledger) {}

    private static Served state(int accounts) {
        List<Map.Entry<PublicKey, Account>> list = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            list.add(Map.entry(key(i), new Account(1 + i % 5, i % 3)));
        }
        long supply = list.stream().mapToLong(e -> e.getValue().balanceBaseUnits()).sum() + 11;
        Ledger ledger = Ledger.restore(CHAIN, list, supply, 11);
        Block block = new Block(7, Hash32.sha256(new byte[] {1}), key(0), List.of(), new Commit(0, List.of()),
                ledger.stateRoot());
        return new Served(new PeerWire.CommittedBlock(block, new Commit(0, List.of())), ledger);
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
        StateSync.Outcome o = client.accept(peer, wire(server.offer(1).orElseThrow()), 0, tick, SILENCE, (b, c) -> true);
        while (o instanceof StateSync.Outcome.Request q) {
            o = client.accept(peer, wire(server.serve(q.request()).orElseThrow()), 0, tick, SILENCE, (b, c) -> true);
        }
        return o;
    }

    @Test
    void aSnapshotOfThreeChunks_crossesTheWire_andRebuildsTheSameRoot() {
        Served s = state(2 * NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK + 5);
        StateSync server = new StateSync(CHAIN);
        server.retain(s.committed(), s.ledger());
        assertEquals(3, server.offer(1).orElseThrow().chunkCount());
        assertTrue(server.offer(8).isEmpty(), "no offer above the snapshot's height");

        StateSync.Outcome o = fetch(new StateSync(CHAIN), server, 2, 100);
        StateSync.Outcome.Complete done = assertInstanceOf(StateSync.Outcome.Complete.class, o);
        assertEquals(s.ledger().stateRoot(), done.ledger().stateRoot());
        assertEquals(s.ledger().accountCount(), done.ledger().accountCount());
        assertEquals(2, done.peer());
    }

    @Test
    void aTamperedAccount_failsTheRootCheck_andThePeerIsPenalized() {
        Served s = state(NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK + 3);
        StateSync server = new StateSync(CHAIN);
        server.retain(s.committed(), s.ledger());
        StateSync client = new StateSync(CHAIN);
        PeerWire.SnapshotChunk first = server.offer(1).orElseThrow();
        StateSync.Outcome o = client.accept(1, wire(first), 0, 100, SILENCE, (b, c) -> true);
        PeerWire.SnapshotRequest next = assertInstanceOf(StateSync.Outcome.Request.class, o).request();
        PeerWire.SnapshotChunk honest = server.serve(next).orElseThrow();
        List<PeerWire.AccountEntry> accounts = new ArrayList<>(honest.accounts());
        // Moves one unit between two accounts: the supply still adds up, only the root tells.
        PeerWire.AccountEntry a = accounts.get(1);
        PeerWire.AccountEntry b = accounts.get(2);
        accounts.set(1, new PeerWire.AccountEntry(a.key(), new Account(a.account().balanceBaseUnits() + 1,
                a.account().nonce())));
        accounts.set(2, new PeerWire.AccountEntry(b.key(), new Account(b.account().balanceBaseUnits() - 1,
                b.account().nonce())));
        PeerWire.SnapshotChunk tampered = new PeerWire.SnapshotChunk(honest.height(), honest.blockHash(), 1, 2, null,
                accounts);
        StateSync.Outcome.Failed f = assertInstanceOf(StateSync.Outcome.Failed.class,
                client.accept(1, wire(tampered), 0, 110, SILENCE, (x, y) -> true));
        assertEquals("SNAPSHOT_ROOT_MISMATCH", f.reason());
        assertTrue(!client.inProgress());

        // Peer 1 is not taken an offer from for the penalty; another peer is, and completes.
        assertEquals(StateSync.NONE, client.accept(1, wire(first), 0, 120, SILENCE, (x, y) -> true));
        assertInstanceOf(StateSync.Outcome.Complete.class, fetch(client, server, 3, 130));
        long after = 110 + NodeLimits.SNAPSHOT_PEER_PENALTY_SILENCES * SILENCE;
        assertInstanceOf(StateSync.Outcome.Request.class,
                new StateSync(CHAIN).accept(1, wire(first), 0, after, SILENCE, (x, y) -> true));
    }

    @Test
    void anOfferWhoseCommitDoesNotCheck_isRefused() {
        Served s = state(3);
        StateSync server = new StateSync(CHAIN);
        server.retain(s.committed(), s.ledger());
        StateSync client = new StateSync(CHAIN);
        StateSync.Outcome.Failed f = assertInstanceOf(StateSync.Outcome.Failed.class,
                client.accept(0, wire(server.offer(1).orElseThrow()), 0, 5, SILENCE, (b, c) -> false));
        assertEquals("SNAPSHOT_BAD_COMMIT", f.reason());
        assertTrue(!client.inProgress());
    }

    @Test
    void chunksThatAreNotTheOneAskedFor_areIgnored_andAStaleSnapshotIsNotStarted() {
        Served s = state(2 * NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK + 1);
        StateSync server = new StateSync(CHAIN);
        server.retain(s.committed(), s.ledger());
        StateSync client = new StateSync(CHAIN);
        PeerWire.SnapshotChunk first = server.offer(1).orElseThrow();
        assertEquals(StateSync.NONE, client.accept(0, first, 7, 1, SILENCE, (b, c) -> true), "not above our height");
        assertInstanceOf(StateSync.Outcome.Request.class, client.accept(0, first, 6, 1, SILENCE, (b, c) -> true));
        PeerWire.SnapshotChunk c1 = server.serve(new PeerWire.SnapshotRequest(7, 1)).orElseThrow();
        PeerWire.SnapshotChunk c2 = server.serve(new PeerWire.SnapshotRequest(7, 2)).orElseThrow();
        assertEquals(StateSync.NONE, client.accept(1, c1, 6, 2, SILENCE, (b, c) -> true), "from another peer");
        assertEquals(StateSync.NONE, client.accept(0, c2, 6, 2, SILENCE, (b, c) -> true), "skips a chunk");
        assertEquals(StateSync.NONE, client.accept(2, first, 6, 2, SILENCE, (b, c) -> true), "a second offer");
        assertInstanceOf(StateSync.Outcome.Request.class, client.accept(0, c1, 6, 3, SILENCE, (b, c) -> true));
        assertEquals(StateSync.NONE, client.accept(0, c1, 6, 3, SILENCE, (b, c) -> true), "a duplicate");
        assertInstanceOf(StateSync.Outcome.Complete.class, client.accept(0, c2, 6, 4, SILENCE, (b, c) -> true));
        assertTrue(server.serve(new PeerWire.SnapshotRequest(7, 3)).isEmpty(), "no chunk 3");
        assertTrue(server.serve(new PeerWire.SnapshotRequest(8, 0)).isEmpty(), "no snapshot at 8");
    }

    @Test
    void anUnansweredRequest_isResent_thenTheSessionTimesOut_andThePeerIsPenalized() {
        Served s = state(NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK + 1);
        StateSync server = new StateSync(CHAIN);
        server.retain(s.committed(), s.ledger());
        StateSync client = new StateSync(CHAIN);
        PeerWire.SnapshotChunk first = server.offer(1).orElseThrow();
        client.accept(4, first, 0, 1000, SILENCE, (b, c) -> true);
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
        assertEquals(StateSync.NONE, client.accept(4, first, 0, t + 1, SILENCE, (b, c) -> true), "penalized");
        assertInstanceOf(StateSync.Outcome.Request.class, client.accept(5, first, 0, t + 1, SILENCE, (b, c) -> true));
    }

    @Test
    void theServerKeepsItsTwoNewestSnapshots() {
        StateSync server = new StateSync(CHAIN);
        Served s = state(2);
        for (long h : new long[] {100, 200, 300}) {
            Block b = s.committed().block();
            Block at = new Block(h, b.previousBlockHash(), b.proposer(), List.of(), b.lastCommit(), b.stateRoot());
            server.retain(new PeerWire.CommittedBlock(at, s.committed().commit()), s.ledger());
        }
        assertEquals(300, server.newestSnapshotHeight());
        assertTrue(server.serve(new PeerWire.SnapshotRequest(100, 0)).isEmpty());
        assertTrue(server.serve(new PeerWire.SnapshotRequest(200, 0)).isPresent());
        assertEquals(300, server.offer(150).orElseThrow().height(), "the newest is offered");
    }

    // ------------------------------------------------------------------------------------------ the wire

    @Test
    void theLargestSnapshotChunk_fitsAPeerMessage() {
        int n = NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK;
        long bound = 1L + 8 + 32 + 4 + 4 + 4 + LedgerLimits.MAX_BLOCK_BYTES
                + 4 + 4 + LedgerLimits.MAX_VALIDATORS * (32L + 64 + 8) + 3 * 8 + 4 + (long) n * PeerWire.ACCOUNT_ENTRY_BYTES;
        assertTrue(bound < NodeLimits.MAX_PEER_MESSAGE_BYTES, bound + " < " + NodeLimits.MAX_PEER_MESSAGE_BYTES);
        Served s = state(n);
        StateSync server = new StateSync(CHAIN);
        server.retain(s.committed(), s.ledger());
        byte[] bytes = PeerWire.encode(server.offer(1).orElseThrow());
        assertTrue(bytes.length > n * PeerWire.ACCOUNT_ENTRY_BYTES && bytes.length <= bound);
    }

    /** Each snapshot limit at exactly its value and one past it. */
    @Test
    void snapshotLimits_atTheLimitAndOnePast() throws DecodeException {
        assertEquals(new PeerWire.SnapshotRequest(7, NodeLimits.MAX_SNAPSHOT_CHUNKS - 1),
                PeerWire.decode(PeerWire.encode(new PeerWire.SnapshotRequest(7, NodeLimits.MAX_SNAPSHOT_CHUNKS - 1))));
        long most = (long) NodeLimits.MAX_SNAPSHOT_CHUNKS * NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK;
        assertEquals(NodeLimits.MAX_SNAPSHOT_CHUNKS, PeerWire.chunkCountFor(most));
        assertEquals(Integer.MAX_VALUE, PeerWire.chunkCountFor(most + 1), "one account more cannot be chunked");
        Served s = state(NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK + 1);
        List<PeerWire.AccountEntry> all = new ArrayList<>();
        s.ledger().forEachAccount((k, a) -> all.add(new PeerWire.AccountEntry(k, a)));
        Block b = s.committed().block();
        PeerWire.SnapshotHead head = new PeerWire.SnapshotHead(s.committed(), 1, 0, all.size());
        assertThrows(IllegalArgumentException.class, () -> new PeerWire.SnapshotChunk(7, b.hash(), 0, 2, head, all),
                "one account past a chunk");
        PeerWire.SnapshotChunk full = new PeerWire.SnapshotChunk(7, b.hash(), 0, 2, head,
                all.subList(0, NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK));
        assertEquals(NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK,
                ((PeerWire.SnapshotChunk) PeerWire.decode(PeerWire.encode(full))).accounts().size());
        // The same bytes with the account count raised by one (and the extra account appended) do not decode.
        byte[] bytes = PeerWire.encode(full);
        int countAt = bytes.length - NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK * PeerWire.ACCOUNT_ENTRY_BYTES - 4;
        byte[] over = java.util.Arrays.copyOf(bytes, bytes.length + PeerWire.ACCOUNT_ENTRY_BYTES);
        java.nio.ByteBuffer.wrap(over).putInt(countAt, NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK + 1);
        DecodeException e = assertThrows(DecodeException.class, () -> PeerWire.decode(over));
        assertTrue(e.getMessage().contains("snapshotChunk.accounts"), e.getMessage());
    }

    @Test
    void malformedChunks_doNotDecode() throws DecodeException {
        Served s = state(4);
        Block b = s.committed().block();
        PeerWire.SnapshotHead head = new PeerWire.SnapshotHead(s.committed(), 100, 11, 4);
        List<PeerWire.AccountEntry> sorted = new ArrayList<>();
        s.ledger().forEachAccount((k, a) -> sorted.add(new PeerWire.AccountEntry(k, a)));
        List<PeerWire.AccountEntry> unsorted = List.of(sorted.get(1), sorted.get(0));
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, b.hash(), 0, 1, head, unsorted), "keys not ascending");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, b.hash(), 0, 2, head, sorted), "4 accounts are one chunk");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, b.hash(), 1, 2, head, sorted), "head only in chunk 0");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, b.hash(), 0, 1, null, sorted), "chunk 0 needs the head");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(8, b.hash(), 0, 1, head, sorted), "head of another height");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, Hash32.ZERO, 0, 1, head, sorted), "head of another block");
        assertThrows(IllegalArgumentException.class,
                () -> new PeerWire.SnapshotChunk(7, b.hash(), 0, 2, new PeerWire.SnapshotHead(s.committed(), 1, 1,
                        NodeLimits.SNAPSHOT_ACCOUNTS_PER_CHUNK + 1), sorted), "every chunk but the last is full");
        assertThrows(IllegalArgumentException.class, () -> new PeerWire.SnapshotRequest(7,
                NodeLimits.MAX_SNAPSHOT_CHUNKS));

        // The decoder applies the same checks to bytes a hostile peer writes by hand: a valid chunk with its two
        // accounts swapped (the entries have a fixed size, so the swap keeps every length right).
        PeerWire.SnapshotChunk ok = new PeerWire.SnapshotChunk(7, b.hash(), 0, 1, head, sorted);
        byte[] bytes = PeerWire.encode(ok);
        int e = PeerWire.ACCOUNT_ENTRY_BYTES;
        int last = bytes.length - e;
        byte[] swapped = bytes.clone();
        System.arraycopy(bytes, last - e, swapped, last, e);
        System.arraycopy(bytes, last, swapped, last - e, e);
        DecodeException ex = assertThrows(DecodeException.class, () -> PeerWire.decode(swapped));
        assertTrue(ex.getMessage().contains("ascending"), ex.getMessage());
        assertEquals(ok.accounts(), ((PeerWire.SnapshotChunk) PeerWire.decode(bytes)).accounts());
    }
}
