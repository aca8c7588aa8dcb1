--------------------------- MODULE MCConsensusEqual2Rounds ---------------------------
(* Model (a, large): as MCConsensusEqual with two rounds. Round 0 is        *)
(* proposed by b1 (position 1: slot 3), round 1 by the correct p2           *)
(* (position 2: slot 2 * 3 % 4 = 2), which re-proposes its valid value with *)
(* a POL when it has one. Profile large.                                    *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, p3, b1, v1, v2, v3

\* Proposer order: slots are laid out in this order, Power[x] slots each.
MCOrder == <<p1, p3, p2, b1>>
\* Voting power.
MCPower == p1 :> 1 @@ b1 :> 1 @@ p2 :> 1 @@ p3 :> 1
\* Nothing in the spec tells two valid values apart: sound symmetry.
MCSymmetry == Permutations({v1, v2})
=============================================================================
