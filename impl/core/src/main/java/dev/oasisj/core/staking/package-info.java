/**
 * The staking service: its transaction bodies and methods ({@link dev.oasisj.core.staking.Transfer},
 * {@link dev.oasisj.core.staking.AddEscrow}, {@link dev.oasisj.core.staking.ReclaimEscrow},
 * {@link dev.oasisj.core.staking.StakingMethods}) and its pure core, {@link dev.oasisj.core.staking.StakingState}:
 * accounts, escrow pools, delegations, debonding, the common pool, the epoch hooks and slashing. The core follows the
 * "Staking" part of the committee-services semantics (issue 9) that the TLA+ spec
 * {@code spec/committee/CommitteeSelection.tla} implements too, and checks {@code [STAKE-SUPPLY]} and
 * {@code [STAKE-DEBOND]} after every operation. It is not wired into the node yet: the consensus application's seam
 * will drive it. The package depends on {@code dev.oasisj.core.tx}, never the other way round.
 *
 * <h2>Decisions where the semantics are silent</h2>
 * <ol>
 *   <li><b>Nonce and fee.</b> Every staking transaction first goes through
 *       {@link dev.oasisj.core.staking.StakingState#chargeTransaction}: the envelope's nonce must equal the signer's
 *       nonce ({@code BAD_NONCE}) and the fee must fit the general balance ({@code INSUFFICIENT_BALANCE}); then the
 *       nonce goes up by one and the fee goes to the <em>common pool</em>, so fees neither create nor destroy base
 *       units and {@code [STAKE-SUPPLY]} keeps exactly the semantics' four terms. The charge stands when the method
 *       itself is then refused (as in oasis-core): the seam keeps the charged state and reports the method's
 *       reason.</li>
 *   <li><b>Transfer.</b> Refused for a zero amount ({@code ZERO_AMOUNT}), to oneself ({@code SELF_TRANSFER}) and above
 *       the general balance ({@code INSUFFICIENT_BALANCE}), in that order; it creates the recipient's account.</li>
 *   <li><b>AddEscrow.</b> A zero amount is refused as {@code ZERO_AMOUNT} before the share rule (which would give
 *       {@code ZERO_SHARES}). A pool with shares and no balance (slashed out) takes no escrow ({@code WORTHLESS_POOL}:
 *       issuing one share per base unit there, the first agreed rule, would hand the new delegator's stake to the
 *       worthless shares; the spec and oasis-core refuse it); a pool without shares issues one share per base unit.
 *       The share rule is computed with {@code BigInteger}; shares are longs, and an escrow that would push a pool's
 *       total shares past 2^63-1 (possible only when slashing left a tiny balance behind many shares) is refused
 *       ({@code SHARES_OVERFLOW}). Anyone may escrow to any key: whether the key is a registered entity is the
 *       registry's and scheduler's business (stake of an unregistered key elects nothing). Self-delegation is
 *       allowed.</li>
 *   <li><b>ReclaimEscrow.</b> Zero shares are refused ({@code ZERO_SHARES}); so are shares whose floor value is zero
 *       ({@code ZERO_RECLAIM_AMOUNT}, state unchanged), so that no debonding entry holds zero base units. A delegation
 *       whose shares reach zero is deleted.</li>
 *   <li><b>Debonding entries</b> are keyed by (end epoch, delegator, entity): two reclaims by one delegator from one
 *       entity in one epoch make one entry holding the sum. This changes nothing observable in the semantics (the
 *       amounts are released together either way) and bounds the entries by delegations times the delay.</li>
 *   <li><b>Epochs.</b> The state holds the current epoch (part of the root); a reclaim in epoch E ends at
 *       {@code E + debondingDelayEpochs}; {@link dev.oasisj.core.staking.StakingState#transitionEpoch} must move to
 *       exactly the next epoch (anything else is the caller's bug, an {@code IllegalArgumentException}) and runs
 *       rewards, then releases, in the semantics' order. Bounds: delay in {@code 1..2^30}, epoch at most 2^62.</li>
 *   <li><b>Rewards.</b> The caller passes the entities that had a node in the validator set of the ending epoch (the
 *       scheduler's knowledge, not staking's). Payment is in ascending key order while the common pool holds a whole
 *       reward; no partial reward is paid. Since every reward is equal, "stop at the first one the pool cannot pay" and
 *       "skip it" are the same. An entity with no pool gets one (balance = the reward, zero shares); its first
 *       escrow then buys {@code amount} shares and so owns that reward too (the semantics' share rule for an empty
 *       share count). A reward of zero pays nothing and creates no pool.</li>
 *   <li><b>Slashing</b> takes {@code min(amount, active balance)} from the entity's active pool to the common pool
 *       and reports what it took; an entity with no or an empty pool loses nothing and the state stays the same.
 *       Freezing the node is the registry's part. Debonding entries are not slashed (the semantics' simplification).
 *       A negative amount is the caller's bug ({@code IllegalArgumentException}).</li>
 *   <li><b>Lifetimes.</b> Accounts and pools are never deleted (an emptied account keeps its nonce, so its old
 *       transactions cannot be replayed); delegations exist exactly while they hold at least one share; debonding
 *       entries exist from their reclaim until their release.</li>
 *   <li><b>Genesis</b> gives general balances and a common pool; the total supply is their sum (at most 2^63-1).
 *       Genesis escrows are {@code addEscrow} calls on the genesis state (no nonce or fee involved), so they follow
 *       the same share rule.</li>
 *   <li><b>State root.</b> Every table is a {@link dev.oasisj.core.staking.MerkleTreap} (the ledger's account treap
 *       generalised to any fixed-width key and value encoding), its shape fixed by the set of keys; the root hashes
 *       the parameters, epoch, supply, common pool and the four table roots
 *       ({@link dev.oasisj.core.staking.StakingState} says exactly how).</li>
 * </ol>
 *
 * <h2>Tests</h2>
 * {@code StakingStateTest} and {@code StakingEpochTest} (every operation with exact numbers, every rejection with the
 * state and root unchanged, debonding at its end epoch and not one before), {@code StakingSupplyPropertyTest} (24
 * fixed seeds of 400 random operations against a reference model written from the semantics, checking
 * {@code [STAKE-SUPPLY]} and {@code [STAKE-DEBOND]} after every step), {@code MerkleTreapTest} and
 * {@code StakingEscrowBodiesTest}. Eighteen hand-made mutants of {@code StakingState} and {@code MerkleTreap} (share
 * bound, release one epoch early or late, rewards minting shares or paid out of order or only while the pool exceeds
 * a reward, slashing shares, a missing credit, the end epoch, the zero-amount reclaim, share price rounding up, fee
 * and nonce, the common pool left out of the root, the value left out of a node hash, self-transfer, reclaiming more
 * shares than held, pricing an empty pool by its shares) each fail at least one of them.
 */
package dev.oasisj.core.staking;
