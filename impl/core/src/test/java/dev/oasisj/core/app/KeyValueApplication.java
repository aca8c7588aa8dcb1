package dev.oasisj.core.app;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.ledger.SignatureVerdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A toy application that proves the seam (issue 9, point 0): a key-value store whose transactions are the text
 * {@code key=value} (key 1 to 16 lower-case letters, value 0 to 32 letters or digits), unsigned. It knows nothing of
 * accounts, and the engine knows nothing of it beyond {@link Application}: that the node commits, syncs and checkpoints
 * it shows the engine is generic. Root: SHA-256 of the sorted pairs, each length-prefixed. A block may not set one key
 * twice ({@code processProposal} refuses it), so that validity is not trivially "everything decodes".
 */
public final class KeyValueApplication implements Application {
    private TreeMap<String, String> state;
    /** Pending transactions by arrival, keyed by their hash. */
    private final LinkedHashMap<Hash32, String> pending = new LinkedHashMap<>();

    private record KvStaged(TreeMap<String, String> state, List<Hash32> included, Hash32 stateRoot,
            List<Misbehaviour> evidence) implements Staged {}

    /** Every misbehaviour the finalized blocks reported, in order (repeats included: the engine may repeat one). */
    private final List<Misbehaviour> misbehaviour = new ArrayList<>();

    public KeyValueApplication(Map<String, String> state) {
        this.state = new TreeMap<>(state);
    }

    /** The factory of empty stores. */
    public static ApplicationFactory factory() {
        return new ApplicationFactory() {
            @Override
            public Application genesis() {
                return new KeyValueApplication(Map.of());
            }

            @Override
            public Application restore(List<StateEntry> entries) {
                TreeMap<String, String> s = new TreeMap<>();
                StateEntry previous = null;
                for (StateEntry e : entries) {
                    String k = new String(e.key(), StandardCharsets.UTF_8);
                    String v = new String(e.value(), StandardCharsets.UTF_8);
                    if (parse(k + "=" + v) == null || (previous != null && StateEntry.compareKeys(previous, e) >= 0)) {
                        throw new IllegalArgumentException("not a key-value entry, or out of order: " + k);
                    }
                    s.put(k, v);
                    previous = e;
                }
                return new KeyValueApplication(s);
            }
        };
    }

    /** The transaction setting {@code key} to {@code value}. */
    public static byte[] set(String key, String value) {
        return (key + "=" + value).getBytes(StandardCharsets.UTF_8);
    }

    static String @Nullable [] parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 1 || eq > 16) {
            return null;
        }
        String k = text.substring(0, eq);
        String v = text.substring(eq + 1);
        if (!k.matches("[a-z]+") || !v.matches("[a-z0-9]{0,32}")) {
            return null;
        }
        return new String[] {k, v};
    }

    private static String @Nullable [] parse(byte[] tx) {
        return tx.length > 64 ? null : parse(new String(tx, StandardCharsets.UTF_8));
    }

    private static Hash32 rootOf(TreeMap<String, String> s) {
        Writer w = new Writer().string("oasisj/kv/v1");
        for (Map.Entry<String, String> e : s.entrySet()) {
            w.string(e.getKey()).string(e.getValue());
        }
        return Hash32.sha256(w.toBytes());
    }

    /** The misbehaviour finalized blocks told this application of. */
    public List<Misbehaviour> misbehaviour() {
        return List.copyOf(misbehaviour);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(state.get(key));
    }

    @Override
    public Hash32 stateRoot() {
        return rootOf(state);
    }

    @Override
    public @Nullable String malformed(byte[] tx) {
        return parse(tx) == null ? "not key=value" : null;
    }

    @Override
    public SignatureVerdict checkSignature(byte[] tx) {
        return SignatureVerdict.NOT_CHECKED; // unsigned transactions
    }

    @Override
    public CheckResult checkTx(byte[] tx, SignatureVerdict verdict) {
        String[] kv = parse(tx);
        if (kv == null) {
            return new CheckResult.Refused("KV_MALFORMED", "not key=value", false);
        }
        Hash32 h = Hash32.sha256(tx);
        if (pending.containsKey(h)) {
            return new CheckResult.Refused("KV_DUPLICATE", "already pending", true);
        }
        pending.put(h, kv[0] + "=" + kv[1]);
        return new CheckResult.Accepted();
    }

    @Override
    public int pendingCount() {
        return pending.size();
    }

    @Override
    public List<byte[]> pendingTransactions() {
        List<byte[]> out = new ArrayList<>();
        for (String t : pending.values()) {
            out.add(t.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public Proposal prepareProposal(BlockContext block, int maxTransactions, int maxBytes) {
        List<byte[]> txs = new ArrayList<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        int bytes = 0;
        for (String t : pending.values()) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            String key = t.substring(0, t.indexOf('='));
            if (txs.size() == maxTransactions || bytes + b.length > maxBytes) {
                break;
            }
            if (keys.add(key)) {
                txs.add(b);
                bytes += b.length;
            }
        }
        return new Proposal(txs, processProposal(block, txs).orElseThrow());
    }

    @Override
    public Optional<Staged> processProposal(BlockContext block, List<byte[]> transactions) {
        TreeMap<String, String> next = new TreeMap<>(state);
        java.util.Set<String> keys = new java.util.HashSet<>();
        List<Hash32> included = new ArrayList<>();
        for (byte[] tx : transactions) {
            String[] kv = parse(tx);
            if (kv == null || !keys.add(kv[0])) {
                return Optional.empty();
            }
            next.put(kv[0], kv[1]);
            included.add(Hash32.sha256(tx));
        }
        return Optional.of(new KvStaged(next, included, rootOf(next), block.evidence()));
    }

    @Override
    public FinalizeResult finalizeBlock(Staged staged) {
        KvStaged s = (KvStaged) staged;
        List<Event> events = new ArrayList<>();
        for (Map.Entry<String, String> e : s.state().entrySet()) {
            if (!e.getValue().equals(state.get(e.getKey()))) {
                events.add(new Event("KV_SET", e.getKey() + "=" + e.getValue()));
            }
        }
        for (Misbehaviour m : s.evidence()) {
            events.add(new Event("KV_MISBEHAVIOUR", m.validator().shortId() + " " + m.kind() + " at (" + m.height()
                    + ", " + m.round() + ")"));
        }
        misbehaviour.addAll(s.evidence());
        state = s.state();
        for (Hash32 h : s.included()) {
            pending.remove(h);
        }
        return new FinalizeResult(stateRoot(), List.of(), events);
    }

    @Override
    public void checkInvariants() {}

    @Override
    public QueryResult query(String path, byte[] data) {
        String v = path.equals("get") ? state.get(new String(data, StandardCharsets.UTF_8)) : null;
        return v == null ? new QueryResult(false, new byte[0], "no such key")
                : new QueryResult(true, v.getBytes(StandardCharsets.UTF_8), "value");
    }

    @Override
    public Snapshot snapshot() {
        TreeMap<String, String> s = state;
        return new Snapshot() {
            @Override
            public int entryCount() {
                return s.size();
            }

            @Override
            public List<StateEntry> entries() {
                List<StateEntry> out = new ArrayList<>();
                for (Map.Entry<String, String> e : s.entrySet()) {
                    out.add(new StateEntry(e.getKey().getBytes(StandardCharsets.UTF_8),
                            e.getValue().getBytes(StandardCharsets.UTF_8)));
                }
                return out;
            }
        };
    }
}
