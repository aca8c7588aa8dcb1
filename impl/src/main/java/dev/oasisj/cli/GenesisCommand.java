package dev.oasisj.cli;

import dev.oasisj.core.ledger.Genesis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code oasis genesis}: writes the deterministic local-network genesis (and optionally its key files). */
@Command(name = "genesis", mixinStandardHelpOptions = true,
        description = {"Write a local-network genesis file (keys from --seed)."})
final class GenesisCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Genesis JSON to write (must not exist).")
    @SuppressWarnings("initialization.field.uninitialized")
    Path out;

    @Option(names = "--validators", defaultValue = "4", paramLabel = "N", description = "Validators (default: ${DEFAULT-VALUE}).")
    int validators = 4;

    @Option(names = "--accounts", defaultValue = "8", paramLabel = "M", description = "Funded accounts (default: ${DEFAULT-VALUE}).")
    int accounts = 8;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Key derivation seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--stakes", split = ",", paramLabel = "P1,P2,...",
            description = "Voting power (stake) of each validator, one per validator (default: "
                    + LocalnetSetup.VALIDATOR_POWER + " each).")
    java.util.@org.checkerframework.checker.nullness.qual.Nullable List<Long> stakes;

    @Option(names = "--key-dir", paramLabel = "DIR",
            description = "Also write validator-I.key and account-J.key seed files (mode 600) into DIR.")
    @org.checkerframework.checker.nullness.qual.Nullable Path keyDir;

    @Option(names = "--create-empty-blocks-interval-ticks", paramLabel = "TICKS",
            defaultValue = "" + Genesis.ConsensusParams.RECOMMENDED_EMPTY_BLOCKS_INTERVAL_TICKS,
            description = {"While no transaction is pending, validators start a new height only this many ticks after "
                    + "the last commit (CometBFT's create_empty_blocks_interval); 0 = a block per height even when "
                    + "idle (default: ${DEFAULT-VALUE}, one empty block a second at 1 ms ticks)."})
    long createEmptyBlocksIntervalTicks = Genesis.ConsensusParams.RECOMMENDED_EMPTY_BLOCKS_INTERVAL_TICKS;

    @Override
    public Integer call() {
        if (validators < 1 || validators > 128 || accounts < 0 || accounts > 1_000_000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "need 1 <= --validators <= 128 and 0 <= --accounts <= 1000000");
        }
        Genesis genesis;
        java.util.List<Long> powers = stakes;
        Genesis.ConsensusParams params =
                Genesis.ConsensusParams.DEFAULT.withCreateEmptyBlocksIntervalTicks(createEmptyBlocksIntervalTicks);
        try {
            if (powers == null) {
                genesis = LocalnetSetup.genesis(validators, accounts, seed, params);
            } else {
                if (powers.size() != validators) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--stakes lists "
                            + powers.size() + " powers for " + validators + " validators (--validators)");
                }
                genesis = LocalnetSetup.genesis(powers, accounts, seed, params);
            }
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "genesis: " + e.getMessage());
        }
        try {
            Files.writeString(out, genesis.toJson(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            Path dir = keyDir;
            if (dir != null) {
                for (int i = 0; i < validators; i++) {
                    KeyFiles.write(dir.resolve("validator-" + i + ".key"), LocalnetSetup.validatorKey(i, seed));
                }
                for (int j = 0; j < accounts; j++) {
                    KeyFiles.write(dir.resolve("account-" + j + ".key"), LocalnetSetup.accountKey(j, seed));
                }
            }
        } catch (FileAlreadyExistsException e) {
            spec.commandLine().getErr().println("oasis genesis: " + e.getFile() + " already exists; refusing to overwrite");
            return Main.EXIT_FAILURE;
        } catch (IOException e) {
            spec.commandLine().getErr().println("oasis genesis: " + e);
            return Main.EXIT_FAILURE;
        }
        spec.commandLine().getOut().println("genesis " + genesis.hash().toHex() + " chain=" + genesis.chainId()
                + " validators=" + validators + " accounts=" + accounts + " -> " + out);
        return 0;
    }
}
