package dev.oasisj.bench;

/**
 * A histogram of non-negative long values (nanoseconds here) with log-linear buckets, in the manner of HdrHistogram:
 * values below 128 have a bucket each; above, every power of two is split into 64 equal buckets, so a reported value
 * is within 1/64 (1.6%) above the true one. Fixed size (3,712 counters), no allocation when recording.
 */
final class LogHistogram {
    private static final int SUB_BUCKETS = 64;
    private static final int LINEAR_LIMIT = 2 * SUB_BUCKETS;
    private static final int BUCKETS = SUB_BUCKETS * 58;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long min = Long.MAX_VALUE;
    private long max;

    static int index(long value) {
        if (value < LINEAR_LIMIT) {
            return (int) value;
        }
        int msb = 63 - Long.numberOfLeadingZeros(value);
        int shift = msb - 6;
        int sub = (int) (value >>> shift);
        return SUB_BUCKETS * shift + sub;
    }

    /** The largest value that falls into bucket {@code index}. */
    static long highestEquivalent(int index) {
        if (index < LINEAR_LIMIT) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        long sub = index - (long) SUB_BUCKETS * shift;
        return ((sub + 1) << shift) - 1;
    }

    void record(long value) {
        long v = Math.max(0, value);
        counts[index(v)]++;
        total++;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        min = Long.MAX_VALUE;
        max = 0;
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    long min() {
        return total == 0 ? 0 : min;
    }

    /** The value at or below which {@code percentile} percent of the recorded values fall (0 if empty). */
    long percentile(double percentile) {
        if (total == 0) {
            return 0;
        }
        long target = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= target) {
                return Math.min(max, Math.max(min, highestEquivalent(i)));
            }
        }
        return max;
    }
}
