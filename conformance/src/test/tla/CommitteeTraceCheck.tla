-------------------------- MODULE CommitteeTraceCheck --------------------------
(***************************************************************************)
(* Trace validation, implementation -> spec, for the committee services:   *)
(* is a recorded run of the Java staking, registry and scheduler cores     *)
(* (CommitteeRandomRun: seeded random actions, the real sorting hash) a    *)
(* behaviour of CommitteeSelection.tla?                                     *)
(*                                                                         *)
(* The constants are SIMCommittee's (CommitteeWorld.SIM: the same concrete *)
(* keys and beacons, Hash = the real SortingHash's 31-bit prefixes). Each  *)
(* recorded state is a record of the observable variables (the refinement  *)
(* mapping of conformance/README.md) plus lastAction; per-node, -entity    *)
(* and -runtime functions are written as tuples in the orders below. The   *)
(* history variables (basis, prevValidators, ledger, reclaimedIn) are not  *)
(* recorded: Next computes them. Each step of a run must be a step of Next *)
(* whose successor has exactly the recorded observable state and action.   *)
(* Run TLC WITHOUT -deadlock: exit 0 = every run matched to its end        *)
(* (distinct states = recorded states); exit 11 = a recorded step is not a *)
(* step of Next (TLC's error trace ends in the last matched state, t, i).  *)
(***************************************************************************)
EXTENDS SIMCommittee, TLC

CONSTANT Traces

VARIABLES t, i

traceVars == <<vars, t, i>>

NodeOrder    == <<n1, n2, n3, n4>>
EntityOrder  == <<e1, e2, e3>>
RuntimeOrder == <<r1, r2>>
Ix(seq, x) == CHOOSE k \in 1..Len(seq) : seq[k] = x
ByNode(tup)    == [n \in Nodes |-> tup[Ix(NodeOrder, n)]]
ByEntity(tup)  == [e \in Entities |-> tup[Ix(EntityOrder, e)]]
ByRuntime(tup) == [r \in Runtimes |-> tup[Ix(RuntimeOrder, r)]]
SharesOf(tup)  == [e \in Entities |-> ByEntity(tup[Ix(EntityOrder, e)])]
\* validators: a set of <<node, power>> pairs
FnOf(S) == [x \in {p[1] : p \in S} |-> (CHOOSE p \in S : p[1] = x)[2]]

ASSUME Len(NodeOrder) = Cardinality(Nodes) /\ Len(EntityOrder) = Cardinality(Entities)
       /\ Len(RuntimeOrder) = Cardinality(Runtimes)

Observed(s) ==
    /\ epoch = s.epoch
    /\ reg = ByNode(s.reg)
    /\ balance = ByEntity(s.balance)
    /\ poolBalance = ByEntity(s.poolBalance)
    /\ shares = SharesOf(s.shares)
    /\ debonding = s.debonding
    /\ commonPool = s.commonPool
    /\ frozen = s.frozen
    /\ validators = FnOf(s.validators)
    /\ valKept = s.valKept
    /\ committee = ByRuntime(s.committee)
    /\ suspended = ByRuntime(s.suspended)
    /\ lastAction = s.lastAction

TraceInit ==
    /\ t \in 1..Len(Traces)
    /\ i = 1
    /\ Init
    /\ Observed(Traces[t][1])

\* A step of the spec's Next (every action enabled in SIMCommittee's constants), then its successor must be the
\* recorded one.
TraceNext ==
    /\ i < Len(Traces[t])
    /\ t' = t
    /\ i' = i + 1
    /\ Next
    /\ LET s == Traces[t][i + 1] IN
       /\ epoch' = s.epoch
       /\ reg' = ByNode(s.reg)
       /\ balance' = ByEntity(s.balance)
       /\ poolBalance' = ByEntity(s.poolBalance)
       /\ shares' = SharesOf(s.shares)
       /\ debonding' = s.debonding
       /\ commonPool' = s.commonPool
       /\ frozen' = s.frozen
       /\ validators' = FnOf(s.validators)
       /\ valKept' = s.valKept
       /\ committee' = ByRuntime(s.committee)
       /\ suspended' = ByRuntime(s.suspended)
       /\ lastAction' = s.lastAction

\* At the end of a run: stutter (so a fully matched run is not a deadlock).
TraceSpecNext == TraceNext \/ (i = Len(Traces[t]) /\ UNCHANGED traceVars)
=============================================================================
