--------------------------- MODULE MCCommitteeEdges ---------------------------
(* Every cap and threshold edge, already in the genesis election and kept   *)
(* in every epoch (RewardPerEpoch 0; only Deregister and EpochTransition    *)
(* move). Pools: e1 2, e2 3, e3 1. e1 owns n1, n2, n3, e2 owns n4, e3 n5;  *)
(* all compute nodes; n1, n2, n4, n5 validator nodes; TEE: n2, n4.         *)
(* Hash = node key (n5 0, n1 1 .. n4 4) for every epoch, runtime and role. *)
(*   rAt:    minStake 2 = e1's pool exactly (eligible), e3's pool 1 is one *)
(*           below (n5 not eligible though first in hash order); eligible  *)
(*           n1..n4 = 4 = minPoolSize exactly (elected); 3 workers, at     *)
(*           most 2 per entity: e1 is exactly at its cap (n1, n2; n3       *)
(*           skipped, n4 taken); 1 backup.                                 *)
(*   rBelow: as rAt with minPoolSize 5, one above the pool: suspended.     *)
(*   rPerm:  permissioned to {e2}, minStake 0: only n4, though n5, n1 come *)
(*           first in hash order.                                          *)
(*   rTee:   TEE required, minStake 0: only n2, n4 (n5, n1 first).          *)
(* Validators: MinValidatorStake 2 = e1's pool exactly (n1, n2 qualify),   *)
(* e3's pool one below (n5 not); at most 2, one per entity: n4 (3), n1 (2, *)
(* key before n2), n2 left out by the entity cap. Epochs 0..2. Exhaustive, *)
(* profile ci.                                                              *)
EXTENDS CommitteeSelection

CONSTANTS e1, e2, e3, n1, n2, n3, n4, n5, rAt, rBelow, rPerm, rTee

MCEntityKey == e1 :> 1 @@ e2 :> 2 @@ e3 :> 3
MCNodeKey == n5 :> 0 @@ n1 :> 1 @@ n2 :> 2 @@ n3 :> 3 @@ n4 :> 4
MCNodeEntity == n1 :> e1 @@ n2 :> e1 @@ n3 :> e1 @@ n4 :> e2 @@ n5 :> e3
MCNodeRoles == n1 :> {"validator", "compute"} @@ n2 :> {"validator", "compute"} @@ n3 :> {"compute"}
               @@ n4 :> {"validator", "compute"} @@ n5 :> {"validator", "compute"}
MCNodeTEE == n1 :> FALSE @@ n2 :> TRUE @@ n3 :> FALSE @@ n4 :> TRUE @@ n5 :> FALSE
MCParams(pool, perm, allowed, tee, minStake) ==
    [workers |-> 3, backups |-> 1, allowedStragglers |-> 0, roundTimeout |-> 1, minPoolSize |-> pool,
     maxNodesPerEntity |-> 2, minStake |-> minStake, permissioned |-> perm, allowed |-> allowed,
     teeRequired |-> tee]
MCRuntimeParams ==
    rAt :> MCParams(4, FALSE, {}, FALSE, 2)
    @@ rBelow :> MCParams(5, FALSE, {}, FALSE, 2)
    @@ rPerm :> [MCParams(1, TRUE, {e2}, FALSE, 0) EXCEPT !.workers = 1, !.backups = 0]
    @@ rTee :> [MCParams(2, FALSE, {}, TRUE, 0) EXCEPT !.workers = 1]
MCGenesisBalance == e1 :> 0 @@ e2 :> 0 @@ e3 :> 0
MCGenesisEscrow == e1 :> 2 @@ e2 :> 3 @@ e3 :> 1
MCGenesisExpiry == n1 :> 2 @@ n2 :> 2 @@ n3 :> 2 @@ n4 :> 2 @@ n5 :> 2
MCHash == [x \in HashDomain |-> MCNodeKey[x[4]]]
MCActions == {"Deregister", "EpochTransition"}
=============================================================================
