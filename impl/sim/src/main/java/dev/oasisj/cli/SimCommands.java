package dev.oasisj.cli;

import java.util.List;

/** Adds {@code oasis localnet} and {@code oasis simulate} to the launcher (registered in META-INF/services). */
public final class SimCommands implements CommandProvider {
    @Override
    public List<Object> commands() {
        return List.of(new LocalnetCommand(), new SimulateCommand());
    }
}
