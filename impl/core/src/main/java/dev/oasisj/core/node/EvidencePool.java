package dev.oasisj.core.node;

import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.Evidence;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Equivocation evidence ([CONS-ACCOUNTABILITY.2]) gathered from the signed consensus messages one node receives: two
 * different messages of one kind, both validly signed by the same validator, at the same (height, round). Whether two
 * messages conflict is decided by the core's own definition ({@link Evidence#of}); this pool only remembers, per
 * (height, round, kind, signer) slot, the first message seen, and turns a conflicting second one into a record.
 *
 * <p>Deterministic and bounded: slots and records are kept in sorted maps, slots only for heights at or above
 * {@code committedHeight - KEPT_PAST_HEIGHTS}, at most {@link #MAX_SLOTS} of them; at most {@link #MAX_RECORDS} records
 * are kept (the {@link #count()} goes on). Signatures are checked only when two messages conflict (the common case,
 * one message per slot, costs no verification here: the consensus core verifies what it logs).
 */
public final class EvidencePool {
    public static final int MAX_SLOTS = 8192;
    public static final int MAX_RECORDS = 1024;
    public static final long KEPT_PAST_HEIGHTS = 2;

    /** One proven equivocation: {@code first} and {@code second} are both validly signed by {@code validator}. */
    public record Equivocation(PublicKey validator, long height, int round, ConsensusMessage.Kind kind,
            SignedMessage first, SignedMessage second) {
        @Override
        public String toString() {
            return "Equivocation[" + validator.shortId() + " " + kind + " at (" + height + ", " + round + "): "
                    + first.message() + " vs " + second.message() + "]";
        }
    }

    /** The first message of a slot, and whether its signature has been checked (and found valid). */
    private static final class Entry {
        SignedMessage message;
        boolean verified;

        Entry(SignedMessage message) {
            this.message = message;
        }
    }

    /** The validator set of a height, if known: a message is judged against the set of its own height. */
    private final LongFunction<Optional<ValidatorSet>> validatorsAt;
    private final String chainId;
    /** height -> "round|kind|signerHex" -> first message. */
    private final TreeMap<Long, TreeMap<String, Entry>> slots = new TreeMap<>();
    /** height -> slot keys already reported (an equivocation is counted once per slot). */
    private final TreeMap<Long, TreeSet<String>> reported = new TreeMap<>();
    private final List<Equivocation> records = new ArrayList<>();
    private int slotCount;
    private long count;

    /** A pool for a chain whose validator set is {@code validators} at every height. */
    public EvidencePool(ValidatorSet validators, String chainId) {
        this(h -> Optional.of(validators), chainId);
    }

    /** A pool judging a message at height {@code h} against {@code validatorsAt.apply(h)} (nothing when empty). */
    public EvidencePool(LongFunction<Optional<ValidatorSet>> validatorsAt, String chainId) {
        this.validatorsAt = validatorsAt;
        this.chainId = chainId;
    }

    /**
     * Looks at one received message. Returns the new equivocation it proves, or null (first message of its slot, a
     * duplicate, a stale or unknown sender, a bad signature, or a slot already reported).
     */
    public @Nullable Equivocation observe(SignedMessage m, long committedHeight) {
        ConsensusMessage c = m.message();
        Optional<ValidatorSet> set = validatorsAt.apply(c.height());
        if (set.isEmpty() || !set.get().contains(m.signer()) || c.height() < committedHeight - KEPT_PAST_HEIGHTS) {
            return null;
        }
        ValidatorSet validators = set.get();
        prune(committedHeight);
        String key = c.round() + "|" + c.kind().name() + "|" + m.signer().toHex();
        TreeMap<String, Entry> atHeight = slots.computeIfAbsent(c.height(), h -> new TreeMap<>());
        Entry first = atHeight.get(key);
        if (first == null) {
            if (slotCount >= MAX_SLOTS) {
                return null;
            }
            atHeight.put(key, new Entry(m));
            slotCount++;
            return null;
        }
        if (first.message.message().equals(c)) {
            return null;
        }
        TreeSet<String> done = reported.computeIfAbsent(c.height(), h -> new TreeSet<>());
        if (done.contains(key) || !m.verify(chainId)) {
            return null;
        }
        if (!first.verified) {
            if (!first.message.verify(chainId)) {
                // The slot's first message was forged: the new, valid one takes its place; nothing is proven.
                first.message = m;
                first.verified = true;
                return null;
            }
            first.verified = true;
        }
        Evidence proof = Evidence.of(validators, List.of(first.message, m));
        if (!proof.equivocations().containsKey(m.signer())) {
            return null;
        }
        done.add(key);
        Equivocation e = new Equivocation(m.signer(), c.height(), c.round(), c.kind(), first.message, m);
        count++;
        if (records.size() < MAX_RECORDS) {
            records.add(e);
        }
        return e;
    }

    private void prune(long committedHeight) {
        long keepFrom = committedHeight - KEPT_PAST_HEIGHTS;
        while (true) {
            Map.Entry<Long, TreeMap<String, Entry>> oldest = slots.firstEntry();
            if (oldest == null || oldest.getKey() >= keepFrom) {
                break;
            }
            slotCount -= oldest.getValue().size();
            slots.remove(oldest.getKey());
        }
        reported.headMap(keepFrom).clear();
    }

    /** Equivocations proven so far (distinct slots), including those no longer kept as records. */
    public long count() {
        return count;
    }

    /** The first {@link #MAX_RECORDS} equivocations, in the order they were proven. */
    public List<Equivocation> records() {
        return Collections.unmodifiableList(records);
    }

    /** The validators proven to have equivocated (among the kept records). */
    public TreeSet<PublicKey> accused() {
        TreeSet<PublicKey> out = new TreeSet<>();
        for (Equivocation e : records) {
            out.add(e.validator());
        }
        return out;
    }
}
