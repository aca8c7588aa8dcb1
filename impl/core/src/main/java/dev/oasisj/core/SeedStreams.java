package dev.oasisj.core;

import java.util.SplittableRandom;

/**
 * The one place where a simulation seed becomes random streams: one stream per (seed, purpose), derived by a proper mix,
 * so that every seed and every purpose draws from its own, unrelated sequence.
 *
 * <p>Why a mix is needed: {@code new SplittableRandom(x)} steps its state by the golden gamma {@code 0x9E3779B97F4A7C15}
 * per draw. Seeding it with {@code seed * 0x9E3779B97F4A7C15 + c} (as the simulator once did) makes seed {@code s + 1}'s
 * stream seed {@code s}'s stream shifted by one draw, so consecutive seeds replay the same faults from neighbouring
 * offsets and ten thousand seeds are far fewer independent runs than they look (issue 8, point 6). Here the seed first
 * goes through the SplitMix64 finaliser (Stafford's variant 13, a bijection on 64 bits that spreads every input bit over
 * every output bit), and the purpose then picks one output of the SplitMix64 generator started at that value: streams of
 * nearby seeds, and of different purposes of one seed, start at unrelated points of the 2^64 cycle.
 *
 * <p>Pure functions, the same on every machine: the simulator, its network and its Byzantine validators all derive their
 * generators here, and a run stays a function of its seed.
 */
public final class SeedStreams {
    /** What a seed's plan draws up front: validator count, powers, Byzantine coalition and profiles. */
    public static final long PLAN = 1;
    /** The seed's faults: delay, loss and duplication rates, crash and partition schedule. */
    public static final long FAULTS = 2;
    /** The simulated network's per-message draws (loss, duplication, delay). */
    public static final long NETWORK = 3;
    /** Byzantine validator {@code i}'s choices: {@link #byzantine}{@code (i)}. */
    private static final long BYZANTINE_BASE = 0x100;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    /** Separates this derivation's inputs from other uses of the same mix (an arbitrary odd constant). */
    private static final long DOMAIN = 0x5DEECE66DA3B4F1BL;

    private SeedStreams() {}

    /** The purpose of Byzantine validator {@code validatorIndex}'s stream. */
    public static long byzantine(int validatorIndex) {
        if (validatorIndex < 0) {
            throw new IllegalArgumentException("validator index must be >= 0, got " + validatorIndex);
        }
        return BYZANTINE_BASE + validatorIndex;
    }

    /** A generator for {@code purpose} of {@code seed}; a new one each call, always drawing the same sequence. */
    public static SplittableRandom random(long seed, long purpose) {
        return new SplittableRandom(derive(seed, purpose));
    }

    /**
     * The starting state for {@code purpose} of {@code seed}: output number {@code purpose + 1} of the SplitMix64
     * generator whose state starts at {@code mix64(seed ^ DOMAIN)}.
     */
    public static long derive(long seed, long purpose) {
        return mix64(mix64(seed ^ DOMAIN) + GOLDEN_GAMMA * (purpose + 1));
    }

    /** The SplitMix64 finaliser (Stafford's variant 13), as in {@code java.util.SplittableRandom}. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
