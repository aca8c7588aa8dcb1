package dev.oasisj.bench;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisteredNode;
import dev.oasisj.core.registry.RegistryConfig;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.scheduler.ValidatorElectionConfig;
import dev.oasisj.core.services.ServicesGenesis;
import dev.oasisj.core.services.ServicesParameters;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.staking.StakingParameters;
import dev.oasisj.core.staking.Transfer;
import dev.oasisj.core.tx.Fee;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.SignedTransactionCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark's chain: a genesis with {@code accounts} funded accounts (with {@code services}, the consensus
 * services: one entity staking {@link #VALIDATOR_STAKE} to itself and owning the one validator, epochs of
 * {@link #EPOCH_LENGTH_BLOCKS} blocks; the transfers are {@code staking.Transfer} envelopes; without, the transfer
 * ledger and its v1 transfers), the first {@link #senderCount()} of which
 * have signing keys (the rest are recipients; their keys are hash-derived bytes), and a seeded stream of valid signed
 * transfers: transfer {@code i} is sent by sender {@code i mod S} with nonce {@code i / S} to a random other account,
 * so every transfer in the stream applies, in order, to the ledger left by the previous ones.
 */
final class BenchWorkload {
    static final String CHAIN_ID = "oasisj-bench";
    static final long INITIAL_BALANCE = 1_000_000_000_000L;
    static final int MAX_SENDERS = 2_048;
    static final long VALIDATOR_STAKE = 1_000_000;
    static final long EPOCH_LENGTH_BLOCKS = 100;

    /** One signed transfer of the stream: its encoding, and what its signature covers (for the verify baseline). */
    record Signed(byte[] encoded, byte[] signingBytes, byte[] signature, PublicKey signer) {}

    private final boolean services;
    private final Genesis genesis;
    private final Signer validator;
    private final Signer[] senders;
    private final PublicKey[] accounts;
    private final SplittableRandom random;
    private long next;

    BenchWorkload(int accountCount, long seed) {
        this(accountCount, seed, true);
    }

    BenchWorkload(int accountCount, long seed, boolean services) {
        this.services = services;
        int senderCount = Math.min(accountCount, MAX_SENDERS);
        senders = new Signer[senderCount];
        accounts = new PublicKey[accountCount];
        List<Genesis.InitialAccount> initial = new ArrayList<>(accountCount);
        for (int i = 0; i < accountCount; i++) {
            PublicKey key;
            if (i < senderCount) {
                senders[i] = Signer.deterministic("bench-sender-" + i, seed);
                key = senders[i].publicKey();
            } else {
                key = PublicKey.of(Hash32.sha256Parts("oasisj-bench-account".getBytes(StandardCharsets.UTF_8),
                        Long.toString(seed).getBytes(StandardCharsets.UTF_8),
                        Integer.toString(i).getBytes(StandardCharsets.UTF_8)).toBytes());
            }
            accounts[i] = key;
            initial.add(new Genesis.InitialAccount(key, INITIAL_BALANCE));
        }
        validator = Signer.deterministic("bench-validator", seed);
        if (services) {
            PublicKey entity = Signer.deterministic("bench-entity", seed).publicKey();
            initial.add(new Genesis.InitialAccount(entity, VALIDATOR_STAKE));
            ServicesParameters params = new ServicesParameters(EPOCH_LENGTH_BLOCKS, new StakingParameters(2, 0), 0, 1, 0, 1,
                    new RegistryConfig(1, 1, 0, EnumSet.of(Role.VALIDATOR), 1_000_000),
                    new ValidatorElectionConfig(1, 1, 1, 1));
            ServicesGenesis section = new ServicesGenesis(params, 0, List.of(entity), List.of(new RegisteredNode(
                    new NodeDescriptor(validator.publicKey(), entity, EnumSet.of(Role.VALIDATOR), false, 1_000_000), 0)),
                    List.of(new ServicesGenesis.Escrow(entity, entity, VALIDATOR_STAKE)), List.of());
            genesis = new Genesis(CHAIN_ID, List.of(new Genesis.Validator("bench-validator", validator.publicKey(),
                    VALIDATOR_STAKE)), initial, Genesis.ConsensusParams.DEFAULT, section.toJson().toString());
        } else {
            genesis = new Genesis(CHAIN_ID, List.of(new Genesis.Validator("bench-validator", validator.publicKey(), 1)),
                    initial, Genesis.ConsensusParams.DEFAULT);
        }
        random = new SplittableRandom(seed);
    }

    Genesis genesis() {
        return genesis;
    }

    Signer validator() {
        return validator;
    }

    int senderCount() {
        return senders.length;
    }

    /** The next transfer of the stream (signed): a {@code staking.Transfer} envelope, or a v1 transfer. */
    Signed next() {
        int s = (int) (next % senders.length);
        long nonce = next / senders.length;
        next++;
        int r = random.nextInt(accounts.length - 1);
        if (r >= s) {
            r++;
        }
        long amount = 1 + random.nextInt(1_000);
        long fee = 1 + random.nextInt(10);
        if (services) {
            SignedTransaction tx = SignedTransaction.sign(senders[s], CHAIN_ID, nonce, new Fee(fee, 0),
                    StakingMethods.TRANSFER.name(), StakingMethods.TRANSFER.codec().encode(
                            new Transfer(accounts[r], amount)));
            return new Signed(SignedTransactionCodec.encode(tx), tx.signingBytes(), tx.signature(), tx.signer());
        }
        Transaction tx = Transaction.sign(senders[s], CHAIN_ID, accounts[r], amount, fee, nonce);
        return new Signed(TransactionCodec.encode(tx), tx.signingBytes(), tx.signature(), tx.sender());
    }

    /** The next {@code n} transfers, encoded. */
    byte[][] nextEncoded(int n) {
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = next().encoded();
        }
        return out;
    }
}
