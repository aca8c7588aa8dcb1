package dev.oasisj.fuzz;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.ledger.Transaction;
import java.util.List;

/**
 * The small fixed world every fuzz target starts from: one chain id, a few accounts whose keys are derived from names
 * ({@link Signer#deterministic}), so committed seed inputs stay valid (their signatures verify) on every machine.
 *
 * <p>Balances are chosen to reach the edges of the ledger's arithmetic: {@code alice} holds almost all of a total
 * supply just below {@link Long#MAX_VALUE} (so amount + fee overflow and "balance + amount" near the 64-bit limit are
 * reachable), {@code bob} a little, {@code carol} one base unit, and {@code mallory} has no genesis account at all.
 */
final class FuzzFixtures {
    private FuzzFixtures() {}

    static final String CHAIN_ID = "oasisj-fuzz";
    static final String OTHER_CHAIN_ID = "oasisj-other";

    static final Signer ALICE = Signer.deterministic("alice", 0);
    static final Signer BOB = Signer.deterministic("bob", 0);
    static final Signer CAROL = Signer.deterministic("carol", 0);
    /** Known key without a genesis account (balance 0, nonce 0). */
    static final Signer MALLORY = Signer.deterministic("mallory", 0);

    static final Signer VALIDATOR_0 = Signer.deterministic("validator-0", 0);
    static final Signer VALIDATOR_1 = Signer.deterministic("validator-1", 0);
    static final Signer VALIDATOR_2 = Signer.deterministic("validator-2", 0);
    static final Signer VALIDATOR_3 = Signer.deterministic("validator-3", 0);

    /** Signers the fuzzer can choose as senders, in a fixed order (index chosen by the fuzzer). */
    static final List<Signer> SIGNERS = List.of(ALICE, BOB, CAROL, MALLORY, VALIDATOR_0);

    static final long BOB_BALANCE = 10_000;
    static final long CAROL_BALANCE = 1;
    static final long ALICE_BALANCE = Long.MAX_VALUE - 20_000;

    static final Genesis GENESIS = new Genesis(CHAIN_ID,
            List.of(new Genesis.Validator("validator-0", VALIDATOR_0.publicKey(), 10),
                    new Genesis.Validator("validator-1", VALIDATOR_1.publicKey(), 10),
                    new Genesis.Validator("validator-2", VALIDATOR_2.publicKey(), 10),
                    new Genesis.Validator("validator-3", VALIDATOR_3.publicKey(), 10)),
            List.of(new Genesis.InitialAccount(ALICE.publicKey(), ALICE_BALANCE),
                    new Genesis.InitialAccount(BOB.publicKey(), BOB_BALANCE),
                    new Genesis.InitialAccount(CAROL.publicKey(), CAROL_BALANCE)),
            Genesis.ConsensusParams.DEFAULT);

    static Ledger freshLedger() {
        return Ledger.fromGenesis(GENESIS);
    }

    /**
     * The bytes a transfer's signature must cover, written here from the documented format ({@link Transaction}'s
     * class comment) rather than by calling {@link Transaction#signingBytes()}, so the oracle does not trust the code
     * under test for what it checks.
     */
    static byte[] expectedSigningBytes(Transaction tx) {
        return new Writer().string("oasisj/transfer/v1").string(tx.chainId()).fixed(tx.sender().toBytes())
                .fixed(tx.recipient().toBytes()).i64(tx.amountBaseUnits()).i64(tx.feeBaseUnits()).i64(tx.nonce())
                .toBytes();
    }

    /** True when the transaction carries a valid signature by its sender over {@link #expectedSigningBytes}. */
    static boolean signatureVerifies(Transaction tx) {
        return tx.sender().verify(expectedSigningBytes(tx), tx.signature());
    }
}
