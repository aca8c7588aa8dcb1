------------------------ MODULE MCProposerRotation ------------------------
(* [CONS-FAIRNESS.1] Proposer fairness whatever unit the powers are written   *)
(* in. Stake-sized powers share a common factor (the localnet's validators    *)
(* have power 10 each); the rotation must not depend on it. The powers here   *)
(* are the other models' powers times MCUnit = 10, and MCShareInv states      *)
(* the requirement without the spec's own normalisation: in every window of   *)
(* TotalPower \div MCUnit consecutive positions (h + r), along rounds of      *)
(* height 1 and along heights at round 0, validator v proposes exactly        *)
(* Power[v] \div MCUnit times (equal powers: once each in every window of     *)
(* 4). Nothing happens in these models (NEXT MCFrozen): only the constant     *)
(* ProposerTable is checked, on the one initial state.                        *)
(* MCProposerRotationMutant.cfg replaces PowerUnit by 1 (the rotation over    *)
(* TotalPower slots this spec had until 2026-12-04): TLC MUST report          *)
(* MCShareInv violated (40 slots: p2 has two of positions 1..4, p3 none).     *)
EXTENDS Consensus, TLC

CONSTANTS p1, p2, p3, b1, v1, v2

MCOrder == <<p1, b1, p2, p3>>
\* Equal powers, 10 each: one slot each after dividing by PowerUnit = 10.
MCPowerEqual == p1 :> 10 @@ b1 :> 10 @@ p2 :> 10 @@ p3 :> 10
\* SIMConsensus's powers (3, 1, 2, 2) times 10.
MCPowerUnequal == p1 :> 30 @@ b1 :> 10 @@ p2 :> 20 @@ p3 :> 20

\* The unit the powers above are written in (independent of PowerUnit).
MCUnit == 10
MCLength == TotalPower \div MCUnit
MCShare(v) == Power[v] \div MCUnit

\* Number of turns of v among the positions k..k+MCLength-1, along the rounds
\* of height 1 (position 1 + r) or along the heights at round 0 (position h).
TurnsAlongRounds(v, k) == Cardinality({r \in (k - 1)..(k + MCLength - 2) : Proposer(1, r) = v})
TurnsAlongHeights(v, k) == Cardinality({h \in k..(k + MCLength - 1) : Proposer(h, 0) = v})

\* (The first conjunct, true in the one state, makes this a state invariant:
\* TLC reports a false constant-level invariant as a configuration error.)
MCShareInv ==
    /\ lastAction = [name |-> "Init"]
    /\ \A v \in Validators :
          /\ \A k \in 1..(MaxRound + 2 - MCLength) : TurnsAlongRounds(v, k) = MCShare(v)
          /\ \A k \in 1..(MaxHeight + 1 - MCLength) : TurnsAlongHeights(v, k) = MCShare(v)

\* The model checks a property of constants only.
MCFrozen == UNCHANGED vars

\* The mutant: no division by the greatest common divisor of the powers.
MCNoPowerUnit == 1
=============================================================================
