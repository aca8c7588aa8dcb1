package dev.oasisj.conformance.tracecheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The constants of one trace-validation model: the same values as {@code conformance/src/test/tla/TraceCheck<name>.cfg}
 * (the validators, values and bounds the driver's network uses must be the ones TLC checks against; a mismatch makes
 * every trace fail, so it cannot go unnoticed).
 *
 * @param name   model name; the config is {@code TraceCheck<name>.cfg}
 * @param corr   correct validators (each runs a real {@code ConsensusCore})
 * @param faulty Byzantine validators (the driver signs their messages with their keys)
 * @param order  proposer slot order
 * @param power  voting power
 */
record TraceModel(String name, List<String> corr, List<String> faulty, List<String> order, Map<String, Long> power,
        List<String> validValues, List<String> invalidValues, int maxHeight, int maxRound) {

    /** Four validators of power 1, b1 Byzantine; proposers (1,0) b1, (1,1) p2, (1,2) p3. */
    static final TraceModel EQUAL = new TraceModel("Equal", List.of("p1", "p2", "p3"), List.of("b1"),
            List.of("p1", "b1", "p2", "p3"), powers(1, 1, 1, 1), List.of("v1", "v2"), List.of("v3"), 1, 2);

    /**
     * SIMConsensus's constants with {@code LazyTimeouts = FALSE}: p1=3, b1=1, p2=2, p3=2 (total 8), two heights;
     * proposers (1,0) (1,1) (2,0) p1, (1,2) (2,1) b1, (2,2) p2.
     */
    static final TraceModel UNEQUAL = new TraceModel("Unequal", List.of("p1", "p2", "p3"), List.of("b1"),
            List.of("p1", "b1", "p2", "p3"), powers(3, 1, 2, 2), List.of("v1", "v2"), List.of("v3"), 2, 2);

    private static Map<String, Long> powers(long p1, long b1, long p2, long p3) {
        Map<String, Long> m = new TreeMap<>();
        m.put("p1", p1);
        m.put("b1", b1);
        m.put("p2", p2);
        m.put("p3", p3);
        return m;
    }

    String cfg() {
        return "TraceCheck" + name + ".cfg";
    }

    List<String> values() {
        List<String> all = new ArrayList<>(validValues);
        all.addAll(invalidValues);
        return all;
    }

    long totalPower() {
        return power.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The spec's {@code Proposer(h, r)}: with {@code PowerUnit} the gcd of the powers and {@code L = TotalPower \div
     * PowerUnit}, the owner of slot {@code ((h + r) mod L) * Stride mod L}, {@code Power[v] \div PowerUnit} slots each.
     */
    String proposer(long h, int r) {
        long unit = 0;
        for (long p : power.values()) {
            unit = java.math.BigInteger.valueOf(unit).gcd(java.math.BigInteger.valueOf(p)).longValueExact();
        }
        long length = totalPower() / unit;
        long stride = length * 618 / 1000;
        while (java.math.BigInteger.valueOf(stride).gcd(java.math.BigInteger.valueOf(length)).longValue() != 1) {
            stride++;
        }
        long slot = (h + r) % length * stride % length;
        long before = 0;
        for (String v : order) {
            before += power.get(v) / unit;
            if (slot < before) {
                return v;
            }
        }
        throw new IllegalStateException("no slot owner");
    }
}
