package dev.oasisj.cli;

import dev.oasisj.core.beacon.BeaconMethods;
import dev.oasisj.core.beacon.BeaconProof;
import dev.oasisj.core.beacon.BeaconRound;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.registry.Admission;
import dev.oasisj.core.registry.DeregisterNode;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisterEntity;
import dev.oasisj.core.registry.RegisterNode;
import dev.oasisj.core.registry.RegistryMethods;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.registry.RuntimeDescriptor;
import dev.oasisj.core.registry.RuntimeId;
import dev.oasisj.core.staking.AddEscrow;
import dev.oasisj.core.staking.ReclaimEscrow;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.staking.Transfer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code oasis tx} commands of the consensus services: one signed envelope each ({@link EnvelopeTxCommand}). */
final class ServiceTxCommands {
    private ServiceTxCommands() {}

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "staking.Transfer on a services chain: move --amount of the signer's general balance to --to.")
    static final class Send extends EnvelopeTxCommand {
        @Option(names = "--to", required = true, paramLabel = "PUBKEYHEX", description = "Recipient public key.")
        @SuppressWarnings("initialization.field.uninitialized")
        String to;

        @Option(names = "--amount", required = true, paramLabel = "A", description = "Base units (> 0).")
        long amount;

        @Override
        String name() {
            return "send";
        }

        @Override
        Call<?> call(Signer signer) {
            return new Call<>(StakingMethods.TRANSFER, new Transfer(keyOption("--to", to), amount));
        }
    }

    @Command(name = "escrow", mixinStandardHelpOptions = true,
            description = "staking.AddEscrow: delegate --amount of the signer's general balance to --entity's pool "
                    + "(shares at the pool's price). An entity's escrow is its validators' voting power.")
    static final class Escrow extends EnvelopeTxCommand {
        @Option(names = "--entity", required = true, paramLabel = "PUBKEYHEX", description = "The entity's key.")
        @SuppressWarnings("initialization.field.uninitialized")
        String entity;

        @Option(names = "--amount", required = true, paramLabel = "A", description = "Base units (> 0).")
        long amount;

        @Override
        String name() {
            return "escrow";
        }

        @Override
        Call<?> call(Signer signer) {
            return new Call<>(StakingMethods.ADD_ESCROW, new AddEscrow(keyOption("--entity", entity), amount));
        }
    }

    @Command(name = "reclaim", mixinStandardHelpOptions = true,
            description = "staking.ReclaimEscrow: return --shares of --entity's pool; the amount becomes spendable "
                    + "after the debonding delay (in epochs).")
    static final class Reclaim extends EnvelopeTxCommand {
        @Option(names = "--entity", required = true, paramLabel = "PUBKEYHEX", description = "The entity's key.")
        @SuppressWarnings("initialization.field.uninitialized")
        String entity;

        @Option(names = "--shares", required = true, paramLabel = "S", description = "Shares (> 0).")
        long shares;

        @Override
        String name() {
            return "reclaim";
        }

        @Override
        Call<?> call(Signer signer) {
            return new Call<>(StakingMethods.RECLAIM_ESCROW, new ReclaimEscrow(keyOption("--entity", entity), shares));
        }
    }

    @Command(name = "register-entity", mixinStandardHelpOptions = true,
            description = "registry.RegisterEntity: register the signer (--key) as an entity.")
    static final class RegisterEntityCommand extends EnvelopeTxCommand {
        @Override
        String name() {
            return "register-entity";
        }

        @Override
        Call<?> call(Signer signer) {
            return new Call<>(RegistryMethods.REGISTER_ENTITY, new RegisterEntity(signer.publicKey()));
        }
    }

    @Command(name = "register-node", mixinStandardHelpOptions = true,
            description = {"registry.RegisterNode: register (or renew) a node of an entity, signed by both keys.",
                    "The envelope is signed by --key (the entity's or the node's key); the descriptor by "
                            + "--node-key and --entity-key. A node stays registered through --expiry-epoch."})
    static final class RegisterNodeCommand extends EnvelopeTxCommand {
        @Option(names = "--node-key", required = true, paramLabel = "FILE", description = "The node's seed file.")
        @SuppressWarnings("initialization.field.uninitialized")
        Path nodeKey;

        @Option(names = "--entity-key", required = true, paramLabel = "FILE", description = "The entity's seed file.")
        @SuppressWarnings("initialization.field.uninitialized")
        Path entityKey;

        @Option(names = "--roles", required = true, split = ",", paramLabel = "ROLE,...",
                description = "validator, compute, keymanager.")
        @SuppressWarnings("initialization.field.uninitialized")
        List<String> roles;

        @Option(names = "--tee", description = "The node has a TEE.")
        boolean tee;

        @Option(names = "--expiry-epoch", required = true, paramLabel = "E",
                description = "Last epoch of the registration (>= the current epoch).")
        long expiryEpoch;

        @Override
        String name() {
            return "register-node";
        }

        @Override
        Call<?> call(Signer signer) throws IOException {
            EnumSet<Role> set = EnumSet.noneOf(Role.class);
            for (String r : roles) {
                try {
                    set.add(Role.valueOf(r.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw bad("--roles: unknown role '" + r + "' (known: validator, compute, keymanager)");
                }
            }
            if (expiryEpoch < 0) {
                throw bad("--expiry-epoch: negative");
            }
            Signer node = keyFile("--node-key", nodeKey);
            Signer entity = keyFile("--entity-key", entityKey);
            NodeDescriptor d = new NodeDescriptor(node.publicKey(), entity.publicKey(), set, tee, expiryEpoch);
            return new Call<>(RegistryMethods.REGISTER_NODE, RegisterNode.sign(d, chainId, node, entity));
        }
    }

    @Command(name = "deregister-node", mixinStandardHelpOptions = true,
            description = "registry.DeregisterNode: remove a node of the signer's entity from the registry.")
    static final class DeregisterNodeCommand extends EnvelopeTxCommand {
        @Option(names = "--node-id", required = true, paramLabel = "PUBKEYHEX", description = "The node's public key.")
        @SuppressWarnings("initialization.field.uninitialized")
        String node;

        @Override
        String name() {
            return "deregister-node";
        }

        @Override
        Call<?> call(Signer signer) {
            return new Call<>(RegistryMethods.DEREGISTER_NODE, new DeregisterNode(keyOption("--node-id", node)));
        }
    }

    @Command(name = "register-runtime", mixinStandardHelpOptions = true,
            description = "registry.RegisterRuntime: register (or, as its owner, update) a runtime; the signer must be "
                    + "a registered entity.")
    static final class RegisterRuntimeCommand extends EnvelopeTxCommand {
        @Option(names = "--id", required = true, paramLabel = "HEX", description = "Runtime id, 64 hex digits.")
        @SuppressWarnings("initialization.field.uninitialized")
        String id;

        @Option(names = "--workers", defaultValue = "2", description = "Executor group size (default: ${DEFAULT-VALUE}).")
        int workers = 2;

        @Option(names = "--backups", defaultValue = "1", description = "Backup group size (default: ${DEFAULT-VALUE}).")
        int backups = 1;

        @Option(names = "--allowed-stragglers", defaultValue = "0", description = "(default: ${DEFAULT-VALUE}).")
        int stragglers;

        @Option(names = "--round-timeout", defaultValue = "5", description = "Blocks (default: ${DEFAULT-VALUE}).")
        long roundTimeout = 5;

        @Option(names = "--min-pool-size", defaultValue = "2", description = "(default: ${DEFAULT-VALUE}).")
        int minPoolSize = 2;

        @Option(names = "--max-nodes-per-entity", defaultValue = "1", description = "(default: ${DEFAULT-VALUE}).")
        int maxNodesPerEntity = 1;

        @Option(names = "--min-stake", defaultValue = "0", description = "Base units (default: ${DEFAULT-VALUE}).")
        long minStake;

        @Option(names = "--permissioned", split = ",", paramLabel = "PUBKEYHEX,...",
                description = "Only these entities' nodes may serve (default: permissionless).")
        @SuppressWarnings("initialization.field.uninitialized")
        List<String> permissioned = new ArrayList<>();

        @Option(names = "--tee-required", description = "Only nodes with a TEE are eligible.")
        boolean teeRequired;

        @Option(names = "--engine-kind", defaultValue = "0", description = "Opaque, 0..255 (default: ${DEFAULT-VALUE}).")
        int engineKind;

        @Override
        String name() {
            return "register-runtime";
        }

        @Override
        Call<?> call(Signer signer) {
            byte[] raw;
            try {
                raw = HexFormat.of().parseHex(id);
            } catch (IllegalArgumentException e) {
                throw bad("--id: not hexadecimal");
            }
            if (raw.length != Hash32.SIZE_BYTES) {
                throw bad("--id: expected 64 hex digits, got " + id.length());
            }
            Admission admission = new Admission.Permissionless();
            if (!permissioned.isEmpty()) {
                TreeSet<PublicKey> keys = new TreeSet<>();
                for (String k : permissioned) {
                    keys.add(keyOption("--permissioned", k));
                }
                admission = new Admission.Permissioned(List.copyOf(keys));
            }
            return new Call<>(RegistryMethods.REGISTER_RUNTIME, new RuntimeDescriptor(RuntimeId.of(raw), workers,
                    backups, stragglers, roundTimeout, minPoolSize, maxNodesPerEntity, minStake, admission,
                    teeRequired, engineKind));
        }
    }

    @Command(name = "beacon-proof", mixinStandardHelpOptions = true,
            description = {"beacon.SubmitProof: a validator's VRF proof for the current epoch's beacon round.",
                    "--validator-key proves; --epoch and --previous-beacon (query epoch) name the round."})
    static final class BeaconProofCommand extends EnvelopeTxCommand {
        @Option(names = "--validator-key", required = true, paramLabel = "FILE", description = "Validator seed file.")
        @SuppressWarnings("initialization.field.uninitialized")
        Path validatorKey;

        @Option(names = "--epoch", required = true, paramLabel = "E", description = "The current epoch.")
        long epoch;

        @Option(names = "--beacon", required = true, paramLabel = "HEX", description = "The current epoch's beacon.")
        @SuppressWarnings("initialization.field.uninitialized")
        String beacon;

        @Override
        String name() {
            return "beacon-proof";
        }

        @Override
        Call<?> call(Signer signer) throws IOException {
            Hash32 b;
            try {
                b = Hash32.of(HexFormat.of().parseHex(beacon));
            } catch (IllegalArgumentException e) {
                throw bad("--beacon: expected 64 hex digits");
            }
            if (epoch < 0) {
                throw bad("--epoch: negative");
            }
            Signer v = keyFile("--validator-key", validatorKey);
            byte[] proof = v.vrfProve(BeaconRound.alpha(chainId, epoch, b));
            return new Call<>(BeaconMethods.SUBMIT_PROOF, new BeaconProof(v.publicKey(), epoch, proof));
        }
    }
}
