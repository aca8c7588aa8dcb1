package dev.oasisj.core.registry;

/** A role a node registers for. Each role is one bit of the node descriptor's encoded role mask. */
public enum Role {
    /** May be elected to the consensus validator set. */
    VALIDATOR(0x01),
    /** May be elected to runtimes' executor committees (workers and backups). */
    COMPUTE(0x02),
    /** Serves keys to confidential runtimes; needs a TEE ({@link RegistryRejectReason#ROLE_NOT_ALLOWED} otherwise). */
    KEYMANAGER(0x04);

    /** Every bit a role uses; a mask with any other bit set is not a role set. */
    public static final int ALL_BITS = 0x07;

    private final int bit;

    Role(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }
}
