-------------------------- MODULE NEGCommitteeStake --------------------------
(* Negative model on the constants of MCCommitteeStake with DebondingDelay  *)
(* 0: the genesis check is overridden to accept it (the spec rejects a      *)
(* delay of 0), and ReclaimEscrow treats 0 as "no debonding": the amount    *)
(* goes straight to the general balance. [STAKE-DEBOND] must be violated:  *)
(* reclaimed stake becomes spendable only at an epoch transition.           *)
EXTENDS MCCommitteeStake

\* Accepts DebondingDelay = 0 (the negative model's constant); nothing else is checked.
NEGGenesisAcceptsZeroDelay == DebondingDelay = 0

NEGReclaimZeroAsNone(d, e, s) ==
    LET amount == (s * poolBalance[e]) \div TotalShares(e)
    IN
    /\ "ReclaimEscrow" \in EnabledActions
    /\ s \in 1..shares[e][d]
    /\ amount > 0
    /\ shares' = [shares EXCEPT ![e][d] = @ - s]
    /\ poolBalance' = [poolBalance EXCEPT ![e] = @ - amount]
    /\ IF DebondingDelay = 0
       THEN /\ balance' = [balance EXCEPT ![d] = @ + amount]
            /\ UNCHANGED debonding
       ELSE /\ debonding' = AddDebonding(debonding, d, e, amount, epoch + DebondingDelay)
            /\ UNCHANGED balance
    /\ reclaimedIn' = [reclaimedIn EXCEPT ![d][epoch] = @ + amount]
    /\ lastAction' = [name |-> "ReclaimEscrow", delegator |-> d, entity |-> e, shares |-> s]
    /\ UNCHANGED <<epoch, reg, commonPool, frozen, validators, valKept, committee,
                   suspended, basis, prevValidators, ledger>>
=============================================================================
