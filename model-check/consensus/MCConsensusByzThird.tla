--------------------------- MODULE MCConsensusByzThird ---------------------------
(* Negative model (c): p1=1, p2=1, b1=2 (total 4); the Byzantine b1 holds   *)
(* 1/2 >= 1/3 of the power, beyond the assumption. A quorum needs power 3,  *)
(* so {p1,b1} and {p2,b1} are both quorums and intersect only in b1. b1 owns *)
(* slots 2-3; position 1 (height 1, round 0) is slot 1 * 3 % 4 = 3 (stride *)
(* 3), so b1 proposes at height 1, round 0.                                 *)
(* TLC MUST report AgreementInv violated (exit 12).                         *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, b1, v1, v2

\* Proposer order: slots are laid out in this order, Power[x] slots each.
MCOrder == <<p1, p2, b1>>
\* Voting power.
MCPower == p1 :> 1 @@ b1 :> 2 @@ p2 :> 1
\* Nothing in the spec tells two valid values apart: sound symmetry.
MCSymmetry == Permutations({v1, v2})
=============================================================================
