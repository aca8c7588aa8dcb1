/**
 * The consensus services as one application of the consensus engine (issue 9, point 0): staking, registry, beacon and
 * scheduler behind one signed transaction envelope, one state tree with a namespace per service, block hooks in a
 * fixed order, and messages between services.
 *
 * <ul>
 *   <li>{@link dev.oasisj.core.services.ServicesGenesis}: the genesis document's {@code services} section.</li>
 *   <li>{@link dev.oasisj.core.services.ServicesState}: the committed state and its root.</li>
 *   <li>{@link dev.oasisj.core.services.ServiceMultiplexer}: the pure state machine (routing, hooks, messages).</li>
 *   <li>{@link dev.oasisj.core.services.ServicesApplication}: the engine's {@code Application} (pending transactions,
 *       proposals, finalizing).</li>
 *   <li>{@link dev.oasisj.core.services.ServicesQueries}, {@link dev.oasisj.core.services.ServicesSnapshot}.</li>
 *   <li>{@link dev.oasisj.core.services.ChainApplications}: which application a genesis asks for.</li>
 * </ul>
 */
package dev.oasisj.core.services;
