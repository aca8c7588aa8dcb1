------------------------ MODULE MCConsensusValidityMutant ------------------------
(* Negative model for [CONS-VALIDITY]. In the unmodified spec, ValidityInv   *)
(* follows from Decide's own guard (v valid, and a proposal for v from the  *)
(* proposer of that round), so no choice of constants alone can violate it: *)
(* even a Byzantine quorum cannot make a correct validator decide a value   *)
(* that was never proposed. This model therefore checks a MUTANT: the .cfg  *)
(* replaces Decide with MCDecideWithoutProposal, which drops the proposal   *)
(* check, and gives the Byzantine b1 more than two thirds of the power      *)
(* (5 of 7), so b1's precommits alone form a quorum. b1 is the proposer of  *)
(* height 1, round 0 (position 1 is slot 1 * 4 % 7 = 4 of b1's slots 2-6).  *)
(* TLC MUST report ValidityInv violated (exit 12): the                      *)
(* invariant is not vacuous, it fails as soon as that check is dropped.     *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, b1, v1, v2

\* Proposer order: slots are laid out in this order, Power[x] slots each.
MCOrder == <<p1, p2, b1>>
\* Voting power: b1 holds 5 of 7 (> 2/3).
MCPower == p1 :> 1 @@ p2 :> 1 @@ b1 :> 5
\* Nothing in the spec tells two valid values apart: sound symmetry.
MCSymmetry == Permutations({v1, v2})

\* The mutation: Decide as in Consensus.tla minus the line
\*   /\ \E m \in ProposalsFromProposer(h, rd) : m.value = v
MCDecideWithoutProposal(p, v, rd) ==
    LET h == height[p] IN
    /\ decision[p][h] = Nil
    /\ IsValid(v)
    /\ IsQuorum(Senders(PrecommitsFor(h, rd, v)))
    /\ decision' = [decision EXCEPT ![p][h] = v]
    /\ step' = [step EXCEPT ![p] = "decided"]
    /\ lastAction' = [name |-> "Decide", p |-> p, value |-> v, round |-> rd]
    /\ UNCHANGED <<height, round, lockedValue, lockedRound, validValue,
                   validRound, msgsPropose, msgsPrevote, msgsPrecommit>>
=============================================================================
