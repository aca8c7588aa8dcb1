/**
 * The seam between the consensus engine and the application it orders transactions for (issue 9, point 0), in the
 * spirit of CometBFT's ABCI and oasis-core's service multiplexer. The engine ({@code dev.oasisj.core.node}: the
 * consensus core, the chain of blocks, block and state sync, checkpoints) treats transactions as opaque bytes and the
 * application state as a root hash; everything it needs from the state machine goes through {@link
 * dev.oasisj.core.app.Application} and {@link dev.oasisj.core.app.ApplicationFactory}:
 * <ul>
 *   <li><b>check a transaction</b>: {@code malformed} (stateless: does it decode), {@code checkSignature} (pure in
 *       the bytes: the verdict the agent journals with it), {@code checkTx} (admit to the pending set, or refuse
 *       with a reason);</li>
 *   <li><b>build and check a proposal</b>: {@code prepareProposal} (transactions for the next block and the state
 *       after them), {@code processProposal} (a proposed block's transactions: the state after them, or invalid);</li>
 *   <li><b>finalize a block</b>: {@code finalizeBlock} makes a staged state the committed one and returns its root,
 *       the validator-set updates and the events;</li>
 *   <li><b>query</b> the committed state;</li>
 *   <li><b>snapshot and restore</b>: the committed state as key-ordered entries ({@link dev.oasisj.core.app.StateEntry})
 *       that {@link dev.oasisj.core.app.ApplicationFactory#restore} rebuilds; the engine checks the rebuilt root
 *       against a committed block before it uses it (checkpoints, state sync).</li>
 * </ul>
 * The application owns its pending transactions (its mempool): ordering and re-checking them needs its state (nonces,
 * balances), as the transfer application's does.
 *
 * <p>Contract: every method is deterministic in the application's state and its arguments (no time, randomness or
 * I/O: {@code DeterminismRulesTest}); a staged state is immutable and may be finalized at most once, and only a
 * staged state prepared or processed on the current committed state (the engine drops the others on commit).
 */
package dev.oasisj.core.app;
