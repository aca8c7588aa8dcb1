package dev.oasisj.core.ledger;

import dev.oasisj.core.crypto.Signer;
import java.util.ArrayList;
import java.util.List;

/** Small deterministic chains for the tests: named keys from {@link Signer#deterministic}. */
final class TestChains {
    static final String CHAIN = "test-chain";

    private TestChains() {}

    static Signer key(String name) {
        return Signer.deterministic(name, 7);
    }

    /** One validator per name (power 10 each), one account per name holding {@code balance}. */
    static Genesis genesis(List<String> validators, List<String> accounts, long balance) {
        List<Genesis.Validator> vs = new ArrayList<>();
        for (String v : validators) {
            vs.add(new Genesis.Validator(v, key(v).publicKey(), 10));
        }
        List<Genesis.InitialAccount> as = new ArrayList<>();
        for (String a : accounts) {
            as.add(new Genesis.InitialAccount(key(a).publicKey(), balance));
        }
        return new Genesis(CHAIN, vs, as, Genesis.ConsensusParams.DEFAULT);
    }

    static Ledger ledger(long balance, String... accounts) {
        return Ledger.fromGenesis(genesis(List.of("v1"), List.of(accounts), balance));
    }
}
