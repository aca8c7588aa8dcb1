------------------------- MODULE MCConsensusEdgeThird3Rounds -------------------------
(* Threshold edge of the proof of lock, three rounds, exhaustive. p1 = 4 and *)
(* p2 = 5 correct, b1 = 3 Byzantine (a quarter): TotalPower 12, so {p2, b1}  *)
(* holds exactly two thirds (3P = 2T: not a quorum, a quorum under >=) while *)
(* {p1, p2} = 9 is a quorum, and p1 alone holds exactly a third. p1, p2, b1  *)
(* propose rounds 0, 1, 2 (RotationLength 12, stride 7: positions 1, 2, 3    *)
(* are slots 7, 2, 9, owned by p1, p2, b1; see MCOrder), so p1 can lock in   *)
(* round 0, p2 and b1 prevote a fresh value in round 1 (two thirds, not a    *)
(* quorum), and b1 can re-propose it in round 2 claiming that proof of lock: *)
(* the case PrevoteOnProposalWithPOL's quorum test decides. Budget 2          *)
(* Byzantine messages. Every invariant (Byzantine power below a third).      *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, b1, v1, v2

\* Proposer order: slots 0..4 are p2, 5..8 p1, 9..11 b1.
MCOrder == <<p2, p1, b1>>
MCPower == p1 :> 4 @@ p2 :> 5 @@ b1 :> 3
MCSymmetry == Permutations({v1, v2})
=============================================================================
