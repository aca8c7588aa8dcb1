package dev.oasisj.core.consensus;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Misbehaviour computed from a set of signed messages alone, exactly as ACTIONS.md "Misbehaviour" defines it (the
 * predicates of [CONS-ACCOUNTABILITY.1], which counts the power of the misbehaving validators, and of
 * [CONS-ACCOUNTABILITY.2], which says no correct validator satisfies them):
 * <ul>
 *   <li>{@code Equivocation(b, h)}: two different messages of one kind from {@code b} at the same {@code (h, round)};</li>
 *   <li>{@code Amnesia(b, h)}: {@code b} precommitted {@code v1 # Nil} at {@code (h, r1)} and prevoted
 *       {@code v2 \notin {Nil, v1}} at {@code (h, r2)} with {@code r1 < r2}, and no round {@code r1 <= r < r2} has a
 *       quorum of prevotes for {@code (h, r, v2)}.</li>
 * </ul>
 * Only senders in the validator set are considered (others carry no power). Signatures are not checked here.
 */
public record Evidence(SortedMap<PublicKey, SortedSet<Long>> equivocations,
        SortedMap<PublicKey, SortedSet<Long>> amnesia, long misbehavingPower) {

    public Evidence {
        equivocations = freeze(equivocations);
        amnesia = freeze(amnesia);
    }

    private static SortedMap<PublicKey, SortedSet<Long>> freeze(SortedMap<PublicKey, SortedSet<Long>> m) {
        TreeMap<PublicKey, SortedSet<Long>> copy = new TreeMap<>();
        for (var e : m.entrySet()) {
            copy.put(e.getKey(), Collections.unmodifiableSortedSet(new TreeSet<>(e.getValue())));
        }
        return Collections.unmodifiableSortedMap(copy);
    }

    /** A vote as the evidence rules see it: sender, kind (prevote/precommit), height, round, value. */
    private record Vote(PublicKey src, ConsensusMessage.Kind kind, long height, int round, VoteValue value) {}

    public static Evidence of(ValidatorSet validators, Collection<SignedMessage> messages) {
        // De-duplicate (same sender, same message) while keeping a deterministic order.
        List<SignedMessage> distinct = new ArrayList<>();
        TreeMap<String, Boolean> seen = new TreeMap<>();
        for (SignedMessage m : messages) {
            if (!validators.contains(m.signer())) {
                continue;
            }
            String key = m.signer().toHex() + "|" + messageKey(m.message());
            if (seen.put(key, Boolean.TRUE) == null) {
                distinct.add(m);
            }
        }

        TreeMap<PublicKey, SortedSet<Long>> equivocations = new TreeMap<>();
        // (src, kind, height, round) -> number of different messages
        TreeMap<String, Integer> perSlot = new TreeMap<>();
        List<Vote> votes = new ArrayList<>();
        for (SignedMessage m : distinct) {
            ConsensusMessage c = m.message();
            String slot = m.signer().toHex() + "|" + c.kind() + "|" + c.height() + "|" + c.round();
            Integer before = perSlot.get(slot);
            int n = before == null ? 1 : before + 1;
            perSlot.put(slot, n);
            if (n >= 2) {
                equivocations.computeIfAbsent(m.signer(), k -> new TreeSet<>()).add(c.height());
            }
            if (c instanceof ConsensusMessage.Prevote p) {
                votes.add(new Vote(m.signer(), c.kind(), c.height(), c.round(), p.value()));
            } else if (c instanceof ConsensusMessage.Precommit p) {
                votes.add(new Vote(m.signer(), c.kind(), c.height(), c.round(), p.value()));
            }
        }

        TreeMap<PublicKey, SortedSet<Long>> amnesia = new TreeMap<>();
        for (Vote pc : votes) {
            if (pc.kind() != ConsensusMessage.Kind.PRECOMMIT || pc.value().isNil()) {
                continue;
            }
            for (Vote pv : votes) {
                if (pv.kind() != ConsensusMessage.Kind.PREVOTE || !pv.src().equals(pc.src())
                        || pv.height() != pc.height() || pv.round() <= pc.round() || pv.value().isNil()
                        || pv.value().equals(pc.value())) {
                    continue;
                }
                boolean justified = false;
                for (int r = pc.round(); r < pv.round() && !justified; r++) {
                    justified = prevoteQuorum(validators, votes, pc.height(), r, pv.value());
                }
                if (!justified) {
                    amnesia.computeIfAbsent(pc.src(), k -> new TreeSet<>()).add(pc.height());
                }
            }
        }

        TreeSet<PublicKey> misbehaving = new TreeSet<>(equivocations.keySet());
        misbehaving.addAll(amnesia.keySet());
        return new Evidence(new TreeMap<>(equivocations), new TreeMap<>(amnesia), validators.powerOf(misbehaving));
    }

    private static boolean prevoteQuorum(ValidatorSet validators, List<Vote> votes, long height, int round,
            VoteValue value) {
        TreeSet<PublicKey> senders = new TreeSet<>();
        for (Vote v : votes) {
            if (v.kind() == ConsensusMessage.Kind.PREVOTE && v.height() == height && v.round() == round
                    && v.value().equals(value)) {
                senders.add(v.src());
            }
        }
        return validators.isQuorum(senders);
    }

    private static String messageKey(ConsensusMessage m) {
        if (m instanceof ConsensusMessage.Proposal p) {
            return "P|" + p.height() + "|" + p.round() + "|" + p.value().toHex() + "|" + p.validRound();
        }
        VoteValue v = m instanceof ConsensusMessage.Prevote p ? p.value()
                : ((ConsensusMessage.Precommit) m).value();
        return m.kind() + "|" + m.height() + "|" + m.round() + "|" + v.valueHash().map(Hash32::toHex).orElse("Nil");
    }

    /** Validators with any misbehaviour. */
    public SortedSet<PublicKey> misbehaving() {
        TreeSet<PublicKey> all = new TreeSet<>(equivocations.keySet());
        all.addAll(amnesia.keySet());
        return Collections.unmodifiableSortedSet(all);
    }

    public boolean isEmpty() {
        return equivocations.isEmpty() && amnesia.isEmpty();
    }
}
