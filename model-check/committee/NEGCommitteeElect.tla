-------------------------- MODULE NEGCommitteeElect --------------------------
(* Negative models on the constants of MCCommitteeElect (see                *)
(* NEGCommitteeEdges.tla for the pattern).                                  *)
EXTENDS MCCommitteeElect

\* A runtime is never suspended: a group the entity cap leaves short is installed.
NEGNeverSuspend(r, El, groups) == "none"

\* The validator set is every qualified node: neither MaxValidators nor the entity cap applies.
NEGValidatorsUncapped(E, rg, frz, pool) == {n \in Nodes : Qualifies(n, E, rg, frz, pool)}
=============================================================================
