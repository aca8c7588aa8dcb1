--------------------------- MODULE MCCommitteeElect ---------------------------
(* Election model: Register (new expiry), Deregister, Slash and             *)
(* EpochTransition; no money moves but rewards and slashing. e1 owns n1, n2 *)
(* and e2 owns n3, all three validator and compute nodes. r1: 2 workers,    *)
(* 1 backup, pool >= 1, one node per entity: the cap leaves one e1 node out *)
(* of each group, and deregistrations reach every suspension reason ("cap": *)
(* only e1's nodes; "size": one node; "pool": none). Validators: pools e1 3 *)
(* > e2 2, at most one validator: the ranking decides; when every validator *)
(* node is gone or frozen the previous set is kept. n2's genesis expiry is  *)
(* 1: in epoch 1 it is registered exactly up to its expiry. The hash order  *)
(* varies per epoch and role; in epoch 1 all hashes tie (node key decides). *)
(* Epochs 0..2. Exhaustive, profile ci.                                     *)
EXTENDS CommitteeSelection

CONSTANTS e1, e2, n1, n2, n3, r1

MCEntityKey == e1 :> 1 @@ e2 :> 2
MCNodeKey == n1 :> 1 @@ n2 :> 2 @@ n3 :> 3
MCNodeEntity == n1 :> e1 @@ n2 :> e1 @@ n3 :> e2
MCNodeRoles == n1 :> {"validator", "compute"} @@ n2 :> {"validator", "compute"}
               @@ n3 :> {"validator", "compute"}
MCNodeTEE == n1 :> TRUE @@ n2 :> FALSE @@ n3 :> FALSE
MCRuntimeParams == r1 :> [workers |-> 2, backups |-> 1, allowedStragglers |-> 1, roundTimeout |-> 1,
                          minPoolSize |-> 1, maxNodesPerEntity |-> 1, minStake |-> 1,
                          permissioned |-> FALSE, allowed |-> {}, teeRequired |-> FALSE]
MCGenesisBalance == e1 :> 0 @@ e2 :> 0
MCGenesisEscrow == e1 :> 3 @@ e2 :> 2
MCGenesisExpiry == n1 :> 2 @@ n2 :> 1 @@ n3 :> 2
\* Hash orders (first to last): epoch 0 workers n3 n2 n1, backups n1 n3 n2; epoch 1 all tied
\* (node key order n1 n2 n3); epoch 2 workers n3 n1 n2, backups n2 n3 n1.
MCHash == [x \in HashDomain |-> (MCNodeKey[x[4]] * (x[1] + 2) + (IF x[3] = "worker" THEN 0 ELSE 1)) % 3]
MCActions == {"Register", "Deregister", "Slash", "EpochTransition"}
=============================================================================
