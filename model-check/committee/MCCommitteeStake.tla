--------------------------- MODULE MCCommitteeStake ---------------------------
(* Staking model: every money action (Transfer, AddEscrow, ReclaimEscrow),  *)
(* Slash and EpochTransition; registrations fixed. Two entities with one    *)
(* node each (n1 of e1, n2 of e2; both validator and compute), both in the  *)
(* validator set, so rewards go to both while the common pool (1) lasts:    *)
(* it pays e1 and runs short for e2. DebondingDelay 2 (a release one epoch  *)
(* early differs from the spec), SlashAmount 2 > every pool (the min binds),*)
(* epochs 0..2. Exhaustive, profile ci.                                     *)
EXTENDS CommitteeSelection

CONSTANTS e1, e2, n1, n2, r1

MCEntityKey == e1 :> 1 @@ e2 :> 2
MCNodeKey == n1 :> 1 @@ n2 :> 2
MCNodeEntity == n1 :> e1 @@ n2 :> e2
MCNodeRoles == n1 :> {"validator", "compute"} @@ n2 :> {"validator", "compute"}
MCNodeTEE == n1 :> FALSE @@ n2 :> FALSE
MCRuntimeParams == r1 :> [workers |-> 1, backups |-> 1, allowedStragglers |-> 0, roundTimeout |-> 1,
                          minPoolSize |-> 1, maxNodesPerEntity |-> 1, minStake |-> 1,
                          permissioned |-> FALSE, allowed |-> {}, teeRequired |-> FALSE]
MCGenesisBalance == e1 :> 1 @@ e2 :> 0
MCGenesisEscrow == e1 :> 1 @@ e2 :> 1
MCGenesisExpiry == n1 :> 2 @@ n2 :> 2
\* A fixed "random" order: differs per epoch and role, with ties (broken by node key).
MCHash == [x \in HashDomain |-> (MCNodeKey[x[4]] * 7 + x[1] * 5 + (IF x[3] = "worker" THEN 0 ELSE 2)) % 4]
MCActions == {"Transfer", "AddEscrow", "ReclaimEscrow", "Slash", "EpochTransition"}
=============================================================================
