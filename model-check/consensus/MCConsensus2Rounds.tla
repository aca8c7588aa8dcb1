--------------------------- MODULE MCConsensus2Rounds ---------------------------
(* Two rounds, exhaustive, profile ci. Four validators of power 1; b1      *)
(* Byzantine with a budget of ONE message (MaxByzantineMessages = 1), so   *)
(* that two rounds stay within CI time. Positions 1 and 2 (height 1, rounds *)
(* 0 and 1) are slots 3 and 2 (stride 3): the correct p1 proposes round 0,  *)
(* the Byzantine b1 round 1 (its one message may be a proposal, an invalid  *)
(* one, or one carrying a false proof of lock). Locks, valid values, round  *)
(* changes and round skips are all reachable (see the witnesses).          *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, p3, b1, v1, v2, v3

\* Proposer order: slots 0..3 are p2, p3, b1, p1.
MCOrder == <<p2, p3, b1, p1>>
MCPower == p1 :> 1 @@ p2 :> 1 @@ p3 :> 1 @@ b1 :> 1
\* Sound symmetry: nothing tells v1 from v2, and p2, p3 (same power, neither
\* proposes at height 1 in rounds 0..1) are interchangeable.
MCSymmetry == {s @@ t : s \in Permutations({v1, v2}), t \in Permutations({p2, p3})}
=============================================================================
