package dev.oasisj.core.crypto;

import java.util.ArrayList;
import java.util.List;

/** The canonical encodings of the eight edwards25519 points of small order (tests of key and point decoding). */
final class SmallOrderPoints {
    static final List<String> CANONICAL = List.of(
            "0100000000000000000000000000000000000000000000000000000000000000", // identity
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2
            "0000000000000000000000000000000000000000000000000000000000000000", // order 4
            "0000000000000000000000000000000000000000000000000000000000000080", // order 4, other sign
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", // order 8, other sign
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"); // order 8, other sign

    private SmallOrderPoints() {}

    /** The eight small-order encodings followed by {@code more}. */
    static List<String> plus(String... more) {
        List<String> all = new ArrayList<>(CANONICAL);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }
}
