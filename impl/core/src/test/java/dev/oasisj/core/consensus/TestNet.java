package dev.oasisj.core.consensus;

import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Validators v1..vN with deterministic keys, a fixed set of valid block payloads, and helpers to build cores. */
final class TestNet {
    static final String CHAIN = "test-chain";
    final List<Signer> signers = new ArrayList<>();
    final ValidatorSet set;
    final TreeSet<Hash32> validValues = new TreeSet<>();
    final ValuePolicy policy = (value, payload) -> validValues.contains(value);

    TestNet(long... powers) {
        this(powers, identity(powers.length));
    }

    /** Signer {@code i} (named v(i+1), power {@code powers[i]}) sits at position {@code listed[i]} of the set's order. */
    private TestNet(long[] powers, int[] listed) {
        ValidatorSet.Validator[] vs = new ValidatorSet.Validator[powers.length];
        for (int i = 0; i < powers.length; i++) {
            Signer s = Signer.deterministic("v" + (i + 1), 7);
            signers.add(s);
            vs[listed[i]] = new ValidatorSet.Validator("v" + (i + 1), s.publicKey(), powers[i]);
        }
        set = new ValidatorSet(List.of(vs));
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /**
     * {@code n} validators of power 1, listed so that signer {@code k} proposes the positions {@code h + r == k mod n}
     * (the rotation visits slot {@code k * stride mod n} at position {@code k}, so signer k is listed there): the tests
     * of the consensus rules read more simply with round-robin proposers in signer order.
     */
    static TestNet equalPowers(int n) {
        long[] p = new long[n];
        java.util.Arrays.fill(p, 1);
        long stride = ValidatorSet.strideFor(n);
        int[] listed = new int[n];
        for (int k = 0; k < n; k++) {
            listed[k] = (int) (k * stride % n);
        }
        return new TestNet(p, listed);
    }

    static byte[] payload(String name) {
        return ("block " + name).getBytes(StandardCharsets.UTF_8);
    }

    static Hash32 value(String name) {
        return Hash32.sha256(payload(name));
    }

    /** Registers a block as valid and returns its hash. */
    Hash32 valid(String name) {
        Hash32 v = value(name);
        validValues.add(v);
        return v;
    }

    PublicKey key(int index) {
        return signers.get(index).publicKey();
    }

    ConsensusCore core(int index) {
        return core(index, ConsensusConfig.of(CHAIN), 1);
    }

    ConsensusCore core(int index, ConsensusConfig config, long startHeight) {
        return new ConsensusCore(config, set, Optional.of(signers.get(index)), policy, startHeight);
    }

    ConsensusCore observer() {
        return new ConsensusCore(ConsensusConfig.of(CHAIN), set, Optional.empty(), policy, 1);
    }

    /** Index of the proposer of (h, r). */
    int proposerIndex(long h, int r) {
        PublicKey k = set.proposer(h, r).key();
        for (int i = 0; i < signers.size(); i++) {
            if (signers.get(i).publicKey().equals(k)) {
                return i;
            }
        }
        throw new IllegalStateException();
    }

    SignedMessage sign(int index, ConsensusMessage m) {
        return SignedMessage.sign(CHAIN, m, signers.get(index));
    }

    static ConsensusMessage.Proposal proposal(long h, int r, String block, int validRound) {
        return ConsensusMessage.Proposal.of(h, r, payload(block), validRound);
    }

    static ConsensusMessage.Prevote prevote(long h, int r, VoteValue v) {
        return new ConsensusMessage.Prevote(h, r, v);
    }

    static ConsensusMessage.Precommit precommit(long h, int r, VoteValue v) {
        return new ConsensusMessage.Precommit(h, r, v);
    }

    static VoteValue vv(String block) {
        return VoteValue.of(value(block));
    }

    /** Delivers each message to each core; own messages come back as duplicates, which is fine. */
    static void deliverAll(List<ConsensusCore> cores, List<SignedMessage> messages) {
        for (ConsensusCore c : cores) {
            for (SignedMessage m : messages) {
                DeliverResult r = c.deliver(m);
                if (r instanceof DeliverResult.Rejected rej && rej.reason() != DeliverResult.Reason.DUPLICATE) {
                    throw new AssertionError("unexpected rejection " + rej + " of " + m);
                }
            }
        }
    }

    static List<SignedMessage> sent(StepResult r) {
        if (r instanceof StepResult.Applied a) {
            return a.broadcast();
        }
        throw new AssertionError("not applied: " + r);
    }
}
