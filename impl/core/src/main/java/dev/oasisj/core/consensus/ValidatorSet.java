package dev.oasisj.core.consensus;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The validators of a height, in the fixed order used for proposer selection (the spec's {@code Order}), each with its
 * voting power. Validated at construction: non-empty, at most {@link #MAX_VALIDATORS}, distinct keys and names,
 * powers in {@code 1..MAX_TOTAL_POWER}, total at most {@link #MAX_TOTAL_POWER} (so {@code 3 * power} never overflows).
 *
 * <p>{@link #hash()} commits to the set as consensus uses it: SHA-256 of {@code "oasisj/validator-set/v1"}
 * (length-prefixed) {@code || count || (key || power)*} in list order. Names are display only and not hashed; the order
 * is hashed because the proposer rotation depends on it.
 */
public final class ValidatorSet {
    public static final int MAX_VALIDATORS = 1000;
    /** 2^60: three times this still fits in a signed long. */
    public static final long MAX_TOTAL_POWER = 1L << 60;

    /** One validator: a display name, its consensus key and its voting power. */
    public record Validator(String name, PublicKey key, long power) {
        public Validator {
            if (power <= 0 || power > MAX_TOTAL_POWER) {
                throw new IllegalArgumentException("validator " + name + ": power must be in 1.." + MAX_TOTAL_POWER
                        + ", got " + power);
            }
        }
    }

    /** The domain of {@link #hash()}. */
    public static final String HASH_DOMAIN = "oasisj/validator-set/v1";

    private final List<Validator> validators;
    private final Hash32 hash;
    private final TreeMap<PublicKey, Validator> byKey = new TreeMap<>();
    private final long totalPower;
    /** The spec's {@code PowerUnit}: the greatest common divisor of all powers. */
    private final long powerUnit;
    /** The spec's {@code RotationLength}: {@code totalPower / powerUnit}, the period of the proposer rotation. */
    private final long rotationLength;
    /** {@link #strideFor} of the rotation length. */
    private final long stride;

    public ValidatorSet(List<Validator> validators) {
        if (validators.isEmpty()) {
            throw new IllegalArgumentException("a validator set is not empty");
        }
        if (validators.size() > MAX_VALIDATORS) {
            throw new IllegalArgumentException("at most " + MAX_VALIDATORS + " validators, got " + validators.size());
        }
        TreeSet<String> names = new TreeSet<>();
        long total = 0;
        for (Validator v : validators) {
            if (byKey.put(v.key(), v) != null) {
                throw new IllegalArgumentException("duplicate validator key " + v.key().shortId());
            }
            if (!names.add(v.name())) {
                throw new IllegalArgumentException("duplicate validator name " + v.name());
            }
            total += v.power(); // each power <= 2^60 and count <= 1000: no overflow before the check below
            if (total > MAX_TOTAL_POWER) {
                throw new IllegalArgumentException("total power exceeds " + MAX_TOTAL_POWER);
            }
        }
        long unit = 0;
        for (Validator v : validators) {
            unit = gcd(v.power(), unit);
        }
        this.validators = List.copyOf(validators);
        this.totalPower = total;
        this.powerUnit = unit;
        this.rotationLength = total / unit;
        this.stride = strideFor(rotationLength);
        Writer w = new Writer().string(HASH_DOMAIN).i32(this.validators.size());
        for (Validator v : this.validators) {
            w.fixed(v.key().toBytes()).i64(v.power());
        }
        this.hash = Hash32.sha256(w.toBytes());
    }

    /** The canonical hash of the ordered (key, power) list (see the class comment). */
    public Hash32 hash() {
        return hash;
    }

    public List<Validator> validators() {
        return validators;
    }

    public int size() {
        return validators.size();
    }

    public long totalPower() {
        return totalPower;
    }

    public boolean contains(PublicKey key) {
        return byKey.containsKey(key);
    }

    public Optional<Validator> validator(PublicKey key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** The power of a validator, 0 for a key outside the set. */
    public long powerOf(PublicKey key) {
        Validator v = byKey.get(key);
        return v == null ? 0 : v.power();
    }

    /** The spec's {@code PowerOf(S)}: each distinct member counted once; unknown keys count 0. */
    public long powerOf(Collection<PublicKey> senders) {
        long sum = 0;
        for (PublicKey k : new TreeSet<>(senders)) {
            sum += powerOf(k);
        }
        return sum;
    }

    /** The spec's {@code IsQuorum(S)}: {@code 3 * PowerOf(S) > 2 * TotalPower} (more than two thirds). */
    public boolean isQuorum(Collection<PublicKey> senders) {
        return 3 * powerOf(senders) > 2 * totalPower;
    }

    /** The spec's {@code IsOneThird(S)}: {@code 3 * PowerOf(S) > TotalPower} (more than one third). */
    public boolean isOneThird(Collection<PublicKey> senders) {
        return 3 * powerOf(senders) > totalPower;
    }

    /** The spec's {@code PowerUnit}: the greatest common divisor of the validators' powers. */
    public long powerUnit() {
        return powerUnit;
    }

    /**
     * The spec's {@code RotationLength}: {@code totalPower / powerUnit}, the number of slots of the rotation; every
     * validator owns {@code power / powerUnit} of them.
     */
    public long rotationLength() {
        return rotationLength;
    }

    /**
     * The spec's {@code Proposer(h, r)}: the powers are divided by their greatest common divisor ({@link #powerUnit}),
     * then the validators are laid out on {@code L = rotationLength} consecutive slots, each occupying
     * {@code power / powerUnit} slots, in list order; position {@code k = (h + r) mod L} of the rotation is slot
     * {@code k * stride mod L} ({@link #strideFor}{@code (L)}, coprime with {@code L}), so in every {@code L}
     * consecutive positions each validator proposes exactly {@code power / powerUnit} times (hence two of its turns
     * are at most {@code L - power / powerUnit + 1} positions apart); {@code n} validators of equal power propose
     * once each in every {@code n} consecutive positions, whatever the power.
     */
    public Validator proposer(long height, int round) {
        if (height < 0 || round < 0) {
            throw new IllegalArgumentException("height and round are non-negative");
        }
        long position = Math.floorMod(Math.floorMod(height, rotationLength) + round, rotationLength);
        long slot = BigInteger.valueOf(position).multiply(BigInteger.valueOf(stride))
                .mod(BigInteger.valueOf(rotationLength)).longValueExact();
        long end = 0;
        for (Validator v : validators) {
            end += v.power() / powerUnit;
            if (slot < end) {
                return v;
            }
        }
        throw new IllegalStateException("slot " + slot + " beyond rotation length " + rotationLength);
    }

    /**
     * The spec's {@code Stride}: the least integer from {@code length * 618 / 1000} on that is coprime with
     * {@code length} ({@code length + 1} always is), so that multiplying by it permutes the {@code length} slots.
     */
    static long strideFor(long length) {
        long k = length / 1000 * 618 + length % 1000 * 618 / 1000; // length * 618 / 1000 without overflow
        while (gcd(k, length) != 1) {
            k++;
        }
        return k;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    public List<PublicKey> keys() {
        List<PublicKey> keys = new ArrayList<>();
        for (Validator v : validators) {
            keys.add(v.key());
        }
        return keys;
    }

    @Override
    public String toString() {
        return "ValidatorSet" + validators;
    }
}
