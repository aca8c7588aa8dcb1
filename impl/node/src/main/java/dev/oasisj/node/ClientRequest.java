package dev.oasisj.node;

import java.util.concurrent.CompletableFuture;

/**
 * A request from the client port to the agent, answered with one JSON line. The client port's threads create these and
 * the agent completes them on its own thread, so the state machine is only ever touched by the agent.
 */
public sealed interface ClientRequest {
    /** The future the agent completes with the JSON answer. */
    CompletableFuture<String> reply();

    /** {@code submit <hex tx>}: journal and apply the transaction as a {@code ClientTransaction} input. */
    record Submit(byte[] transaction, CompletableFuture<String> reply) implements ClientRequest {}

    /** {@code status}: height, last block hash, state root, peers. */
    record Status(CompletableFuture<String> reply) implements ClientRequest {}

    /**
     * {@code query <path> [<hex>]}: reads the committed application state ({@code Application.query}); nothing is
     * journaled (a read changes nothing).
     */
    record Query(String path, byte[] data, CompletableFuture<String> reply) implements ClientRequest {}
}
