--------------------------- MODULE MCConsensusEdgeThird ---------------------------
(* Threshold edges, exhaustive, profile ci. Three validators of power 1:    *)
(* TotalPower 3 is divisible by 3, so a set of power 2 has exactly two      *)
(* thirds (3P = 2T: not a quorum, a quorum under >=) and b1 alone has       *)
(* exactly one third (3P = T: not "more than a third", but it is under >=). *)
(* b1 is Byzantine with exactly a third of the power, the largest share     *)
(* under which safety still holds (spec/consensus/README.md), with a budget *)
(* of 2 messages. p2 proposes round 0, b1 round 1 (positions 1, 2 are      *)
(* slots 1, 2). Every invariant, RoundEntryInv included (3 * 1 <= 3).       *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, b1, v1, v2, v3

\* Proposer order: slots 0..2 are p1, p2, b1.
MCOrder == <<p1, p2, b1>>
MCPower == p1 :> 1 @@ p2 :> 1 @@ b1 :> 1
MCSymmetry == Permutations({v1, v2})
=============================================================================
