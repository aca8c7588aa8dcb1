package dev.oasisj.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.registry.Admission;
import dev.oasisj.core.registry.CallContext;
import dev.oasisj.core.registry.RegisterEntity;
import dev.oasisj.core.registry.Registry;
import dev.oasisj.core.registry.RegistryConfig;
import dev.oasisj.core.registry.RegistryOutcome;
import dev.oasisj.core.registry.RegistryState;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.registry.RuntimeDescriptor;
import dev.oasisj.core.scheduler.ValidatorElectionConfig;
import dev.oasisj.core.staking.StakingParameters;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The constant-level definitions of {@code CommitteeSelection.tla} against the cores, on grids around every bound:
 * {@code RuntimeOK(p)} (the runtime parameter bounds of {@code ASSUME GenesisOK}) holds exactly when
 * {@code Registry.registerRuntime} accepts the runtime, and the scalar bounds of {@code GenesisOK}
 * ({@code DebondingDelay >= 1}, {@code RewardPerEpoch \in Nat}, {@code MinValidatorStake >= 1},
 * {@code MinValidators >= 1}, {@code MaxValidators >= MinValidators}, {@code MaxValidatorsPerEntity >= 1}) hold exactly
 * when {@code StakingParameters} and {@code ValidatorElectionConfig} accept them. Java's implementation limits beyond
 * the spec (at most 100 workers or backups, 10,000 for minPoolSize) are outside the grids; a permissioned runtime
 * with an empty list (the spec accepts it, the registry refuses it: such a runtime could never elect) is the one
 * difference inside them, asserted as such.
 */
class CommitteeSpecDefinitionsConformanceTest {
    private static final String CHAIN = CommitteeWorld.CHAIN_ID;

    /** RuntimeOK(p) of the spec, for integer fields (the spec's Nat: at least 0). */
    static boolean runtimeOk(int workers, int backups, int stragglers, int timeout, int minPool, int cap,
            long minStake) {
        return workers >= 1 && backups >= 0 && stragglers >= 0 && stragglers < workers && timeout >= 1
                && minPool >= 1 && cap >= 1 && minStake >= 0;
    }

    @Test
    void registerRuntime_acceptsExactlyTheRuntimesOfRuntimeOK() {
        Registry registry = new Registry(new RegistryConfig(0, 0, 0, EnumSet.allOf(Role.class), 10));
        PublicKey e1 = CommitteeWorld.entityKey("e1");
        RegistryState base = ((RegistryOutcome.Applied) registry.registerEntity(RegistryState.EMPTY,
                new CallContext(CHAIN, e1, 0), new RegisterEntity(e1))).state();
        int[] small = {-1, 0, 1, 2, 3};
        int[] edge = {-1, 0, 1};
        int checked = 0;
        int accepted = 0;
        for (int workers : small) {
            for (int backups : edge) {
                for (int stragglers : small) {
                    for (int timeout : edge) {
                        for (int minPool : edge) {
                            for (int cap : edge) {
                                for (int minStake : edge) {
                                    for (boolean permissioned : new boolean[] {false, true}) {
                                        Admission admission = permissioned ? new Admission.Permissioned(List.of(e1))
                                                : new Admission.Permissionless();
                                        RuntimeDescriptor d = new RuntimeDescriptor(CommitteeWorld.runtimeId("r1"),
                                                workers, backups, stragglers, timeout, minPool, cap, minStake,
                                                admission, permissioned, 0);
                                        boolean ok = registry.registerRuntime(base, new CallContext(CHAIN, e1, 0), d)
                                                instanceof RegistryOutcome.Applied;
                                        boolean spec = runtimeOk(workers, backups, stragglers, timeout, minPool, cap,
                                                minStake);
                                        assertEquals(spec, ok, "RuntimeOK = " + spec + " but the registry "
                                                + (ok ? "accepted " : "refused ") + d);
                                        checked++;
                                        accepted += ok ? 1 : 0;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(48, accepted, "RuntimeOK holds for 48 of the " + checked + " grid points");
        // the difference: allowed = {} with permissioned = TRUE satisfies RuntimeOK, the registry refuses it
        RuntimeDescriptor empty = new RuntimeDescriptor(CommitteeWorld.runtimeId("r1"), 1, 0, 0, 1, 1, 1, 0,
                new Admission.Permissioned(List.of()), false, 0);
        assertTrue(runtimeOk(1, 0, 0, 1, 1, 1, 0));
        assertTrue(registry.registerRuntime(base, new CallContext(CHAIN, e1, 0), empty)
                instanceof RegistryOutcome.Rejected, "an empty permissioned list is now accepted: update the README");
        // allowed must name entities (allowed \subseteq Entities): an unregistered key is refused
        RuntimeDescriptor stranger = new RuntimeDescriptor(CommitteeWorld.runtimeId("r1"), 1, 0, 0, 1, 1, 1, 0,
                new Admission.Permissioned(List.of(CommitteeWorld.entityKey("e2"))), false, 0);
        assertTrue(registry.registerRuntime(base, new CallContext(CHAIN, e1, 0), stranger)
                instanceof RegistryOutcome.Rejected);
    }

    private static boolean accepts(Runnable r) {
        try {
            r.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void theGenesisParameters_areAcceptedExactlyWhenGenesisOKHolds() {
        for (long delay = -1; delay <= 3; delay++) {
            for (long reward = -1; reward <= 2; reward++) {
                long d = delay;
                long rw = reward;
                assertEquals(delay >= 1 && reward >= 0, accepts(() -> new StakingParameters(d, rw)),
                        "DebondingDelay " + delay + ", RewardPerEpoch " + reward);
            }
        }
        for (long stake = -1; stake <= 2; stake++) {
            for (int perEntity = -1; perEntity <= 2; perEntity++) {
                for (int max = -1; max <= 3; max++) {
                    for (int min = -1; min <= 3; min++) {
                        long s = stake;
                        int p = perEntity;
                        int mx = max;
                        int mn = min;
                        boolean spec = stake >= 1 && min >= 1 && max >= min && perEntity >= 1;
                        assertEquals(spec, accepts(() -> new ValidatorElectionConfig(s, p, mx, mn)),
                                "MinValidatorStake " + stake + ", MaxValidatorsPerEntity " + perEntity
                                        + ", MaxValidators " + max + ", MinValidators " + min);
                    }
                }
            }
        }
    }
}
