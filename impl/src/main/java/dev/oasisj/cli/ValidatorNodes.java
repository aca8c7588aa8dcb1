package dev.oasisj.cli;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.core.node.ValidatorNode;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Where the CLI gets real validator state machines: the core's {@link ValidatorNode}. */
final class ValidatorNodes {
    private ValidatorNodes() {}

    private static final NodeFactory FACTORY = new NodeFactory() {
        @Override
        public NodeStateMachine create(Genesis genesis, int index, Signer key) {
            return new ValidatorNode(genesis, key);
        }

        @Override
        public @Nullable NodeStateMachine createByzantine(Genesis genesis, int index, Signer key, long seed) {
            // The core exposes no Byzantine behaviour (equivocation, invalid proposals) yet.
            return null;
        }
    };

    static NodeFactory factory() {
        return FACTORY;
    }

    /** True if {@link NodeFactory#createByzantine} returns a real Byzantine validator in this build. */
    static boolean hasByzantine() {
        return false;
    }
}
