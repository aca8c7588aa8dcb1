package dev.oasisj.cli;

import java.util.List;

/**
 * A service ({@link java.util.ServiceLoader}) that adds subcommands to {@code oasis}. The production command line
 * (module oasisj-cli) has only the production commands; the test-only ones come from the modules that hold them and
 * are found on the launcher's classpath: {@code localnet} and {@code simulate} from oasisj-sim, {@code bench} from
 * oasisj-bench. Register an implementation in {@code META-INF/services/dev.oasisj.cli.CommandProvider}.
 */
public interface CommandProvider {
    /** picocli command objects (classes annotated with {@code @Command}), each added as a subcommand of {@code oasis}. */
    List<Object> commands();
}
