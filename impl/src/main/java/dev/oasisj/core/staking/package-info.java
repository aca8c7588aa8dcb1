/**
 * The staking service's transaction bodies and methods. For now only the body types and their codecs live here
 * ({@link dev.oasisj.core.staking.Transfer}, {@link dev.oasisj.core.staking.StakingMethods}); the service that executes
 * them against the state (accounts, escrow, the semantic rules such as a positive amount) comes with the wiring of the
 * envelope ({@code dev.oasisj.core.tx}) into the ledger. The package depends on {@code dev.oasisj.core.tx}, never the
 * other way round.
 */
package dev.oasisj.core.staking;
