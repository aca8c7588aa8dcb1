package dev.oasisj.core.scheduler;

import static dev.oasisj.core.registry.RegistryFixture.pub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.registry.RegistryFixture;
import dev.oasisj.core.registry.Role;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator election: ranking by entity escrow, ties by node key, per-entity and total caps, MinValidators. */
class SchedulerValidatorTest {
    private static final long EPOCH = 5;
    private static final List<Validator> PREVIOUS = List.of(new Validator(pub("old"), pub("oldEntity"), 7));

    /**
     * e1 (escrow 50) runs v1a and v1b; e2 and e3 (30 each) run v2 and v3; e4 (10, exactly the minimum) runs v4; e5 (9)
     * runs v5. All are validator nodes registered at epoch 3.
     */
    private static RegistryFixture pool() {
        RegistryFixture f = new RegistryFixture().atEpoch(3).escrow("e1", 50).escrow("e2", 30).escrow("e3", 30)
                .escrow("e4", 10).escrow("e5", 9);
        for (String e : List.of("e1", "e2", "e3", "e4", "e5")) {
            f.entity(e);
        }
        return f.validator("v1a", "e1").validator("v1b", "e1").validator("v2", "e2").validator("v3", "e3")
                .validator("v4", "e4").validator("v5", "e5");
    }

    private static Validator v(String node, String entity, long power) {
        return new Validator(pub(node), pub(entity), power);
    }

    /** Two validators ranked equal (same escrow) in node key order. */
    private static List<Validator> byKey(Validator x, Validator y) {
        List<Validator> l = new ArrayList<>(List.of(x, y));
        l.sort((p, q) -> p.node().compareTo(q.node()));
        return l;
    }

    private static ValidatorElection elect(RegistryFixture f, int perEntity, int max, int min) {
        return Scheduler.electValidators(f.state(), EPOCH, f.escrow(), new ValidatorElectionConfig(10, perEntity,
                max, min), PREVIOUS);
    }

    @Test
    void theSet_isTheTopOfTheRanking_underThePerEntityAndTotalCaps() {
        RegistryFixture f = pool();
        List<Validator> e1 = byKey(v("v1a", "e1", 50), v("v1b", "e1", 50));
        List<Validator> e23 = byKey(v("v2", "e2", 30), v("v3", "e3", 30));
        List<Validator> expected = new ArrayList<>();
        expected.add(e1.get(0));
        expected.addAll(e23);
        ValidatorElection three = elect(f, 1, 3, 1);
        assertEquals(expected, three.validators());
        assertFalse(three.keptPrevious());

        expected.add(v("v4", "e4", 10));
        assertEquals(expected, elect(f, 1, 10, 1).validators(), "v4 at exactly the minimum is in, v5 below is out");

        List<Validator> twoPerEntity = new ArrayList<>(e1);
        twoPerEntity.addAll(e23);
        twoPerEntity.add(v("v4", "e4", 10));
        assertEquals(twoPerEntity, elect(f, 2, 10, 1).validators());
    }

    @Test
    void fewerThanMinValidators_keepsThePreviousSet() {
        RegistryFixture f = pool();
        ValidatorElection kept = elect(f, 1, 10, 5);
        assertTrue(kept.keptPrevious());
        assertEquals(PREVIOUS, kept.validators());
        assertEquals(4, kept.qualified());
        ValidatorElection exactly = elect(f, 1, 10, 4);
        assertFalse(exactly.keptPrevious());
        assertEquals(4, exactly.validators().size());
    }

    @Test
    void frozenExpiredAndNonValidatorNodes_areNotValidators() {
        RegistryFixture f = new RegistryFixture().atEpoch(3).escrow("e1", 40).escrow("e2", 30).escrow("e3", 20)
                .escrow("e4", 15).entity("e1").entity("e2").entity("e3").entity("e4")
                .validator("frozen", "e1").freeze("frozen", EPOCH + 1)
                .node("expired", "e2", EnumSet.of(Role.VALIDATOR), false, EPOCH - 1)
                .node("compute", "e3", EnumSet.of(Role.COMPUTE), false, 20)
                .validator("ok", "e4");
        assertEquals(List.of(v("ok", "e4", 15)), elect(f, 1, 10, 1).validators());
        ValidatorElection later = Scheduler.electValidators(f.state(), EPOCH + 1, f.escrow(),
                new ValidatorElectionConfig(10, 1, 10, 1), PREVIOUS);
        assertEquals(List.of(v("frozen", "e1", 40), v("ok", "e4", 15)), later.validators());
    }

    @Test
    void theSameInputs_electTheSameSet() {
        RegistryFixture f = pool();
        assertEquals(elect(f, 1, 3, 1), elect(f, 1, 3, 1));
        List<PublicKey> nodes = new ArrayList<>();
        for (Validator v : elect(f, 2, 10, 1).validators()) {
            nodes.add(v.node());
        }
        assertEquals(5, nodes.size());
    }
}
