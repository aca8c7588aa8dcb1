----------------------------- MODULE TraceCheck -----------------------------
(***************************************************************************)
(* Trace validation, implementation -> spec: is a recorded run of the Java  *)
(* consensus cores a behaviour of Consensus.tla?                            *)
(*                                                                         *)
(* The test driver (conformance/src/test/java/.../tracecheck) runs a        *)
(* randomized, seeded network of real ConsensusCore objects (message loss,  *)
(* duplication, reordering, a Byzantine validator), maps the implementation *)
(* state through the refinement mapping after every spec step, and writes   *)
(* each run as a TLA+ module defining a sequence of states: records with    *)
(* one field per variable of Consensus.tla, lastAction included, so the     *)
(* action name and parameters the implementation claims are checked too.   *)
(* A generated root module EXTENDS this one and the run modules and defines *)
(* the sequence of runs that the constant Traces is bound to in the .cfg.   *)
(*                                                                         *)
(* The checking spec walks each trace with the cursor i: state i+1 of the   *)
(* trace must be a successor of state i under Consensus's Next (all         *)
(* variables, lastAction included, are pinned to the recorded state before  *)
(* Next is evaluated, so Next only has to hold). Run TLC WITHOUT -deadlock: *)
(*   exit 0  : every trace matched to its end (the final state stutters);  *)
(*             distinct states = total number of recorded states;          *)
(*   exit 11 : deadlock = a recorded step is not a Next step; the error     *)
(*             trace TLC prints ends in the last matched state (t, i).     *)
(***************************************************************************)
EXTENDS Consensus, TLC

\* Model values of the two trace models (TraceCheckEqual.cfg, TraceCheckUnequal.cfg).
CONSTANTS p1, p2, p3, b1, v1, v2, v3

\* A sequence of traces; each trace is a sequence of states
\* [height |-> .., round |-> .., .., msgsPrecommit |-> .., lastAction |-> ..]
\* in which every per-validator variable is a tuple in the order <<p1, p2, p3>>
\* (decision: a tuple of tuples over heights 1..MaxHeight). Tuples rather than
\* p1 :> .. @@ .. because TLC's level analysis of long @@ chains takes seconds.
CONSTANT Traces

VARIABLES
    t,  \* which trace of Traces this behaviour follows
    i   \* cursor: the current state is Traces[t][i] (so step i - 1; step 0 is Init)

traceVars == <<vars, t, i>>

\* Position of each correct validator in the per-validator tuples.
CorrIndex == p1 :> 1 @@ p2 :> 2 @@ p3 :> 3
ByValidator(tup) == [p \in Corr |-> tup[CorrIndex[p]]]
ByValidatorAndHeight(tup) == [p \in Corr |-> [h \in Heights |-> tup[CorrIndex[p]][h]]]

ASSUME TraceModelOK == Corr = {p1, p2, p3}

\* Proposer order and the two power assignments of the trace models.
TraceOrder   == <<p1, b1, p2, p3>>
EqualPower   == p1 :> 1 @@ b1 :> 1 @@ p2 :> 1 @@ p3 :> 1
UnequalPower == p1 :> 3 @@ b1 :> 1 @@ p2 :> 2 @@ p3 :> 2

TraceInit ==
    /\ t \in 1..Len(Traces)
    /\ i = 1
    /\ Init
    /\ LET s == Traces[t][1] IN
       /\ height = ByValidator(s.height)
       /\ round = ByValidator(s.round)
       /\ step = ByValidator(s.step)
       /\ decision = ByValidatorAndHeight(s.decision)
       /\ lockedValue = ByValidator(s.lockedValue)
       /\ lockedRound = ByValidator(s.lockedRound)
       /\ validValue = ByValidator(s.validValue)
       /\ validRound = ByValidator(s.validRound)
       /\ msgsPropose = s.msgsPropose
       /\ msgsPrevote = s.msgsPrevote
       /\ msgsPrecommit = s.msgsPrecommit
       /\ lastAction = s.lastAction

\* The recorded successor, pinned first; then it must be a step of Next.
TraceNext ==
    /\ i < Len(Traces[t])
    /\ t' = t
    /\ i' = i + 1
    /\ LET s == Traces[t][i + 1] IN
       /\ height' = ByValidator(s.height)
       /\ round' = ByValidator(s.round)
       /\ step' = ByValidator(s.step)
       /\ decision' = ByValidatorAndHeight(s.decision)
       /\ lockedValue' = ByValidator(s.lockedValue)
       /\ lockedRound' = ByValidator(s.lockedRound)
       /\ validValue' = ByValidator(s.validValue)
       /\ validRound' = ByValidator(s.validRound)
       /\ msgsPropose' = s.msgsPropose
       /\ msgsPrevote' = s.msgsPrevote
       /\ msgsPrecommit' = s.msgsPrecommit
       /\ lastAction' = s.lastAction
    /\ Next

\* The end of a trace: stutter, so that only a mismatch is a deadlock.
TraceEnd ==
    /\ i = Len(Traces[t])
    /\ UNCHANGED traceVars

TraceSpecNext == TraceNext \/ TraceEnd

TraceSpec == TraceInit /\ [][TraceSpecNext]_traceVars
=============================================================================
