package dev.oasisj.core.beacon;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.EcVrf;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One epoch's beacon round, immutable: the validators of epoch E prove the round's alpha with their VRF keys during E;
 * at E's last block {@link #close()} forms the beacon of E+1. The protocol, its threshold, its fallback and the bias
 * it leaves are specified in {@code spec/committee/README.md}, section "The beacon"; in short:
 * <ul>
 *   <li>{@code alpha} = the canonical encoding of (domain, chain id, E, beacon(E)) ({@link #alpha(String, long, Hash32)});</li>
 *   <li>a proof is accepted only for epoch E, only from a validator of E's set, only once, and only if
 *       {@link EcVrf#verify} accepts it for alpha under the validator's key (the reasons in that order);</li>
 *   <li>if the accepted validators hold more than 2/3 of the set's power ({@code 3 * contributed > 2 * total}), the
 *       beacon of E+1 is {@code SHA-256} over the length-prefixed parts: {@value #VALUE_DOMAIN}, chain id, E+1
 *       (8 bytes), beacon(E), then, for each accepted validator by key ascending, its key (32) and its output beta
 *       (64); otherwise it is the fallback {@code SHA-256} over {@value #FALLBACK_DOMAIN}, chain id, E+1, beacon(E).</li>
 * </ul>
 */
public final class BeaconRound {
    public static final String ALPHA_DOMAIN = "oasisj/beacon/alpha/v1";
    public static final String VALUE_DOMAIN = "oasisj/beacon/value/v1";
    public static final String FALLBACK_DOMAIN = "oasisj/beacon/fallback/v1";
    public static final String GENESIS_DOMAIN = "oasisj/beacon/genesis/v1";

    private final String chainId;
    private final long epoch;
    private final Hash32 previousBeacon;
    private final NavigableMap<PublicKey, Long> powers;
    private final long totalPower;
    private final NavigableMap<PublicKey, byte[]> betas;
    private final long contributedPower;
    private final byte[] alpha;

    private BeaconRound(String chainId, long epoch, Hash32 previousBeacon, NavigableMap<PublicKey, Long> powers,
            long totalPower, NavigableMap<PublicKey, byte[]> betas, long contributedPower, byte[] alpha) {
        this.chainId = chainId;
        this.epoch = epoch;
        this.previousBeacon = previousBeacon;
        this.powers = powers;
        this.totalPower = totalPower;
        this.betas = betas;
        this.contributedPower = contributedPower;
        this.alpha = alpha;
    }

    /**
     * The round of {@code epoch}, whose beacon is {@code previousBeacon}, for the validator set {@code powers}
     * (validator key to voting power, each at least 1; at least one validator; the sum must fit a {@code long}).
     */
    public static BeaconRound open(String chainId, long epoch, Hash32 previousBeacon, Map<PublicKey, Long> powers) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch: negative (" + epoch + ")");
        }
        if (powers.isEmpty()) {
            throw new IllegalArgumentException("a beacon round needs at least one validator");
        }
        TreeMap<PublicKey, Long> copy = new TreeMap<>(powers);
        long total = 0;
        for (Map.Entry<PublicKey, Long> e : copy.entrySet()) {
            if (e.getValue() < 1) {
                throw new IllegalArgumentException("validator " + e.getKey().shortId() + ": power " + e.getValue()
                        + " below 1");
            }
            total = Math.addExact(total, e.getValue());
        }
        return new BeaconRound(chainId, epoch, previousBeacon, Collections.unmodifiableNavigableMap(copy), total,
                Collections.emptyNavigableMap(), 0, alpha(chainId, epoch, previousBeacon));
    }

    /**
     * A round rebuilt from a trusted snapshot (whose root covers the outputs): the round of {@link #open} with the
     * outputs {@code betas} ({@value EcVrf#OUTPUT_SIZE_BYTES} bytes each) of the listed validators already accepted.
     * The proofs are not kept, so they are not verified again; every key must be a validator of the round.
     *
     * @throws IllegalArgumentException when a key is not in {@code powers} or an output has the wrong size
     */
    public static BeaconRound restore(String chainId, long epoch, Hash32 previousBeacon, Map<PublicKey, Long> powers,
            Map<PublicKey, byte[]> betas) {
        BeaconRound open = open(chainId, epoch, previousBeacon, powers);
        TreeMap<PublicKey, byte[]> copy = new TreeMap<>();
        long contributed = 0;
        for (Map.Entry<PublicKey, byte[]> e : betas.entrySet()) {
            @Nullable Long power = open.powers.get(e.getKey());
            if (power == null || e.getValue().length != EcVrf.OUTPUT_SIZE_BYTES) {
                throw new IllegalArgumentException("beacon round restore: " + e.getKey().shortId()
                        + " is not a validator of epoch " + epoch + ", or its output is not "
                        + EcVrf.OUTPUT_SIZE_BYTES + " bytes");
            }
            copy.put(e.getKey(), e.getValue().clone());
            contributed += power;
        }
        return new BeaconRound(chainId, epoch, previousBeacon, open.powers, open.totalPower,
                Collections.unmodifiableNavigableMap(copy), contributed, open.alpha);
    }

    /**
     * The VRF input of epoch {@code epoch}: the length-prefixed {@value #ALPHA_DOMAIN}, the length-prefixed chain id,
     * the epoch (8 bytes, big-endian) and the epoch's beacon (32 bytes).
     */
    public static byte[] alpha(String chainId, long epoch, Hash32 beaconOfEpoch) {
        return new Writer(128).string(ALPHA_DOMAIN).string(chainId).i64(epoch).fixed(beaconOfEpoch.toBytes())
                .toBytes();
    }

    /**
     * The beacon of epoch 0: {@code SHA-256} over the length-prefixed {@value #GENESIS_DOMAIN} and chain id. Public
     * and fixed: epoch 0's committees are known from genesis (as any beacon set in a genesis file would be).
     */
    public static Hash32 genesisBeacon(String chainId) {
        return Hash32.sha256Parts(GENESIS_DOMAIN.getBytes(StandardCharsets.UTF_8),
                chainId.getBytes(StandardCharsets.UTF_8));
    }

    public long epoch() {
        return epoch;
    }

    public String chainId() {
        return chainId;
    }

    public Hash32 previousBeacon() {
        return previousBeacon;
    }

    /** This round's alpha (a copy). */
    public byte[] alpha() {
        return alpha.clone();
    }

    /** The validator set, by key. */
    public NavigableMap<PublicKey, Long> powers() {
        return powers;
    }

    public long totalPower() {
        return totalPower;
    }

    /** The total power of the validators whose proofs were accepted. */
    public long contributedPower() {
        return contributedPower;
    }

    /** The validators whose proofs were accepted, ascending. */
    public List<PublicKey> contributors() {
        return List.copyOf(betas.keySet());
    }

    /** The accepted output of {@code validator}, if any (a copy). */
    public Optional<byte[]> betaOf(PublicKey validator) {
        byte @Nullable [] beta = betas.get(validator);
        return beta == null ? Optional.empty() : Optional.of(beta.clone());
    }

    /** True when the contributors hold more than 2/3 of the power: {@code 3 * contributed > 2 * total}. */
    public boolean thresholdReached() {
        return BigInteger.valueOf(contributedPower).multiply(BigInteger.valueOf(3))
                .compareTo(BigInteger.valueOf(totalPower).multiply(BigInteger.valueOf(2))) > 0;
    }

    /**
     * Accepts or refuses {@code proof}: {@code WRONG_EPOCH}, {@code NOT_A_VALIDATOR}, {@code DUPLICATE},
     * {@code INVALID_PROOF}, in that order (the VRF check, the only costly one, last).
     */
    public BeaconSubmission submit(BeaconProof proof) {
        if (proof.epoch() != epoch) {
            return new BeaconSubmission.Rejected(BeaconRejectReason.WRONG_EPOCH, "proof for epoch " + proof.epoch()
                    + ", round of epoch " + epoch);
        }
        @Nullable Long power = powers.get(proof.validator());
        if (power == null) {
            return new BeaconSubmission.Rejected(BeaconRejectReason.NOT_A_VALIDATOR, proof.validator().shortId()
                    + " is not a validator of epoch " + epoch);
        }
        if (betas.containsKey(proof.validator())) {
            return new BeaconSubmission.Rejected(BeaconRejectReason.DUPLICATE, proof.validator().shortId()
                    + " already contributed");
        }
        Optional<byte[]> beta = EcVrf.verify(proof.validator().toBytes(), proof.proof(), alpha);
        if (beta.isEmpty()) {
            return new BeaconSubmission.Rejected(BeaconRejectReason.INVALID_PROOF, "the proof of "
                    + proof.validator().shortId() + " does not verify for epoch " + epoch + "'s alpha");
        }
        TreeMap<PublicKey, byte[]> next = new TreeMap<>(betas);
        next.put(proof.validator(), beta.get());
        long contributed = Math.addExact(contributedPower, power);
        Invariant.check(contributed <= totalPower, "BeaconPowerInv",
                () -> "contributed " + contributed + " exceeds total " + totalPower);
        return new BeaconSubmission.Accepted(new BeaconRound(chainId, epoch, previousBeacon, powers, totalPower,
                Collections.unmodifiableNavigableMap(next), contributed, alpha));
    }

    /** The beacon of epoch + 1, from the accepted outputs or the fallback (see the class comment). */
    public BeaconOutcome close() {
        long nextEpoch = Math.addExact(epoch, 1);
        byte[] domainChain = chainId.getBytes(StandardCharsets.UTF_8);
        byte[] epochBytes = new Writer(8).i64(nextEpoch).toBytes();
        if (!thresholdReached()) {
            Hash32 fallback = Hash32.sha256Parts(FALLBACK_DOMAIN.getBytes(StandardCharsets.UTF_8), domainChain,
                    epochBytes, previousBeacon.toBytes());
            return new BeaconOutcome(nextEpoch, fallback, true, contributors(), contributedPower, totalPower);
        }
        List<byte[]> parts = new ArrayList<>();
        parts.add(VALUE_DOMAIN.getBytes(StandardCharsets.UTF_8));
        parts.add(domainChain);
        parts.add(epochBytes);
        parts.add(previousBeacon.toBytes());
        for (Map.Entry<PublicKey, byte[]> e : betas.entrySet()) {
            parts.add(e.getKey().toBytes());
            parts.add(e.getValue());
        }
        Hash32 value = Hash32.sha256Parts(parts.toArray(new byte[0][]));
        return new BeaconOutcome(nextEpoch, value, false, contributors(), contributedPower, totalPower);
    }
}
