--------------------------- MODULE MCConsensusByzThirdAcc2Rounds ---------------------------
(* Model (c, large): MCConsensusByzThirdAcc with two rounds, so that the    *)
(* amnesia attack (lock in round 0, prevote another value in round 1        *)
(* without a POL) is possible. b1 owns slots 2 and 3, positions 1 and 2    *)
(* are slots 3 and 2 (stride 3), so it proposes both rounds. Profile large. *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, b1, v1, v2

\* Proposer order: slots are laid out in this order, Power[x] slots each.
MCOrder == <<p1, p2, b1>>
\* Voting power.
MCPower == p1 :> 1 @@ b1 :> 2 @@ p2 :> 1
\* Nothing in the spec tells two valid values apart: sound symmetry.
MCSymmetry == Permutations({v1, v2})
=============================================================================
