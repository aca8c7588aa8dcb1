package dev.oasisj.bench;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark's chain: a genesis with {@code accounts} funded accounts, the first {@link #senderCount()} of which
 * have signing keys (the rest are recipients; their keys are hash-derived bytes), and a seeded stream of valid signed
 * transfers: transfer {@code i} is sent by sender {@code i mod S} with nonce {@code i / S} to a random other account,
 * so every transfer in the stream applies, in order, to the ledger left by the previous ones.
 */
final class BenchWorkload {
    static final String CHAIN_ID = "oasisj-bench";
    static final long INITIAL_BALANCE = 1_000_000_000_000L;
    static final int MAX_SENDERS = 2_048;

    private final Genesis genesis;
    private final Signer validator;
    private final Signer[] senders;
    private final PublicKey[] accounts;
    private final SplittableRandom random;
    private long next;

    BenchWorkload(int accountCount, long seed) {
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
        genesis = new Genesis(CHAIN_ID, List.of(new Genesis.Validator("bench-validator", validator.publicKey(), 1)),
                initial, Genesis.ConsensusParams.DEFAULT);
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

    /** The next transfer of the stream (signed). */
    Transaction nextTransaction() {
        int s = (int) (next % senders.length);
        long nonce = next / senders.length;
        next++;
        int r = random.nextInt(accounts.length - 1);
        if (r >= s) {
            r++;
        }
        long amount = 1 + random.nextInt(1_000);
        long fee = 1 + random.nextInt(10);
        return Transaction.sign(senders[s], CHAIN_ID, accounts[r], amount, fee, nonce);
    }

    /** The next {@code n} transfers, encoded. */
    byte[][] nextEncoded(int n) {
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = TransactionCodec.encode(nextTransaction());
        }
        return out;
    }
}
