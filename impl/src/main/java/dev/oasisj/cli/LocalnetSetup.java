package dev.oasisj.cli;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic test network that {@code localnet}, {@code simulate} and {@code genesis} share: validator and account
 * keys derived from a seed and a name ({@link Signer#deterministic}), equal voting power, equal initial balances. These
 * keys are public knowledge (anyone can derive them from the seed): for local networks and tests only.
 */
final class LocalnetSetup {
    static final String CHAIN_ID = "oasisj-localnet";
    static final long VALIDATOR_POWER = 10;
    static final long INITIAL_BALANCE_BASE_UNITS = 1_000_000_000L;

    private LocalnetSetup() {}

    static String validatorName(int i) {
        return "validator-" + i;
    }

    static Signer validatorKey(int i, long seed) {
        return Signer.deterministic(validatorName(i), seed);
    }

    static Signer accountKey(int j, long seed) {
        return Signer.deterministic("account-" + j, seed);
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
