--------------------------- MODULE MCConsensusUnequal ---------------------------
(* Model (b): unequal stake p1=3, p2=2, p3=2, b1=2 (total 9, b1 holds       *)
(* 2/9 < 1/3). A quorum needs power 7: {p1,p2,p3}, {b1,p1,p2}, {b1,p1,p3},  *)
(* but not {b1,p2,p3} (6), so quorums are not "any three of four" as in     *)
(* model (a). b1 owns slots 5-6; position 1 (height 1, round 0) is slot    *)
(* 1 * 5 % 9 = 5 (stride 5), so b1 proposes at height 1, round 0.          *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, p3, b1, v1, v2, v3

\* Proposer order: slots are laid out in this order, Power[x] slots each.
MCOrder == <<p1, p2, b1, p3>>
\* Voting power.
MCPower == b1 :> 2 @@ p1 :> 3 @@ p2 :> 2 @@ p3 :> 2
\* Nothing in the spec tells two valid values apart: sound symmetry.
MCSymmetry == Permutations({v1, v2})
=============================================================================
