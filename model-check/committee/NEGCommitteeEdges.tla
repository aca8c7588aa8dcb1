-------------------------- MODULE NEGCommitteeEdges --------------------------
(* Negative models on the constants of MCCommitteeEdges: each .cfg          *)
(* NEGCommitteeEdges_<name>.cfg replaces one definition of the spec by a    *)
(* broken one below (TLC's `<-` override) and checks the one invariant that *)
(* must catch it; TLC must report that invariant violated (exit 12).        *)
EXTENDS MCCommitteeEdges

\* The election skips the eligibility filter: every registered node is drawn.
NEGEligibleAnyRegistered(r, n, E, rg, frz, pool) == rg[n] >= E

\* No entity cap in the draw.
NEGHasRoomAlways(acc, x, cap) == TRUE

\* The allow list of a permissioned runtime read as a deny list.
NEGEligibleDenyList(r, n, E, rg, frz, pool) ==
    LET p == RuntimeParams[r] IN
    /\ rg[n] >= E
    /\ "compute" \in NodeRoles[n]
    /\ n \notin frz
    /\ pool[NodeEntity[n]] >= p.minStake
    /\ p.teeRequired => NodeTEE[n]
    /\ p.permissioned => NodeEntity[n] \notin p.allowed
=============================================================================
