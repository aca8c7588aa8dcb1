package dev.oasisj.core.services;

import dev.oasisj.core.crypto.Hash32;
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
import dev.oasisj.core.staking.StakingParameters;
import dev.oasisj.core.tx.Fee;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.SignedTransactionCodec;
import dev.oasisj.core.tx.TxMethod;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A services genesis for tests: {@code n} entities, each with one validator node (the consensus validators) and one
 * compute node, self-escrowed {@code 1,000 + 100 * i}; an account "alice" with 100,000; one permissionless runtime
 * with 2 workers and 1 backup. Epochs of {@link #EPOCH_LENGTH} blocks.
 */
public final class ServicesFixture {
    public static final String CHAIN = "services-test";
    public static final long EPOCH_LENGTH = 4;
    static final long SLASH = 300;
    static final long FREEZE_EPOCHS = 2;
    static final long INCORRECT_RESULTS_SLASH = 150;
    static final long INCORRECT_RESULTS_FREEZE_EPOCHS = 3;
    public static final long REWARD = 10;
    public static final RuntimeId RUNTIME = RuntimeId.of(Hash32.sha256("runtime-0".getBytes()).toBytes());

    final int n;
    final IntFunction<Signer> validatorKey;
    public final Genesis genesis;
    final ServicesGenesis services;

    public static Signer entity(int i) {
        return Signer.deterministic("entity-" + i, 5);
    }

    static Signer compute(int i) {
        return Signer.deterministic("compute-" + i, 5);
    }

    public static Signer account(String name) {
        return Signer.deterministic(name, 5);
    }

    static long escrowOf(int i) {
        return 1_000 + 100L * i;
    }

    /** {@code n} entities whose validator nodes have the keys {@code validatorKey}, reward {@code reward} per epoch. */
    public ServicesFixture(int n, IntFunction<Signer> validatorKey, Genesis.ConsensusParams consensus, long reward) {
        this.n = n;
        this.validatorKey = validatorKey;
        List<Genesis.Validator> validators = new ArrayList<>();
        List<Genesis.InitialAccount> accounts = new ArrayList<>();
        List<dev.oasisj.core.crypto.PublicKey> entities = new ArrayList<>();
        List<RegisteredNode> nodes = new ArrayList<>();
        List<ServicesGenesis.Escrow> escrows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var e = entity(i).publicKey();
            validators.add(new Genesis.Validator("v" + i, validatorKey.apply(i).publicKey(), escrowOf(i)));
            accounts.add(new Genesis.InitialAccount(e, 10_000));
            entities.add(e);
            nodes.add(new RegisteredNode(new NodeDescriptor(validatorKey.apply(i).publicKey(), e,
                    EnumSet.of(Role.VALIDATOR), false, 1_000), 0));
            nodes.add(new RegisteredNode(new NodeDescriptor(compute(i).publicKey(), e, EnumSet.of(Role.COMPUTE),
                    false, 1_000), 0));
            escrows.add(new ServicesGenesis.Escrow(e, e, escrowOf(i)));
        }
        accounts.add(new Genesis.InitialAccount(account("alice").publicKey(), 100_000));
        RuntimeDescriptor rt = new RuntimeDescriptor(RUNTIME, 2, 1, 0, 5, 2, 1, 0, new Admission.Permissionless(),
                false, 0);
        ServicesParameters params = new ServicesParameters(EPOCH_LENGTH, new StakingParameters(2, reward), SLASH,
                FREEZE_EPOCHS, INCORRECT_RESULTS_SLASH, INCORRECT_RESULTS_FREEZE_EPOCHS, new RegistryConfig(500, 10, 0, EnumSet.of(Role.VALIDATOR, Role.COMPUTE), 1_000),
                new ValidatorElectionConfig(500, 1, 10, 1));
        this.services = new ServicesGenesis(params, 50_000, entities, nodes, escrows,
                List.of(new RegisteredRuntime(rt, entities.get(0))));
        this.genesis = new Genesis(CHAIN, validators, accounts, consensus, services.toJson().toString());
    }

    ServicesFixture(int n) {
        this(n, i -> Signer.deterministic("validator-" + i, 5), Genesis.ConsensusParams.DEFAULT, REWARD);
    }

    /** An envelope of {@code method} with {@code body}, signed by {@code signer}, encoded. */
    public static <T> byte[] tx(Signer signer, long nonce, long fee, TxMethod<T> method, T body) {
        return SignedTransactionCodec.encode(SignedTransaction.sign(signer, CHAIN, nonce, new Fee(fee, 0),
                method.name(), method.codec().encode(body)));
    }
}
