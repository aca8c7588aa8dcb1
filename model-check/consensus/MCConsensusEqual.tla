--------------------------- MODULE MCConsensusEqual ---------------------------
(* Model (a): four validators of equal power; b1 Byzantine (1/4 < 1/3).     *)
(* Position 1 (height 1, round 0) is slot 1 * 3 % 4 = 3 (stride 3), which  *)
(* belongs to b1, so the only proposer is the Byzantine one, which may      *)
(* equivocate. Exhaustive, profile ci.                                      *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, p3, b1, v1, v2, v3

\* Proposer order: slots are laid out in this order, Power[x] slots each.
MCOrder == <<p1, p3, p2, b1>>
\* Voting power.
MCPower == p1 :> 1 @@ b1 :> 1 @@ p2 :> 1 @@ p3 :> 1
\* Nothing in the spec tells two valid values apart: sound symmetry.
MCSymmetry == Permutations({v1, v2})
=============================================================================
