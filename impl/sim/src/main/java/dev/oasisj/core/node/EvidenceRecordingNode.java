package dev.oasisj.core.node;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.ledger.Genesis;

/**
 * An honest node that also keeps the equivocation evidence it sees: every consensus message it receives goes through an
 * {@link EvidencePool} before the wrapped state machine applies the input. The wrapped machine's behaviour and outputs
 * are unchanged (junk, which does not decode as a consensus message, is never observed as evidence); the pool is a pure function of the inputs, so replaying the journal rebuilds the same evidence.
 */
public final class EvidenceRecordingNode extends ForwardingStateMachine {
    private final EvidencePool pool;

    public EvidenceRecordingNode(Genesis genesis, NodeStateMachine node) {
        super(node);
        ValidatorSet genesisSet = validatorSetOf(genesis);
        // Judged against the wrapped node's set of each height when it is a validator node (sets change per height).
        this.pool = node instanceof ValidatorNode v
                ? new EvidencePool(v::validatorsAt, genesis.chainId())
                : new EvidencePool(h -> java.util.Optional.of(genesisSet), genesis.chainId());
    }

    /** The validator set of a genesis, as the consensus core sees it (same order, names and powers). */
    public static ValidatorSet validatorSetOf(Genesis genesis) {
        return ValidatorSets.genesisSet(genesis);
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
