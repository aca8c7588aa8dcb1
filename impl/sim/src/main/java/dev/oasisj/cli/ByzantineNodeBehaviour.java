package dev.oasisj.cli;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.ByzantineValidator;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.node.NodeConfig;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The Byzantine validator of {@code oasis node} (a node config's {@code "byzantine"} section): the core's
 * {@link ByzantineValidator} with localnet's misbehaviour profile; after each block it reports what it did so far.
 * Registered in META-INF/services as a {@link NodeBehaviour}.
 */
public final class ByzantineNodeBehaviour implements NodeBehaviour {
    @Override
    public String name() {
        return BYZANTINE;
    }

    @Override
    public NodeStateMachine create(Genesis genesis, int index, Signer key, NodeConfig.Byzantine settings) {
        return ValidatorNodes.factory().createByzantine(genesis, index, key, settings.seed(),
                new TreeSet<>(settings.coalition()), LocalnetRun.BYZANTINE_PROFILE);
    }

    @Override
    public @Nullable String afterCommit(String nodeName, NodeStateMachine stateMachine) {
        return stateMachine instanceof ByzantineValidator b ? LocalnetRun.byzantineLine(nodeName, b.misbehaviour())
                : null;
    }
}
