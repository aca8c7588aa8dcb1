------------------------------ MODULE Consensus ------------------------------
(***************************************************************************)
(* Tendermint-family BFT consensus with stake-weighted validators, as run  *)
(* by the Oasis Network's consensus layer.                                 *)
(*                                                                         *)
(* The vocabulary (constants, variables, message records, action names and *)
(* their parameters, misbehaviour definitions) is fixed by ACTIONS.md in   *)
(* this folder; the trace corpus and the Java core use the same names.     *)
(* README.md states the protocol in English, lists the invariants with     *)
(* their requirement tags and says what is abstracted away.               *)
(*                                                                         *)
(* Abstractions, in one line each:                                         *)
(*  - signatures: a message from a correct validator is created only by    *)
(*    that validator's own action; only the Byzantine actions create       *)
(*    messages with a Faulty sender.                                       *)
(*  - network: every broadcast message is visible to everybody at once;    *)
(*    asynchrony is the interleaving of actions.                           *)
(*  - time: a timeout is an action enabled whenever its step condition     *)
(*    holds (LazyTimeouts = FALSE; TRUE only for random simulation).      *)
(*  - blocks: opaque identifiers with a validity predicate.                *)
(***************************************************************************)
EXTENDS Integers, FiniteSets, Sequences

CONSTANTS
    Corr,            \* the correct validators (model values)
    Faulty,          \* the Byzantine validators (model values), disjoint from Corr
    Order,           \* sequence of all validators, each once: proposer order
    Power,           \* Validators -> positive integers: voting power
    ValidValues,     \* block identifiers that satisfy the validity predicate
    InvalidValues,   \* block identifiers that do not
    Nil,             \* "no value": nil vote, no lock, no decision
    MaxHeight,       \* heights are 1..MaxHeight
    MaxRound,        \* rounds are 0..MaxRound
    MaxByzantineMessages, \* model bound only: at most this many messages with
                          \* a Faulty sender ever exist (see ACTIONS.md)
    LazyTimeouts     \* model switch only (see ACTIONS.md): FALSE = a timeout fires
                     \* whenever its step condition holds (the protocol);
                     \* TRUE = only when the step cannot progress otherwise
                     \* (simulation, so random runs reach decisions)

Validators == Corr \union Faulty
Values     == ValidValues \union InvalidValues
Heights    == 1..MaxHeight
Rounds     == 0..MaxRound
Steps      == {"propose", "prevote", "precommit", "decided"}

IsValid(v) == v \in ValidValues

ASSUME ConstantsOK ==
    /\ Corr \intersect Faulty = {}
    /\ Corr # {}
    /\ ValidValues \intersect InvalidValues = {}
    /\ ValidValues # {}
    /\ Nil \notin Values \union Validators
    /\ MaxHeight \in Nat \ {0}
    /\ MaxRound \in Nat
    /\ MaxByzantineMessages \in Nat
    /\ LazyTimeouts \in BOOLEAN
    /\ Len(Order) = Cardinality(Validators)
    /\ {Order[i] : i \in 1..Len(Order)} = Validators
    /\ \A v \in Validators : Power[v] \in Nat \ {0}

-----------------------------------------------------------------------------
(***************************** Voting power *******************************)

RECURSIVE SumPower(_)
\* Sum of the power of a finite set of validators.
SumPower(S) ==
    IF S = {} THEN 0
    ELSE LET v == CHOOSE x \in S : TRUE IN Power[v] + SumPower(S \ {v})

PowerOf(S)    == SumPower(S)
TotalPower    == PowerOf(Validators)
\* More than two thirds of the total power.
IsQuorum(S)   == 3 * PowerOf(S) > 2 * TotalPower
\* More than one third of the total power.
IsOneThird(S) == 3 * PowerOf(S) > TotalPower

(************************ Weighted proposer rotation ***********************)
(* Divide the powers by their greatest common divisor PowerUnit, so that   *)
(* the unit the powers are written in does not matter, and lay Order out   *)
(* on RotationLength = TotalPower \div PowerUnit consecutive slots,        *)
(* Order[i] owning Slots(Order[i]) = Power[Order[i]] \div PowerUnit of     *)
(* them. Position k = (h + r) % RotationLength of the rotation is slot     *)
(* (k * Stride) % RotationLength, Stride being the least integer from      *)
(* 0.618 * RotationLength on that is coprime with RotationLength: a        *)
(* permutation of the slots, so every validator proposes exactly Slots(v)  *)
(* times in any RotationLength consecutive positions (n validators of      *)
(* equal power: once each in any n consecutive positions, whatever the     *)
(* power), and a validator's slots are spread out instead of consecutive.  *)
(* Without the division, four validators of power 10 had 40 slots: one of  *)
(* them first proposed at position 10 and one waited 13 positions between  *)
(* two turns.                                                              *)

RECURSIVE Gcd(_, _)
Gcd(a, b) == IF b = 0 THEN a ELSE Gcd(b, a % b)

RECURSIVE GcdOfPowers(_)
\* Greatest common divisor of the powers of a finite set of validators (0 for {}).
GcdOfPowers(S) ==
    IF S = {} THEN 0
    ELSE LET v == CHOOSE x \in S : TRUE IN Gcd(Power[v], GcdOfPowers(S \ {v}))

PowerUnit      == GcdOfPowers(Validators)
Slots(v)       == Power[v] \div PowerUnit
RotationLength == TotalPower \div PowerUnit

RECURSIVE SlotsBefore(_)
\* Number of slots owned by Order[1..i].
SlotsBefore(i) == IF i = 0 THEN 0 ELSE SlotsBefore(i - 1) + Slots(Order[i])

SlotOwner(s) ==
    Order[CHOOSE i \in 1..Len(Order) : SlotsBefore(i - 1) <= s /\ s < SlotsBefore(i)]

StrideFrom == (RotationLength * 618) \div 1000
\* RotationLength + 1 is always coprime with RotationLength, so the CHOOSE has a witness.
Stride == CHOOSE k \in StrideFrom..(RotationLength + 1) :
              /\ Gcd(k, RotationLength) = 1
              /\ \A j \in StrideFrom..(k - 1) : Gcd(j, RotationLength) # 1

\* A constant table, computed once by TLC.
ProposerTable == [hr \in Heights \X Rounds |->
                    SlotOwner((((hr[1] + hr[2]) % RotationLength) * Stride) % RotationLength)]

Proposer(h, r) == ProposerTable[<<h, r>>]

-----------------------------------------------------------------------------
(******************************** Messages ********************************)

ProposalMsg(src, h, r, v, vr) ==
    [type |-> "PROPOSAL", src |-> src, height |-> h, round |-> r, value |-> v, validRound |-> vr]
PrevoteMsg(src, h, r, v) ==
    [type |-> "PREVOTE", src |-> src, height |-> h, round |-> r, value |-> v]
PrecommitMsg(src, h, r, v) ==
    [type |-> "PRECOMMIT", src |-> src, height |-> h, round |-> r, value |-> v]

ProposalType ==
    [type : {"PROPOSAL"}, src : Validators, height : Heights, round : Rounds,
     value : Values, validRound : -1..MaxRound]
PrevoteType ==
    [type : {"PREVOTE"}, src : Validators, height : Heights, round : Rounds,
     value : Values \union {Nil}]
PrecommitType ==
    [type : {"PRECOMMIT"}, src : Validators, height : Heights, round : Rounds,
     value : Values \union {Nil}]

VARIABLES
    height,        \* Corr -> Heights: the height each correct validator works on
    round,         \* Corr -> Rounds: its current round at that height
    step,          \* Corr -> Steps: its step within the round
    decision,      \* Corr -> [Heights -> Values \union {Nil}]: decided value per height
    lockedValue,   \* Corr -> Values \union {Nil}: value it precommitted last at this height
    lockedRound,   \* Corr -> -1..MaxRound: round of that precommit (-1: unlocked)
    validValue,    \* Corr -> Values \union {Nil}: latest value seen with a proposal and a prevote quorum
    validRound,    \* Corr -> -1..MaxRound: round of that quorum (-1: none)
    msgsPropose,   \* set of every proposal ever broadcast (only grows)
    msgsPrevote,   \* set of every prevote ever broadcast (only grows)
    msgsPrecommit, \* set of every precommit ever broadcast (only grows)
    lastAction     \* history: name and parameters of the action that made this state

vars == <<height, round, step, decision, lockedValue, lockedRound, validValue,
          validRound, msgsPropose, msgsPrevote, msgsPrecommit, lastAction>>

\* Everything but the history variable: models use it as a VIEW.
stateVars == <<height, round, step, decision, lockedValue, lockedRound, validValue,
               validRound, msgsPropose, msgsPrevote, msgsPrecommit>>

\* View for the reachability-witness models: the state and the name of the
\* last action (its parameters are dropped; witnesses test only the name).
witnessView == <<stateVars, lastAction.name>>

ActionNames ==
    {"Init", "Propose", "PrevoteOnProposal", "PrevoteOnProposalWithPOL",
     "TimeoutPropose", "TimeoutPrevote", "LockOnPOL", "PrecommitOnNilQuorum",
     "TimeoutPrecommit", "Decide", "RoundSkip", "NextHeight",
     "ByzantinePropose", "ByzantinePrevote", "ByzantinePrecommit"}

-----------------------------------------------------------------------------
(************************ Views of the message sets ************************)

Senders(M) == {m.src : m \in M}

PrevotesAt(h, r)      == {m \in msgsPrevote : m.height = h /\ m.round = r}
PrevotesFor(h, r, v)  == {m \in PrevotesAt(h, r) : m.value = v}
PrecommitsAt(h, r)    == {m \in msgsPrecommit : m.height = h /\ m.round = r}
PrecommitsFor(h, r, v) == {m \in PrecommitsAt(h, r) : m.value = v}
ProposalsAt(h, r)     == {m \in msgsPropose : m.height = h /\ m.round = r}
\* Proposals a correct validator accepts: those sent by the round's proposer.
ProposalsFromProposer(h, r) == {m \in ProposalsAt(h, r) : m.src = Proposer(h, r)}

\* Number of messages with a Faulty sender (bounded by MaxByzantineMessages).
ByzantineMessageCount ==
    Cardinality({m \in msgsPropose : m.src \in Faulty})
    + Cardinality({m \in msgsPrevote : m.src \in Faulty})
    + Cardinality({m \in msgsPrecommit : m.src \in Faulty})

-----------------------------------------------------------------------------
Init ==
    /\ height = [p \in Corr |-> 1]
    /\ round = [p \in Corr |-> 0]
    /\ step = [p \in Corr |-> "propose"]
    /\ decision = [p \in Corr |-> [h \in Heights |-> Nil]]
    /\ lockedValue = [p \in Corr |-> Nil]
    /\ lockedRound = [p \in Corr |-> -1]
    /\ validValue = [p \in Corr |-> Nil]
    /\ validRound = [p \in Corr |-> -1]
    /\ msgsPropose = {}
    /\ msgsPrevote = {}
    /\ msgsPrecommit = {}
    /\ lastAction = [name |-> "Init"]

-----------------------------------------------------------------------------
(********************* Actions of correct validators **********************)

\* The proposer of (h, r) proposes its validValue (with validRound) if it
\* has one, otherwise any valid value with validRound -1.
Propose(p, v, vr) ==
    LET h == height[p]
        r == round[p]
    IN
    /\ step[p] = "propose"
    /\ p = Proposer(h, r)
    /\ ~\E m \in msgsPropose : m.src = p /\ m.height = h /\ m.round = r
    /\ IF validValue[p] # Nil
         THEN v = validValue[p] /\ vr = validRound[p]
         ELSE v \in ValidValues /\ vr = -1
    /\ msgsPropose' = msgsPropose \union {ProposalMsg(p, h, r, v, vr)}
    /\ lastAction' = [name |-> "Propose", p |-> p, value |-> v, validRound |-> vr]
    /\ UNCHANGED <<height, round, step, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPrevote, msgsPrecommit>>

\* A fresh proposal (validRound -1) from the proposer: prevote it if it is
\* valid and we are unlocked or locked on it, else prevote Nil.
PrevoteOnProposal(p, v) ==
    LET h == height[p]
        r == round[p]
        vote == IF IsValid(v) /\ (lockedRound[p] = -1 \/ lockedValue[p] = v)
                THEN v ELSE Nil
    IN
    /\ step[p] = "propose"
    /\ \E m \in ProposalsFromProposer(h, r) : m.value = v /\ m.validRound = -1
    /\ msgsPrevote' = msgsPrevote \union {PrevoteMsg(p, h, r, vote)}
    /\ step' = [step EXCEPT ![p] = "prevote"]
    /\ lastAction' = [name |-> "PrevoteOnProposal", p |-> p, value |-> v]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrecommit>>

\* A re-proposal carrying a proof of lock (a prevote quorum at vr < r):
\* prevote it if it is valid and our lock is not newer than vr (or is on v).
PrevoteOnProposalWithPOL(p, v, vr) ==
    LET h == height[p]
        r == round[p]
        vote == IF IsValid(v) /\ (lockedRound[p] <= vr \/ lockedValue[p] = v)
                THEN v ELSE Nil
    IN
    /\ step[p] = "propose"
    /\ 0 <= vr /\ vr < r
    /\ \E m \in ProposalsFromProposer(h, r) : m.value = v /\ m.validRound = vr
    /\ IsQuorum(Senders(PrevotesFor(h, vr, v)))
    /\ msgsPrevote' = msgsPrevote \union {PrevoteMsg(p, h, r, vote)}
    /\ step' = [step EXCEPT ![p] = "prevote"]
    /\ lastAction' = [name |-> "PrevoteOnProposalWithPOL", p |-> p, value |-> v, validRound |-> vr]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrecommit>>

\* With LazyTimeouts: p cannot progress in step propose without a timeout
\* (it has nothing to propose and no proposal it could prevote on).
StuckInPropose(p) ==
    LET h == height[p]
        r == round[p]
    IN
    /\ ~(p = Proposer(h, r) /\ ~\E m \in msgsPropose : m.src = p /\ m.height = h /\ m.round = r)
    /\ ~\E m \in ProposalsFromProposer(h, r) :
          \/ m.validRound = -1
          \/ m.validRound >= 0 /\ IsQuorum(Senders(PrevotesFor(h, m.validRound, m.value)))

\* With LazyTimeouts: no prevote quorum for Nil nor for a proposed valid value.
StuckInPrevote(p) ==
    LET h == height[p]
        r == round[p]
    IN
    /\ ~IsQuorum(Senders(PrevotesFor(h, r, Nil)))
    /\ ~\E m \in ProposalsFromProposer(h, r) :
          IsValid(m.value) /\ IsQuorum(Senders(PrevotesFor(h, r, m.value)))

\* With LazyTimeouts: no precommit quorum for a proposed valid value.
StuckInPrecommit(p) ==
    LET h == height[p]
        r == round[p]
    IN
    ~\E m \in ProposalsFromProposer(h, r) :
        IsValid(m.value) /\ IsQuorum(Senders(PrecommitsFor(h, r, m.value)))

\* No (acceptable) proposal in time: prevote Nil.
TimeoutPropose(p) ==
    /\ step[p] = "propose"
    /\ LazyTimeouts => StuckInPropose(p)
    /\ msgsPrevote' = msgsPrevote \union {PrevoteMsg(p, height[p], round[p], Nil)}
    /\ step' = [step EXCEPT ![p] = "prevote"]
    /\ lastAction' = [name |-> "TimeoutPropose", p |-> p]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrecommit>>

\* Prevotes from a quorum (any values) but no decision on a value in time:
\* precommit Nil.
TimeoutPrevote(p) ==
    /\ step[p] = "prevote"
    /\ LazyTimeouts => StuckInPrevote(p)
    /\ IsQuorum(Senders(PrevotesAt(height[p], round[p])))
    /\ msgsPrecommit' = msgsPrecommit \union {PrecommitMsg(p, height[p], round[p], Nil)}
    /\ step' = [step EXCEPT ![p] = "precommit"]
    /\ lastAction' = [name |-> "TimeoutPrevote", p |-> p]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrevote>>

\* A proposal for valid v and a prevote quorum for v in the current round.
\* In step prevote: lock on v and precommit it. In either step: remember v
\* as the valid value (once per round when already in step precommit).
LockOnPOL(p, v) ==
    LET h == height[p]
        r == round[p]
    IN
    /\ step[p] \in {"prevote", "precommit"}
    /\ IsValid(v)
    /\ \E m \in ProposalsFromProposer(h, r) : m.value = v
    /\ IsQuorum(Senders(PrevotesFor(h, r, v)))
    /\ step[p] = "prevote" \/ validRound[p] # r
    /\ IF step[p] = "prevote"
         THEN /\ lockedValue' = [lockedValue EXCEPT ![p] = v]
              /\ lockedRound' = [lockedRound EXCEPT ![p] = r]
              /\ msgsPrecommit' = msgsPrecommit \union {PrecommitMsg(p, h, r, v)}
              /\ step' = [step EXCEPT ![p] = "precommit"]
         ELSE UNCHANGED <<lockedValue, lockedRound, msgsPrecommit, step>>
    /\ validValue' = [validValue EXCEPT ![p] = v]
    /\ validRound' = [validRound EXCEPT ![p] = r]
    /\ lastAction' = [name |-> "LockOnPOL", p |-> p, value |-> v]
    /\ UNCHANGED <<height, round, decision, msgsPropose, msgsPrevote>>

\* A prevote quorum for Nil: precommit Nil.
PrecommitOnNilQuorum(p) ==
    /\ step[p] = "prevote"
    /\ IsQuorum(Senders(PrevotesFor(height[p], round[p], Nil)))
    /\ msgsPrecommit' = msgsPrecommit \union {PrecommitMsg(p, height[p], round[p], Nil)}
    /\ step' = [step EXCEPT ![p] = "precommit"]
    /\ lastAction' = [name |-> "PrecommitOnNilQuorum", p |-> p]
    /\ UNCHANGED <<height, round, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrevote>>

\* Precommits from a quorum (any values) and no decision in time: next round.
TimeoutPrecommit(p) ==
    /\ step[p] # "decided"
    /\ round[p] < MaxRound
    /\ IsQuorum(Senders(PrecommitsAt(height[p], round[p])))
    /\ LazyTimeouts => StuckInPrecommit(p)
    /\ round' = [round EXCEPT ![p] = round[p] + 1]
    /\ step' = [step EXCEPT ![p] = "propose"]
    /\ lastAction' = [name |-> "TimeoutPrecommit", p |-> p]
    /\ UNCHANGED <<height, decision, lockedValue, lockedRound, validValue,
                   validRound, msgsPropose, msgsPrevote, msgsPrecommit>>

\* A proposal for valid v in some round rd of the current height and a
\* precommit quorum for v in rd: decide v.
Decide(p, v, rd) ==
    LET h == height[p] IN
    /\ decision[p][h] = Nil
    /\ IsValid(v)
    /\ \E m \in ProposalsFromProposer(h, rd) : m.value = v
    /\ IsQuorum(Senders(PrecommitsFor(h, rd, v)))
    /\ decision' = [decision EXCEPT ![p][h] = v]
    /\ step' = [step EXCEPT ![p] = "decided"]
    /\ lastAction' = [name |-> "Decide", p |-> p, value |-> v, round |-> rd]
    /\ UNCHANGED <<height, round, lockedValue, lockedRound, validValue,
                   validRound, msgsPropose, msgsPrevote, msgsPrecommit>>

\* Messages of any kind from more than a third of the power in a higher
\* round rd of the current height: at least one correct validator is there.
RoundSkip(p, rd) ==
    LET h == height[p] IN
    /\ step[p] # "decided"
    /\ round[p] < rd /\ rd <= MaxRound
    /\ IsOneThird(Senders(ProposalsAt(h, rd)) \union Senders(PrevotesAt(h, rd))
                  \union Senders(PrecommitsAt(h, rd)))
    /\ round' = [round EXCEPT ![p] = rd]
    /\ step' = [step EXCEPT ![p] = "propose"]
    /\ lastAction' = [name |-> "RoundSkip", p |-> p, round |-> rd]
    /\ UNCHANGED <<height, decision, lockedValue, lockedRound, validValue,
                   validRound, msgsPropose, msgsPrevote, msgsPrecommit>>

\* After deciding, start the next height from a clean slate.
NextHeight(p) ==
    /\ step[p] = "decided"
    /\ height[p] < MaxHeight
    /\ height' = [height EXCEPT ![p] = height[p] + 1]
    /\ round' = [round EXCEPT ![p] = 0]
    /\ step' = [step EXCEPT ![p] = "propose"]
    /\ lockedValue' = [lockedValue EXCEPT ![p] = Nil]
    /\ lockedRound' = [lockedRound EXCEPT ![p] = -1]
    /\ validValue' = [validValue EXCEPT ![p] = Nil]
    /\ validRound' = [validRound EXCEPT ![p] = -1]
    /\ lastAction' = [name |-> "NextHeight", p |-> p]
    /\ UNCHANGED <<decision, msgsPropose, msgsPrevote, msgsPrecommit>>

-----------------------------------------------------------------------------
(************************ Actions of Byzantine validators ******************)
(* A Faulty validator may send any message a correct validator would react *)
(* to, in any height and round, several per round (equivocation), limited  *)
(* only by the model bound MaxByzantineMessages. It cannot forge messages  *)
(* of correct validators (signatures).                                     *)

ByzantineBudgetLeft == ByzantineMessageCount < MaxByzantineMessages

ByzantinePropose(b, h, r, v, vr) ==
    /\ b = Proposer(h, r)
    /\ vr \in -1..(r - 1)
    /\ ByzantineBudgetLeft
    /\ ProposalMsg(b, h, r, v, vr) \notin msgsPropose
    /\ msgsPropose' = msgsPropose \union {ProposalMsg(b, h, r, v, vr)}
    /\ lastAction' = [name |-> "ByzantinePropose", p |-> b, height |-> h,
                      round |-> r, value |-> v, validRound |-> vr]
    /\ UNCHANGED <<height, round, step, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPrevote, msgsPrecommit>>

ByzantinePrevote(b, h, r, v) ==
    /\ ByzantineBudgetLeft
    /\ PrevoteMsg(b, h, r, v) \notin msgsPrevote
    /\ msgsPrevote' = msgsPrevote \union {PrevoteMsg(b, h, r, v)}
    /\ lastAction' = [name |-> "ByzantinePrevote", p |-> b, height |-> h,
                      round |-> r, value |-> v]
    /\ UNCHANGED <<height, round, step, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrecommit>>

ByzantinePrecommit(b, h, r, v) ==
    /\ ByzantineBudgetLeft
    /\ PrecommitMsg(b, h, r, v) \notin msgsPrecommit
    /\ msgsPrecommit' = msgsPrecommit \union {PrecommitMsg(b, h, r, v)}
    /\ lastAction' = [name |-> "ByzantinePrecommit", p |-> b, height |-> h,
                      round |-> r, value |-> v]
    /\ UNCHANGED <<height, round, step, decision, lockedValue, lockedRound,
                   validValue, validRound, msgsPropose, msgsPrevote>>

-----------------------------------------------------------------------------
Next ==
    \/ \E p \in Corr, v \in ValidValues, vr \in -1..MaxRound : Propose(p, v, vr)
    \/ \E p \in Corr, v \in Values : PrevoteOnProposal(p, v)
    \/ \E p \in Corr, v \in Values, vr \in Rounds : PrevoteOnProposalWithPOL(p, v, vr)
    \/ \E p \in Corr : TimeoutPropose(p)
    \/ \E p \in Corr : TimeoutPrevote(p)
    \/ \E p \in Corr, v \in ValidValues : LockOnPOL(p, v)
    \/ \E p \in Corr : PrecommitOnNilQuorum(p)
    \/ \E p \in Corr : TimeoutPrecommit(p)
    \/ \E p \in Corr, v \in ValidValues, rd \in Rounds : Decide(p, v, rd)
    \/ \E p \in Corr, rd \in Rounds : RoundSkip(p, rd)
    \/ \E p \in Corr : NextHeight(p)
    \/ \E b \in Faulty, h \in Heights, r \in Rounds, v \in Values, vr \in -1..MaxRound :
          ByzantinePropose(b, h, r, v, vr)
    \/ \E b \in Faulty, h \in Heights, r \in Rounds, v \in ValidValues \union {Nil} :
          ByzantinePrevote(b, h, r, v)
    \/ \E b \in Faulty, h \in Heights, r \in Rounds, v \in ValidValues \union {Nil} :
          ByzantinePrecommit(b, h, r, v)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(******************************** Invariants ******************************)

TypeOK ==
    /\ height \in [Corr -> Heights]
    /\ round \in [Corr -> Rounds]
    /\ step \in [Corr -> Steps]
    /\ decision \in [Corr -> [Heights -> Values \union {Nil}]]
    /\ lockedValue \in [Corr -> Values \union {Nil}]
    /\ lockedRound \in [Corr -> -1..MaxRound]
    /\ validValue \in [Corr -> Values \union {Nil}]
    /\ validRound \in [Corr -> -1..MaxRound]
    /\ msgsPropose \subseteq ProposalType
    /\ msgsPrevote \subseteq PrevoteType
    /\ msgsPrecommit \subseteq PrecommitType
    /\ \A m \in msgsPropose : m.validRound < m.round
    /\ lastAction.name \in ActionNames

\* [CONS-AGREEMENT.1] No two correct validators decide differently at a height.
AgreementInv ==
    \A p, q \in Corr, h \in Heights :
        (decision[p][h] # Nil /\ decision[q][h] # Nil) => decision[p][h] = decision[q][h]

\* [CONS-VALIDITY.1] A decided value is valid and was proposed at that
\* height by a proposer of that height.
ValidityInv ==
    \A p \in Corr, h \in Heights :
        decision[p][h] # Nil =>
            /\ IsValid(decision[p][h])
            /\ \E m \in msgsPropose :
                  /\ m.height = h
                  /\ m.value = decision[p][h]
                  /\ m.src = Proposer(h, m.round)

(************************ Misbehaviour (evidence) **************************)
(* Computed from the message sets alone, as ACTIONS.md defines them.      *)

\* Two different messages of one kind from b at the same (h, round).
Equivocation(b, h) ==
    \/ \E m1, m2 \in msgsPropose :
          m1.src = b /\ m2.src = b /\ m1.height = h /\ m2.height = h
          /\ m1.round = m2.round /\ m1 # m2
    \/ \E m1, m2 \in msgsPrevote :
          m1.src = b /\ m2.src = b /\ m1.height = h /\ m2.height = h
          /\ m1.round = m2.round /\ m1 # m2
    \/ \E m1, m2 \in msgsPrecommit :
          m1.src = b /\ m2.src = b /\ m1.height = h /\ m2.height = h
          /\ m1.round = m2.round /\ m1 # m2

\* b precommitted v1 # Nil at (h, r1), later prevoted v2 \notin {Nil, v1} at
\* (h, r2), r1 < r2, and no prevote quorum for v2 in any round r1..r2-1
\* justifies the change.
Amnesia(b, h) ==
    \E pc \in msgsPrecommit, pv \in msgsPrevote :
        /\ pc.src = b /\ pv.src = b
        /\ pc.height = h /\ pv.height = h
        /\ pc.value # Nil
        /\ pv.value \notin {Nil, pc.value}
        /\ pc.round < pv.round
        /\ ~\E r \in pc.round..(pv.round - 1) :
              IsQuorum(Senders(PrevotesFor(h, r, pv.value)))

Misbehaved(h) == {b \in Validators : Equivocation(b, h) \/ Amnesia(b, h)}

\* Two correct validators decided differently at height h.
Disagreement(h) ==
    \E p, q \in Corr : decision[p][h] # Nil /\ decision[q][h] # Nil
                     /\ decision[p][h] # decision[q][h]

\* [CONS-ACCOUNTABILITY.1] If two correct validators decide differently at
\* a height, validators holding strictly more than a third of the power
\* provably misbehaved at that height (two quorums intersect in more than
\* a third, every member of the intersection equivocated or forgot a lock;
\* the bound CometBFT's accountability result states).
AccountabilityInv ==
    \A h \in Heights : Disagreement(h) => 3 * PowerOf(Misbehaved(h)) > TotalPower

\* [CONS-ACCOUNTABILITY.2] No correct validator is ever accused.
NoFalseAccusationInv ==
    \A p \in Corr, h \in Heights : ~Equivocation(p, h) /\ ~Amnesia(p, h)

(******************** Invariants on correct behaviour *********************)
(* Each states, on the message sets and the state, what a rule of the      *)
(* protocol guarantees; the spec mutants (model-check/consensus/           *)
(* ConsensusMutants.tla) show that each fails when its rule is broken.     *)

\* [CONS-VALIDITY.2] A correct validator prevotes and precommits only Nil
\* or valid values (an invalid proposal gets a Nil prevote).
CorrectVotesValidInv ==
    \A m \in msgsPrevote \union msgsPrecommit :
        m.src \in Corr => (m.value = Nil \/ IsValid(m.value))

\* [CONS-PRECOMMIT.1] A correct precommit at (h, r) follows prevotes at
\* (h, r) from a quorum, and a precommit for a value follows a prevote
\* quorum for that value (the lock's proof).
PrecommitJustifiedInv ==
    \A m \in msgsPrecommit :
        m.src \in Corr =>
            /\ IsQuorum(Senders(PrevotesAt(m.height, m.round)))
            /\ m.value # Nil => IsQuorum(Senders(PrevotesFor(m.height, m.round, m.value)))

\* [CONS-COMMIT.1] Every decision has a commit certificate: precommits for
\* the decided value from a quorum in one round of that height.
CommitCertificateInv ==
    \A p \in Corr, h \in Heights :
        decision[p][h] # Nil =>
            \E r \in Rounds : IsQuorum(Senders(PrecommitsFor(h, r, decision[p][h])))

\* [CONS-ROUND.1] A correct validator is in a round r > 0 only after a
\* quorum precommitted in round r - 1: the first correct validator to reach
\* r timed out there, because a round skip needs more than a third of the
\* power in r, hence a correct validator already there. Holds whenever the
\* Byzantine power is at most a third (3 * PowerOf(Faulty) <= TotalPower):
\* Byzantine validators alone cannot drag correct ones into later rounds.
RoundEntryInv ==
    \A p \in Corr :
        round[p] > 0 => IsQuorum(Senders(PrecommitsAt(height[p], round[p] - 1)))

\* [CONS-REPROPOSE.1] A correct proposer proposes its valid value with its
\* valid round. Stated on the state: validRound only moves up to the
\* current round, so for p's own proposal m at p's height, validRound[p]
\* cannot lie strictly between m.validRound and m.round (p would have had a
\* newer valid value than the one it proposed), and if it still equals
\* m.validRound >= 0, validValue[p] is the proposed value.
ReproposalInv ==
    \A p \in Corr, m \in msgsPropose :
        (m.src = p /\ m.height = height[p]) =>
            /\ ~(m.validRound < validRound[p] /\ validRound[p] < m.round)
            /\ (m.validRound >= 0 /\ m.validRound = validRound[p]) => m.value = validValue[p]

-----------------------------------------------------------------------------
(*************************** Reachability witnesses ************************)
(* Deliberately FALSE invariants: TLC must report each one violated, with a *)
(* behaviour that ends in the named action (or situation). A witness that  *)
(* holds means dead code in the spec.                                      *)

Witness_Propose                  == lastAction.name # "Propose"
Witness_PrevoteOnProposal        == lastAction.name # "PrevoteOnProposal"
Witness_PrevoteOnProposalWithPOL == lastAction.name # "PrevoteOnProposalWithPOL"
Witness_TimeoutPropose           == lastAction.name # "TimeoutPropose"
Witness_TimeoutPrevote           == lastAction.name # "TimeoutPrevote"
Witness_LockOnPOL                == lastAction.name # "LockOnPOL"
Witness_PrecommitOnNilQuorum     == lastAction.name # "PrecommitOnNilQuorum"
Witness_TimeoutPrecommit         == lastAction.name # "TimeoutPrecommit"
Witness_Decide                   == lastAction.name # "Decide"
Witness_RoundSkip                == lastAction.name # "RoundSkip"
Witness_NextHeight               == lastAction.name # "NextHeight"
Witness_ByzantinePropose         == lastAction.name # "ByzantinePropose"
Witness_ByzantinePrevote         == lastAction.name # "ByzantinePrevote"
Witness_ByzantinePrecommit       == lastAction.name # "ByzantinePrecommit"

\* Some correct validator decides.
WitnessDecideInv == \A p \in Corr, h \in Heights : decision[p][h] = Nil
\* A correct validator locks in a round above 0 (locking is not only a
\* round-0 affair).
WitnessLateLockInv == \A p \in Corr : lockedRound[p] <= 0
\* A Byzantine validator provably equivocates (Equivocation is satisfiable).
WitnessEquivocationInv == \A b \in Faulty, h \in Heights : ~Equivocation(b, h)
\* A Byzantine validator provably shows amnesia (Amnesia is satisfiable).
WitnessAmnesiaInv == \A b \in Faulty, h \in Heights : ~Amnesia(b, h)

(* Non-vacuity witnesses: each is the negation of an invariant's premise  *)
(* (or of the situation that makes a premise bite) and MUST be violated in *)
(* the model named in models.json, so the invariant is checked in states  *)
(* where its premise holds.                                                *)
\* AccountabilityInv's premise: two correct validators decide differently.
WitnessDisagreementInv == \A h \in Heights : ~Disagreement(h)
\* A disagreement that equivocation alone does not account for: amnesia is
\* needed to reach more than a third of the power.
WitnessAmnesiaNeededInv ==
    \A h \in Heights :
        ~(Disagreement(h)
          /\ 3 * PowerOf({b \in Validators : Equivocation(b, h)}) <= TotalPower)
\* RoundEntryInv's premise: a correct validator in a round above 0.
WitnessRoundInv == \A p \in Corr : round[p] = 0
\* ReproposalInv's second conjunct's premise: a correct proposal carrying a
\* proof of lock (validRound >= 0), i.e. a correct re-proposal.
WitnessReproposalInv == \A m \in msgsPropose : ~(m.src \in Corr /\ m.validRound >= 0)
\* CorrectVotesValidInv bites only if an invalid value is proposed by a
\* round's proposer (only a Byzantine one can).
WitnessInvalidProposalInv ==
    \A m \in msgsPropose : ~(m.src = Proposer(m.height, m.round) /\ ~IsValid(m.value))
\* PrecommitJustifiedInv's premise for a value: a correct precommit on a value.
WitnessValuePrecommitInv == \A m \in msgsPrecommit : ~(m.src \in Corr /\ m.value # Nil)

=============================================================================
