package dev.oasisj.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.oasisj.cli.LocalnetSetup;
import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.app.BlockContext;
import dev.oasisj.core.app.Misbehaviour;
import dev.oasisj.core.beacon.BeaconMethods;
import dev.oasisj.core.beacon.BeaconProof;
import dev.oasisj.core.beacon.BeaconRejectReason;
import dev.oasisj.core.crypto.EcVrf;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.core.registry.Admission;
import dev.oasisj.core.registry.DeregisterNode;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisterEntity;
import dev.oasisj.core.registry.RegisterNode;
import dev.oasisj.core.registry.RegistryMethods;
import dev.oasisj.core.registry.RegistryRejectReason;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.registry.RuntimeDescriptor;
import dev.oasisj.core.registry.RuntimeId;
import dev.oasisj.core.services.ServicesApplication;
import dev.oasisj.core.staking.AddEscrow;
import dev.oasisj.core.staking.ReclaimEscrow;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.staking.StakingRejectReason;
import dev.oasisj.core.staking.Transfer;
import dev.oasisj.core.tx.Fee;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.SignedTransactionCodec;
import dev.oasisj.core.tx.TxMethod;
import dev.oasisj.core.tx.TxRejectReason;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Interprets fuzzer bytes as a program against the consensus services ({@link ServicesApplication} of the local
 * services network, {@link LocalnetSetup#servicesGenesis}, epochs of 2 blocks so that transitions come often), and
 * checks every step:
 * <ul>
 *   <li>{@code checkTx} never throws; a refusal leaves the state root and the pending count unchanged and names a
 *       documented reason: an envelope reason, or {@code service.REASON} of the method's own service;</li>
 *   <li>an admission adds exactly one pending transaction and leaves the committed root unchanged;</li>
 *   <li>a block built from the pending transactions (with fuzzer-chosen evidence) is accepted by a replica with the
 *       same root; both commit it; the invariants hold ({@code checkInvariants}: supply conserved, a validator set).</li>
 * </ul>
 * {@code service} restricts the signed calls to one service ("staking", "registry", "beacon"), or null for all; raw
 * byte blobs are tried in every mode.
 */
final class ServicesProgram {
    static final int MAX_STEPS = 12;
    static final long SEED = 7;
    static final Genesis GENESIS = LocalnetSetup.servicesGenesis(List.of(10_000L, 10_000L, 10_000L, 10_000L), 2,
            SEED, Genesis.ConsensusParams.DEFAULT, 2);
    static final ApplicationFactory FACTORY = ServicesApplication.factory(GENESIS);
    static final String CHAIN = GENESIS.chainId();

    private static final List<String> ENVELOPE_REASONS = List.of("MALFORMED", "WRONG_CHAIN", "DUPLICATE",
            "MEMPOOL_FULL", "SENDER_LIMIT", "BAD_SIGNATURE", "BAD_NONCE", "INSUFFICIENT_BALANCE");

    /** The keys the program signs with: entities, validator and compute nodes, accounts, and a stranger. */
    private static final List<Signer> KEYS = keys();

    private static List<Signer> keys() {
        List<Signer> k = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            k.add(LocalnetSetup.entityKey(i, SEED));
            k.add(LocalnetSetup.validatorKey(i, SEED));
            k.add(LocalnetSetup.computeKey(i, SEED));
        }
        k.add(LocalnetSetup.accountKey(0, SEED));
        k.add(LocalnetSetup.accountKey(1, SEED));
        k.add(Signer.deterministic("stranger", SEED));
        return List.copyOf(k);
    }

    private final String service;
    private final ServicesApplication app = (ServicesApplication) FACTORY.genesis();
    private final ServicesApplication replica = (ServicesApplication) FACTORY.genesis();
    private long height;

    ServicesProgram(String service) {
        this.service = service;
    }

    void run(FuzzedDataProvider data) {
        for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
            int kind = data.consumeInt(0, 9);
            if (kind == 0) {
                submit(data.consumeBytes(data.consumeInt(0, 600)), null);
            } else if (kind <= 2) {
                block(data);
            } else {
                signedCall(data);
            }
        }
        block(data);
    }

    private Signer key(FuzzedDataProvider data) {
        return KEYS.get(data.consumeInt(0, KEYS.size() - 1));
    }

    private void signedCall(FuzzedDataProvider data) {
        Signer signer = key(data);
        long committedNonce = app.state().staking().account(signer.publicKey()).nonce();
        long nonce = data.consumeBoolean() ? committedNonce + data.consumeInt(0, 2) : data.consumeLong();
        long fee = data.consumeBoolean() ? data.consumeInt(0, 50) : data.consumeLong();
        String chain = data.consumeInt(0, 15) == 0 ? "other-chain" : CHAIN;
        String svc = service != null ? service : List.of("staking", "registry", "beacon").get(data.consumeInt(0, 2));
        Call<?> call = switch (svc) {
            case "staking" -> staking(data);
            case "registry" -> registry(data, signer);
            default -> beacon(data);
        };
        byte[] body = call.body();
        if (data.consumeInt(0, 7) == 0 && body.length > 0) {
            body[data.consumeInt(0, body.length - 1)] ^= (byte) data.consumeInt(1, 255); // a corrupted body
        }
        if (nonce < 0 || fee < 0) {
            return; // the envelope cannot carry them (its constructor refuses); the raw step covers such bytes
        }
        byte[] tx = SignedTransactionCodec.encode(SignedTransaction.sign(signer, chain, nonce, new Fee(fee, 0),
                call.method().name(), body));
        if (data.consumeInt(0, 15) == 0) {
            tx[tx.length - 1 - data.consumeInt(0, 63)] ^= 1; // a broken signature
        }
        submit(tx, svc);
    }

    private record Call<T extends Object>(TxMethod<T> method, T value) {
        byte[] body() {
            return method.codec().encode(value);
        }
    }

    private static long amount(FuzzedDataProvider data) {
        return data.consumeBoolean() ? data.consumeLong(0, 20_000) : data.consumeLong(0, Long.MAX_VALUE);
    }

    private Call<?> staking(FuzzedDataProvider data) {
        PublicKey target = key(data).publicKey();
        return switch (data.consumeInt(0, 2)) {
            case 0 -> new Call<>(StakingMethods.TRANSFER, new Transfer(target, amount(data)));
            case 1 -> new Call<>(StakingMethods.ADD_ESCROW, new AddEscrow(target, amount(data)));
            default -> new Call<>(StakingMethods.RECLAIM_ESCROW, new ReclaimEscrow(target, amount(data)));
        };
    }

    private Call<?> registry(FuzzedDataProvider data, Signer signer) {
        switch (data.consumeInt(0, 3)) {
            case 0:
                return new Call<>(RegistryMethods.REGISTER_ENTITY, new RegisterEntity(
                        data.consumeBoolean() ? signer.publicKey() : key(data).publicKey()));
            case 1: {
                Signer node = key(data);
                Signer entity = data.consumeBoolean() ? signer : key(data);
                EnumSet<Role> roles = EnumSet.noneOf(Role.class);
                for (Role r : Role.values()) {
                    if (data.consumeBoolean()) {
                        roles.add(r);
                    }
                }
                NodeDescriptor d = new NodeDescriptor(node.publicKey(), entity.publicKey(), roles,
                        data.consumeBoolean(), data.consumeLong(0, 20));
                Signer entitySigner = data.consumeInt(0, 7) == 0 ? key(data) : entity;
                return new Call<>(RegistryMethods.REGISTER_NODE, RegisterNode.sign(d, CHAIN, node, entitySigner));
            }
            case 2:
                return new Call<>(RegistryMethods.DEREGISTER_NODE, new DeregisterNode(key(data).publicKey()));
            default: {
                int workers = data.consumeInt(-1, 4);
                Admission admission = data.consumeBoolean() ? new Admission.Permissionless()
                        : new Admission.Permissioned(new ArrayList<>(new TreeSet<>(List.of(key(data).publicKey(),
                                key(data).publicKey()))));
                return new Call<>(RegistryMethods.REGISTER_RUNTIME, new RuntimeDescriptor(
                        data.consumeBoolean() ? LocalnetSetup.RUNTIME : RuntimeId.of(Hash32.sha256(
                                data.consumeBytes(4)).toBytes()), workers, data.consumeInt(-1, 3),
                        data.consumeInt(-1, 3), data.consumeLong(-1, 10), data.consumeInt(-1, 6),
                        data.consumeInt(-1, 2), data.consumeLong(-1, 20_000), admission, data.consumeBoolean(),
                        data.consumeInt(0, 255)));
            }
        }
    }

    private Call<?> beacon(FuzzedDataProvider data) {
        Signer v = data.consumeBoolean() ? LocalnetSetup.validatorKey(data.consumeInt(0, 3), SEED) : key(data);
        long epoch = data.consumeBoolean() ? app.state().epoch() : data.consumeLong(0, 5);
        byte[] proof = data.consumeBoolean() ? v.vrfProve(app.state().beaconRound().alpha())
                : padded(data.consumeBytes(EcVrf.PROOF_SIZE_BYTES));
        return new Call<>(BeaconMethods.SUBMIT_PROOF, new BeaconProof(v.publicKey(), epoch, proof));
    }

    private static byte[] padded(byte[] b) {
        byte[] out = new byte[EcVrf.PROOF_SIZE_BYTES];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    /** Submits {@code tx} and checks the answer; {@code svc} is the service of its method (null: raw bytes). */
    private void submit(byte[] tx, String svc) {
        Hash32 root = app.stateRoot();
        int pending = app.pendingCount();
        Application.CheckResult r = app.checkTx(tx, SignatureVerdict.NOT_CHECKED);
        assertEquals(root, app.stateRoot(), "checkTx changed the committed root");
        if (r instanceof Application.CheckResult.Refused refused) {
            assertEquals(pending, app.pendingCount(), "a refused transaction became pending: " + refused);
            String reason = refused.reason();
            boolean known = ENVELOPE_REASONS.contains(reason) || isEnumName(TxRejectReason.class, reason)
                    || serviceReason(reason, svc);
            assertTrue(known, "undocumented reason " + reason + " (" + refused.detail() + ") for a call of " + svc);
        } else {
            assertEquals(pending + 1, app.pendingCount(), "an admitted transaction is not pending");
        }
    }

    private static boolean serviceReason(String reason, String svc) {
        if (svc == null) {
            // raw bytes that happen to be a valid call: any service's reason
            return serviceReason(reason, "staking") || serviceReason(reason, "registry")
                    || serviceReason(reason, "beacon");
        }
        if (!reason.startsWith(svc + ".")) {
            return false;
        }
        String name = reason.substring(svc.length() + 1);
        return switch (svc) {
            case "staking" -> isEnumName(StakingRejectReason.class, name);
            case "registry" -> isEnumName(RegistryRejectReason.class, name);
            case "beacon" -> isEnumName(BeaconRejectReason.class, name);
            default -> false;
        };
    }

    private static <E extends Enum<E>> boolean isEnumName(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private void block(FuzzedDataProvider data) {
        height++;
        PublicKey proposer = LocalnetSetup.validatorKey((int) (height % 4), SEED).publicKey();
        List<Misbehaviour> evidence = new ArrayList<>();
        if (data.remainingBytes() > 0 && data.consumeInt(0, 3) == 0) {
            evidence.add(new Misbehaviour(key(data).publicKey(), Math.max(1, height - 1), 0, "prevote"));
        }
        // the signers of the previous block: the four validators and the fuzzer's keys (non-validators are ignored)
        List<PublicKey> signers = new ArrayList<>();
        for (int i = 0; i < 4 && data.remainingBytes() > 0; i++) {
            if (data.consumeBoolean()) {
                signers.add(LocalnetSetup.validatorKey(i, SEED).publicKey());
            }
        }
        if (data.remainingBytes() > 0 && data.consumeInt(0, 7) == 0) {
            signers.add(key(data).publicKey());
        }
        BlockContext ctx = new BlockContext(height, proposer, evidence, signers);
        Application.Proposal p = app.prepareProposal(ctx, 1000, 1 << 20);
        Optional<Application.Staged> checked = replica.processProposal(ctx, p.transactions());
        if (checked.isEmpty()) {
            fail("the replica refuses the proposal of height " + height + " with " + p.transactions().size()
                    + " transactions");
        }
        assertEquals(p.staged().stateRoot(), checked.get().stateRoot(), "replica root at height " + height);
        replica.finalizeBlock(checked.get());
        app.finalizeBlock(p.staged());
        app.checkInvariants();
        replica.checkInvariants();
        assertEquals(app.stateRoot(), replica.stateRoot());
    }
}
