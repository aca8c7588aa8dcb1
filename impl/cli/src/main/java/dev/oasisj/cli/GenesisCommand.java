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
        description = {"Write a local-network genesis file (keys from --seed).",
                "With --services the chain runs the consensus services (staking, registry, epochs with a VRF beacon, "
                        + "committee elections): entity I owns validator I and compute node I and escrows its stake "
                        + "(--stakes, default " + LocalnetSetup.VALIDATOR_STAKE_BASE_UNITS + ") to itself, which is "
                        + "validator I's voting power; one runtime with 2 workers and 1 backup.",
                "With --from FILE the genesis is built from a declaration instead: {\"chainId\": ..., \"accounts\": "
                        + "[{\"publicKey\": HEX, \"balanceBaseUnits\": N}, ...], \"services\": {...}} (the services "
                        + "section declares any entities, nodes, escrows (stakes) and runtimes; its format is in "
                        + "ServicesGenesis); the consensus validators are computed: the set the services elect at "
                        + "genesis, each with its entity's escrow as its power."})
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

    @Option(names = "--services", description = "Run the consensus services (see above) instead of the transfer ledger.")
    boolean services;

    @Option(names = "--epoch-length", paramLabel = "BLOCKS", defaultValue = "" + LocalnetSetup.EPOCH_LENGTH_BLOCKS,
            description = "With --services: blocks per epoch (default: ${DEFAULT-VALUE}).")
    long epochLength = LocalnetSetup.EPOCH_LENGTH_BLOCKS;

    @Option(names = "--key-dir", paramLabel = "DIR",
            description = "Also write validator-I.key and account-J.key seed files (mode 600) into DIR; with "
                    + "--services also entity-I.key and compute-I.key.")
    @org.checkerframework.checker.nullness.qual.Nullable Path keyDir;

    @Option(names = "--from", paramLabel = "FILE",
            description = "Build the genesis from this declaration (see above); not with --validators, --accounts, "
                    + "--stakes, --services, --epoch-length, --seed or --key-dir.")
    @org.checkerframework.checker.nullness.qual.Nullable Path from;

    @Option(names = "--create-empty-blocks-interval-ticks", paramLabel = "TICKS",
            defaultValue = "" + Genesis.ConsensusParams.RECOMMENDED_EMPTY_BLOCKS_INTERVAL_TICKS,
            description = {"While no transaction is pending, validators start a new height only this many ticks after "
                    + "the last commit (CometBFT's create_empty_blocks_interval); 0 = a block per height even when "
                    + "idle (default: ${DEFAULT-VALUE}, one empty block a second at 1 ms ticks)."})
    long createEmptyBlocksIntervalTicks = Genesis.ConsensusParams.RECOMMENDED_EMPTY_BLOCKS_INTERVAL_TICKS;

    @Override
    public Integer call() {
        Path declaration = from;
        if (declaration != null) {
            return fromDeclaration(declaration);
        }
        if (validators < 1 || validators > 128 || accounts < 0 || accounts > 1_000_000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "need 1 <= --validators <= 128 and 0 <= --accounts <= 1000000");
        }
        Genesis genesis;
        java.util.List<Long> powers = stakes;
        Genesis.ConsensusParams params =
                Genesis.ConsensusParams.DEFAULT.withCreateEmptyBlocksIntervalTicks(createEmptyBlocksIntervalTicks);
        try {
            if (services) {
                if (powers != null && powers.size() != validators) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--stakes lists "
                            + powers.size() + " stakes for " + validators + " validators (--validators)");
                }
                java.util.List<Long> stakesOrDefault = new java.util.ArrayList<>();
                for (int i = 0; i < validators; i++) {
                    stakesOrDefault.add(powers == null ? LocalnetSetup.VALIDATOR_STAKE_BASE_UNITS : powers.get(i));
                }
                genesis = LocalnetSetup.servicesGenesis(stakesOrDefault, accounts, seed, params, epochLength);
                dev.oasisj.core.services.ServicesApplication.factory(genesis); // checks the section as a node will
            } else if (powers == null) {
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
        Genesis written = genesis;
        if (!written(() -> {
            Files.writeString(out, written.toJson(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            Path dir = keyDir;
            if (dir != null) {
                for (int i = 0; i < validators; i++) {
                    KeyFiles.write(dir.resolve("validator-" + i + ".key"), LocalnetSetup.validatorKey(i, seed));
                }
                for (int j = 0; j < accounts; j++) {
                    KeyFiles.write(dir.resolve("account-" + j + ".key"), LocalnetSetup.accountKey(j, seed));
                }
                for (int i = 0; services && i < validators; i++) {
                    KeyFiles.write(dir.resolve("entity-" + i + ".key"), LocalnetSetup.entityKey(i, seed));
                    KeyFiles.write(dir.resolve("compute-" + i + ".key"), LocalnetSetup.computeKey(i, seed));
                }
            }
        })) {
            return Main.EXIT_FAILURE;
        }
        spec.commandLine().getOut().println("genesis " + genesis.hash().toHex() + " chain=" + genesis.chainId()
                + " validators=" + validators + " accounts=" + accounts + (services ? " services epochLength="
                        + epochLength : "") + " -> " + out);
        return 0;
    }

    /** Writing the genesis (never over an existing file) and its key files. */
    private interface Output {
        void write() throws IOException;
    }

    /** Runs {@code output}; false after printing why it failed. */
    private boolean written(Output output) {
        try {
            output.write();
            return true;
        } catch (FileAlreadyExistsException e) {
            spec.commandLine().getErr().println("oasis genesis: " + e.getFile() + " already exists; refusing to overwrite");
        } catch (IOException e) {
            spec.commandLine().getErr().println("oasis genesis: " + e);
        }
        return false;
    }

    private picocli.CommandLine.ParameterException bad(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** {@code --from FILE}: a genesis from a declaration of chain id, accounts and the services section. */
    private Integer fromDeclaration(Path declaration) {
        picocli.CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        for (String other : java.util.List.of("--validators", "--accounts", "--stakes", "--services", "--epoch-length",
                "--seed", "--key-dir")) {
            if (pr.hasMatchedOption(other)) {
                throw bad("--from takes everything from the declaration: " + other + " does not apply");
            }
        }
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    Files.readString(declaration, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw bad("--from " + declaration + ": " + e.getMessage());
        }
        java.util.List<String> problems = new java.util.ArrayList<>();
        if (root == null || !root.isObject()) {
            throw bad("--from " + declaration + ": not a JSON object");
        }
        root.fieldNames().forEachRemaining(f -> {
            if (!java.util.Set.of("chainId", "accounts", "services").contains(f)) {
                problems.add(f + ": not a field of a declaration (chainId, accounts, services; the validators are "
                        + "computed)");
            }
        });
        com.fasterxml.jackson.databind.JsonNode chain = root.get("chainId");
        if (chain == null || !chain.isTextual()) {
            problems.add("chainId: missing or not a string");
        }
        java.util.List<Genesis.InitialAccount> initial = Genesis.accountsFromJson(root.get("accounts"), problems);
        com.fasterxml.jackson.databind.JsonNode section = root.get("services");
        if (section == null || !section.isObject()) {
            problems.add("services: missing or not an object");
        }
        if (!problems.isEmpty() || chain == null || section == null) {
            throw bad("--from " + declaration + ": " + String.join("; ", problems));
        }
        Genesis genesis;
        dev.oasisj.core.services.ServicesGenesis parsed;
        try {
            parsed = dev.oasisj.core.services.ServicesGenesis.fromJson(section.toString());
            java.util.List<Genesis.Validator> elected = parsed.electedValidators(chain.asText(), initial);
            genesis = new Genesis(chain.asText(), elected, initial,
                    Genesis.ConsensusParams.DEFAULT.withCreateEmptyBlocksIntervalTicks(createEmptyBlocksIntervalTicks),
                    section.toString());
            dev.oasisj.core.services.ServicesApplication.factory(genesis); // checks the section as a node will
        } catch (dev.oasisj.core.ledger.InvalidGenesisException e) {
            throw bad("--from " + declaration + ": " + String.join("; ", e.problems()));
        } catch (IllegalArgumentException e) {
            throw bad("--from " + declaration + ": " + e.getMessage());
        }
        Genesis written = genesis;
        if (!written(() -> Files.writeString(out, written.toJson(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            return Main.EXIT_FAILURE;
        }
        StringBuilder vs = new StringBuilder();
        for (Genesis.Validator v : genesis.validators()) {
            vs.append(vs.length() == 0 ? "" : ",").append(v.publicKey().shortId()).append('=').append(v.power());
        }
        spec.commandLine().getOut().println("genesis " + genesis.hash().toHex() + " chain=" + genesis.chainId()
                + " validators=" + genesis.validators().size() + " [" + vs + "] accounts=" + initial.size()
                + " services epochLength=" + parsed.parameters().epochLengthBlocks() + " -> " + out);
        return 0;
    }
}
