------------------------- MODULE SIMConsensusEdge -------------------------
(* Simulation model on the threshold edges, with a Byzantine proposer (the  *)
(* second trace model of the conformance corpus; issue 8, point 3).         *)
(* Powers p1=2, p2=2, p3=1 correct, b1=1 Byzantine: total 6, divisible by 3, *)
(* so a quorum needs 5 and exactly two thirds (4: {p1,p2}, or {p3,b1} with  *)
(* either of p1, p2) is not one; more than a third needs 3 and exactly one   *)
(* third (2: {p1}, {p2}, {p3,b1}) is not. A core that counts a quorum at    *)
(* >= 2/3 or a round skip at >= 1/3 acts where this spec does not.          *)
(* Proposers (gcd 1, RotationLength 6, Stride 5; Order p1, p2, b1, p3):     *)
(* p3 at (1,0); b1 at (1,1) and (2,0); p2 at (1,2), (1,3), (2,1), (2,2);    *)
(* p1 at (2,3). So b1 proposes in round 0 (fresh, invalid or equivocating)  *)
(* and in round 1 (where it may also claim a proof-of-lock round 0).        *)
(* NEXT MCLateNext = Next /\ MCLateDecide (a restriction of Next, so every *)
(* trace is still a behaviour of Spec) lets no validator decide before     *)
(* round 2: locks, proof-of-lock re-proposals and round changes happen in  *)
(* nearly every behaviour.                                                 *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, p3, b1, v1, v2, v3

MCOrder == <<p1, p2, b1, p3>>
MCPower == p1 :> 2 @@ p2 :> 2 @@ p3 :> 1 @@ b1 :> 1

MCLateDecide == lastAction'.name = "Decide" => lastAction'.round >= 2
MCLateNext == Next /\ MCLateDecide
=============================================================================
