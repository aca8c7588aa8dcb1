import os
import sys
# Regenerates CommitteeMutants.tla from spec/committee/CommitteeSelection.tla (run from anywhere:
# python3 gen_mutants.py); prints the mutants as JSON (name, definition, what) for model-check/mutants.json.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from gen_mutants_lib import Mutants, root_of  # noqa: E402

ROOT = root_of(HERE)
M = Mutants(os.path.join(ROOT,'spec','committee','CommitteeSelection.tla'))
mut = M.mut
# validator set
mut("Qualifies_MinStakeGT","Qualifies",
    "pool[NodeEntity[n]] >= MinValidatorStake","pool[NodeEntity[n]] > MinValidatorStake",
    "validator threshold: a pool exactly at MinValidatorStake does not qualify (> instead of >=)")
mut("Qualifies_NoFrozen","Qualifies",
    "    /\\ n \\notin frz\n","",
    "a frozen node still qualifies for the validator set")
mut("StakeBefore_Ascending","StakeBefore",
    "pool[NodeEntity[a]] > pool[NodeEntity[b]]","pool[NodeEntity[a]] < pool[NodeEntity[b]]",
    "validator ranking by pool balance ascending instead of descending")
mut("KeepPrevious_Never","KeepPrevious",
    "Cardinality(V) < MinValidators","FALSE",
    "a validator set smaller than MinValidators is installed instead of keeping the previous one")
# committees
mut("Eligible_MinStakeGT","Eligible",
    "pool[NodeEntity[n]] >= p.minStake","pool[NodeEntity[n]] > p.minStake",
    "runtime stake threshold: a pool exactly at minStake is not eligible (> instead of >=)")
mut("Eligible_MinStakeOneBelow","Eligible",
    "pool[NodeEntity[n]] >= p.minStake","pool[NodeEntity[n]] + 1 >= p.minStake",
    "runtime stake threshold off by one: a pool one below minStake is eligible")
mut("Eligible_ExpiryGT","Eligible",
    "rg[n] >= E","rg[n] > E",
    "registration: a node whose expiry is the election's epoch is not counted as registered (> instead of >=)")
mut("Eligible_NoFrozen","Eligible",
    "    /\\ n \\notin frz\n","",
    "a frozen node stays eligible for committees")
mut("Eligible_NoTEE","Eligible",
    "    /\\ p.teeRequired => NodeTEE[n]\n","",
    "TEE check skipped: a runtime requiring a TEE elects nodes without one")
mut("Eligible_NoAdmission","Eligible",
    "    /\\ p.permissioned => NodeEntity[n] \\in p.allowed","",
    "admission check skipped: a permissioned runtime elects nodes of unlisted entities")
mut("HasRoom_CapPlusOne","HasRoom",
    "< cap","<= cap",
    "entity cap off by one: an entity may get maxNodesPerEntity + 1 nodes in a group (also the validator cap)")
mut("HashBefore_Descending","HashBefore",
    "Hash[<<E, r, k, a>>] < Hash[<<E, r, k, b>>]","Hash[<<E, r, k, a>>] > Hash[<<E, r, k, b>>]",
    "committee draw by hash descending instead of ascending")
mut("SuspensionReason_PoolLE","SuspensionReason",
    "Cardinality(El) < p.minPoolSize","Cardinality(El) <= p.minPoolSize",
    "pool threshold: an eligible pool exactly at minPoolSize suspends the runtime (<= instead of <)")
mut("ElectRuntime_KeepGroupsWhenSuspended","ElectRuntime",
    "groups |-> IF why = \"none\" THEN groups ELSE [k \\in GroupKinds |-> <<>>]","groups |-> groups",
    "a suspended runtime keeps the groups its failed draw produced")
# staking
mut("Matured_OneEpochEarly","Matured",
    "x.end <= E","x.end <= E + 1",
    "debonding released one epoch early (at the transition into end - 1)")
mut("ReclaimEscrow_EndOneEarly","ReclaimEscrow",
    "epoch + DebondingDelay)","epoch + DebondingDelay - 1)",
    "debonding entry created with end epoch + DebondingDelay - 1")
mut("Slash_NotToCommonPool","Slash",
    "commonPool' = commonPool + amt","commonPool' = commonPool",
    "slashed stake leaves the pool but is not moved to the common pool")
mut("PayRewards_Minted","PayRewards",
    "cp - RewardPerEpoch)","cp)",
    "a reward is added to the pool without being taken from the common pool")
mut("IssuedShares_IgnoreRatio","IssuedShares",
    "ELSE (a * S) \\div B","ELSE a",
    "escrow shares issued one per base unit whatever the pool's share price")
mut("ReclaimedAmount_RoundUp","ReclaimedAmount",
    "(s * B) \\div S","(s * B + S - 1) \\div S",
    "reclaimed amount rounded up instead of down")
M.write(os.path.join(HERE, 'CommitteeMutants.tla'), ["------------------------------ MODULE CommitteeMutants ------------------------------",
"(***************************************************************************)",
"(* Spec mutants: each MUT_<name> is a copy of one definition of             *)",
"(* CommitteeSelection.tla with ONE small change (a guard, a threshold, an   *)",
"(* order, an effect). The runner (`./oasis model-check committee --mutants`)*)",
"(* applies one at a time by a .cfg override `<Definition> <- MUT_<name>`,   *)",
"(* to the CI models listed for it in model-check/mutants.json, and requires *)",
"(* TLC to report an invariant violated (the mutant is killed). Generated    *)",
"(* from CommitteeSelection.tla by model-check/committee/gen_mutants.py: do  *)",
"(* not edit by hand.                                                        *)",
"(***************************************************************************)",
"EXTENDS CommitteeSelection",""])
