--------------------------- MODULE MCConsensusByzThirdAcc ---------------------------
(* Model (c): the constants of MCConsensusByzThird. Agreement fails, but    *)
(* the validators that provably misbehaved hold at least a third of the     *)
(* power, and no correct validator is ever accused.                         *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, b1, v1, v2

\* Proposer order: slots are laid out in this order, Power[x] slots each.
MCOrder == <<p1, p2, b1>>
\* Voting power.
MCPower == p1 :> 1 @@ b1 :> 2 @@ p2 :> 1
\* Nothing in the spec tells two valid values apart: sound symmetry.
MCSymmetry == Permutations({v1, v2})
=============================================================================
