package dev.oasisj.core.node;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.ledger.Genesis;
import java.util.ArrayList;
import java.util.List;

/**
 * An honest node that also keeps the equivocation evidence it sees: every consensus message it receives goes through an
 * {@link EvidencePool} before the wrapped state machine applies the input. The wrapped machine's behaviour and outputs
 * are unchanged (junk, which does not decode as a consensus message, is never observed as evidence); the pool is a pure function of the inputs, so replaying the journal rebuilds the same evidence.
 */
public final class EvidenceRecordingNode extends ForwardingStateMachine {
    private final EvidencePool pool;

    public EvidenceRecordingNode(Genesis genesis, NodeStateMachine node) {
        super(node);
        this.pool = new EvidencePool(validatorSetOf(genesis), genesis.chainId());
    }

    /** The validator set of a genesis, as the consensus core sees it (same order, names and powers). */
    public static ValidatorSet validatorSetOf(Genesis genesis) {
        List<ValidatorSet.Validator> vs = new ArrayList<>();
        for (Genesis.Validator v : genesis.validators()) {
            vs.add(new ValidatorSet.Validator(v.name(), v.publicKey(), v.power()));
        }
        return new ValidatorSet(vs);
    }

    @Override
    public NodeOutput apply(NodeInput input) {
        if (input instanceof NodeInput.PeerMessage p) {
            byte[] bytes = p.bytes();
            if (bytes.length > 1 && (bytes[0] & 0xff) == PeerWire.TAG_CONSENSUS) {
                try {
                    if (PeerWire.decode(bytes) instanceof PeerWire.Consensus c) {
                        SignedMessage m = ConsensusMessageCodec.decode(c.bytes());
                        pool.observe(m, inner.height());
                    }
                } catch (DecodeException e) {
                    // Malformed: the wrapped node rejects it and reports why.
                }
            }
        }
        return inner.apply(input);
    }

    /** The wrapped state machine. */
    public NodeStateMachine node() {
        return inner;
    }

    public EvidencePool evidence() {
        return pool;
    }

    @Override
    public String toString() {
        return "EvidenceRecording[" + inner + ", equivocations=" + pool.count() + "]";
    }
}
