package dev.oasisj.core.node;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.app.Application;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.ledger.Genesis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The validator sets of a chain by height (issue 9, point 0), as CometBFT has them: the updates the application returns
 * when it finalizes block {@code H} take effect at height {@code H + 2} (the set of {@code H + 1} is already fixed,
 * and named by block {@code H}'s {@code nextValidatorsHash}). Mutable, owned by one {@link Chain}, single-threaded.
 *
 * <p>Kept as change points: {@code fromHeight -> set}, the set of height {@code h} being the one of the greatest
 * change point {@code <= h}. The history is bounded: {@link #prune} drops the sets of heights below what the node
 * still judges (evidence down to {@link NodeLimits#MAX_EVIDENCE_AGE_BLOCKS} below the next block; block sync checks
 * only the next height), so at most {@code MAX_EVIDENCE_AGE_BLOCKS + 2} sets are held. A height below the oldest
 * kept one has no known set ({@link #at} is empty), and what would be judged against it is refused. The bound is
 * {@link NodeLimits#MAX_KEPT_VALIDATOR_SETS}, checked after every prune ({@code ValidatorSetHistoryBoundInv}).
 *
 * <p><b>Applying updates</b> ({@link #apply}), in the application's order: power 0 removes the key (removing a key
 * that is not a member, or naming one key twice, is an error of the application: {@code ValidatorUpdateValidInv});
 * a new key is added with its power, named by its short key id (a genesis name if it has one: a genesis validator
 * that was removed and comes back keeps its name); a member gets the new power. <b>Order</b> (proposer rotation
 * depends on it, so every node must derive the same one): members keep their positions, removed ones leave theirs, new
 * ones are appended in the order of the updates. The result must be a set the engine can use (non-empty, at most
 * {@link ValidatorSet#MAX_VALIDATORS}, total power at most {@link ValidatorSet#MAX_TOTAL_POWER}), else
 * {@code ValidatorSetUsableInv} stops the node rather than let it run on a set it cannot use.
 */
final class ValidatorSets {
    private final Genesis genesis;
    private final TreeMap<Long, ValidatorSet> changes = new TreeMap<>();

    /** The genesis set, in effect from height 1. */
    ValidatorSets(Genesis genesis) {
        this.genesis = genesis;
        changes.put(1L, genesisSet(genesis));
    }

    /** Sets known from checkpointed or synced state: {@code known} maps change heights to sets (not empty). */
    ValidatorSets(Genesis genesis, TreeMap<Long, ValidatorSet> known) {
        if (known.isEmpty() || known.size() > NodeLimits.MAX_KEPT_VALIDATOR_SETS) {
            throw new IllegalArgumentException(known.size() + " validator sets, expected 1.."
                    + NodeLimits.MAX_KEPT_VALIDATOR_SETS);
        }
        this.genesis = genesis;
        changes.putAll(known);
    }

    /** The validator set of a genesis, as the consensus core sees it (same order, names and powers). */
    static ValidatorSet genesisSet(Genesis genesis) {
        List<ValidatorSet.Validator> vs = new ArrayList<>();
        for (Genesis.Validator v : genesis.validators()) {
            vs.add(new ValidatorSet.Validator(v.name(), v.publicKey(), v.power()));
        }
        return new ValidatorSet(vs);
    }

    /** The set of {@code height}, if known (not below the kept history, not beyond the last change recorded). */
    Optional<ValidatorSet> at(long height) {
        Map.Entry<Long, ValidatorSet> e = changes.floorEntry(height);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    /** The set of {@code height}; an invariant failure when it is not known (the caller knows it must be). */
    ValidatorSet require(long height) {
        Optional<ValidatorSet> s = at(height);
        Invariant.check(s.isPresent(), "ValidatorSetKnownInv", () -> "no validator set known for height " + height
                + " (kept from " + changes.firstKey() + ")");
        return s.orElseThrow();
    }

    /**
     * Records the set of {@code height} (and later heights) derived from the set of {@code height - 1} and the
     * updates the application returned for block {@code height - 2}. Nothing is recorded when the updates leave the
     * set as it was.
     */
    void recordUpdates(long height, List<Application.ValidatorUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        ValidatorSet before = require(height - 1);
        ValidatorSet after = apply(before, updates, height, genesis);
        if (!after.hash().equals(before.hash())) {
            changes.put(height, after);
        }
    }

    /** Drops the sets of heights below {@code keepFromHeight} (keeping the one in effect at that height). */
    void prune(long keepFromHeight) {
        Long floor = changes.floorKey(keepFromHeight);
        if (floor != null) {
            changes.headMap(floor, false).clear();
        }
        Invariant.check(changes.size() <= NodeLimits.MAX_KEPT_VALIDATOR_SETS, "ValidatorSetHistoryBoundInv",
                () -> changes.size() + " validator sets kept from height " + keepFromHeight + ", limit "
                        + NodeLimits.MAX_KEPT_VALIDATOR_SETS);
    }

    /** The change points kept (height the set takes effect -> set), oldest first. */
    TreeMap<Long, ValidatorSet> changes() {
        return new TreeMap<>(changes);
    }

    /** Number of change points kept (the bound the class comment states). */
    int size() {
        return changes.size();
    }

    /** {@code updates} applied to {@code before} (see the class comment); {@code height} only names it in errors. */
    static ValidatorSet apply(ValidatorSet before, List<Application.ValidatorUpdate> updates, long height,
            Genesis genesis) {
        TreeSet<PublicKey> named = new TreeSet<>();
        for (Application.ValidatorUpdate u : updates) {
            Invariant.check(named.add(u.validator()), "ValidatorUpdateValidInv", () -> "the application named "
                    + u.validator().shortId() + " twice in the validator updates for height " + height);
            Invariant.check(u.power() > 0 || before.contains(u.validator()), "ValidatorUpdateValidInv",
                    () -> "the application removed " + u.validator().shortId() + ", not a validator of height "
                            + (height - 1) + ", from the set of height " + height);
            Invariant.check(u.power() <= ValidatorSet.MAX_TOTAL_POWER, "ValidatorUpdateValidInv",
                    () -> "the application gave " + u.validator().shortId() + " power " + u.power() + " above "
                            + ValidatorSet.MAX_TOTAL_POWER + " for height " + height);
        }
        TreeMap<PublicKey, Long> newPower = new TreeMap<>();
        for (Application.ValidatorUpdate u : updates) {
            newPower.put(u.validator(), u.power());
        }
        List<ValidatorSet.Validator> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        long total = 0;
        for (ValidatorSet.Validator v : before.validators()) {
            Long p = newPower.get(v.key());
            long power = p == null ? v.power() : p;
            if (power > 0) {
                out.add(new ValidatorSet.Validator(v.name(), v.key(), power));
                names.add(v.name());
                total = Math.min(total + power, ValidatorSet.MAX_TOTAL_POWER + 1); // saturates: no overflow
            }
        }
        for (Application.ValidatorUpdate u : updates) {
            if (u.power() > 0 && !before.contains(u.validator())) {
                String name = nameFor(u.validator(), genesis);
                if (!names.add(name)) {
                    name = u.validator().toHex(); // a genesis name that looks like a key id: the full key is unique
                    names.add(name);
                }
                out.add(new ValidatorSet.Validator(name, u.validator(), u.power()));
                total = Math.min(total + u.power(), ValidatorSet.MAX_TOTAL_POWER + 1);
            }
        }
        long finalTotal = total;
        int count = out.size();
        Invariant.check(count > 0 && count <= ValidatorSet.MAX_VALIDATORS
                        && finalTotal <= ValidatorSet.MAX_TOTAL_POWER, "ValidatorSetUsableInv",
                () -> "the validator updates " + updates + " for height " + height + " leave a set the engine cannot"
                        + " use: " + count + " validators (1.." + ValidatorSet.MAX_VALIDATORS + "), total power "
                        + (finalTotal > ValidatorSet.MAX_TOTAL_POWER ? "above " : "") + finalTotal + " (at most "
                        + ValidatorSet.MAX_TOTAL_POWER + ")");
        try {
            return new ValidatorSet(out);
        } catch (IllegalArgumentException e) {
            throw new Invariant.ViolationException("ValidatorSetUsableInv violated: the validator updates for height "
                    + height + " leave a set the engine cannot use: " + e.getMessage());
        }
    }

    /** A validator's display name: its genesis name if it has one, else its short key id. */
    static String nameFor(PublicKey key, Genesis genesis) {
        for (Genesis.Validator v : genesis.validators()) {
            if (v.publicKey().equals(key)) {
                return v.name();
            }
        }
        return key.shortId();
    }
}
