package dev.oasisj.cli;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.ByzantineValidator;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.core.node.ValidatorNode;
import java.util.SortedSet;

/**
 * Where the CLI gets real validator state machines: the core's {@link ValidatorNode}, and for Byzantine validators the
 * core's {@link ByzantineValidator} (a validator node whose outgoing messages are rewritten and re-signed).
 */
final class ValidatorNodes {
    private ValidatorNodes() {}

    private static final NodeFactory FACTORY = new NodeFactory() {
        @Override
        public NodeStateMachine create(Genesis genesis, int index, Signer key) {
            return new ValidatorNode(genesis, key);
        }

        @Override
        public NodeStateMachine createByzantine(Genesis genesis, int index, Signer key, long seed,
                SortedSet<Integer> coalition, ByzantineValidator.Profile profile) {
            return new ByzantineValidator(genesis, key, seed, coalition, profile);
        }
    };

    static NodeFactory factory() {
        return FACTORY;
    }
}
