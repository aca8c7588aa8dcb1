------------------------ MODULE WITConsensusBranch ------------------------
(* Witness-trace models (issue 8, point 3): each configuration checks one   *)
(* invariant saying that a rare guard branch is never taken; TLC's random   *)
(* search must violate it, and the behaviour it finds joins the trace       *)
(* corpus, so the conformance suites replay the branch. Constants as        *)
(* SIMConsensusEdge. The lock branches need several rounds of a particular  *)
(* interplay that random behaviours almost never show, so their models use *)
(* a steered next-state relation Next /\ Steer...: a restriction of Next,  *)
(* so every behaviour found is still a behaviour of Spec.                   *)
EXTENDS SIMConsensusEdge

\* A validator locked on another value at a round after the proof-of-lock
\* round prevotes on a re-proposal: the lock wins (it prevotes Nil).
NeverLockNewerThanPol ==
    ~(/\ lastAction.name = "PrevoteOnProposalWithPOL"
      /\ lockedRound[lastAction.p] > lastAction.validRound
      /\ lockedValue[lastAction.p] \notin {Nil, lastAction.value})

\* Locked on another value at a round up to the proof-of-lock round: the
\* newer polka wins (it prevotes the re-proposed value).
NeverLockOlderThanPol ==
    ~(/\ lastAction.name = "PrevoteOnProposalWithPOL"
      /\ 0 <= lockedRound[lastAction.p]
      /\ lockedRound[lastAction.p] <= lastAction.validRound
      /\ lockedValue[lastAction.p] \notin {Nil, lastAction.value})

\* Locked, and a fresh proposal of another value: prevote Nil.
NeverLockedOnOther ==
    ~(/\ lastAction.name = "PrevoteOnProposal"
      /\ lockedRound[lastAction.p] >= 0
      /\ lockedValue[lastAction.p] \notin {Nil, lastAction.value})

\* A validator that precommitted (so locked on) a value in an earlier round
\* of its height locks on another value now.
NeverRelock ==
    ~(/\ lastAction.name = "LockOnPOL"
      /\ lockedRound[lastAction.p] = round[lastAction.p]
      /\ \E m \in msgsPrecommit :
            /\ m.src = lastAction.p /\ m.height = height[lastAction.p]
            /\ m.round < round[lastAction.p]
            /\ m.value \notin {Nil, lastAction.value})

\* Under NextSkipTwo every RoundSkip jumps two rounds or more: a validator
\* that catches up with a round it never saw the one before of.
NeverRoundSkip == lastAction.name # "RoundSkip"

\* The Byzantine proposer claims a proof-of-lock round.
NeverByzantineReproposal ==
    ~(lastAction.name = "ByzantinePropose" /\ lastAction.validRound >= 0)
-----------------------------------------------------------------------------
\* Steering common to the lock witnesses: nobody decides (the rounds go on);
\* round 0 proposes v1; the Byzantine b1 proposes only v2, fresh, in round 1
\* of height 1, prevotes only v2 there, and precommits nothing.
SteerRounds ==
    /\ lastAction'.name # "Decide"
    /\ lastAction'.name = "Propose" /\ round[lastAction'.p] = 0 => lastAction'.value = v1
    /\ lastAction'.name = "ByzantinePropose" =>
          lastAction'.height = 1 /\ lastAction'.round = 1 /\ lastAction'.value = v2 /\ lastAction'.validRound = -1
    /\ lastAction'.name = "ByzantinePrevote" =>
          lastAction'.height = 1 /\ lastAction'.round = 1 /\ lastAction'.value = v2
    /\ lastAction'.name # "ByzantinePrecommit"

\* Lock newer than the proof of lock: round 0's polka for v1 only sets valid
\* values (nobody locks in round 0), so round 1's polka for v2 can lock.
NextLockNewer ==
    /\ Next
    /\ SteerRounds
    /\ lastAction'.name = "LockOnPOL" /\ round[lastAction'.p] = 0 => step[lastAction'.p] = "precommit"

\* Lock older than the proof of lock, and relock: in round 0 only p3 (power 1)
\* locks, so p1, p2 and b1 can still make a polka for v2 in round 1.
NextLockOlder ==
    /\ Next
    /\ SteerRounds
    /\ lastAction'.name = "LockOnPOL" /\ round[lastAction'.p] = 0 /\ step[lastAction'.p] = "prevote"
          => lastAction'.p = p3

\* Round skip by two or more: nobody decides; p3 (power 1) leaves a round
\* only by RoundSkip, and a RoundSkip is taken only when it skips a round,
\* so p3 stays behind until the others (power 5 of 6) are two rounds ahead.
NextSkipTwo ==
    /\ Next
    /\ lastAction'.name # "Decide"
    /\ lastAction'.name = "RoundSkip" => lastAction'.round >= round[lastAction'.p] + 2
    /\ lastAction'.p = p3 => lastAction'.name # "TimeoutPrecommit"
=============================================================================
