------------------------- MODULE MCConsensusEdgeThird3Rounds -------------------------
(* Threshold edge of the proof of lock, exhaustive. As MCConsensusEdgeThird *)
(* (p1, p2 correct, b1 Byzantine, power 1 each: a set of power 2 is exactly *)
(* two thirds) with three rounds: p1, p2, b1 propose rounds 0, 1, 2         *)
(* (positions 1, 2, 3 are slots 1, 2, 0), so p1 can lock in round 0, p2 and *)
(* b1 prevote a fresh value in round 1 (two thirds, not a quorum), and b1   *)
(* can re-propose it in round 2 claiming that proof of lock. Budget 5       *)
(* Byzantine messages, none of them a Nil vote (MCNoNilByzantine).          *)
EXTENDS Consensus, TLC, MCNoNilByzantine

CONSTANTS p1, p2, b1, v1, v2

\* Proposer order: slots 0..2 are b1, p1, p2.
MCOrder == <<b1, p1, p2>>
MCPower == p1 :> 1 @@ p2 :> 1 @@ b1 :> 1
MCSymmetry == Permutations({v1, v2})
=============================================================================
