--------------------------- MODULE MCConsensusWitness ---------------------------
(* Reachability witnesses (d): every Witness_* invariant is deliberately    *)
(* FALSE and TLC MUST report each one violated (exit 12), one run each. Four *)
(* validators of equal power; b1 Byzantine, limited to 2 messages; two      *)
(* heights and two rounds. Proposers: p2 (h1 r0), p3 (h1 r1 and h2 r0),     *)
(* b1 (h2 r1). One .cfg per witness (MCConsensusWitness_<name>.cfg); the    *)
(* witnesses of correct-validator actions run with b1 silent                *)
(* (MaxByzantineMessages = 0). VIEW witnessView keeps lastAction.name.      *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, p3, b1, v1, v2

\* Proposer order: slots are laid out in this order, Power[x] slots each.
MCOrder == <<p1, b1, p3, p2>>
\* Voting power.
MCPower == p1 :> 1 @@ p2 :> 1 @@ p3 :> 1 @@ b1 :> 1
\* Nothing in the spec tells two valid values apart: sound symmetry.
MCSymmetry == Permutations({v1, v2})
=============================================================================
