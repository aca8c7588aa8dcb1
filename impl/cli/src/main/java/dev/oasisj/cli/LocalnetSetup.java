package dev.oasisj.cli;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.registry.Admission;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisteredNode;
import dev.oasisj.core.registry.RegisteredRuntime;
import dev.oasisj.core.registry.RegistryConfig;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.registry.RuntimeDescriptor;
import dev.oasisj.core.registry.RuntimeId;
import dev.oasisj.core.scheduler.ValidatorElectionConfig;
import dev.oasisj.core.services.ServicesGenesis;
import dev.oasisj.core.services.ServicesParameters;
import dev.oasisj.core.staking.StakingParameters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The deterministic test network that {@code localnet}, {@code simulate} and {@code genesis} share: validator and account
 * keys derived from a seed and a name ({@link Signer#deterministic}), equal voting power, equal initial balances. These
 * keys are public knowledge (anyone can derive them from the seed): for local networks and tests only.
 */
public final class LocalnetSetup {
    public static final String CHAIN_ID = "oasisj-localnet";
    static final long VALIDATOR_POWER = 10;
    static final long INITIAL_BALANCE_BASE_UNITS = 1_000_000_000L;

    private LocalnetSetup() {}

    static String validatorName(int i) {
        return "validator-" + i;
    }

    public static Signer validatorKey(int i, long seed) {
        return Signer.deterministic(validatorName(i), seed);
    }

    public static Signer accountKey(int j, long seed) {
        return Signer.deterministic("account-" + j, seed);
    }

    public static Signer entityKey(int i, long seed) {
        return Signer.deterministic("entity-" + i, seed);
    }

    public static Signer computeKey(int i, long seed) {
        return Signer.deterministic("compute-" + i, seed);
    }

    /** Blocks per epoch of the local services network. */
    public static final long EPOCH_LENGTH_BLOCKS = 10;
    /** Each entity's genesis self-escrow, and so its validator's voting power. */
    public static final long VALIDATOR_STAKE_BASE_UNITS = 10_000;
    /** The local network's one runtime. */
    public static final RuntimeId RUNTIME = RuntimeId.of(Hash32.sha256(
            "oasisj-localnet/runtime-0".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toBytes());

    /**
     * The local network running the consensus services: entity {@code i} (key {@link #entityKey}) owns validator node
     * {@code i} (the consensus key {@link #validatorKey}) and compute node {@code i} ({@link #computeKey}), and
     * escrows {@code stakes[i]} of its own genesis balance to itself, so validator {@code i}'s voting power is
     * {@code stakes[i]}; accounts as {@link #genesis(List, int, long, Genesis.ConsensusParams)}; one permissionless
     * runtime ({@link #RUNTIME}, 2 workers, 1 backup, minimum pool 2, one node per entity), owned by entity 0.
     * Epochs of {@code epochLengthBlocks}; reward 10 per epoch; debonding 2 epochs; double signing costs 1,000 and a
     * freeze of 2 epochs; a validator needs 1,000 escrowed, a compute node 100.
     */
    /** {@code n} equal stakes of {@link #VALIDATOR_STAKE_BASE_UNITS}. */
    public static List<Long> equalStakes(int n) {
        List<Long> stakes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            stakes.add(VALIDATOR_STAKE_BASE_UNITS);
        }
        return stakes;
    }

    public static Genesis servicesGenesis(List<Long> stakes, int accounts, long seed, Genesis.ConsensusParams consensus,
            long epochLengthBlocks) {
        return servicesGenesis(stakes, accounts, seed, consensus, epochLengthBlocks, 1_000_000);
    }

    /** As above, the compute nodes registered until {@code computeExpiryEpoch} (they must renew to stay). */
    public static Genesis servicesGenesis(List<Long> stakes, int accounts, long seed, Genesis.ConsensusParams consensus,
            long epochLengthBlocks, long computeExpiryEpoch) {
        List<Genesis.Validator> vs = new ArrayList<>();
        List<Genesis.InitialAccount> as = new ArrayList<>();
        List<PublicKey> entities = new ArrayList<>();
        List<RegisteredNode> nodes = new ArrayList<>();
        List<ServicesGenesis.Escrow> escrows = new ArrayList<>();
        long maxExpiry = 1_000_000;
        for (int i = 0; i < stakes.size(); i++) {
            PublicKey entity = entityKey(i, seed).publicKey();
            vs.add(new Genesis.Validator(validatorName(i), validatorKey(i, seed).publicKey(), stakes.get(i)));
            as.add(new Genesis.InitialAccount(entity, INITIAL_BALANCE_BASE_UNITS));
            entities.add(entity);
            nodes.add(new RegisteredNode(new NodeDescriptor(validatorKey(i, seed).publicKey(), entity,
                    EnumSet.of(Role.VALIDATOR), false, maxExpiry), 0));
            nodes.add(new RegisteredNode(new NodeDescriptor(computeKey(i, seed).publicKey(), entity,
                    EnumSet.of(Role.COMPUTE), false, computeExpiryEpoch), 0));
            escrows.add(new ServicesGenesis.Escrow(entity, entity, stakes.get(i)));
        }
        for (int j = 0; j < accounts; j++) {
            as.add(new Genesis.InitialAccount(accountKey(j, seed).publicKey(), INITIAL_BALANCE_BASE_UNITS));
        }
        RuntimeDescriptor runtime = new RuntimeDescriptor(RUNTIME, 2, 1, 0, 5, 2, 1, 0, new Admission.Permissionless(),
                false, 0);
        ServicesParameters params = new ServicesParameters(epochLengthBlocks, new StakingParameters(2, 10), 1_000, 2,
                500, 1, new RegistryConfig(1_000, 100, 0, EnumSet.of(Role.VALIDATOR, Role.COMPUTE), maxExpiry),
                new ValidatorElectionConfig(1_000, 1, 100, 1));
        ServicesGenesis services = new ServicesGenesis(params, 1_000_000, entities, nodes, escrows,
                List.of(new RegisteredRuntime(runtime, entities.get(0))));
        return new Genesis(CHAIN_ID, vs, as, consensus, services.toJson().toString());
    }

    static Genesis genesis(int validators, int accounts, long seed, Genesis.ConsensusParams consensus) {
        List<Long> powers = new ArrayList<>();
        for (int i = 0; i < validators; i++) {
            powers.add(VALIDATOR_POWER);
        }
        return genesis(powers, accounts, seed, consensus);
    }

    /** As {@link #genesis(int, int, long, Genesis.ConsensusParams)}, validator {@code i} with voting power {@code powers[i]}. */
    static Genesis genesis(List<Long> powers, int accounts, long seed, Genesis.ConsensusParams consensus) {
        List<Genesis.Validator> vs = new ArrayList<>();
        for (int i = 0; i < powers.size(); i++) {
            vs.add(new Genesis.Validator(validatorName(i), validatorKey(i, seed).publicKey(), powers.get(i)));
        }
        List<Genesis.InitialAccount> as = new ArrayList<>();
        for (int j = 0; j < accounts; j++) {
            as.add(new Genesis.InitialAccount(accountKey(j, seed).publicKey(), INITIAL_BALANCE_BASE_UNITS));
        }
        return new Genesis(CHAIN_ID, vs, as, consensus);
    }
}
