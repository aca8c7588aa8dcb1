------------------------- MODULE SIMCommitteeStake --------------------------
(* GENERATED from CommitteeWorld.java (conformance tests) by CommitteeModelFiles: do not edit.
   Regenerate: mvn -o -pl conformance -am verify -Dmodelcheck.skip=true
     -Dtest=CommitteeModelFilesTest -Dsurefire.failIfNoSpecifiedTests=false -Dcommittee.regenerate=true
   Trace model of the money actions, slashing and transitions (see conformance/README.md).
   NodeKey/EntityKey: rank of the concrete Ed25519 key in Java's key order. Hash[<<E, r, k, n>>]: the
   first 31 bits of the REAL SortingHash.SHA256(beacon(E), E, runtimeId(r), k, nodeKey(n)), with
   beacon(E) = SHA-256("oasisj/conformance/committee/beacon" || E): distinct within each draw, so the
   spec sorts exactly as the Java scheduler with its real hash. SIMNext = Next, EpochTransition
   weighted 6x for TLC's uniform action choice (every action of Next, also the two
   steps the Java cores once refused, findings 1 and 2 of conformance/README.md: Deregister of a frozen
   node, Slash of a deregistered node). *)
EXTENDS CommitteeSelection

CONSTANTS e1, e2, e3, n1, n2, n3, r1

SIMCommitteeStakeEntityKey == e1 :> 2 @@ e2 :> 1 @@ e3 :> 3
SIMCommitteeStakeNodeKey == n1 :> 3 @@ n2 :> 2 @@ n3 :> 1
SIMCommitteeStakeNodeEntity == n1 :> e1 @@ n2 :> e2 @@ n3 :> e3
SIMCommitteeStakeNodeRoles == n1 :> {"validator", "compute"} @@ n2 :> {"validator", "compute"} @@ n3 :> {"validator", "compute"}
SIMCommitteeStakeNodeTEE == n1 :> FALSE @@ n2 :> FALSE @@ n3 :> FALSE
SIMCommitteeStakeRuntimeParams ==
    r1 :> [workers |-> 1, backups |-> 1, allowedStragglers |-> 0, roundTimeout |-> 1,
           minPoolSize |-> 2, maxNodesPerEntity |-> 1, minStake |-> 2, permissioned |-> FALSE,
           allowed |-> {}, teeRequired |-> FALSE]
SIMCommitteeStakeGenesisBalance == e1 :> 3 @@ e2 :> 2 @@ e3 :> 1
SIMCommitteeStakeGenesisEscrow == e1 :> 2 @@ e2 :> 1 @@ e3 :> 0
SIMCommitteeStakeGenesisExpiry == n1 :> 4 @@ n2 :> 4 @@ n3 :> 4
SIMCommitteeStakeActions == {"Transfer", "AddEscrow", "ReclaimEscrow", "Slash", "EpochTransition"}
SIMCommitteeStakeHash ==
    <<0, r1, "worker", n1>> :> 1783797928 @@
    <<0, r1, "worker", n2>> :> 596203782 @@
    <<0, r1, "worker", n3>> :> 1544866907 @@
    <<0, r1, "backup", n1>> :> 405871242 @@
    <<0, r1, "backup", n2>> :> 624655140 @@
    <<0, r1, "backup", n3>> :> 975868083 @@
    <<1, r1, "worker", n1>> :> 1550342379 @@
    <<1, r1, "worker", n2>> :> 1275252913 @@
    <<1, r1, "worker", n3>> :> 419655145 @@
    <<1, r1, "backup", n1>> :> 1499237443 @@
    <<1, r1, "backup", n2>> :> 2043813998 @@
    <<1, r1, "backup", n3>> :> 399363083 @@
    <<2, r1, "worker", n1>> :> 1981679855 @@
    <<2, r1, "worker", n2>> :> 920465537 @@
    <<2, r1, "worker", n3>> :> 653752686 @@
    <<2, r1, "backup", n1>> :> 220582168 @@
    <<2, r1, "backup", n2>> :> 774799133 @@
    <<2, r1, "backup", n3>> :> 265197444 @@
    <<3, r1, "worker", n1>> :> 926040344 @@
    <<3, r1, "worker", n2>> :> 1670418653 @@
    <<3, r1, "worker", n3>> :> 479890062 @@
    <<3, r1, "backup", n1>> :> 597928853 @@
    <<3, r1, "backup", n2>> :> 176297701 @@
    <<3, r1, "backup", n3>> :> 1337336134 @@
    <<4, r1, "worker", n1>> :> 82983079 @@
    <<4, r1, "worker", n2>> :> 1790841569 @@
    <<4, r1, "worker", n3>> :> 488782759 @@
    <<4, r1, "backup", n1>> :> 1917347663 @@
    <<4, r1, "backup", n2>> :> 1852803161 @@
    <<4, r1, "backup", n3>> :> 443775165

SIMCommitteeStakeNext ==
    \/ \E x \in Nodes, y \in Epochs : Register(x, y)
    \/ \E x \in Nodes : Deregister(x)
    \/ \E from, to \in Entities, a \in Amounts : Transfer(from, to, a)
    \/ \E d, e \in Entities, a \in Amounts : AddEscrow(d, e, a)
    \/ \E d, e \in Entities : \E s \in 1..shares[e][d] : ReclaimEscrow(d, e, s)
    \/ \E x \in Nodes : Slash(x)
    \/ EpochTransition
    \/ EpochTransition
    \/ EpochTransition
    \/ EpochTransition
    \/ EpochTransition
    \/ EpochTransition
=============================================================================
