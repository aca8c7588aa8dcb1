------------------------- MODULE CommitteeSelection -------------------------
(***************************************************************************)
(* Registry, staking and scheduler of the Oasis consensus layer: nodes      *)
(* register for epochs, entities hold general balances and escrow pools,    *)
(* and every epoch transition pays rewards, releases matured debonding,     *)
(* elects the validator set and the runtime committees of the next epoch.   *)
(* It follows the semantics agreed in issue 9 (shared with the Java cores); *)
(* the decisions taken where that text is silent are listed in              *)
(* spec/committee/README.md.                                                *)
(*                                                                         *)
(* Layout: constants and genesis checks; variables; the operational         *)
(* election (sorting, greedy pick); the actions; then the invariants, each  *)
(* re-stated declaratively from the state the election saw (the history     *)
(* variable `basis`) and never through the election's own operators.        *)
(***************************************************************************)
EXTENDS Integers, FiniteSets, Sequences, TLC

CONSTANTS
    Entities,              \* entity (and account) identities
    Nodes,                 \* node identities
    Runtimes,              \* runtime identities
    EntityKey,             \* [Entities -> Nat], injective: "entity key ascending"
    NodeKey,               \* [Nodes -> Nat], injective: "node key ascending"
    NodeEntity,            \* [Nodes -> Entities]: the owner of each node
    NodeRoles,             \* [Nodes -> SUBSET Roles]
    NodeTEE,               \* [Nodes -> BOOLEAN]: TEE capability
    RuntimeParams,         \* [Runtimes -> record], fields: see RuntimeOK
    GenesisBalance,        \* [Entities -> Nat]: general balances
    GenesisEscrow,         \* [Entities -> Nat]: each entity's self-delegation
    GenesisCommonPool,     \* Nat
    GenesisExpiry,         \* [Nodes -> -1..MaxEpoch]: -1 = not registered
    DebondingDelay,        \* epochs, >= 1
    SlashAmount,           \* base units taken from the pool per slashing
    RewardPerEpoch,        \* base units per rewarded entity per epoch
    MinValidatorStake,     \* >= 1: voting power is never 0
    MaxValidators,
    MaxValidatorsPerEntity,
    MinValidators,
    MaxEpoch,              \* model bound: epochs 0..MaxEpoch
    Hash,                  \* [HashDomain -> Nat]: Hash(beacon(E), E, R, role, node)
    Amounts,               \* model bound: amounts tried by Transfer and AddEscrow
    EnabledActions         \* model bound: the user actions a model explores

Roles       == {"validator", "compute", "keymanager"}
GroupKinds  == {"worker", "backup"}
Epochs      == 0..MaxEpoch
NotRegistered == -1
HashDomain  == Epochs \X Runtimes \X GroupKinds \X Nodes
UserActions == {"Register", "Deregister", "Transfer", "AddEscrow", "ReclaimEscrow", "Slash",
                "EpochTransition"}
ActionNames == {"Init"} \union UserActions
Reasons     == {"pool", "size", "cap"}   \* why an election failed (suspension)

Min(a, b) == IF a <= b THEN a ELSE b

RECURSIVE SumFn(_, _)
\* Sum of f[x] over the finite set D.
SumFn(f, D) == IF D = {} THEN 0
               ELSE LET x == CHOOSE y \in D : TRUE IN f[x] + SumFn(f, D \ {x})

RECURSIVE SumAmounts(_)
\* Sum of the amount fields of a finite set of records.
SumAmounts(S) == IF S = {} THEN 0
                 ELSE LET x == CHOOSE y \in S : TRUE IN x.amount + SumAmounts(S \ {x})

Injective(f) == \A a, b \in DOMAIN f : f[a] = f[b] => a = b

\* Runtime parameter bounds (a runtime violating them is rejected: BAD_PARAMETERS).
RuntimeOK(p) ==
    /\ p.workers \in Nat /\ p.workers >= 1
    /\ p.backups \in Nat
    /\ p.allowedStragglers \in Nat /\ p.allowedStragglers < p.workers
    /\ p.roundTimeout \in Nat /\ p.roundTimeout >= 1
    /\ p.minPoolSize \in Nat /\ p.minPoolSize >= 1
    /\ p.maxNodesPerEntity \in Nat /\ p.maxNodesPerEntity >= 1
    /\ p.minStake \in Nat
    /\ p.permissioned \in BOOLEAN
    /\ p.allowed \subseteq Entities
    /\ p.teeRequired \in BOOLEAN

\* A genesis the services accept (a negative model may override it, see README).
GenesisOK ==
    /\ EntityKey \in [Entities -> Nat] /\ Injective(EntityKey)
    /\ NodeKey \in [Nodes -> Nat] /\ Injective(NodeKey)
    /\ NodeEntity \in [Nodes -> Entities]
    /\ NodeRoles \in [Nodes -> SUBSET Roles]
    /\ NodeTEE \in [Nodes -> BOOLEAN]
    /\ \A r \in Runtimes : RuntimeOK(RuntimeParams[r])
    /\ GenesisBalance \in [Entities -> Nat]
    /\ GenesisEscrow \in [Entities -> Nat]
    /\ GenesisCommonPool \in Nat
    /\ GenesisExpiry \in [Nodes -> {NotRegistered} \union Epochs]
    /\ DebondingDelay \in Nat /\ DebondingDelay >= 1
    /\ SlashAmount \in Nat /\ RewardPerEpoch \in Nat
    /\ MinValidatorStake \in Nat /\ MinValidatorStake >= 1
    /\ MinValidators \in Nat /\ MinValidators >= 1
    /\ MaxValidators \in Nat /\ MaxValidators >= MinValidators
    /\ MaxValidatorsPerEntity \in Nat /\ MaxValidatorsPerEntity >= 1
    /\ MaxEpoch \in Nat
    /\ Hash \in [HashDomain -> Nat]
    /\ Amounts \subseteq Nat \ {0}
    /\ EnabledActions \subseteq UserActions

ASSUME GenesisOK

GenesisTotal == SumFn(GenesisBalance, Entities) + SumFn(GenesisEscrow, Entities) + GenesisCommonPool

-----------------------------------------------------------------------------
VARIABLES
    epoch,          \* the current epoch
    reg,            \* [Nodes -> -1..MaxEpoch]: expiry epoch, -1 = not registered
    balance,        \* [Entities -> Nat]: general balances
    poolBalance,    \* [Entities -> Nat]: active escrow pool balance of each entity
    shares,         \* [Entities -> [Entities -> Nat]]: shares[e][d] = d's shares in e's pool
    debonding,      \* set of [delegator, entity, amount, end]; one per (delegator, entity, end)
    commonPool,     \* Nat
    frozen,         \* SUBSET Nodes: slashed nodes, frozen until the end of the run
    validators,     \* [V -> Nat] for the validator set V of this epoch: node -> voting power
    valKept,        \* the election of this epoch's validators failed and kept the previous set
    committee,      \* [Runtimes -> [GroupKinds -> Seq(Nodes)]]: this epoch's groups, in election order
    suspended,      \* [Runtimes -> {"none"} \union Reasons]
    \* history variables (written, never read, by the actions):
    basis,          \* what this epoch's elections saw: [epoch, registered, frozen, pool]
    prevValidators, \* the validator set of the previous epoch
    ledger,         \* [Entities -> Int]: genesis balance + transfers in - out - escrow added
    reclaimedIn,    \* [Entities -> [Epochs -> Nat]]: amounts reclaimed by a delegator, per epoch
    lastAction      \* the last action and its parameters

stateVars == <<epoch, reg, balance, poolBalance, shares, debonding, commonPool, frozen, validators,
               valKept, committee, suspended, basis, prevValidators, ledger, reclaimedIn>>
vars == <<stateVars, lastAction>>
witnessView == <<stateVars, lastAction.name>>

-----------------------------------------------------------------------------
(* The election, operationally (this is what the Java scheduler computes). *)

\* The elements of S as a sequence ordered by the strict total order Before.
SortBy(S, Before(_, _)) ==
    [i \in 1..Cardinality(S) |-> CHOOSE x \in S : Cardinality({y \in S : Before(y, x)}) = i - 1]

\* Whether x's entity has fewer than cap nodes in the group acc so far.
HasRoom(acc, x, cap) ==
    Cardinality({i \in 1..Len(acc) : NodeEntity[acc[i]] = NodeEntity[x]}) < cap

RECURSIVE Pick(_, _, _, _)
\* Take the nodes of seq in order, skipping a node whose entity is at cap, until acc has size nodes.
Pick(seq, size, cap, acc) ==
    IF seq = <<>> \/ Len(acc) >= size THEN acc
    ELSE IF HasRoom(acc, Head(seq), cap)
         THEN Pick(Tail(seq), size, cap, Append(acc, Head(seq)))
         ELSE Pick(Tail(seq), size, cap, acc)

Range(s) == {s[i] : i \in 1..Len(s)}

\* Validators: node qualifies for the set of epoch E (rg, frz, pool: the state the election sees).
Qualifies(n, E, rg, frz, pool) ==
    /\ rg[n] >= E
    /\ "validator" \in NodeRoles[n]
    /\ n \notin frz
    /\ pool[NodeEntity[n]] >= MinValidatorStake

\* Ranking: entity active pool balance descending, ties by node key ascending.
StakeBefore(pool, a, b) ==
    \/ pool[NodeEntity[a]] > pool[NodeEntity[b]]
    \/ pool[NodeEntity[a]] = pool[NodeEntity[b]] /\ NodeKey[a] < NodeKey[b]

ElectValidators(E, rg, frz, pool) ==
    LET S == {n \in Nodes : Qualifies(n, E, rg, frz, pool)}
    IN  Range(Pick(SortBy(S, LAMBDA a, b : StakeBefore(pool, a, b)),
                   MaxValidators, MaxValidatorsPerEntity, <<>>))

\* An elected set this small is not installed: the previous set is kept.
KeepPrevious(V) == Cardinality(V) < MinValidators

\* [vals, kept]: the validator set of epoch E given the set old of the epoch before.
ValidatorStep(E, rg, frz, pool, old) ==
    LET V == ElectValidators(E, rg, frz, pool)
    IN  IF KeepPrevious(V) THEN [vals |-> old, kept |-> TRUE]
        ELSE [vals |-> [v \in V |-> pool[NodeEntity[v]]], kept |-> FALSE]

\* Committees: node n is eligible for runtime r in epoch E.
Eligible(r, n, E, rg, frz, pool) ==
    LET p == RuntimeParams[r] IN
    /\ rg[n] >= E
    /\ "compute" \in NodeRoles[n]
    /\ n \notin frz
    /\ pool[NodeEntity[n]] >= p.minStake
    /\ p.teeRequired => NodeTEE[n]
    /\ p.permissioned => NodeEntity[n] \in p.allowed

\* Sorting order of an election: Hash ascending, ties by node key ascending.
HashBefore(E, r, k, a, b) ==
    \/ Hash[<<E, r, k, a>>] < Hash[<<E, r, k, b>>]
    \/ Hash[<<E, r, k, a>>] = Hash[<<E, r, k, b>>] /\ NodeKey[a] < NodeKey[b]

GroupSize(r, k) == IF k = "worker" THEN RuntimeParams[r].workers ELSE RuntimeParams[r].backups

ElectGroup(r, k, E, El) ==
    Pick(SortBy(El, LAMBDA a, b : HashBefore(E, r, k, a, b)), GroupSize(r, k),
         RuntimeParams[r].maxNodesPerEntity, <<>>)

\* "none", or why the election of r fails (checked in this order).
SuspensionReason(r, El, groups) ==
    LET p == RuntimeParams[r] IN
    IF Cardinality(El) < p.minPoolSize THEN "pool"
    ELSE IF Cardinality(El) < p.workers \/ Cardinality(El) < p.backups THEN "size"
    ELSE IF Len(groups["worker"]) < p.workers \/ Len(groups["backup"]) < p.backups THEN "cap"
    ELSE "none"

\* [reason, groups] of runtime r for epoch E.
ElectRuntime(r, E, rg, frz, pool) ==
    LET El     == {n \in Nodes : Eligible(r, n, E, rg, frz, pool)}
        groups == [k \in GroupKinds |-> ElectGroup(r, k, E, El)]
        why    == SuspensionReason(r, El, groups)
    IN  [reason |-> why, groups |-> IF why = "none" THEN groups ELSE [k \in GroupKinds |-> <<>>]]

RECURSIVE PayRewards(_, _, _)
\* Pay RewardPerEpoch to the pools of the entities of seq, in order, while the common pool suffices.
PayRewards(seq, pool, cp) ==
    IF seq = <<>> \/ cp < RewardPerEpoch THEN [pool |-> pool, common |-> cp]
    ELSE PayRewards(Tail(seq), [pool EXCEPT ![Head(seq)] = @ + RewardPerEpoch], cp - RewardPerEpoch)

\* A debonding entry is released at a transition into epoch E >= its end.
Matured(x, E) == x.end <= E

TotalShares(e) == SumFn(shares[e], Entities)

\* Shares issued for amount a paid into a pool of balance B and S shares.
IssuedShares(a, B, S) == IF S = 0 THEN a ELSE (a * S) \div B

\* Amount paid out for s of the S shares of a pool of balance B.
ReclaimedAmount(s, B, S) == (s * B) \div S

\* Adds amount a to the entry (d, e, end), creating it if needed.
AddDebonding(D, d, e, a, end) ==
    LET old == {x \in D : x.delegator = d /\ x.entity = e /\ x.end = end}
        prev == SumAmounts(old)
    IN  (D \ old) \union {[delegator |-> d, entity |-> e, amount |-> prev + a, end |-> end]}

EmptyVals == [n \in {} |-> 0]

-----------------------------------------------------------------------------
Init ==
    LET vs == ValidatorStep(0, GenesisExpiry, {}, GenesisEscrow, EmptyVals)
        el == [r \in Runtimes |-> ElectRuntime(r, 0, GenesisExpiry, {}, GenesisEscrow)]
    IN
    /\ epoch = 0
    /\ reg = GenesisExpiry
    /\ balance = GenesisBalance
    /\ poolBalance = GenesisEscrow
    /\ shares = [e \in Entities |-> [d \in Entities |-> IF d = e THEN GenesisEscrow[e] ELSE 0]]
    /\ debonding = {}
    /\ commonPool = GenesisCommonPool
    /\ frozen = {}
    /\ validators = vs.vals
    /\ valKept = vs.kept
    /\ committee = [r \in Runtimes |-> el[r].groups]
    /\ suspended = [r \in Runtimes |-> el[r].reason]
    /\ basis = [epoch |-> 0, registered |-> {n \in Nodes : GenesisExpiry[n] >= 0}, frozen |-> {},
                 pool |-> GenesisEscrow]
    /\ prevValidators = EmptyVals
    /\ ledger = GenesisBalance
    /\ reclaimedIn = [d \in Entities |-> [c \in Epochs |-> 0]]
    /\ lastAction = [name |-> "Init"]

\* Register a node, or update its registration, with expiry x (>= the current epoch).
Register(n, x) ==
    /\ "Register" \in EnabledActions
    /\ x \in epoch..MaxEpoch
    /\ reg[n] # x
    /\ reg' = [reg EXCEPT ![n] = x]
    /\ lastAction' = [name |-> "Register", node |-> n, expiry |-> x]
    /\ UNCHANGED <<epoch, balance, poolBalance, shares, debonding, commonPool, frozen, validators,
                   valKept, committee, suspended, basis, prevValidators, ledger, reclaimedIn>>

\* Deregister a node registered in the current epoch.
Deregister(n) ==
    /\ "Deregister" \in EnabledActions
    /\ reg[n] >= epoch
    /\ reg' = [reg EXCEPT ![n] = NotRegistered]
    /\ lastAction' = [name |-> "Deregister", node |-> n]
    /\ UNCHANGED <<epoch, balance, poolBalance, shares, debonding, commonPool, frozen, validators,
                   valKept, committee, suspended, basis, prevValidators, ledger, reclaimedIn>>

Transfer(from, to, a) ==
    /\ "Transfer" \in EnabledActions
    /\ from # to
    /\ a <= balance[from]
    /\ balance' = [balance EXCEPT ![from] = @ - a, ![to] = @ + a]
    /\ ledger' = [ledger EXCEPT ![from] = @ - a, ![to] = @ + a]
    /\ lastAction' = [name |-> "Transfer", from |-> from, to |-> to, amount |-> a]
    /\ UNCHANGED <<epoch, reg, poolBalance, shares, debonding, commonPool, frozen, validators,
                   valKept, committee, suspended, basis, prevValidators, reclaimedIn>>

\* Delegator d escrows amount a with entity e.
AddEscrow(d, e, a) ==
    LET new == IssuedShares(a, poolBalance[e], TotalShares(e))
    IN
    /\ "AddEscrow" \in EnabledActions
    /\ a <= balance[d]
    \* a pool whose shares are worth nothing (slashed to 0) takes no new escrow: a new share could not
    \* be priced without diluting the payer or the holders (the reference refuses it too)
    /\ ~(TotalShares(e) > 0 /\ poolBalance[e] = 0)
    /\ new > 0
    /\ balance' = [balance EXCEPT ![d] = @ - a]
    /\ poolBalance' = [poolBalance EXCEPT ![e] = @ + a]
    /\ shares' = [shares EXCEPT ![e][d] = @ + new]
    /\ ledger' = [ledger EXCEPT ![d] = @ - a]
    /\ lastAction' = [name |-> "AddEscrow", delegator |-> d, entity |-> e, amount |-> a]
    /\ UNCHANGED <<epoch, reg, debonding, commonPool, frozen, validators, valKept, committee,
                   suspended, basis, prevValidators, reclaimedIn>>

\* Delegator d reclaims s of its shares in e's pool: the amount starts debonding.
ReclaimEscrow(d, e, s) ==
    LET amount == ReclaimedAmount(s, poolBalance[e], TotalShares(e))
    IN
    /\ "ReclaimEscrow" \in EnabledActions
    /\ s \in 1..shares[e][d]
    /\ amount > 0
    /\ shares' = [shares EXCEPT ![e][d] = @ - s]
    /\ poolBalance' = [poolBalance EXCEPT ![e] = @ - amount]
    /\ debonding' = AddDebonding(debonding, d, e, amount, epoch + DebondingDelay)
    /\ reclaimedIn' = [reclaimedIn EXCEPT ![d][epoch] = @ + amount]
    /\ lastAction' = [name |-> "ReclaimEscrow", delegator |-> d, entity |-> e, shares |-> s]
    /\ UNCHANGED <<epoch, reg, balance, commonPool, frozen, validators, valKept, committee,
                   suspended, basis, prevValidators, ledger>>

\* Evidence against node n (double signing, or a wrong compute result): only a node that has a
\* role in this epoch (validator or committee member) can produce it.
Slashable(n) ==
    \/ n \in DOMAIN validators
    \/ \E r \in Runtimes, k \in GroupKinds : n \in Range(committee[r][k])

Slash(n) ==
    LET e   == NodeEntity[n]
        amt == Min(SlashAmount, poolBalance[e])
    IN
    /\ "Slash" \in EnabledActions
    /\ n \notin frozen
    /\ Slashable(n)
    /\ frozen' = frozen \union {n}
    /\ poolBalance' = [poolBalance EXCEPT ![e] = @ - amt]
    /\ commonPool' = commonPool + amt
    /\ lastAction' = [name |-> "Slash", node |-> n]
    /\ UNCHANGED <<epoch, reg, balance, shares, debonding, validators, valKept, committee,
                   suspended, basis, prevValidators, ledger, reclaimedIn>>

\* Epoch E -> E + 1: rewards for E, matured debonding, validators for E + 1, committees for E + 1.
EpochTransition ==
    LET E1       == epoch + 1
        rewarded == {NodeEntity[v] : v \in DOMAIN validators}
        paid     == PayRewards(SortBy(rewarded, LAMBDA a, b : EntityKey[a] < EntityKey[b]),
                               poolBalance, commonPool)
        mat      == {x \in debonding : Matured(x, E1)}
        vs       == ValidatorStep(E1, reg, frozen, paid.pool, validators)
        el       == [r \in Runtimes |-> ElectRuntime(r, E1, reg, frozen, paid.pool)]
    IN
    /\ "EpochTransition" \in EnabledActions
    /\ epoch < MaxEpoch
    /\ epoch' = E1
    /\ poolBalance' = paid.pool
    /\ commonPool' = paid.common
    /\ balance' = [d \in Entities |-> balance[d] + SumAmounts({x \in mat : x.delegator = d})]
    /\ debonding' = debonding \ mat
    /\ validators' = vs.vals
    /\ valKept' = vs.kept
    /\ prevValidators' = validators
    /\ committee' = [r \in Runtimes |-> el[r].groups]
    /\ suspended' = [r \in Runtimes |-> el[r].reason]
    /\ basis' = [epoch |-> E1, registered |-> {n \in Nodes : reg[n] >= E1}, frozen |-> frozen,
                  pool |-> paid.pool]
    /\ lastAction' = [name |-> "EpochTransition", epoch |-> E1, rewarded |-> rewarded,
                      paid |-> {e \in rewarded : paid.pool[e] # poolBalance[e]}]
    /\ UNCHANGED <<reg, shares, frozen, ledger, reclaimedIn>>

Next ==
    \/ \E n \in Nodes, x \in Epochs : Register(n, x)
    \/ \E n \in Nodes : Deregister(n)
    \/ \E from, to \in Entities, a \in Amounts : Transfer(from, to, a)
    \/ \E d, e \in Entities, a \in Amounts : AddEscrow(d, e, a)
    \/ \E d, e \in Entities : \E s \in 1..shares[e][d] : ReclaimEscrow(d, e, s)
    \/ \E n \in Nodes : Slash(n)
    \/ EpochTransition

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants. Each is stated from the state the elections saw (basis) and *)
(* the constants, without the election's operators above.                   *)

TypeOK ==
    /\ epoch \in Epochs
    /\ reg \in [Nodes -> {NotRegistered} \union Epochs]
    /\ balance \in [Entities -> 0..GenesisTotal]
    /\ poolBalance \in [Entities -> 0..GenesisTotal]
    /\ \A e \in Entities : shares[e] \in [Entities -> Nat]
    /\ \A x \in debonding : x.delegator \in Entities /\ x.entity \in Entities
                            /\ x.amount \in 1..GenesisTotal /\ x.end \in Nat
    /\ commonPool \in 0..GenesisTotal
    /\ frozen \subseteq Nodes
    /\ DOMAIN validators \subseteq Nodes /\ \A v \in DOMAIN validators : validators[v] \in 1..GenesisTotal
    /\ valKept \in BOOLEAN
    /\ \A r \in Runtimes, k \in GroupKinds : committee[r][k] \in Seq(Nodes)
    /\ suspended \in [Runtimes -> {"none"} \union Reasons]
    /\ basis.epoch = epoch
    /\ ledger \in [Entities -> Int]
    /\ reclaimedIn \in [Entities -> [Epochs -> Nat]]
    /\ lastAction.name \in ActionNames

\* The invariants' own statement of eligibility for runtime r in the elected epoch.
ElectedFrom(r, n) ==
    LET b == basis
        p == RuntimeParams[r]
        e == NodeEntity[n]
    IN  /\ n \in b.registered
        /\ "compute" \in NodeRoles[n]
        /\ n \notin b.frozen
        /\ b.pool[e] >= p.minStake
        /\ (p.teeRequired => NodeTEE[n])
        /\ (p.permissioned => e \in p.allowed)

Group(r, k) == committee[r][k]
Members(r, k) == {committee[r][k][i] : i \in 1..Len(committee[r][k])}
Size(r, k) == IF k = "worker" THEN RuntimeParams[r].workers ELSE RuntimeParams[r].backups

\* [SCHED-ELIGIBLE] every elected node was eligible for that runtime in that epoch.
SchedEligibleInv ==
    \A r \in Runtimes, k \in GroupKinds : \A n \in Members(r, k) : ElectedFrom(r, n)

\* [SCHED-SIZE] a runtime that is not suspended has groups of exactly their size, without
\* repetition; a suspended one has no group and a recorded reason.
SchedSizeInv ==
    \A r \in Runtimes :
        IF suspended[r] = "none"
        THEN \A k \in GroupKinds : /\ Len(Group(r, k)) = Size(r, k)
                                   /\ Cardinality(Members(r, k)) = Len(Group(r, k))
        ELSE /\ suspended[r] \in Reasons
             /\ \A k \in GroupKinds : Group(r, k) = <<>>

\* [SCHED-ENTITY-CAP] no entity has more than maxNodesPerEntity nodes in one group.
SchedEntityCapInv ==
    \A r \in Runtimes, k \in GroupKinds, e \in Entities :
        Cardinality({i \in 1..Len(Group(r, k)) : NodeEntity[Group(r, k)[i]] = e})
            <= RuntimeParams[r].maxNodesPerEntity

\* [SCHED-ADMISSION] a permissioned runtime elects only nodes of listed entities.
SchedAdmissionInv ==
    \A r \in Runtimes : RuntimeParams[r].permissioned =>
        \A k \in GroupKinds : \A n \in Members(r, k) : NodeEntity[n] \in RuntimeParams[r].allowed

\* [SCHED-ORDER] (added) a group is listed in hash order, and an eligible node is in it exactly
\* when fewer than the group size, and fewer than the entity cap of its own entity, of the group's
\* nodes come before it in hash order (the unique outcome of the greedy draw).
SchedOrderInv ==
    \A r \in Runtimes, k \in GroupKinds : suspended[r] = "none" =>
        LET g    == Group(r, k)
            h(n) == Hash[<<basis.epoch, r, k, n>>]
            Earlier(a, b) == h(a) < h(b) \/ (h(a) = h(b) /\ NodeKey[a] < NodeKey[b])
            cap  == RuntimeParams[r].maxNodesPerEntity
        IN  /\ \A i, j \in 1..Len(g) : i < j => Earlier(g[i], g[j])
            /\ \A x \in {n \in Nodes : ElectedFrom(r, n)} :
                   x \in Members(r, k) <=>
                       /\ Cardinality({i \in 1..Len(g) : Earlier(g[i], x)}) < Size(r, k)
                       /\ Cardinality({i \in 1..Len(g) : Earlier(g[i], x)
                                                        /\ NodeEntity[g[i]] = NodeEntity[x]}) < cap

\* [SCHED-SUSPEND] (added) a runtime is suspended exactly when the eligible pool is below
\* minPoolSize ("pool"), else below workers or backups ("size"), else when the entity cap leaves
\* fewer selectable nodes than a group needs ("cap": at most cap nodes of each entity).
SchedSuspendInv ==
    \A r \in Runtimes :
        LET p    == RuntimeParams[r]
            El   == {n \in Nodes : ElectedFrom(r, n)}
            room == SumFn([e \in Entities |->
                              Min(p.maxNodesPerEntity, Cardinality({n \in El : NodeEntity[n] = e}))],
                          Entities)
        IN  suspended[r] =
                IF Cardinality(El) < p.minPoolSize THEN "pool"
                ELSE IF Cardinality(El) < p.workers \/ Cardinality(El) < p.backups THEN "size"
                ELSE IF room < p.workers \/ room < p.backups THEN "cap"
                ELSE "none"

\* [SCHED-VALIDATORS] the validator set is exactly the top of the stake ranking under both caps,
\* with its entities' pool balances as voting power, or (when that top is smaller than
\* MinValidators) the previous set, kept.
SchedValidatorsInv ==
    LET b == basis
        S == {n \in Nodes : /\ n \in b.registered
                            /\ "validator" \in NodeRoles[n]
                            /\ n \notin b.frozen
                            /\ b.pool[NodeEntity[n]] >= MinValidatorStake}
        Above(x, y) == \/ b.pool[NodeEntity[x]] > b.pool[NodeEntity[y]]
                       \/ b.pool[NodeEntity[x]] = b.pool[NodeEntity[y]] /\ NodeKey[x] < NodeKey[y]
        IsTop(V) == \A x \in S :
                        x \in V <=> /\ Cardinality({v \in V : Above(v, x)}) < MaxValidators
                                    /\ Cardinality({v \in V : Above(v, x) /\ NodeEntity[v] = NodeEntity[x]})
                                           < MaxValidatorsPerEntity
    IN  IF valKept
        THEN /\ validators = prevValidators
             /\ \E V \in SUBSET S : IsTop(V) /\ Cardinality(V) < MinValidators
        ELSE /\ DOMAIN validators \subseteq S
             /\ IsTop(DOMAIN validators)
             /\ Cardinality(DOMAIN validators) >= MinValidators
             /\ \A v \in DOMAIN validators : validators[v] = b.pool[NodeEntity[v]]

\* [STAKE-SUPPLY] general balances + active pools + debonding + common pool = the genesis total.
StakeSupplyInv ==
    SumFn(balance, Entities) + SumFn(poolBalance, Entities) + SumAmounts(debonding) + commonPool
        = GenesisTotal

\* An amount reclaimed in epoch c may be spendable in the current epoch: an epoch transition
\* happened since, into an epoch >= c + DebondingDelay.
SpendableNow(c) == epoch > c /\ epoch >= c + DebondingDelay

\* [STAKE-DEBOND] each general balance is its transfers-and-escrow ledger plus exactly the
\* reclaimed amounts that are spendable by now (not one earlier, not one later), and each
\* delegator's debonding entries hold exactly its reclaimed amounts that are not.
StakeDebondInv ==
    \A d \in Entities :
        /\ balance[d] = ledger[d] + SumFn([c \in Epochs |-> IF SpendableNow(c) THEN reclaimedIn[d][c] ELSE 0],
                                          Epochs)
        /\ SumAmounts({x \in debonding : x.delegator = d})
               = SumFn([c \in Epochs |-> IF SpendableNow(c) THEN 0 ELSE reclaimedIn[d][c]], Epochs)

\* [STAKE-SHARES] (added) the share arithmetic over every pool of balance B and S shares with
\* B, S in R (B, S > 0): shares issued for an amount never lower the value of a share (holders
\* are not diluted), never give the payer a claim above its amount, and leave it short of less
\* than one share; an amount reclaimed never exceeds the claim of the shares returned and is less
\* than one unit below it. A property of the two operators the actions use, checked on a range
\* (MCCommitteeShares), not in every state. Pools with S = 0 are excluded (the payer gets
\* shares = amount); a pool with S > 0 and B = 0 takes no escrow (AddEscrow).
ShareMath(R) ==
    \A B, S \in R \ {0} :
        /\ \A a \in R \ {0} :
               LET n == IssuedShares(a, B, S) IN
               /\ (B + a) * S >= B * (S + n)
               /\ n * (B + a) <= a * (S + n)
               /\ (n + 1) * B > a * S
        /\ \A s \in 1..S :
               LET m == ReclaimedAmount(s, B, S) IN
               /\ m * S <= s * B
               /\ (m + 1) * S > s * B

-----------------------------------------------------------------------------
(* Witnesses: deliberately false invariants; TLC must report each violated. *)

Witness_Register        == lastAction.name # "Register"
Witness_Deregister      == lastAction.name # "Deregister"
Witness_Transfer        == lastAction.name # "Transfer"
Witness_AddEscrow       == lastAction.name # "AddEscrow"
Witness_ReclaimEscrow   == lastAction.name # "ReclaimEscrow"
Witness_Slash           == lastAction.name # "Slash"
Witness_EpochTransition == lastAction.name # "EpochTransition"

\* A committee elected (not suspended, non-empty) after the first epoch: SCHED-ELIGIBLE, -SIZE,
\* -ENTITY-CAP, -ORDER say something there.
WitnessCommitteeInv ==
    ~(epoch >= 1 /\ \E r \in Runtimes : suspended[r] = "none" /\ Group(r, "worker") # <<>>)
\* A suspension for each reason, after the first epoch.
WitnessSuspendedPoolInv == ~(epoch >= 1 /\ \E r \in Runtimes : suspended[r] = "pool")
WitnessSuspendedSizeInv == ~(epoch >= 1 /\ \E r \in Runtimes : suspended[r] = "size")
WitnessSuspendedCapInv  == ~(epoch >= 1 /\ \E r \in Runtimes : suspended[r] = "cap")
\* The entity cap binds: an eligible node left out of a group in which its entity is at cap.
WitnessCapBindsInv ==
    ~(epoch >= 1 /\ \E r \in Runtimes, k \in GroupKinds :
        /\ suspended[r] = "none"
        /\ \E x \in {n \in Nodes : ElectedFrom(r, n)} \ Members(r, k) :
               Cardinality({i \in 1..Len(Group(r, k)) : NodeEntity[Group(r, k)[i]] = NodeEntity[x]})
                   = RuntimeParams[r].maxNodesPerEntity)
\* A permissioned runtime elects a committee while a node of an unlisted entity is otherwise
\* eligible (registered compute node, not frozen, enough stake, TEE if required).
WitnessAdmissionInv ==
    ~(epoch >= 1 /\ \E r \in Runtimes :
        /\ RuntimeParams[r].permissioned
        /\ suspended[r] = "none"
        /\ \E n \in Nodes : /\ NodeEntity[n] \notin RuntimeParams[r].allowed
                            /\ n \in basis.registered /\ "compute" \in NodeRoles[n]
                            /\ n \notin basis.frozen
                            /\ basis.pool[NodeEntity[n]] >= RuntimeParams[r].minStake
                            /\ (RuntimeParams[r].teeRequired => NodeTEE[n]))
\* A frozen node that is otherwise eligible at an election (the frozen test matters).
WitnessFrozenExcludedInv ==
    ~(\E n \in basis.frozen : n \in basis.registered /\ "compute" \in NodeRoles[n])
\* The previous validator set kept after the first epoch.
WitnessKeptInv == ~(epoch >= 1 /\ valKept)
\* A qualified node left out of the validator set (a cap binds) after the first epoch.
WitnessValidatorCapInv ==
    ~(epoch >= 1 /\ ~valKept /\
      \E n \in Nodes \ DOMAIN validators :
          n \in basis.registered /\ "validator" \in NodeRoles[n] /\ n \notin basis.frozen
          /\ basis.pool[NodeEntity[n]] >= MinValidatorStake)
\* Reclaimed stake became spendable (a debonding entry was released).
WitnessReleasedInv == ~(\E d \in Entities, c \in Epochs : SpendableNow(c) /\ reclaimedIn[d][c] > 0)
\* Two elected nodes of one group with equal hashes (the node key breaks the tie).
WitnessHashTieInv ==
    ~(\E r \in Runtimes, k \in GroupKinds :
        \E i, j \in 1..Len(Group(r, k)) :
            i < j /\ Hash[<<basis.epoch, r, k, Group(r, k)[i]>>] = Hash[<<basis.epoch, r, k, Group(r, k)[j]>>])
\* A transition in which the common pool could not pay every entity of the ending set.
WitnessRewardsShortInv ==
    ~(/\ lastAction.name = "EpochTransition"
      /\ RewardPerEpoch > 0
      /\ lastAction.paid # {}
      /\ lastAction.rewarded \ lastAction.paid # {})
\* A slashed pool: the pool lost less than SlashAmount because it held less.
WitnessSlashAllInv == ~(\E n \in frozen : poolBalance[NodeEntity[n]] = 0 /\ TotalShares(NodeEntity[n]) > 0)

=============================================================================
