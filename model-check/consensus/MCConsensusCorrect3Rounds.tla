------------------------ MODULE MCConsensusCorrect3Rounds ------------------------
(* Three rounds, exhaustive, profile ci. Two correct validators of power 1, *)
(* no Byzantine one (Faulty = {}): a quorum is both. Rounds 0, 1, 2 of      *)
(* height 1 are proposed by p2, p1, p2 (positions 1, 2, 3 are slots 1, 0, 1; *)
(* stride 1). Three rounds are the least in which a validator can be locked *)
(* in round 1 on one value and be offered, in round 2, another value with a *)
(* proof of lock from round 0: the case PrevoteOnProposalWithPOL's lock test *)
(* exists for (see the mutant PrevoteOnProposalWithPOL_IgnoreLock).         *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, v1, v2

\* Proposer order: slots 0..1 are p1, p2.
MCOrder == <<p1, p2>>
MCPower == p1 :> 1 @@ p2 :> 1
MCSymmetry == Permutations({v1, v2})
=============================================================================
