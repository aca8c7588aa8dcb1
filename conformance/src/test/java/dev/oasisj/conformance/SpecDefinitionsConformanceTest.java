package dev.oasisj.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.oasisj.core.consensus.ConsensusConfig;
import dev.oasisj.core.consensus.ConsensusCore;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The spec's constant-level definitions against the implementation, for validator sets beyond the one of the trace
 * models: {@code Proposer(h, r)} (weighted rotation over {@code Order}, with its {@code PowerUnit},
 * {@code RotationLength}, {@code Slots} and {@code Stride}), {@code PowerOf}, {@code IsQuorum},
 * {@code IsOneThird} ({@link SpecOracle} evaluates the spec's formulas), the constants the spec assumes
 * ({@code ASSUME ConstantsOK}: every validator once in {@code Order}, every power in {@code Nat \ {0}}, at least one
 * validator) and the message types of {@code TypeOK} ({@code height \in 1..}, {@code round \in 0..},
 * {@code validRound \in -1..round-1}).
 */
class SpecDefinitionsConformanceTest {
    private static final int MAX_VALIDATORS = 7;
    private static final List<Signer> KEYS = new ArrayList<>();

    static {
        for (int i = 0; i < MAX_VALIDATORS; i++) {
            KEYS.add(Signer.deterministic("v" + i, 0));
        }
    }

    private static ModelConstants model(List<Integer> powers) {
        return model(powers, 1);
    }

    /** The model with every power multiplied by {@code unit}. */
    private static ModelConstants model(List<Integer> powers, long unit) {
        List<String> order = new ArrayList<>();
        Map<String, Long> power = new TreeMap<>();
        for (int i = 0; i < powers.size(); i++) {
            order.add("v" + i);
            power.put("v" + i, powers.get(i) * unit);
        }
        return new ModelConstants("generated", order, List.of(), order, power, List.of("x"), List.of(), 1, 0);
    }

    private static ValidatorSet validatorSet(List<Integer> powers) {
        return validatorSet(powers, 1);
    }

    private static ValidatorSet validatorSet(List<Integer> powers, long unit) {
        List<ValidatorSet.Validator> vs = new ArrayList<>();
        for (int i = 0; i < powers.size(); i++) {
            vs.add(new ValidatorSet.Validator("v" + i, KEYS.get(i).publicKey(), powers.get(i) * unit));
        }
        return new ValidatorSet(vs);
    }

    @Test
    void proposerRotation_isTheSpecsWeightedSlotOwner() {
        qt().withExamples(300).withFixedSeed(61L)
                .forAll(lists().of(integers().between(1, 9)).ofSizeBetween(1, MAX_VALIDATORS),
                        integers().between(1, 60), integers().between(0, 60))
                .checkAssert((powers, h, r) -> {
                    SpecOracle spec = new SpecOracle(model(powers));
                    ValidatorSet impl = validatorSet(powers);
                    assertEquals(spec.proposer(h, r), impl.proposer(h, r).name(),
                            "Proposer(" + h + ", " + r + ") for powers " + powers);
                });
    }

    /**
     * {@code Proposer(h, r)} for rotations of 1,000 slots and more (powers up to 3,000 with no common factor), where
     * the implementation computes {@code Stride}'s {@code RotationLength * 618 \div 1000} in two parts to avoid an
     * overflow; the oracle computes it as the spec writes it.
     */
    @Test
    void proposerRotation_longRotations_isTheSpecsWeightedSlotOwner() {
        qt().withExamples(200).withFixedSeed(64L)
                .forAll(lists().of(integers().between(1, 3000)).ofSizeBetween(2, MAX_VALIDATORS),
                        integers().between(1, 1_000_000), integers().between(0, 60))
                .checkAssert((powers, h, r) -> {
                    SpecOracle spec = new SpecOracle(model(powers));
                    ValidatorSet impl = validatorSet(powers);
                    assertEquals(spec.rotationLength(), impl.rotationLength(), "RotationLength for " + powers);
                    assertEquals(spec.proposer(h, r), impl.proposer(h, r).name(),
                            "Proposer(" + h + ", " + r + ") for powers " + powers);
                });
    }

    /**
     * ASSUME ConstantsOK's {@code MaxHeight \in Nat \ {0}} and {@code MaxRound \in Nat}, and {@code Init}'s height 1:
     * a core's configuration accepts exactly those bounds (the smallest accepted, one below refused), and a core
     * starts at any height of {@code 1..MaxHeight} (the heights a validator of the spec can be at) and at no other.
     */
    @Test
    void boundsOutsideTheSpecsAssumptions_areRefused() {
        ConsensusConfig base = ConsensusConfig.of("conformance");
        assertEquals(0, base.withMaxRound(0).maxRound(), "MaxRound = 0 is a model");
        assertThrows(IllegalArgumentException.class, () -> base.withMaxRound(-1), "MaxRound = -1");
        assertEquals(1, base.withMaxHeight(1).maxHeight(), "MaxHeight = 1 is a model");
        assertThrows(IllegalArgumentException.class, () -> base.withMaxHeight(0), "MaxHeight = 0");
        ValidatorSet set = validatorSet(List.of(1, 1, 1));
        for (long maxHeight = 1; maxHeight <= 3; maxHeight++) {
            ConsensusConfig config = base.withMaxHeight(maxHeight);
            for (long start = 0; start <= maxHeight + 1; start++) {
                final long h = start;
                if (start >= 1 && start <= maxHeight) {
                    assertEquals(start, new ConsensusCore(config, set, Optional.of(KEYS.get(0)), (v, p) -> true, h)
                            .height());
                } else {
                    assertThrows(IllegalArgumentException.class, () -> new ConsensusCore(config, set,
                            Optional.of(KEYS.get(0)), (v, p) -> true, h), "start " + h + " with MaxHeight "
                            + maxHeight);
                }
            }
        }
    }

    /**
     * [CONS-FAIRNESS.1] {@code PowerUnit}, {@code RotationLength} and {@code Proposer(h, r)} for powers with a common
     * factor (the unit stake-sized powers are written in), over a whole rotation: the oracle's {@code Slots(v)} are
     * the powers divided by the unit, and the implementation's proposers over {@code RotationLength} consecutive
     * positions are the spec's, each validator {@code Slots(v)} times.
     */
    @Test
    void proposerRotation_powersDividedByTheirGcd_isTheSpecs() {
        qt().withExamples(300).withFixedSeed(63L)
                .forAll(lists().of(integers().between(1, 9)).ofSizeBetween(1, MAX_VALIDATORS),
                        integers().between(1, 1000), integers().between(1, 1_000_000), integers().between(0, 60))
                .checkAssert((powers, unit, h, r) -> {
                    SpecOracle spec = new SpecOracle(model(powers, unit));
                    ValidatorSet impl = validatorSet(powers, unit);
                    String what = " for powers " + powers + " x " + unit;
                    assertEquals(spec.powerUnit(), impl.powerUnit(), "PowerUnit" + what);
                    assertEquals(spec.rotationLength(), impl.rotationLength(), "RotationLength" + what);
                    long g = 0;
                    long sum = 0;
                    for (int p : powers) {
                        g = java.math.BigInteger.valueOf(g).gcd(java.math.BigInteger.valueOf(p)).longValueExact();
                        sum += p;
                    }
                    assertEquals(g * unit, spec.powerUnit(), "the oracle's PowerUnit is the gcd" + what);
                    assertEquals(sum / g, spec.rotationLength(), "the oracle's RotationLength" + what);
                    Map<String, Long> turns = new TreeMap<>();
                    for (long k = 0; k < spec.rotationLength(); k++) {
                        String p = spec.proposer(h + k, r);
                        assertEquals(p, impl.proposer(h + k, r).name(), "Proposer(" + (h + k) + ", " + r + ")" + what);
                        turns.merge(p, 1L, Long::sum);
                    }
                    for (int i = 0; i < powers.size(); i++) {
                        assertEquals(spec.slots("v" + i), turns.getOrDefault("v" + i, 0L).longValue(),
                                "v" + i + " proposes Slots(v) times per rotation" + what);
                        assertEquals(powers.get(i) / g, spec.slots("v" + i), "Slots(v" + i + ")" + what);
                    }
                });
    }

    @Test
    void powerQuorumAndOneThird_areTheSpecsFormulas() {
        qt().withExamples(500).withFixedSeed(62L)
                .forAll(lists().of(integers().between(1, 9)).ofSizeBetween(1, MAX_VALIDATORS),
                        integers().between(0, (1 << MAX_VALIDATORS) - 1), integers().between(0, 1))
                .checkAssert((powers, mask, withOutsider) -> {
                    SpecOracle spec = new SpecOracle(model(powers));
                    ValidatorSet impl = validatorSet(powers);
                    Set<String> names = new TreeSet<>();
                    List<PublicKey> keys = new ArrayList<>();
                    for (int i = 0; i < powers.size(); i++) {
                        if ((mask >> i & 1) == 1) {
                            names.add("v" + i);
                            keys.add(KEYS.get(i).publicKey());
                            keys.add(KEYS.get(i).publicKey()); // a sender counts once
                        }
                    }
                    if (withOutsider == 1) { // a key outside the set carries no power
                        keys.add(Signer.deterministic("outsider", 0).publicKey());
                    }
                    String what = " of " + names + " for powers " + powers;
                    assertEquals(spec.powerOf(names), impl.powerOf(keys), "PowerOf" + what);
                    assertEquals(spec.isQuorum(names), impl.isQuorum(keys), "IsQuorum" + what);
                    assertEquals(spec.isOneThird(names), impl.isOneThird(keys), "IsOneThird" + what);
                    long total = 0;
                    for (int p : powers) {
                        total += p;
                    }
                    assertEquals(total, impl.totalPower(), "TotalPower for powers " + powers);
                    assertEquals(powers.size(), impl.size());
                    for (int i = 0; i < MAX_VALIDATORS; i++) {
                        PublicKey k = KEYS.get(i).publicKey();
                        boolean member = i < powers.size();
                        assertEquals(member ? powers.get(i).longValue() : 0L, impl.powerOf(k), "Power[v" + i + "]");
                        assertEquals(member, impl.contains(k), "v" + i + " \\in Validators");
                        assertEquals(member ? "v" + i : null, impl.validator(k).map(ValidatorSet.Validator::name)
                                .orElse(null));
                        if (member) {
                            assertEquals(k, impl.keys().get(i), "Order[" + (i + 1) + "]");
                        }
                    }
                });
    }

    /** ASSUME ConstantsOK: a validator set violating it is refused; the smallest ones satisfying it are accepted. */
    @Test
    void validatorSetsOutsideTheSpecsAssumptions_areRefused() {
        PublicKey a = KEYS.get(0).publicKey();
        PublicKey b = KEYS.get(1).publicKey();
        assertThrows(IllegalArgumentException.class, () -> new ValidatorSet(List.of()), "no validators");
        assertThrows(IllegalArgumentException.class, () -> new ValidatorSet.Validator("a", a, 0), "power 0");
        assertThrows(IllegalArgumentException.class, () -> new ValidatorSet.Validator("a", a, -1), "power -1");
        assertThrows(IllegalArgumentException.class, () -> new ValidatorSet(List.of(
                new ValidatorSet.Validator("a", a, 1), new ValidatorSet.Validator("a2", a, 1))), "a key twice in Order");
        assertThrows(IllegalArgumentException.class, () -> new ValidatorSet(List.of(
                new ValidatorSet.Validator("a", a, 1), new ValidatorSet.Validator("a", b, 1))), "a name twice in Order");
        assertEquals(1, new ValidatorSet(List.of(new ValidatorSet.Validator("a", a, 1))).totalPower());
        assertEquals(2, new ValidatorSet(List.of(new ValidatorSet.Validator("a", a, 1),
                new ValidatorSet.Validator("b", b, 1))).size());
    }

    /** TypeOK's message types: the implementation's messages hold exactly the values the spec's types allow. */
    @Test
    void messagesOutsideTheSpecsTypes_areRefused() {
        byte[] payload = ConsensusReplayer.payload("v1");
        for (int round = 0; round <= 3; round++) {
            for (int vr = -3; vr <= round + 1; vr++) {
                final int r = round;
                final int validRound = vr;
                boolean typed = -1 <= vr && vr < round; // ProposalMsg(src, h, r, v, vr) with vr \in -1..r-1
                if (typed) {
                    assertEquals(vr, ConsensusMessage.Proposal.of(1, r, payload, validRound).validRound());
                } else {
                    assertThrows(IllegalArgumentException.class,
                            () -> ConsensusMessage.Proposal.of(1, r, payload, validRound), "validRound " + vr
                                    + " at round " + r);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ConsensusMessage.Proposal.of(0, 0, payload, -1), "height 0");
        assertThrows(IllegalArgumentException.class, () -> ConsensusMessage.Proposal.of(1, -1, payload, -1), "round -1");
        assertThrows(IllegalArgumentException.class, () -> new ConsensusMessage.Prevote(0, 0, VoteValue.NIL));
        assertThrows(IllegalArgumentException.class, () -> new ConsensusMessage.Prevote(1, -1, VoteValue.NIL));
        assertThrows(IllegalArgumentException.class, () -> new ConsensusMessage.Precommit(0, 0, VoteValue.NIL));
        assertThrows(IllegalArgumentException.class, () -> new ConsensusMessage.Precommit(1, -1, VoteValue.NIL));
        assertEquals(1, new ConsensusMessage.Prevote(1, 0, VoteValue.NIL).height());
        assertEquals(0, new ConsensusMessage.Precommit(1, 0, VoteValue.NIL).round());
        // a proposal's value is its block's hash: a proposal naming another value for the block is not a message
        assertThrows(IllegalArgumentException.class, () -> new ConsensusMessage.Proposal(1, 0,
                ConsensusReplayer.valueHash("v2"), -1, payload));
    }
}
