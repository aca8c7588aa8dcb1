---------------------------- MODULE MCNoNilByzantine ----------------------------
(* Shared by the accountability models; see their .cfg (ByzantinePrevote <-  *)
(* MCByzantinePrevote, ByzantinePrecommit <- MCByzantinePrecommit).          *)
EXTENDS Consensus

\* Model restriction (documented in spec/consensus/README.md): the Byzantine
\* validator never votes Nil. A Nil vote cannot join a quorum for a value, so
\* it cannot help a disagreement; the timeouts it could trigger the correct
\* validators take on their own. Otherwise as ByzantinePrevote/Precommit.
MCByzantinePrevote(b, h, r, v) ==
    /\ v # Nil
    /\ ByzantineBudgetLeft
    /\ PrevoteMsg(b, h, r, v) \notin msgsPrevote
    /\ msgsPrevote' = msgsPrevote \union {PrevoteMsg(b, h, r, v)}
    /\ lastAction' = [name |-> "ByzantinePrevote", p |-> b, height |-> h,
                      round |-> r, value |-> v]
    /\ UNCHANGED <<height, round, step, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrecommit>>
MCByzantinePrecommit(b, h, r, v) ==
    /\ v # Nil
    /\ ByzantineBudgetLeft
    /\ PrecommitMsg(b, h, r, v) \notin msgsPrecommit
    /\ msgsPrecommit' = msgsPrecommit \union {PrecommitMsg(b, h, r, v)}
    /\ lastAction' = [name |-> "ByzantinePrecommit", p |-> b, height |-> h,
                      round |-> r, value |-> v]
    /\ UNCHANGED <<height, round, step, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrevote>>
=============================================================================
