import os
import sys
# Regenerates ConsensusMutants.tla from spec/consensus/Consensus.tla (run from anywhere: python3 gen_mutants.py).
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from gen_mutants_lib import Mutants, root_of  # noqa: E402

ROOT = root_of(HERE)
M = Mutants(os.path.join(ROOT,'spec','consensus','Consensus.tla'))
mut = M.mut
GE2="3 * PowerOf(%s) >= 2 * TotalPower"
mut("PrevoteOnProposal_IgnoreLock","PrevoteOnProposal",
    "IF IsValid(v) /\\ (lockedRound[p] = -1 \\/ lockedValue[p] = v)","IF IsValid(v)",
    "a fresh proposal is prevoted whatever the lock")
mut("PrevoteOnProposal_AcceptInvalid","PrevoteOnProposal",
    "IF IsValid(v) /\\ (lockedRound[p] = -1 \\/ lockedValue[p] = v)","IF (lockedRound[p] = -1 \\/ lockedValue[p] = v)",
    "an invalid fresh proposal is prevoted (validity check dropped)")
mut("PrevoteOnProposalWithPOL_IgnoreLock","PrevoteOnProposalWithPOL",
    "IF IsValid(v) /\\ (lockedRound[p] <= vr \\/ lockedValue[p] = v)","IF IsValid(v)",
    "a re-proposal with a proof of lock is prevoted even when locked on another value in a round after vr")
mut("PrevoteOnProposalWithPOL_NoPOLQuorum","PrevoteOnProposalWithPOL",
    "    /\\ IsQuorum(Senders(PrevotesFor(h, vr, v)))\n","",
    "the proof of lock is not checked: a re-proposal's validRound is believed without a prevote quorum")
mut("LockOnPOL_NoLock","LockOnPOL",
    "THEN /\\ lockedValue' = [lockedValue EXCEPT ![p] = v]\n              /\\ lockedRound' = [lockedRound EXCEPT ![p] = r]\n              /\\ msgsPrecommit'",
    "THEN /\\ UNCHANGED <<lockedValue, lockedRound>>\n              /\\ msgsPrecommit'",
    "precommitting a value does not lock it (effect dropped)")
mut("Propose_IgnoreValidValue","Propose",
    "IF validValue[p] # Nil","IF FALSE",
    "re-proposal rule dropped: the proposer always proposes a fresh value with validRound -1")
mut("Propose_DropValidRound","Propose",
    "THEN v = validValue[p] /\\ vr = validRound[p]","THEN v = validValue[p] /\\ vr = -1",
    "re-proposal rule: the valid value is re-proposed as a fresh value (validRound -1, proof of lock dropped)")
mut("PrevoteOnProposalWithPOL_QuorumGE","PrevoteOnProposalWithPOL",
    "IsQuorum(Senders(PrevotesFor(h, vr, v)))", GE2%"Senders(PrevotesFor(h, vr, v))",
    "proof-of-lock threshold: prevotes of at least two thirds (3P >= 2T) at validRound justify a re-proposal")
mut("LockOnPOL_QuorumGE","LockOnPOL",
    "IsQuorum(Senders(PrevotesFor(h, r, v)))", GE2%"Senders(PrevotesFor(h, r, v))",
    "lock threshold: a prevote quorum is counted as at least two thirds (3P >= 2T) instead of more")
mut("Decide_QuorumGE","Decide",
    "IsQuorum(Senders(PrecommitsFor(h, rd, v)))", GE2%"Senders(PrecommitsFor(h, rd, v))",
    "decision threshold: precommits of at least two thirds (3P >= 2T) decide")
mut("TimeoutPrevote_QuorumGE","TimeoutPrevote",
    "IsQuorum(Senders(PrevotesAt(height[p], round[p])))", GE2%"Senders(PrevotesAt(height[p], round[p]))",
    "prevote-timeout threshold: prevotes of at least two thirds (3P >= 2T) start the timeout")
mut("PrecommitOnNilQuorum_QuorumGE","PrecommitOnNilQuorum",
    "IsQuorum(Senders(PrevotesFor(height[p], round[p], Nil)))", GE2%"Senders(PrevotesFor(height[p], round[p], Nil))",
    "nil-precommit threshold: Nil prevotes of at least two thirds (3P >= 2T)")
mut("TimeoutPrecommit_QuorumGE","TimeoutPrecommit",
    "IsQuorum(Senders(PrecommitsAt(height[p], round[p])))", GE2%"Senders(PrecommitsAt(height[p], round[p]))",
    "round-change threshold: precommits of at least two thirds (3P >= 2T) end the round")
mut("RoundSkip_OneThirdGE","RoundSkip",
    "IsOneThird(Senders(ProposalsAt(h, rd)) \\union Senders(PrevotesAt(h, rd))\n                  \\union Senders(PrecommitsAt(h, rd)))",
    "3 * PowerOf(Senders(ProposalsAt(h, rd)) \\union Senders(PrevotesAt(h, rd))\n                  \\union Senders(PrecommitsAt(h, rd))) >= TotalPower",
    "round-skip threshold: messages from at least a third (3P >= T) of the power in a higher round")
# misbehaviour
mm=[("Misbehaved_NoAmnesia","Misbehaved","Equivocation(b, h) \\/ Amnesia(b, h)","Equivocation(b, h)",
     "misbehaviour without its amnesia half: only equivocation counts"),
    ("Misbehaved_NoEquivocation","Misbehaved","Equivocation(b, h) \\/ Amnesia(b, h)","Amnesia(b, h)",
     "misbehaviour without its equivocation half: only amnesia counts")]
for a in mm: mut(*a)
M.write(os.path.join(HERE, 'ConsensusMutants.tla'), ["------------------------------ MODULE ConsensusMutants ------------------------------",
"(***************************************************************************)",
"(* Spec mutants: each MUT_<name> is a copy of one definition of             *)",
"(* Consensus.tla with ONE small change (a guard, an effect, a threshold, a  *)",
"(* misbehaviour definition). The runner (`./oasis model-check consensus     *)",
"(* --mutants`) applies one at a time the way MCConsensusValidityMutant does, *)",
"(* by a .cfg override `<Definition> <- MUT_<name>`, to the CI models listed *)",
"(* for it in model-check/mutants.json, and requires TLC to report an        *)",
"(* invariant violated (the mutant is killed). Generated from Consensus.tla  *)",
"(* by model-check/consensus/gen_mutants.py: do not edit by hand.           *)",
"(***************************************************************************)",
"EXTENDS Consensus",""])
