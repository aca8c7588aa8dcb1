------------------------------ MODULE CommitteeMutants ------------------------------
(***************************************************************************)
(* Spec mutants: each MUT_<name> is a copy of one definition of             *)
(* CommitteeSelection.tla with ONE small change (a guard, a threshold, an   *)
(* order, an effect). The runner (`./oasis model-check committee --mutants`)*)
(* applies one at a time by a .cfg override `<Definition> <- MUT_<name>`,   *)
(* to the CI models listed for it in model-check/mutants.json, and requires *)
(* TLC to report an invariant violated (the mutant is killed). Generated    *)
(* from CommitteeSelection.tla by model-check/committee/gen_mutants.py: do  *)
(* not edit by hand.                                                        *)
(***************************************************************************)
EXTENDS CommitteeSelection

\* Qualifies_MinStakeGT: Qualifies <- MUT_Qualifies_MinStakeGT. validator threshold: a pool exactly at MinValidatorStake does not qualify (> instead of >=).
MUT_Qualifies_MinStakeGT(n, E, rg, frz, pool) ==
    /\ rg[n] >= E
    /\ "validator" \in NodeRoles[n]
    /\ n \notin frz
    /\ pool[NodeEntity[n]] > MinValidatorStake

\* Qualifies_NoFrozen: Qualifies <- MUT_Qualifies_NoFrozen. a frozen node still qualifies for the validator set.
MUT_Qualifies_NoFrozen(n, E, rg, frz, pool) ==
    /\ rg[n] >= E
    /\ "validator" \in NodeRoles[n]
    /\ pool[NodeEntity[n]] >= MinValidatorStake

\* StakeBefore_Ascending: StakeBefore <- MUT_StakeBefore_Ascending. validator ranking by pool balance ascending instead of descending.
MUT_StakeBefore_Ascending(pool, a, b) ==
    \/ pool[NodeEntity[a]] < pool[NodeEntity[b]]
    \/ pool[NodeEntity[a]] = pool[NodeEntity[b]] /\ NodeKey[a] < NodeKey[b]

\* KeepPrevious_Never: KeepPrevious <- MUT_KeepPrevious_Never. a validator set smaller than MinValidators is installed instead of keeping the previous one.
MUT_KeepPrevious_Never(V) == FALSE

\* Eligible_MinStakeGT: Eligible <- MUT_Eligible_MinStakeGT. runtime stake threshold: a pool exactly at minStake is not eligible (> instead of >=).
MUT_Eligible_MinStakeGT(r, n, E, rg, frz, pool) ==
    LET p == RuntimeParams[r] IN
    /\ rg[n] >= E
    /\ "compute" \in NodeRoles[n]
    /\ n \notin frz
    /\ pool[NodeEntity[n]] > p.minStake
    /\ p.teeRequired => NodeTEE[n]
    /\ p.permissioned => NodeEntity[n] \in p.allowed

\* Eligible_MinStakeOneBelow: Eligible <- MUT_Eligible_MinStakeOneBelow. runtime stake threshold off by one: a pool one below minStake is eligible.
MUT_Eligible_MinStakeOneBelow(r, n, E, rg, frz, pool) ==
    LET p == RuntimeParams[r] IN
    /\ rg[n] >= E
    /\ "compute" \in NodeRoles[n]
    /\ n \notin frz
    /\ pool[NodeEntity[n]] + 1 >= p.minStake
    /\ p.teeRequired => NodeTEE[n]
    /\ p.permissioned => NodeEntity[n] \in p.allowed

\* Eligible_ExpiryGT: Eligible <- MUT_Eligible_ExpiryGT. registration: a node whose expiry is the election's epoch is not counted as registered (> instead of >=).
MUT_Eligible_ExpiryGT(r, n, E, rg, frz, pool) ==
    LET p == RuntimeParams[r] IN
    /\ rg[n] > E
    /\ "compute" \in NodeRoles[n]
    /\ n \notin frz
    /\ pool[NodeEntity[n]] >= p.minStake
    /\ p.teeRequired => NodeTEE[n]
    /\ p.permissioned => NodeEntity[n] \in p.allowed

\* Eligible_NoFrozen: Eligible <- MUT_Eligible_NoFrozen. a frozen node stays eligible for committees.
MUT_Eligible_NoFrozen(r, n, E, rg, frz, pool) ==
    LET p == RuntimeParams[r] IN
    /\ rg[n] >= E
    /\ "compute" \in NodeRoles[n]
    /\ pool[NodeEntity[n]] >= p.minStake
    /\ p.teeRequired => NodeTEE[n]
    /\ p.permissioned => NodeEntity[n] \in p.allowed

\* Eligible_NoTEE: Eligible <- MUT_Eligible_NoTEE. TEE check skipped: a runtime requiring a TEE elects nodes without one.
MUT_Eligible_NoTEE(r, n, E, rg, frz, pool) ==
    LET p == RuntimeParams[r] IN
    /\ rg[n] >= E
    /\ "compute" \in NodeRoles[n]
    /\ n \notin frz
    /\ pool[NodeEntity[n]] >= p.minStake
    /\ p.permissioned => NodeEntity[n] \in p.allowed

\* Eligible_NoAdmission: Eligible <- MUT_Eligible_NoAdmission. admission check skipped: a permissioned runtime elects nodes of unlisted entities.
MUT_Eligible_NoAdmission(r, n, E, rg, frz, pool) ==
    LET p == RuntimeParams[r] IN
    /\ rg[n] >= E
    /\ "compute" \in NodeRoles[n]
    /\ n \notin frz
    /\ pool[NodeEntity[n]] >= p.minStake
    /\ p.teeRequired => NodeTEE[n]


\* HasRoom_CapPlusOne: HasRoom <- MUT_HasRoom_CapPlusOne. entity cap off by one: an entity may get maxNodesPerEntity + 1 nodes in a group (also the validator cap).
MUT_HasRoom_CapPlusOne(acc, x, cap) ==
    Cardinality({i \in 1..Len(acc) : NodeEntity[acc[i]] = NodeEntity[x]}) <= cap

\* HashBefore_Descending: HashBefore <- MUT_HashBefore_Descending. committee draw by hash descending instead of ascending.
MUT_HashBefore_Descending(E, r, k, a, b) ==
    \/ Hash[<<E, r, k, a>>] > Hash[<<E, r, k, b>>]
    \/ Hash[<<E, r, k, a>>] = Hash[<<E, r, k, b>>] /\ NodeKey[a] < NodeKey[b]

\* SuspensionReason_PoolLE: SuspensionReason <- MUT_SuspensionReason_PoolLE. pool threshold: an eligible pool exactly at minPoolSize suspends the runtime (<= instead of <).
MUT_SuspensionReason_PoolLE(r, El, groups) ==
    LET p == RuntimeParams[r] IN
    IF Cardinality(El) <= p.minPoolSize THEN "pool"
    ELSE IF Cardinality(El) < p.workers \/ Cardinality(El) < p.backups THEN "size"
    ELSE IF Len(groups["worker"]) < p.workers \/ Len(groups["backup"]) < p.backups THEN "cap"
    ELSE "none"

\* ElectRuntime_KeepGroupsWhenSuspended: ElectRuntime <- MUT_ElectRuntime_KeepGroupsWhenSuspended. a suspended runtime keeps the groups its failed draw produced.
MUT_ElectRuntime_KeepGroupsWhenSuspended(r, E, rg, frz, pool) ==
    LET El     == {n \in Nodes : Eligible(r, n, E, rg, frz, pool)}
        groups == [k \in GroupKinds |-> ElectGroup(r, k, E, El)]
        why    == SuspensionReason(r, El, groups)
    IN  [reason |-> why, groups |-> groups]

\* Matured_OneEpochEarly: Matured <- MUT_Matured_OneEpochEarly. debonding released one epoch early (at the transition into end - 1).
MUT_Matured_OneEpochEarly(x, E) == x.end <= E + 1

\* ReclaimEscrow_EndOneEarly: ReclaimEscrow <- MUT_ReclaimEscrow_EndOneEarly. debonding entry created with end epoch + DebondingDelay - 1.
MUT_ReclaimEscrow_EndOneEarly(d, e, s) ==
    LET amount == ReclaimedAmount(s, poolBalance[e], TotalShares(e))
    IN
    /\ "ReclaimEscrow" \in EnabledActions
    /\ s \in 1..shares[e][d]
    /\ amount > 0
    /\ shares' = [shares EXCEPT ![e][d] = @ - s]
    /\ poolBalance' = [poolBalance EXCEPT ![e] = @ - amount]
    /\ debonding' = AddDebonding(debonding, d, e, amount, epoch + DebondingDelay - 1)
    /\ reclaimedIn' = [reclaimedIn EXCEPT ![d][epoch] = @ + amount]
    /\ lastAction' = [name |-> "ReclaimEscrow", delegator |-> d, entity |-> e, shares |-> s]
    /\ UNCHANGED <<epoch, reg, balance, commonPool, frozen, validators, valKept, committee,
                   suspended, basis, prevValidators, ledger>>

\* Slash_NotToCommonPool: Slash <- MUT_Slash_NotToCommonPool. slashed stake leaves the pool but is not moved to the common pool.
MUT_Slash_NotToCommonPool(n) ==
    LET e   == NodeEntity[n]
        amt == Min(SlashAmount, poolBalance[e])
    IN
    /\ "Slash" \in EnabledActions
    /\ n \notin frozen
    /\ Slashable(n)
    /\ frozen' = frozen \union {n}
    /\ poolBalance' = [poolBalance EXCEPT ![e] = @ - amt]
    /\ commonPool' = commonPool
    /\ lastAction' = [name |-> "Slash", node |-> n]
    /\ UNCHANGED <<epoch, reg, balance, shares, debonding, validators, valKept, committee,
                   suspended, basis, prevValidators, ledger, reclaimedIn>>

\* PayRewards_Minted: PayRewards <- MUT_PayRewards_Minted. a reward is added to the pool without being taken from the common pool.
MUT_PayRewards_Minted(seq, pool, cp) ==
    IF seq = <<>> \/ cp < RewardPerEpoch THEN [pool |-> pool, common |-> cp]
    ELSE PayRewards(Tail(seq), [pool EXCEPT ![Head(seq)] = @ + RewardPerEpoch], cp)

\* IssuedShares_IgnoreRatio: IssuedShares <- MUT_IssuedShares_IgnoreRatio. escrow shares issued one per base unit whatever the pool's share price.
MUT_IssuedShares_IgnoreRatio(a, B, S) == IF S = 0 THEN a ELSE a

\* ReclaimedAmount_RoundUp: ReclaimedAmount <- MUT_ReclaimedAmount_RoundUp. reclaimed amount rounded up instead of down.
MUT_ReclaimedAmount_RoundUp(s, B, S) == (s * B + S - 1) \div S

=====================================================================================
