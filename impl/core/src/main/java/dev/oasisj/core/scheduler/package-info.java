/**
 * The scheduler's pure core (issue 9, point 3): the validator election and the runtimes' committee elections of
 * {@code spec/committee/SEMANTICS.md} ("Epochs and elections"), as functions of the registry state, the
 * entities' escrow
 * ({@link dev.oasisj.core.registry.EscrowBalances}), the epoch and the beacon. Not wired into the node yet.
 *
 * <h2>Public API (what the seam calls)</h2>
 * <ul>
 *   <li>{@link dev.oasisj.core.scheduler.Scheduler#electValidators(dev.oasisj.core.registry.RegistryState, long,
 *       dev.oasisj.core.registry.EscrowBalances, ValidatorElectionConfig, java.util.List)} returning a
 *       {@link dev.oasisj.core.scheduler.ValidatorElection} ({@code validators}, {@code keptPrevious},
 *       {@code qualified}).</li>
 *   <li>{@link dev.oasisj.core.scheduler.Scheduler#electCommittees(dev.oasisj.core.registry.RegistryState, long,
 *       dev.oasisj.core.crypto.Hash32, dev.oasisj.core.registry.EscrowBalances, SortingHash)} returning a
 *       {@link dev.oasisj.core.scheduler.CommitteeElection} (per runtime id: {@code Elected(workers, backups)} or
 *       {@code Suspended(reason, detail)}); {@code electCommittee} for one runtime; {@code isEligible},
 *       {@code eligibleNodes}, {@code isEligibleValidator}.</li>
 *   <li>{@link dev.oasisj.core.scheduler.SortingHash}{@code .SHA256}, the real sorting hash; any other
 *       implementation (a TLA+ trace's table) may be passed instead.</li>
 * </ul>
 *
 * <h2>Decisions where SEMANTICS.md is silent</h2>
 * <ul>
 *   <li>{@code epoch} is always the epoch the result is for; the seam elects for E+1 at the end of E with the beacon
 *       of E+1, and applies the validator set two heights later (SEMANTICS.md), which is not this package's
 *       business.</li>
 *   <li><b>Sorting hash</b>: SHA-256 (the project's one hash; SEMANTICS.md leaves it open) of
 *       {@code len(domain) || "oasisj/scheduler/committee-sort/v1" || beacon (32) || epoch (8, BE) || runtime id (32)
 *       || role (1: worker 1, backup 2) || node key (32)}; compared as unsigned bytes, ties by node key.</li>
 *   <li><b>Order of the suspension reasons</b>: pool below {@code minPoolSize}, below {@code workers}, below
 *       {@code backups}, the cap leaves the workers short, the cap leaves the backups short; the first that holds is
 *       recorded. A group of size 0 is empty and never short.</li>
 *   <li><b>Frozen</b> means {@code epoch < frozenUntilEpoch} (see {@code core.registry}); <b>registered in E</b> means
 *       in the registry with {@code expiryEpoch >= E}.</li>
 *   <li><b>Validators</b>: "qualify" counts the nodes taken after both caps (so fewer than {@code MinValidators}
 *       after the caps keeps the previous set); a kept set is kept exactly, voting powers included (they are not
 *       refreshed from the current escrow). {@code MinValidatorStake} must be at least 1 so that every voting power
 *       is at least 1.</li>
 *   <li>Every result is checked before it is returned ({@code SchedSizeInv}, {@code SchedEligibleInv},
 *       {@code SchedEntityCapInv}, {@code SchedAdmissionInv}, {@code SchedValidatorsInv}: the tags
 *       {@code [SCHED-*]} of SEMANTICS.md).</li>
 * </ul>
 *
 * <h2>Tests</h2>
 * {@code SchedulerCommitteeTest} (exact committees under an injected rank table at every boundary of the eligibility
 * filter, the pool and the entity cap; the real hash against its encoding; determinism) and
 * {@code SchedulerValidatorTest}. Of 13 hand mutants of scheduler rules, 12 were killed; the one that survives is
 * equivalent: removing the validator ranking's node-key tie-break, since the candidates come from the registry in key
 * order and the sort is stable.
 */
package dev.oasisj.core.scheduler;
