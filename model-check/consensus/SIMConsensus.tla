--------------------------- MODULE SIMConsensus ---------------------------
(* Simulation model (e) for the trace corpus: two heights, three rounds;    *)
(* unequal stake p1=3, p2=2, p3=2, b1=1 (total 8). Proposers (gcd 1,      *)
(* RotationLength 8, Stride 5): p2 at (1,0), (2,2); p1 at (1,1), (2,0); p3  *)
(* at (1,2), (2,1); b1 never proposes in these rounds (SIMConsensusEdge is  *)
(* the trace model with a Byzantine proposer).                              *)
(* Two valid values and one invalid one; no symmetry (traces must name      *)
(* concrete values). Byzantine injection is bounded and timeouts are lazy   *)
(* (LazyTimeouts) so that random behaviours reach decisions instead of      *)
(* being mostly Byzantine noise and timeouts.                               *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, p3, b1, v1, v2, v3

\* Proposer order: slots are laid out in this order, Power[x] slots each.
MCOrder == <<p1, b1, p2, p3>>
\* Voting power.
MCPower == p1 :> 3 @@ b1 :> 1 @@ p2 :> 2 @@ p3 :> 2
=============================================================================
