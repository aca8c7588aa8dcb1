package dev.oasisj.cli;

import java.util.List;

/** Adds {@code oasis bench} to the launcher (registered in META-INF/services). */
public final class BenchCommands implements CommandProvider {
    @Override
    public List<Object> commands() {
        return List.of(new BenchCommand());
    }
}
