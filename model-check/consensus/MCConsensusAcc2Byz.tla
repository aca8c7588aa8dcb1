--------------------------- MODULE MCConsensusAcc2Byz ---------------------------
(* Accountability with two Byzantine validators and two rounds. p1, p2      *)
(* correct, b1, b2 Byzantine, power 1 each (half the power Byzantine), a    *)
(* budget of 7 Byzantine messages: enough for p1 to decide v1 in round 0    *)
(* and p2 to decide v2 in round 1 with b1 and b2 in both quorums, neither   *)
(* equivocating: only Amnesia accounts for the disagreement. p1 proposes   *)
(* round 0, p2 round 1 (positions 1, 2 are slots 3, 2; stride 3).           *)
EXTENDS Consensus, TLC, MCNoNilByzantine

CONSTANTS p1, p2, b1, b2, v1, v2

\* Proposer order: slots 0..3 are b1, b2, p2, p1.
MCOrder == <<b1, b2, p2, p1>>
MCPower == p1 :> 1 @@ p2 :> 1 @@ b1 :> 1 @@ b2 :> 1
\* Sound symmetry: v1, v2 alike; b1, b2 alike (same power, neither proposes
\* at height 1 in rounds 0..1).
MCSymmetry == {s @@ t : s \in Permutations({v1, v2}), t \in Permutations({b1, b2})}
=============================================================================
