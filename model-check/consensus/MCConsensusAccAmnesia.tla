-------------------------- MODULE MCConsensusAccAmnesia --------------------------
(* Accountability across two rounds, one Byzantine validator. p1, p2        *)
(* correct (power 1), b1 Byzantine (power 2 of 4), a budget of 4 Byzantine  *)
(* messages: b1 prevotes and precommits v1 in round 0 (p1 decides v1), then *)
(* prevotes and precommits v2 in round 1 (p2 decides v2) without           *)
(* equivocating; only Amnesia accounts for it. p1 proposes round 0, p2      *)
(* round 1 (positions 1, 2 are slots 3, 2; stride 3).                       *)
EXTENDS Consensus, TLC, MCNoNilByzantine

CONSTANTS p1, p2, b1, v1, v2

\* Proposer order: slots 0..3 are b1, b1, p2, p1.
MCOrder == <<b1, p2, p1>>
MCPower == p1 :> 1 @@ p2 :> 1 @@ b1 :> 2
MCSymmetry == Permutations({v1, v2})

=============================================================================
