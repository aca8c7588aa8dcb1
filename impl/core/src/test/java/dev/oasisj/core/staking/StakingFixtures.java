package dev.oasisj.core.staking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.util.Map;

/** Keys, a small genesis and result helpers shared by the staking tests. */
final class StakingFixtures {
    private StakingFixtures() {}

    /** A key whose first byte is {@code n}: keys order as their numbers. The staking core never verifies keys. */
    static PublicKey key(int n) {
        byte[] b = new byte[PublicKey.SIZE_BYTES];
        b[0] = (byte) n;
        b[31] = 0x5a;
        return PublicKey.of(b);
    }

    static final PublicKey ALICE = key(1);
    static final PublicKey BOB = key(2);
    static final PublicKey CAROL = key(3);
    static final PublicKey ENTITY = key(10);

    /** Debonding delay 2 epochs, reward 10 per epoch. */
    static final StakingParameters PARAMS = new StakingParameters(2, 10);

    /** Alice 1,000, Bob 500, common pool 100: total supply 1,600, epoch 0. */
    static StakingState genesis() {
        return genesis(PARAMS, 100);
    }

    static StakingState genesis(StakingParameters params, long commonPool) {
        return StakingState.genesis(params, 0, Map.of(ALICE, 1_000L, BOB, 500L), commonPool);
    }

    static StakingState applied(StakingResult result) {
        return assertInstanceOf(StakingResult.Applied.class, result).state();
    }

    /** Asserts the reason and that the state, and therefore its root, is exactly the one before. */
    static StakingResult.Rejected rejected(StakingState before, StakingResult result, StakingRejectReason reason) {
        Hash32 rootBefore = before.stateRoot();
        StakingResult.Rejected r = assertInstanceOf(StakingResult.Rejected.class, result);
        assertEquals(reason, r.reason(), r.detail());
        assertSame(before, r.state());
        assertEquals(rootBefore, r.state().stateRoot());
        return r;
    }

    static StakingState escrow(StakingState s, PublicKey delegator, PublicKey entity, long amount) {
        return applied(s.addEscrow(delegator, new AddEscrow(entity, amount)));
    }

    static StakingState reclaim(StakingState s, PublicKey delegator, PublicKey entity, long shares) {
        return applied(s.reclaimEscrow(delegator, new ReclaimEscrow(entity, shares)));
    }
}
