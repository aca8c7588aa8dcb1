package dev.oasisj.core.app;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.ledger.SignatureVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A test application that changes the validator set (validator sets per height, issue 9): the {@link
 * KeyValueApplication} store, where committing {@code power<letter>=<digits>} (letter {@code a} for the first of the
 * given keys, {@code b} for the second, ...) also returns the validator update "power of that key is that number"
 * from {@link #finalizeBlock}. The update is decided by the store's change: setting a key to the value it already has
 * changes nothing and returns no update.
 */
public final class ValidatorPowerApplication implements Application {
    private final KeyValueApplication store;
    private final List<PublicKey> keys;

    private ValidatorPowerApplication(KeyValueApplication store, List<PublicKey> keys) {
        this.store = store;
        this.keys = List.copyOf(keys);
    }

    /** The factory of empty stores whose power transactions name {@code keys} by letter. */
    public static ApplicationFactory factory(List<PublicKey> keys) {
        ApplicationFactory kv = KeyValueApplication.factory();
        return new ApplicationFactory() {
            @Override
            public Application genesis() {
                return new ValidatorPowerApplication((KeyValueApplication) kv.genesis(), keys);
            }

            @Override
            public Application restore(List<StateEntry> entries) {
                return new ValidatorPowerApplication((KeyValueApplication) kv.restore(entries), keys);
            }
        };
    }

    /** The transaction setting the power of key number {@code index} to {@code power}. */
    public static byte[] setPower(int index, long power) {
        return KeyValueApplication.set("power" + (char) ('a' + index), Long.toString(power));
    }

    public Optional<String> get(String key) {
        return store.get(key);
    }

    @Override
    public FinalizeResult finalizeBlock(Staged staged) {
        FinalizeResult r = store.finalizeBlock(staged);
        List<ValidatorUpdate> updates = new ArrayList<>();
        for (Event e : r.events()) {
            if (e.kind().equals("KV_SET") && e.detail().startsWith("power")) {
                int index = e.detail().charAt("power".length()) - 'a';
                long power = Long.parseLong(e.detail().substring(e.detail().indexOf('=') + 1));
                updates.add(new ValidatorUpdate(keys.get(index), power));
            }
        }
        return new FinalizeResult(r.stateRoot(), updates, r.events());
    }

    @Override
    public Hash32 stateRoot() {
        return store.stateRoot();
    }

    @Override
    public @Nullable String malformed(byte[] tx) {
        return store.malformed(tx);
    }

    @Override
    public SignatureVerdict checkSignature(byte[] tx) {
        return store.checkSignature(tx);
    }

    @Override
    public CheckResult checkTx(byte[] tx, SignatureVerdict verdict) {
        return store.checkTx(tx, verdict);
    }

    @Override
    public int pendingCount() {
        return store.pendingCount();
    }

    @Override
    public List<byte[]> pendingTransactions() {
        return store.pendingTransactions();
    }

    @Override
    public Proposal prepareProposal(BlockContext block, int maxTransactions, int maxBytes) {
        return store.prepareProposal(block, maxTransactions, maxBytes);
    }

    @Override
    public Optional<Staged> processProposal(BlockContext block, List<byte[]> transactions) {
        return store.processProposal(block, transactions);
    }

    @Override
    public void checkInvariants() {
        store.checkInvariants();
    }

    @Override
    public QueryResult query(String path, byte[] data) {
        return store.query(path, data);
    }

    @Override
    public Snapshot snapshot() {
        return store.snapshot();
    }

    @Override
    public String toString() {
        return "ValidatorPowerApplication" + Map.of("keys", keys.size());
    }
}
