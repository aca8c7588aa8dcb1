---------------------------- MODULE SIMCommittee ----------------------------
(* GENERATED from CommitteeWorld.java (conformance tests) by CommitteeModelFiles: do not edit.
   Regenerate: mvn -o -pl conformance -am verify -Dmodelcheck.skip=true
     -Dtest=CommitteeModelFilesTest -Dsurefire.failIfNoSpecifiedTests=false -Dcommittee.regenerate=true
   Trace model of every action (see conformance/README.md, committee section).
   NodeKey/EntityKey: rank of the concrete Ed25519 key in Java's key order. Hash[<<E, r, k, n>>]: the
   first 31 bits of the REAL SortingHash.SHA256(beacon(E), E, runtimeId(r), k, nodeKey(n)), with
   beacon(E) = SHA-256("oasisj/conformance/committee/beacon" || E): distinct within each draw, so the
   spec sorts exactly as the Java scheduler with its real hash. SIMNext = Next, EpochTransition
   weighted 10x for TLC's uniform action choice (every action of Next, also the two
   steps the Java cores once refused, findings 1 and 2 of conformance/README.md: Deregister of a frozen
   node, Slash of a deregistered node). *)
EXTENDS CommitteeSelection

CONSTANTS e1, e2, e3, n1, n2, n3, n4, r1, r2

SIMCommitteeEntityKey == e1 :> 2 @@ e2 :> 1 @@ e3 :> 3
SIMCommitteeNodeKey == n1 :> 4 @@ n2 :> 3 @@ n3 :> 1 @@ n4 :> 2
SIMCommitteeNodeEntity == n1 :> e1 @@ n2 :> e1 @@ n3 :> e2 @@ n4 :> e3
SIMCommitteeNodeRoles == n1 :> {"validator", "compute"} @@ n2 :> {"validator", "compute"} @@ n3 :> {"validator", "compute"} @@ n4 :> {"validator", "compute"}
SIMCommitteeNodeTEE == n1 :> TRUE @@ n2 :> FALSE @@ n3 :> TRUE @@ n4 :> TRUE
SIMCommitteeRuntimeParams ==
    r1 :> [workers |-> 2, backups |-> 1, allowedStragglers |-> 1, roundTimeout |-> 1,
           minPoolSize |-> 1, maxNodesPerEntity |-> 1, minStake |-> 1, permissioned |-> FALSE,
           allowed |-> {}, teeRequired |-> FALSE] @@
    r2 :> [workers |-> 1, backups |-> 1, allowedStragglers |-> 0, roundTimeout |-> 1,
           minPoolSize |-> 1, maxNodesPerEntity |-> 1, minStake |-> 2, permissioned |-> TRUE,
           allowed |-> {e1, e2}, teeRequired |-> TRUE]
SIMCommitteeGenesisBalance == e1 :> 2 @@ e2 :> 1 @@ e3 :> 2
SIMCommitteeGenesisEscrow == e1 :> 2 @@ e2 :> 2 @@ e3 :> 1
SIMCommitteeGenesisExpiry == n1 :> 3 @@ n2 :> 2 @@ n3 :> 1 @@ n4 :> -1
SIMCommitteeActions == {"Register", "Deregister", "Transfer", "AddEscrow", "ReclaimEscrow", "Slash", "EpochTransition"}
SIMCommitteeHash ==
    <<0, r1, "worker", n1>> :> 1783797928 @@
    <<0, r1, "worker", n2>> :> 596203782 @@
    <<0, r1, "worker", n3>> :> 1544866907 @@
    <<0, r1, "worker", n4>> :> 1409402308 @@
    <<0, r1, "backup", n1>> :> 405871242 @@
    <<0, r1, "backup", n2>> :> 624655140 @@
    <<0, r1, "backup", n3>> :> 975868083 @@
    <<0, r1, "backup", n4>> :> 363600255 @@
    <<0, r2, "worker", n1>> :> 526551504 @@
    <<0, r2, "worker", n2>> :> 1569772524 @@
    <<0, r2, "worker", n3>> :> 1296160926 @@
    <<0, r2, "worker", n4>> :> 1631506335 @@
    <<0, r2, "backup", n1>> :> 33964802 @@
    <<0, r2, "backup", n2>> :> 1315030924 @@
    <<0, r2, "backup", n3>> :> 506850461 @@
    <<0, r2, "backup", n4>> :> 521115838 @@
    <<1, r1, "worker", n1>> :> 1550342379 @@
    <<1, r1, "worker", n2>> :> 1275252913 @@
    <<1, r1, "worker", n3>> :> 419655145 @@
    <<1, r1, "worker", n4>> :> 721922813 @@
    <<1, r1, "backup", n1>> :> 1499237443 @@
    <<1, r1, "backup", n2>> :> 2043813998 @@
    <<1, r1, "backup", n3>> :> 399363083 @@
    <<1, r1, "backup", n4>> :> 1051369110 @@
    <<1, r2, "worker", n1>> :> 358597089 @@
    <<1, r2, "worker", n2>> :> 76023343 @@
    <<1, r2, "worker", n3>> :> 1369455270 @@
    <<1, r2, "worker", n4>> :> 1850841280 @@
    <<1, r2, "backup", n1>> :> 135935581 @@
    <<1, r2, "backup", n2>> :> 2102478548 @@
    <<1, r2, "backup", n3>> :> 870653736 @@
    <<1, r2, "backup", n4>> :> 328308429 @@
    <<2, r1, "worker", n1>> :> 1981679855 @@
    <<2, r1, "worker", n2>> :> 920465537 @@
    <<2, r1, "worker", n3>> :> 653752686 @@
    <<2, r1, "worker", n4>> :> 1462541191 @@
    <<2, r1, "backup", n1>> :> 220582168 @@
    <<2, r1, "backup", n2>> :> 774799133 @@
    <<2, r1, "backup", n3>> :> 265197444 @@
    <<2, r1, "backup", n4>> :> 681435231 @@
    <<2, r2, "worker", n1>> :> 1538335525 @@
    <<2, r2, "worker", n2>> :> 378071817 @@
    <<2, r2, "worker", n3>> :> 1577501614 @@
    <<2, r2, "worker", n4>> :> 1258857632 @@
    <<2, r2, "backup", n1>> :> 1768545091 @@
    <<2, r2, "backup", n2>> :> 1549616569 @@
    <<2, r2, "backup", n3>> :> 1078914447 @@
    <<2, r2, "backup", n4>> :> 653264436 @@
    <<3, r1, "worker", n1>> :> 926040344 @@
    <<3, r1, "worker", n2>> :> 1670418653 @@
    <<3, r1, "worker", n3>> :> 479890062 @@
    <<3, r1, "worker", n4>> :> 346642338 @@
    <<3, r1, "backup", n1>> :> 597928853 @@
    <<3, r1, "backup", n2>> :> 176297701 @@
    <<3, r1, "backup", n3>> :> 1337336134 @@
    <<3, r1, "backup", n4>> :> 273238000 @@
    <<3, r2, "worker", n1>> :> 1537329457 @@
    <<3, r2, "worker", n2>> :> 1688694634 @@
    <<3, r2, "worker", n3>> :> 1262932432 @@
    <<3, r2, "worker", n4>> :> 1185306537 @@
    <<3, r2, "backup", n1>> :> 1582023999 @@
    <<3, r2, "backup", n2>> :> 51184883 @@
    <<3, r2, "backup", n3>> :> 676094288 @@
    <<3, r2, "backup", n4>> :> 320369762

SIMCommitteeNext ==
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
    \/ EpochTransition
    \/ EpochTransition
    \/ EpochTransition
    \/ EpochTransition
=============================================================================
