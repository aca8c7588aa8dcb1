--------------------------- MODULE MCCommitteeShares ---------------------------
(* [STAKE-SHARES] on a range: the share arithmetic of AddEscrow and         *)
(* ReclaimEscrow (IssuedShares, ReclaimedAmount) checked for every pool     *)
(* balance, share total, amount and share count in 1..12 (1,728 + 936       *)
(* cases), in the single state of MCCommitteeStake's genesis (NEXT          *)
(* MCFrozen: nothing moves; the property depends on no variable).           *)
EXTENDS MCCommitteeStake

MCFrozen == UNCHANGED vars
\* Conjoined with a state predicate so that a FALSE value is reported as a violated invariant
\* (exit 12; TLC rejects a constant-level invariant that is FALSE before checking, exit 75).
MCShareMathInv == epoch = 0 /\ ShareMath(0..12)
=============================================================================
