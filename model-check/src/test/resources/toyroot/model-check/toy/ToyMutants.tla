---------------------------- MODULE ToyMutants ----------------------------
(* Toy spec mutants for MutantRunnerTest.                                  *)
EXTENDS Toy
\* Inc without its bound x < MaxX: TypeOK (x \in 0..MaxX) fails, killed.
MUT_IncNoBound(p) == /\ Len(q) < 2 * MaxX
                     /\ x' = x + 1
                     /\ f' = [f EXCEPT ![p] = @ + 1]
                     /\ s' = s \cup {[src |-> p, v |-> x]}
                     /\ q' = Append(q, p)
                     /\ r' = [r EXCEPT !.a = @ - 5, !.b = p]
                     /\ lastAction' = [name |-> "Inc", p |-> p]
                     /\ UNCHANGED str
\* Reset that does not reset x: no invariant of MCToyOk notices, it survives.
MUT_ResetKeepsX(p) == /\ x > 0
                      /\ f[p] > 0
                      /\ x' = x
                      /\ f' = [f EXCEPT ![p] = 0]
                      /\ lastAction' = [name |-> "Reset", p |-> p, was |-> x]
                      /\ UNCHANGED <<s, q, r, str>>
=============================================================================
