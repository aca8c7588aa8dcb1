------------------------------ MODULE ConsensusMutants ------------------------------
(***************************************************************************)
(* Spec mutants: each MUT_<name> is a copy of one definition of             *)
(* Consensus.tla with ONE small change (a guard, an effect, a threshold, a  *)
(* misbehaviour definition). The runner (`./oasis model-check consensus     *)
(* --mutants`) applies one at a time the way MCConsensusValidityMutant does, *)
(* by a .cfg override `<Definition> <- MUT_<name>`, to the CI models listed *)
(* for it in model-check/mutants.json, and requires TLC to report an        *)
(* invariant violated (the mutant is killed). Generated from Consensus.tla  *)
(* by model-check/consensus/gen_mutants.py: do not edit by hand.           *)
(***************************************************************************)
EXTENDS Consensus

\* PrevoteOnProposal_IgnoreLock: PrevoteOnProposal <- MUT_PrevoteOnProposal_IgnoreLock. a fresh proposal is prevoted whatever the lock.
MUT_PrevoteOnProposal_IgnoreLock(p, v) ==
    LET h == height[p]
        r == round[p]
        vote == IF IsValid(v)
                THEN v ELSE Nil
    IN
    /\ step[p] = "propose"
    /\ \E m \in ProposalsFromProposer(h, r) : m.value = v /\ m.validRound = -1
    /\ msgsPrevote' = msgsPrevote \union {PrevoteMsg(p, h, r, vote)}
    /\ step' = [step EXCEPT ![p] = "prevote"]
    /\ lastAction' = [name |-> "PrevoteOnProposal", p |-> p, value |-> v]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrecommit>>

\* PrevoteOnProposal_AcceptInvalid: PrevoteOnProposal <- MUT_PrevoteOnProposal_AcceptInvalid. an invalid fresh proposal is prevoted (validity check dropped).
MUT_PrevoteOnProposal_AcceptInvalid(p, v) ==
    LET h == height[p]
        r == round[p]
        vote == IF (lockedRound[p] = -1 \/ lockedValue[p] = v)
                THEN v ELSE Nil
    IN
    /\ step[p] = "propose"
    /\ \E m \in ProposalsFromProposer(h, r) : m.value = v /\ m.validRound = -1
    /\ msgsPrevote' = msgsPrevote \union {PrevoteMsg(p, h, r, vote)}
    /\ step' = [step EXCEPT ![p] = "prevote"]
    /\ lastAction' = [name |-> "PrevoteOnProposal", p |-> p, value |-> v]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrecommit>>

\* PrevoteOnProposalWithPOL_IgnoreLock: PrevoteOnProposalWithPOL <- MUT_PrevoteOnProposalWithPOL_IgnoreLock. a re-proposal with a proof of lock is prevoted even when locked on another value in a round after vr.
MUT_PrevoteOnProposalWithPOL_IgnoreLock(p, v, vr) ==
    LET h == height[p]
        r == round[p]
        vote == IF IsValid(v)
                THEN v ELSE Nil
    IN
    /\ step[p] = "propose"
    /\ 0 <= vr /\ vr < r
    /\ \E m \in ProposalsFromProposer(h, r) : m.value = v /\ m.validRound = vr
    /\ IsQuorum(Senders(PrevotesFor(h, vr, v)))
    /\ msgsPrevote' = msgsPrevote \union {PrevoteMsg(p, h, r, vote)}
    /\ step' = [step EXCEPT ![p] = "prevote"]
    /\ lastAction' = [name |-> "PrevoteOnProposalWithPOL", p |-> p, value |-> v, validRound |-> vr]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrecommit>>

\* PrevoteOnProposalWithPOL_NoPOLQuorum: PrevoteOnProposalWithPOL <- MUT_PrevoteOnProposalWithPOL_NoPOLQuorum. the proof of lock is not checked: a re-proposal's validRound is believed without a prevote quorum.
MUT_PrevoteOnProposalWithPOL_NoPOLQuorum(p, v, vr) ==
    LET h == height[p]
        r == round[p]
        vote == IF IsValid(v) /\ (lockedRound[p] <= vr \/ lockedValue[p] = v)
                THEN v ELSE Nil
    IN
    /\ step[p] = "propose"
    /\ 0 <= vr /\ vr < r
    /\ \E m \in ProposalsFromProposer(h, r) : m.value = v /\ m.validRound = vr
    /\ msgsPrevote' = msgsPrevote \union {PrevoteMsg(p, h, r, vote)}
    /\ step' = [step EXCEPT ![p] = "prevote"]
    /\ lastAction' = [name |-> "PrevoteOnProposalWithPOL", p |-> p, value |-> v, validRound |-> vr]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrecommit>>

\* LockOnPOL_NoLock: LockOnPOL <- MUT_LockOnPOL_NoLock. precommitting a value does not lock it (effect dropped).
MUT_LockOnPOL_NoLock(p, v) ==
    LET h == height[p]
        r == round[p]
    IN
    /\ step[p] \in {"prevote", "precommit"}
    /\ IsValid(v)
    /\ \E m \in ProposalsFromProposer(h, r) : m.value = v
    /\ IsQuorum(Senders(PrevotesFor(h, r, v)))
    /\ step[p] = "prevote" \/ validRound[p] # r
    /\ IF step[p] = "prevote"
         THEN /\ UNCHANGED <<lockedValue, lockedRound>>
              /\ msgsPrecommit' = msgsPrecommit \union {PrecommitMsg(p, h, r, v)}
              /\ step' = [step EXCEPT ![p] = "precommit"]
         ELSE UNCHANGED <<lockedValue, lockedRound, msgsPrecommit, step>>
    /\ validValue' = [validValue EXCEPT ![p] = v]
    /\ validRound' = [validRound EXCEPT ![p] = r]
    /\ lastAction' = [name |-> "LockOnPOL", p |-> p, value |-> v]
    /\ UNCHANGED <<height, round, decision, msgsPropose, msgsPrevote>>

\* Propose_IgnoreValidValue: Propose <- MUT_Propose_IgnoreValidValue. re-proposal rule dropped: the proposer always proposes a fresh value with validRound -1.
MUT_Propose_IgnoreValidValue(p, v, vr) ==
    LET h == height[p]
        r == round[p]
    IN
    /\ step[p] = "propose"
    /\ p = Proposer(h, r)
    /\ ~\E m \in msgsPropose : m.src = p /\ m.height = h /\ m.round = r
    /\ IF FALSE
         THEN v = validValue[p] /\ vr = validRound[p]
         ELSE v \in ValidValues /\ vr = -1
    /\ msgsPropose' = msgsPropose \union {ProposalMsg(p, h, r, v, vr)}
    /\ lastAction' = [name |-> "Propose", p |-> p, value |-> v, validRound |-> vr]
    /\ UNCHANGED <<height, round, step, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPrevote, msgsPrecommit>>

\* Propose_DropValidRound: Propose <- MUT_Propose_DropValidRound. re-proposal rule: the valid value is re-proposed as a fresh value (validRound -1, proof of lock dropped).
MUT_Propose_DropValidRound(p, v, vr) ==
    LET h == height[p]
        r == round[p]
    IN
    /\ step[p] = "propose"
    /\ p = Proposer(h, r)
    /\ ~\E m \in msgsPropose : m.src = p /\ m.height = h /\ m.round = r
    /\ IF validValue[p] # Nil
         THEN v = validValue[p] /\ vr = -1
         ELSE v \in ValidValues /\ vr = -1
    /\ msgsPropose' = msgsPropose \union {ProposalMsg(p, h, r, v, vr)}
    /\ lastAction' = [name |-> "Propose", p |-> p, value |-> v, validRound |-> vr]
    /\ UNCHANGED <<height, round, step, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPrevote, msgsPrecommit>>

\* PrevoteOnProposalWithPOL_QuorumGE: PrevoteOnProposalWithPOL <- MUT_PrevoteOnProposalWithPOL_QuorumGE. proof-of-lock threshold: prevotes of at least two thirds (3P >= 2T) at validRound justify a re-proposal.
MUT_PrevoteOnProposalWithPOL_QuorumGE(p, v, vr) ==
    LET h == height[p]
        r == round[p]
        vote == IF IsValid(v) /\ (lockedRound[p] <= vr \/ lockedValue[p] = v)
                THEN v ELSE Nil
    IN
    /\ step[p] = "propose"
    /\ 0 <= vr /\ vr < r
    /\ \E m \in ProposalsFromProposer(h, r) : m.value = v /\ m.validRound = vr
    /\ 3 * PowerOf(Senders(PrevotesFor(h, vr, v))) >= 2 * TotalPower
    /\ msgsPrevote' = msgsPrevote \union {PrevoteMsg(p, h, r, vote)}
    /\ step' = [step EXCEPT ![p] = "prevote"]
    /\ lastAction' = [name |-> "PrevoteOnProposalWithPOL", p |-> p, value |-> v, validRound |-> vr]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrecommit>>

\* LockOnPOL_QuorumGE: LockOnPOL <- MUT_LockOnPOL_QuorumGE. lock threshold: a prevote quorum is counted as at least two thirds (3P >= 2T) instead of more.
MUT_LockOnPOL_QuorumGE(p, v) ==
    LET h == height[p]
        r == round[p]
    IN
    /\ step[p] \in {"prevote", "precommit"}
    /\ IsValid(v)
    /\ \E m \in ProposalsFromProposer(h, r) : m.value = v
    /\ 3 * PowerOf(Senders(PrevotesFor(h, r, v))) >= 2 * TotalPower
    /\ step[p] = "prevote" \/ validRound[p] # r
    /\ IF step[p] = "prevote"
         THEN /\ lockedValue' = [lockedValue EXCEPT ![p] = v]
              /\ lockedRound' = [lockedRound EXCEPT ![p] = r]
              /\ msgsPrecommit' = msgsPrecommit \union {PrecommitMsg(p, h, r, v)}
              /\ step' = [step EXCEPT ![p] = "precommit"]
         ELSE UNCHANGED <<lockedValue, lockedRound, msgsPrecommit, step>>
    /\ validValue' = [validValue EXCEPT ![p] = v]
    /\ validRound' = [validRound EXCEPT ![p] = r]
    /\ lastAction' = [name |-> "LockOnPOL", p |-> p, value |-> v]
    /\ UNCHANGED <<height, round, decision, msgsPropose, msgsPrevote>>

\* Decide_QuorumGE: Decide <- MUT_Decide_QuorumGE. decision threshold: precommits of at least two thirds (3P >= 2T) decide.
MUT_Decide_QuorumGE(p, v, rd) ==
    LET h == height[p] IN
    /\ decision[p][h] = Nil
    /\ IsValid(v)
    /\ \E m \in ProposalsFromProposer(h, rd) : m.value = v
    /\ 3 * PowerOf(Senders(PrecommitsFor(h, rd, v))) >= 2 * TotalPower
    /\ decision' = [decision EXCEPT ![p][h] = v]
    /\ step' = [step EXCEPT ![p] = "decided"]
    /\ lastAction' = [name |-> "Decide", p |-> p, value |-> v, round |-> rd]
    /\ UNCHANGED <<height, round, lockedValue, lockedRound, validValue,
                   validRound, msgsPropose, msgsPrevote, msgsPrecommit>>

\* TimeoutPrevote_QuorumGE: TimeoutPrevote <- MUT_TimeoutPrevote_QuorumGE. prevote-timeout threshold: prevotes of at least two thirds (3P >= 2T) start the timeout.
MUT_TimeoutPrevote_QuorumGE(p) ==
    /\ step[p] = "prevote"
    /\ LazyTimeouts => StuckInPrevote(p)
    /\ 3 * PowerOf(Senders(PrevotesAt(height[p], round[p]))) >= 2 * TotalPower
    /\ msgsPrecommit' = msgsPrecommit \union {PrecommitMsg(p, height[p], round[p], Nil)}
    /\ step' = [step EXCEPT ![p] = "precommit"]
    /\ lastAction' = [name |-> "TimeoutPrevote", p |-> p]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrevote>>

\* PrecommitOnNilQuorum_QuorumGE: PrecommitOnNilQuorum <- MUT_PrecommitOnNilQuorum_QuorumGE. nil-precommit threshold: Nil prevotes of at least two thirds (3P >= 2T).
MUT_PrecommitOnNilQuorum_QuorumGE(p) ==
    /\ step[p] = "prevote"
    /\ 3 * PowerOf(Senders(PrevotesFor(height[p], round[p], Nil))) >= 2 * TotalPower
    /\ msgsPrecommit' = msgsPrecommit \union {PrecommitMsg(p, height[p], round[p], Nil)}
    /\ step' = [step EXCEPT ![p] = "precommit"]
    /\ lastAction' = [name |-> "PrecommitOnNilQuorum", p |-> p]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrevote>>

\* TimeoutPrecommit_QuorumGE: TimeoutPrecommit <- MUT_TimeoutPrecommit_QuorumGE. round-change threshold: precommits of at least two thirds (3P >= 2T) end the round.
MUT_TimeoutPrecommit_QuorumGE(p) ==
    /\ step[p] # "decided"
    /\ round[p] < MaxRound
    /\ 3 * PowerOf(Senders(PrecommitsAt(height[p], round[p]))) >= 2 * TotalPower
    /\ LazyTimeouts => StuckInPrecommit(p)
    /\ round' = [round EXCEPT ![p] = round[p] + 1]
    /\ step' = [step EXCEPT ![p] = "propose"]
    /\ lastAction' = [name |-> "TimeoutPrecommit", p |-> p]
    /\ UNCHANGED <<height, decision, lockedValue, lockedRound, validValue,
                   validRound, msgsPropose, msgsPrevote, msgsPrecommit>>

\* RoundSkip_OneThirdGE: RoundSkip <- MUT_RoundSkip_OneThirdGE. round-skip threshold: messages from at least a third (3P >= T) of the power in a higher round.
MUT_RoundSkip_OneThirdGE(p, rd) ==
    LET h == height[p] IN
    /\ step[p] # "decided"
    /\ round[p] < rd /\ rd <= MaxRound
    /\ 3 * PowerOf(Senders(ProposalsAt(h, rd)) \union Senders(PrevotesAt(h, rd))
                  \union Senders(PrecommitsAt(h, rd))) >= TotalPower
    /\ round' = [round EXCEPT ![p] = rd]
    /\ step' = [step EXCEPT ![p] = "propose"]
    /\ lastAction' = [name |-> "RoundSkip", p |-> p, round |-> rd]
    /\ UNCHANGED <<height, decision, lockedValue, lockedRound, validValue,
                   validRound, msgsPropose, msgsPrevote, msgsPrecommit>>

\* Misbehaved_NoAmnesia: Misbehaved <- MUT_Misbehaved_NoAmnesia. misbehaviour without its amnesia half: only equivocation counts.
MUT_Misbehaved_NoAmnesia(h) == {b \in Validators : Equivocation(b, h)}

\* Misbehaved_NoEquivocation: Misbehaved <- MUT_Misbehaved_NoEquivocation. misbehaviour without its equivocation half: only amnesia counts.
MUT_Misbehaved_NoEquivocation(h) == {b \in Validators : Amnesia(b, h)}

=====================================================================================
