package dev.oasisj.cli;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.node.NodeConfig;
import java.util.Optional;
import java.util.ServiceLoader;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A service ({@link java.util.ServiceLoader}) that lets {@code oasis node} run a validator that is not honest: a
 * node config with a {@code "byzantine"} section asks for the behaviour named {@link #BYZANTINE}. It is test-only
 * behaviour (the process tests and {@code oasis localnet --processes --byzantine F} use it), so the production modules
 * do not hold it: oasisj-sim provides it ({@code META-INF/services/dev.oasisj.cli.NodeBehaviour}). Without it on the
 * classpath, {@code oasis node} refuses such a config.
 */
public interface NodeBehaviour {
    /** The name of the behaviour a config's {@code "byzantine"} section asks for. */
    String BYZANTINE = "byzantine";

    /** Which behaviour this is (the config section that asks for it). */
    String name();

    /** Validator {@code index}'s state machine (fresh, height 0), behaving per {@code settings}. */
    NodeStateMachine create(Genesis genesis, int index, Signer key, NodeConfig.Byzantine settings);

    /** A line to print after each committed block (what the node did so far), or null for none. */
    @Nullable String afterCommit(String nodeName, NodeStateMachine stateMachine);

    /** The behaviour named {@code name} on the classpath, if any. */
    static Optional<NodeBehaviour> find(String name) {
        for (NodeBehaviour b : ServiceLoader.load(NodeBehaviour.class)) {
            if (b.name().equals(name)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
