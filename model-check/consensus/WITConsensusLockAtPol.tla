------------------------- MODULE WITConsensusLockAtPol -------------------------
(* Witness-trace model for the edge of the proof-of-lock rule (issue 8,     *)
(* points 3-4): PrevoteOnProposalWithPOL prevotes the re-proposed value     *)
(* when lockedRound <= validRound, so a validator locked on another value   *)
(* AT the proof-of-lock round itself still prevotes it. Two quorums for     *)
(* different values in one round need equivocating votes of more than a    *)
(* third of the power, so this model gives the Byzantine b1 half of it      *)
(* (p1 = p2 = 1 correct, b1 = 2; the one-third assumption does not hold, so *)
(* only TypeOK and the witness invariant are checked). Proposers (Order p1, *)
(* p2, b1; RotationLength 4, Stride 3): b1 at (1,0) and (1,1), p2 at (1,2). *)
(* Steering (NextLockAtPol, a restriction of Next, so the behaviour found  *)
(* is one of Spec): nobody decides; b1 proposes only in round 0, both v1   *)
(* and v2, and votes only in rounds 0 and 2; p1 prevotes only v1 and p2     *)
(* only v2 in round 0. Then p1 locks v1 and p2 sees a polka for v2 in round *)
(* 0; one message of b1 in round 2 makes both skip there, p2 re-proposes v2 *)
(* with validRound 0, and p1, locked on v1 at round 0, prevotes it.         *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, b1, v1, v2

MCOrder == <<p1, p2, b1>>
MCPower == p1 :> 1 @@ p2 :> 1 @@ b1 :> 2

NextLockAtPol ==
    /\ Next
    /\ LET a == lastAction' IN
        /\ a.name # "Decide"
        /\ a.name = "ByzantinePropose" => a.round = 0 /\ a.validRound = -1
        /\ a.name \in {"ByzantinePrevote", "ByzantinePrecommit"} => a.round \in {0, 2} /\ a.value # Nil
        /\ a.name = "PrevoteOnProposal" /\ round[a.p] = 0 => a.value = IF a.p = p1 THEN v1 ELSE v2

\* A validator locked on another value at exactly the proof-of-lock round
\* prevotes on the re-proposal.
NeverLockAtPol ==
    ~(/\ lastAction.name = "PrevoteOnProposalWithPOL"
      /\ lockedRound[lastAction.p] = lastAction.validRound
      /\ lockedValue[lastAction.p] \notin {Nil, lastAction.value})
=============================================================================
