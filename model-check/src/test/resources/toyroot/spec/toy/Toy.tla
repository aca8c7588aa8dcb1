---------------------------- MODULE Toy ----------------------------
(* A toy spec for the model-check runner's own tests: it prints every value *)
(* shape the trace converter must handle (records, functions over model     *)
(* values, sequences, sets of records, strings with escapes, negatives).    *)
EXTENDS Integers, Sequences, TLC
CONSTANTS Procs, Nil, MaxX
VARIABLES x, f, s, q, r, lastAction, str
vars == <<x, f, s, q, r, lastAction, str>>

Init == /\ x = 0
        /\ f = [p \in Procs |-> 0]
        /\ s = {}
        /\ q = <<>>
        /\ r = [a |-> 1, b |-> Nil]
        /\ lastAction = [name |-> "Init"]
        /\ str = "a\"b\\c"

Inc(p) == /\ x < MaxX /\ Len(q) < 2 * MaxX
          /\ x' = x + 1
          /\ f' = [f EXCEPT ![p] = @ + 1]
          /\ s' = s \cup {[src |-> p, v |-> x]}
          /\ q' = Append(q, p)
          /\ r' = [r EXCEPT !.a = @ - 5, !.b = p]
          /\ lastAction' = [name |-> "Inc", p |-> p]
          /\ UNCHANGED str

Reset(p) == /\ x > 0
            /\ f[p] > 0
            /\ x' = 0
            /\ f' = [f EXCEPT ![p] = 0]
            /\ lastAction' = [name |-> "Reset", p |-> p, was |-> x]
            /\ UNCHANGED <<s, q, r, str>>

Next == \E p \in Procs : Inc(p) \/ Reset(p)

TypeOK == /\ x \in 0..MaxX
          /\ f \in [Procs -> Nat]
\* Deliberately false invariants, for the negative and witness models.
XSmall == x < 2
NotP2First == q = <<>> \/ q[1] = CHOOSE p \in Procs : TRUE
=============================================================================
