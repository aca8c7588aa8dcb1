package dev.oasisj.core.registry;

import dev.oasisj.core.crypto.PublicKey;
import java.util.Collections;
import java.util.List;

/**
 * Who may serve in a runtime's committees: anyone ({@link Permissionless}) or only the nodes of listed entities
 * ({@link Permissioned}). Requirement [SCHED-ADMISSION] of {@code spec/committee/SEMANTICS.md}.
 */
public sealed interface Admission permits Admission.Permissionless, Admission.Permissioned {

    /** True when nodes of {@code entity} may be elected. */
    boolean allows(PublicKey entity);

    /** Every entity's nodes may be elected. */
    record Permissionless() implements Admission {
        @Override
        public boolean allows(PublicKey entity) {
            return true;
        }
    }

    /**
     * Only nodes of the listed entities may be elected. The list is kept strictly ascending (the canonical order, and
     * so one encoding per set); the constructor refuses another order or a repeated key. An empty list is a value (the
     * codec decodes it) but the registry refuses it as {@link RegistryRejectReason#BAD_PARAMETERS}: no node could ever
     * serve.
     */
    record Permissioned(List<PublicKey> entities) implements Admission {
        public Permissioned {
            entities = List.copyOf(entities);
            for (int i = 1; i < entities.size(); i++) {
                if (entities.get(i - 1).compareTo(entities.get(i)) >= 0) {
                    throw new IllegalArgumentException("admission.entities: not strictly ascending at index " + i);
                }
            }
        }

        @Override
        public boolean allows(PublicKey entity) {
            return Collections.binarySearch(entities, entity) >= 0;
        }
    }
}
