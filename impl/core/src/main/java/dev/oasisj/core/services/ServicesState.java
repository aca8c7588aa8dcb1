package dev.oasisj.core.services;

import dev.oasisj.core.beacon.BeaconRound;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.registry.EscrowBalances;
import dev.oasisj.core.registry.RegistryState;
import dev.oasisj.core.registry.RuntimeId;
import dev.oasisj.core.scheduler.CommitteeElection;
import dev.oasisj.core.scheduler.RuntimeCommittee;
import dev.oasisj.core.scheduler.Validator;
import dev.oasisj.core.scheduler.ValidatorElection;
import dev.oasisj.core.staking.StakingState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The committed state of the consensus services after block {@code height}: one namespace per service in one
 * authenticated tree. Immutable (each service's state is persistent), so a staged block state and the committed one
 * share everything they have in common.
 *
 * <p><b>Namespaces</b> (each has its own root; the state root is the root over them, in this fixed order):
 * <ol>
 *   <li>{@code staking}: {@link StakingState} (accounts, escrow pools, delegations, debonding, common pool, the
 *       current epoch);</li>
 *   <li>{@code registry}: {@link RegistryState} (entities, nodes, runtimes, freezes);</li>
 *   <li>{@code beacon}: the current epoch's beacon and its open round (the proofs accepted so far);</li>
 *   <li>{@code scheduler}: the current epoch's validator election and committees, and the committees of the
 *       {@value #KEPT_PAST_COMMITTEE_EPOCHS} epochs before it (queried by epoch; the roothash service of the ParaTime
 *       layer will judge a runtime round by the committee of the epoch it ran in);</li>
 *   <li>{@code slashing}: the double-signing offences already punished (validator, height), so that evidence that
 *       reaches the services again (a restarted node may include it twice) slashes once;</li>
 *   <li>{@code rewards}: the validators (node keys) whose precommits are in the commits this epoch's blocks carried:
 *       at the epoch's end only their entities are rewarded.</li>
 * </ol>
 * <b>State root</b>: {@code SHA-256} over the length-prefixed parts {@value #ROOT_DOMAIN}, the height (8 bytes), then
 * for each namespace its name and its root. Each namespace's root is defined where its data is: {@link StakingState},
 * {@link RegistryState}, {@link #beaconRoot()}, {@link #schedulerRoot()}, {@link #slashingRoot()},
 * {@link #rewardsRoot()}.
 */
public final class ServicesState {
    public static final String ROOT_DOMAIN = "oasisj/services/v2";
    public static final String BEACON_DOMAIN = "oasisj/services/beacon/v1";
    public static final String SCHEDULER_DOMAIN = "oasisj/services/scheduler/v2";
    /**
     * The committee elections of how many epochs before the current one are kept: those of epochs
     * {@code max(0, E - KEPT_PAST_COMMITTEE_EPOCHS) .. E - 1} when the current one is {@code E}.
     */
    public static final int KEPT_PAST_COMMITTEE_EPOCHS = 16;
    public static final String SLASHING_DOMAIN = "oasisj/services/slashing/v1";
    public static final String REWARDS_DOMAIN = "oasisj/services/rewards/v1";

    /** A punished double-signing offence: the validator (node key) and the height of its two votes. */
    public record Offence(PublicKey validator, long height) implements Comparable<Offence> {
        @Override
        public int compareTo(Offence o) {
            int c = validator.compareTo(o.validator);
            return c != 0 ? c : Long.compare(height, o.height);
        }
    }

    private final long height;
    private final StakingState staking;
    private final RegistryState registry;
    private final Hash32 beacon;
    private final BeaconRound beaconRound;
    private final ValidatorElection validators;
    private final CommitteeElection committees;
    private final SortedMap<Long, CommitteeElection> pastCommittees;
    private final NavigableSet<Offence> punished;
    private final NavigableSet<PublicKey> signers;
    private @Nullable Hash32 root;

    ServicesState(long height, StakingState staking, RegistryState registry, Hash32 beacon, BeaconRound beaconRound,
            ValidatorElection validators, CommitteeElection committees,
            SortedMap<Long, CommitteeElection> pastCommittees, NavigableSet<Offence> punished,
            NavigableSet<PublicKey> signers) {
        this(height, staking, registry, beacon, beaconRound, validators, committees,
                checkPastCommittees(committees.epoch(), Collections.unmodifiableSortedMap(new TreeMap<>(pastCommittees))),
                Collections.unmodifiableNavigableSet(new TreeSet<>(punished)),
                Collections.unmodifiableNavigableSet(new TreeSet<>(signers)), true);
    }

    /**
     * {@code pastCommittees}, {@code punished} and {@code signers} are already read-only copies (another state's):
     * kept as they are.
     */
    private ServicesState(long height, StakingState staking, RegistryState registry, Hash32 beacon,
            BeaconRound beaconRound, ValidatorElection validators, CommitteeElection committees,
            SortedMap<Long, CommitteeElection> pastCommittees, NavigableSet<Offence> punished,
            NavigableSet<PublicKey> signers, boolean readOnlyCopy) {
        if (height < 0) {
            throw new IllegalArgumentException("height: negative (" + height + ")");
        }
        this.height = height;
        this.staking = staking;
        this.registry = registry;
        this.beacon = beacon;
        this.beaconRound = beaconRound;
        this.validators = validators;
        this.committees = committees;
        this.pastCommittees = pastCommittees;
        this.punished = punished;
        this.signers = signers;
    }

    /** The last block applied (0 at genesis). */
    public long height() {
        return height;
    }

    /** The current epoch (staking's). */
    public long epoch() {
        return staking.epoch();
    }

    public StakingState staking() {
        return staking;
    }

    public RegistryState registry() {
        return registry;
    }

    /** The beacon of the current epoch. */
    public Hash32 beacon() {
        return beacon;
    }

    /** The current epoch's beacon round: the validators of this epoch prove in it; it forms the next beacon. */
    public BeaconRound beaconRound() {
        return beaconRound;
    }

    /** The validator election of the current epoch (the set the consensus engine uses from two heights after it). */
    public ValidatorElection validators() {
        return validators;
    }

    /** The committees of the current epoch. */
    public CommitteeElection committees() {
        return committees;
    }

    /**
     * The committee elections of the epochs before the current one, by epoch: exactly epochs
     * {@code max(0, E - KEPT_PAST_COMMITTEE_EPOCHS) .. E - 1} for the current election's epoch {@code E}, each
     * election's own epoch its key.
     */
    public SortedMap<Long, CommitteeElection> pastCommittees() {
        return pastCommittees;
    }

    /** The committees of {@code epoch}, if it is the current epoch or a kept past one. */
    public Optional<CommitteeElection> committeesOf(long epoch) {
        return epoch == committees.epoch() ? Optional.of(committees) : Optional.ofNullable(pastCommittees.get(epoch));
    }

    /**
     * The rule of {@link #pastCommittees()}, checked where a history is made (genesis, a restored snapshot, a new
     * epoch); the other states share their predecessor's.
     */
    private static SortedMap<Long, CommitteeElection> checkPastCommittees(long current,
            SortedMap<Long, CommitteeElection> past) {
        long first = Math.max(0, current - KEPT_PAST_COMMITTEE_EPOCHS);
        if (past.size() != current - first || (!past.isEmpty()
                && (past.firstKey() != first || past.lastKey() != current - 1))) {
            throw new IllegalArgumentException("past committees: epochs " + past.keySet() + ", expected " + first
                    + ".." + (current - 1) + " for the current epoch " + current);
        }
        past.forEach((epoch, election) -> {
            if (election.epoch() != epoch) {
                throw new IllegalArgumentException("past committees: the election of epoch " + election.epoch()
                        + " kept as epoch " + epoch);
            }
        });
        return past;
    }

    /** The offences already punished (bounded: entries older than the evidence age are dropped). */
    public NavigableSet<Offence> punished() {
        return punished;
    }

    /**
     * The validators (node keys) whose precommits are in the commits carried by this epoch's blocks so far (the
     * commit of the epoch's last block travels in the next epoch's first block, so it counts there): the epoch's end
     * rewards only their entities.
     */
    public NavigableSet<PublicKey> signers() {
        return signers;
    }

    /** Staking's active escrow pools as the registry and scheduler read them. */
    public EscrowBalances escrow() {
        return escrowOf(staking);
    }

    /** The active escrow pools of {@code staking} as the registry and scheduler read them. */
    static EscrowBalances escrowOf(StakingState staking) {
        return entity -> staking.escrowPool(entity).activeBalanceBaseUnits();
    }

    ServicesState with(long newHeight, StakingState newStaking, RegistryState newRegistry, Hash32 newBeacon,
            BeaconRound newRound, ValidatorElection newValidators, CommitteeElection newCommittees,
            NavigableSet<Offence> newPunished) {
        // the same offences (every transaction's two steps, most hooks): shared, not copied again
        return newPunished == punished
                ? new ServicesState(newHeight, newStaking, newRegistry, newBeacon, newRound, newValidators,
                        newCommittees, pastCommittees, punished, signers, true)
                : new ServicesState(newHeight, newStaking, newRegistry, newBeacon, newRound, newValidators,
                        newCommittees, pastCommittees, Collections.unmodifiableNavigableSet(new TreeSet<>(newPunished)),
                        signers, true);
    }

    /**
     * The state of a new epoch: {@code newCommittees} (of the epoch after the current election's) become the current
     * committees, the current ones join the past ones, and the oldest past ones beyond
     * {@link #KEPT_PAST_COMMITTEE_EPOCHS} are dropped; the epoch's signers start empty.
     */
    ServicesState withNewEpoch(long newHeight, StakingState newStaking, Hash32 newBeacon, BeaconRound newRound,
            ValidatorElection newValidators, CommitteeElection newCommittees) {
        TreeMap<Long, CommitteeElection> past = new TreeMap<>(pastCommittees);
        past.put(committees.epoch(), committees);
        while (past.size() > KEPT_PAST_COMMITTEE_EPOCHS) {
            past.pollFirstEntry();
        }
        return new ServicesState(newHeight, newStaking, registry, newBeacon, newRound, newValidators, newCommittees,
                checkPastCommittees(newCommittees.epoch(), Collections.unmodifiableSortedMap(past)), punished,
                Collections.unmodifiableNavigableSet(new TreeSet<>()), true);
    }

    /** This state with {@code newSigners} as the epoch's signers (see {@link #signers()}). */
    ServicesState withSigners(NavigableSet<PublicKey> newSigners) {
        return new ServicesState(height, staking, registry, beacon, beaconRound, validators, committees,
                pastCommittees, punished, Collections.unmodifiableNavigableSet(new TreeSet<>(newSigners)), true);
    }

    ServicesState withStaking(StakingState s) {
        return with(height, s, registry, beacon, beaconRound, validators, committees, punished);
    }

    ServicesState withRegistry(RegistryState r) {
        return with(height, staking, r, beacon, beaconRound, validators, committees, punished);
    }

    ServicesState withBeaconRound(BeaconRound r) {
        return with(height, staking, registry, beacon, r, validators, committees, punished);
    }

    ServicesState withHeight(long h) {
        return with(h, staking, registry, beacon, beaconRound, validators, committees, punished);
    }

    // ------------------------------------------------------------------------------------------ roots

    /** The state root (see the class comment); computed once per state. */
    public Hash32 stateRoot() {
        Hash32 r = root;
        if (r == null) {
            r = Hash32.sha256Parts(utf8(ROOT_DOMAIN), new Writer(8).i64(height).toBytes(),
                    utf8("staking"), staking.stateRoot().toBytes(),
                    utf8("registry"), registry.stateRoot().toBytes(),
                    utf8("beacon"), beaconRoot().toBytes(),
                    utf8("scheduler"), schedulerRoot().toBytes(),
                    utf8("slashing"), slashingRoot().toBytes(),
                    utf8("rewards"), rewardsRoot().toBytes());
            root = r;
        }
        return r;
    }

    /**
     * The beacon namespace's root: {@code SHA-256} over {@value #BEACON_DOMAIN}, the round's epoch (8 bytes), the
     * current beacon (32), then each accepted proof's validator key (32) and output (64), by key ascending. The
     * round's validator powers are the scheduler namespace's current set, so they are not repeated here.
     */
    public Hash32 beaconRoot() {
        MessageDigest d = Hash32.newSha256();
        d.update(utf8(BEACON_DOMAIN));
        d.update(new Writer(8).i64(beaconRound.epoch()).toBytes());
        d.update(beacon.toBytes());
        for (PublicKey k : beaconRound.contributors()) {
            d.update(k.toBytes());
            d.update(beaconRound.betaOf(k).orElseThrow());
        }
        return Hash32.of(d.digest());
    }

    /**
     * The scheduler namespace's root: {@code SHA-256} over {@value #SCHEDULER_DOMAIN}, the election's epoch, whether
     * it kept the previous set, the number of qualified nodes, each validator (node key, entity key, power) in set
     * order, then the current committee election, then the number of past ones and each of them by epoch ascending.
     * A committee election is its epoch, its beacon, the number of runtimes, then each runtime by id: its id, and
     * either its workers and backups (count, then keys in election order) or its suspension reason's name. (A
     * suspension's readable detail is not part of the root.)
     */
    public Hash32 schedulerRoot() {
        MessageDigest d = Hash32.newSha256();
        d.update(utf8(SCHEDULER_DOMAIN));
        Writer w = new Writer().i64(validators.epoch()).u8(validators.keptPrevious() ? 1 : 0)
                .i32(validators.qualified()).i32(validators.validators().size());
        for (Validator v : validators.validators()) {
            w.fixed(v.node().toBytes()).fixed(v.entity().toBytes()).i64(v.votingPower());
        }
        writeElection(w, committees);
        w.i32(pastCommittees.size());
        pastCommittees.values().forEach(e -> writeElection(w, e));
        d.update(w.toBytes());
        return Hash32.of(d.digest());
    }

    private static void writeElection(Writer w, CommitteeElection election) {
        w.i64(election.epoch()).fixed(election.beacon().toBytes()).i32(election.committees().size());
        for (Map.Entry<RuntimeId, RuntimeCommittee> e : election.committees().entrySet()) {
            w.fixed(e.getKey().value().toBytes());
            if (e.getValue() instanceof RuntimeCommittee.Elected el) {
                w.u8(1).i32(el.workers().size());
                el.workers().forEach(k -> w.fixed(k.toBytes()));
                w.i32(el.backups().size());
                el.backups().forEach(k -> w.fixed(k.toBytes()));
            } else if (e.getValue() instanceof RuntimeCommittee.Suspended s) {
                w.u8(0).string(s.reason().name());
            }
        }
    }

    /** The rewards namespace's root: {@code SHA-256} over {@value #REWARDS_DOMAIN}, then each signer's key in order. */
    public Hash32 rewardsRoot() {
        MessageDigest d = Hash32.newSha256();
        d.update(utf8(REWARDS_DOMAIN));
        for (PublicKey k : signers) {
            d.update(k.toBytes());
        }
        return Hash32.of(d.digest());
    }

    /** The slashing namespace's root: {@code SHA-256} over {@value #SLASHING_DOMAIN}, then each offence in order. */
    public Hash32 slashingRoot() {
        MessageDigest d = Hash32.newSha256();
        d.update(utf8(SLASHING_DOMAIN));
        for (Offence o : punished) {
            d.update(o.validator().toBytes());
            d.update(new Writer(8).i64(o.height()).toBytes());
        }
        return Hash32.of(d.digest());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ServicesState[height=" + height + " epoch=" + epoch() + " validators="
                + validators.validators().size() + " runtimes=" + committees.committees().size() + " " + staking
                + "]";
    }
}
