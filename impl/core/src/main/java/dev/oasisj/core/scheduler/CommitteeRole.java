package dev.oasisj.core.scheduler;

/** The group of a runtime's executor committee a node is drawn for; its {@link #code()} is hashed by the sort. */
public enum CommitteeRole {
    WORKER(1),
    BACKUP(2);

    private final int code;

    CommitteeRole(int code) {
        this.code = code;
    }

    /** The byte that stands for this role in {@link SortingHash#encode}. */
    public int code() {
        return code;
    }
}
