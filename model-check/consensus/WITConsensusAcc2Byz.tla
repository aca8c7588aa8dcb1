------------------------- MODULE WITConsensusAcc2Byz -------------------------
(* Non-vacuity witness for AccountabilityInv with two Byzantine validators   *)
(* (issue 8, point 2), on MCConsensusAcc2Byz's constants: p1, p2 correct,    *)
(* b1, b2 Byzantine, power 1 each, MaxRound 1, 7 Byzantine messages. A      *)
(* random simulation of that model never reached a disagreement, so this    *)
(* module restricts Next to the runs that can reach one: round 0 is about   *)
(* v1 and round 1 about v2, the Byzantine validators vote only for the      *)
(* round's value, p2 never locks nor decides in round 0, and p1 never       *)
(* leaves round 0. NextSteered is Next conjoined with a state predicate on   *)
(* the step taken, so every behaviour it allows is a behaviour of Spec; TLC  *)
(* then searches the restricted space exhaustively (BFS) and must violate   *)
(* WitnessAmnesiaNeededInv: p1 decides v1 in round 0, p2 decides v2 in      *)
(* round 1, and neither Byzantine validator equivocates, so only Amnesia    *)
(* accounts for the disagreement.                                           *)
EXTENDS MCConsensusAcc2Byz

\* The steering names v1 and v2, so only the Byzantine validators are symmetric.
WitSymmetry == Permutations({b1, b2})

RoundValue(r) == IF r = 0 THEN v1 ELSE v2

NextSteered ==
    /\ Next
    /\ LET a == lastAction' IN
        /\ a.name = "Propose" => a.value = RoundValue(round[a.p])
        /\ a.name \in {"ByzantinePrevote", "ByzantinePrecommit"} => a.value = RoundValue(a.round)
        /\ a.name \in {"LockOnPOL", "Decide"} /\ a.p = p2 => round[p2] = 1
        /\ a.p = p1 => a.name \notin {"TimeoutPrecommit", "RoundSkip", "TimeoutPropose", "TimeoutPrevote",
                                      "PrecommitOnNilQuorum"}
=============================================================================
