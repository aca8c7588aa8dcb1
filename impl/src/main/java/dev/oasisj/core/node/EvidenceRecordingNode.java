package dev.oasisj.core.node;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.ledger.Genesis;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An honest node that also keeps the equivocation evidence it sees: every consensus message it receives goes through an
 * {@link EvidencePool} before the wrapped state machine applies the input. The wrapped machine's behaviour and outputs
 * are unchanged; the pool is a pure function of the inputs, so replaying the journal rebuilds the same evidence.
 */
public final class EvidenceRecordingNode implements NodeStateMachine {
    private final NodeStateMachine node;
    private final EvidencePool pool;

    public EvidenceRecordingNode(Genesis genesis, NodeStateMachine node) {
        this.node = node;
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
                        pool.observe(m, node.height());
                    }
                } catch (DecodeException e) {
                    // Malformed: the wrapped node rejects it and reports why.
                }
            }
        }
        return node.apply(input);
    }

    /** As the wrapped node's: junk does not decode as a consensus message, so it is never observed as evidence. */
    @Override
    public @Nullable String junk(NodeInput.PeerMessage message) {
        return node.junk(message);
    }

    /** The wrapped state machine. */
    public NodeStateMachine node() {
        return node;
    }

    public EvidencePool evidence() {
        return pool;
    }

    @Override
    public long height() {
        return node.height();
    }

    @Override
    public Hash32 lastBlockHash() {
        return node.lastBlockHash();
    }

    @Override
    public Hash32 stateRoot() {
        return node.stateRoot();
    }

    @Override
    public String toString() {
        return "EvidenceRecording[" + node + ", equivocations=" + pool.count() + "]";
    }
}
