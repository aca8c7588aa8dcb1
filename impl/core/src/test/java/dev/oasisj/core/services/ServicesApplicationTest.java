package dev.oasisj.core.services;

import static dev.oasisj.core.services.ServicesFixture.account;
import static dev.oasisj.core.services.ServicesFixture.entity;
import static dev.oasisj.core.services.ServicesFixture.tx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.app.BlockContext;
import dev.oasisj.core.app.Misbehaviour;
import dev.oasisj.core.app.StateEntry;
import dev.oasisj.core.beacon.BeaconMethods;
import dev.oasisj.core.beacon.BeaconProof;
import dev.oasisj.core.beacon.BeaconRound;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.InvalidGenesisException;
import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisterEntity;
import dev.oasisj.core.registry.RegisterNode;
import dev.oasisj.core.registry.RegistryMethods;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.registry.RuntimeId;
import dev.oasisj.core.scheduler.CommitteeElection;
import dev.oasisj.core.scheduler.RuntimeCommittee;
import dev.oasisj.core.staking.AddEscrow;
import dev.oasisj.core.staking.ReclaimEscrow;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.staking.Transfer;
import dev.oasisj.core.tx.Fee;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.SignedTransactionCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The services application driven block by block, without the consensus engine (the engine's tests run it too). */
class ServicesApplicationTest {
    private final ServicesFixture fx = new ServicesFixture(4);
    private final ApplicationFactory factory = ServicesApplication.factory(fx.genesis);

    private ServicesApplication fresh() {
        return (ServicesApplication) factory.genesis();
    }

    private PublicKey validator(int i) {
        return fx.validatorKey.apply(i).publicKey();
    }

    /** Builds block {@code height} from the pending transactions, checks it on a replica, commits it on both. */
    private static Application.FinalizeResult block(ServicesApplication app, ServicesApplication replica, long height,
            List<Misbehaviour> evidence, PublicKey proposer) {
        // every validator of the epoch signed the previous block (as in a healthy network)
        return block(app, replica, new BlockContext(height, proposer, evidence,
                new ArrayList<>(ServiceMultiplexer.powers(app.state().validators()).keySet())));
    }

    /** As above, with the block context given (its signers of the previous block in particular). */
    private static Application.FinalizeResult block(ServicesApplication app, ServicesApplication replica,
            BlockContext ctx) {
        long height = ctx.height();
        Application.Proposal p = app.prepareProposal(ctx, 1000, 1 << 20);
        Optional<Application.Staged> checked = replica.processProposal(ctx, p.transactions());
        assertTrue(checked.isPresent(), "the replica refuses the proposal of height " + height);
        assertEquals(p.staged().stateRoot(), checked.get().stateRoot(), "replica root at height " + height);
        replica.finalizeBlock(checked.get());
        return app.finalizeBlock(p.staged());
    }

    private Application.FinalizeResult block(ServicesApplication app, ServicesApplication replica, long height) {
        return block(app, replica, height, List.of(), validator((int) (height % 4)));
    }

    private static void admit(ServicesApplication app, byte[] tx) {
        Application.CheckResult r = app.checkTx(tx, SignatureVerdict.NOT_CHECKED);
        assertInstanceOf(Application.CheckResult.Accepted.class, r, () -> "refused: " + r);
    }

    private static String refusal(ServicesApplication app, byte[] tx) {
        Hash32 root = app.stateRoot();
        int pending = app.pendingCount();
        Application.CheckResult r = app.checkTx(tx, SignatureVerdict.NOT_CHECKED);
        assertEquals(root, app.stateRoot(), "a refused transaction changed the root");
        assertEquals(pending, app.pendingCount(), "a refused transaction became pending");
        return ((Application.CheckResult.Refused) r).reason();
    }

    @Test
    void genesisElectsTheDeclaredValidatorsAndTheRuntimesCommittee() {
        ServicesState s = fresh().state();
        assertEquals(4, s.validators().validators().size());
        assertEquals(Map.of(validator(0), 1_000L, validator(1), 1_100L, validator(2), 1_200L, validator(3), 1_300L),
                ServiceMultiplexer.powers(s.validators()));
        RuntimeCommittee c = s.committees().committees().get(ServicesFixture.RUNTIME);
        RuntimeCommittee.Elected e = assertInstanceOf(RuntimeCommittee.Elected.class, c);
        assertEquals(2, e.workers().size());
        assertEquals(1, e.backups().size());
        assertEquals(BeaconRound.genesisBeacon(ServicesFixture.CHAIN), s.beacon());
    }

    @Test
    void aGenesisWhoseConsensusValidatorsAreNotTheElectedSet_isRefused() {
        List<Genesis.Validator> wrong = new ArrayList<>(fx.genesis.validators());
        Genesis.Validator v0 = wrong.get(0);
        wrong.set(0, new Genesis.Validator(v0.name(), v0.publicKey(), v0.power() + 1));
        Genesis g = new Genesis(fx.genesis.chainId(), wrong, fx.genesis.accounts(), fx.genesis.consensus(),
                fx.genesis.services());
        InvalidGenesisException e = assertThrows(InvalidGenesisException.class, () -> ServicesApplication.factory(g));
        assertTrue(e.getMessage().contains("not the set the services elect"), e.getMessage());
    }

    @Test
    void theParameters_epochLengthAndFreeze_areAcceptedAtTheirBounds_andRefusedOnePast() {
        ServicesParameters p = fx.services.parameters();
        java.util.function.BiFunction<Long, Long, ServicesParameters> with = (epochLength, freeze) ->
                new ServicesParameters(epochLength, p.staking(), p.doubleSignSlashBaseUnits(), freeze,
                        p.incorrectResultsSlashBaseUnits(), p.incorrectResultsFreezeEpochs(), p.registry(),
                        p.validators());
        java.util.function.BiFunction<Long, Long, ServicesParameters> incorrect = (slash, freeze) ->
                new ServicesParameters(p.epochLengthBlocks(), p.staking(), p.doubleSignSlashBaseUnits(),
                        p.doubleSignFreezeEpochs(), slash, freeze, p.registry(), p.validators());
        assertEquals(ServicesParameters.MAX_FREEZE_EPOCHS,
                incorrect.apply(0L, ServicesParameters.MAX_FREEZE_EPOCHS).incorrectResultsFreezeEpochs());
        assertEquals(1, incorrect.apply(0L, 1L).incorrectResultsFreezeEpochs());
        for (long[] bad : new long[][] {{0, 0}, {0, ServicesParameters.MAX_FREEZE_EPOCHS + 1}, {-1, 1}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> incorrect.apply(bad[0], bad[1]), Arrays.toString(bad));
            assertTrue(e.getMessage().startsWith("incorrectResults"), e.getMessage());
        }
        assertEquals(ServicesParameters.MAX_EPOCH_LENGTH_BLOCKS,
                with.apply(ServicesParameters.MAX_EPOCH_LENGTH_BLOCKS, 1L).epochLengthBlocks());
        assertEquals(1, with.apply(1L, 1L).epochLengthBlocks());
        assertEquals(ServicesParameters.MAX_FREEZE_EPOCHS,
                with.apply(1L, ServicesParameters.MAX_FREEZE_EPOCHS).doubleSignFreezeEpochs());
        for (long[] bad : new long[][] {{0, 1}, {ServicesParameters.MAX_EPOCH_LENGTH_BLOCKS + 1, 1}, {1, 0},
                {1, ServicesParameters.MAX_FREEZE_EPOCHS + 1}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> with.apply(bad[0], bad[1]), Arrays.toString(bad));
            assertTrue(e.getMessage().contains("outside 1.."), e.getMessage());
        }
    }

    @Test
    void theMempoolBounds_perSignerAndInAll_admitUpToTheLimit_andRefuseOnePast_changingNothing() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        int perSigner = dev.oasisj.core.ledger.LedgerLimits.MAX_MEMPOOL_TRANSACTIONS_PER_SENDER;
        int signers = dev.oasisj.core.ledger.LedgerLimits.MAX_MEMPOOL_TRANSACTIONS / perSigner;
        Signer alice = account("alice");
        List<Signer> senders = new ArrayList<>();
        for (int i = 0; i <= signers; i++) {
            senders.add(account("sender-" + i));
            admit(app, tx(alice, i, 0, StakingMethods.TRANSFER, new Transfer(senders.get(i).publicKey(), 2_000)));
        }
        block(app, replica, 1);
        PublicKey bob = account("bob").publicKey();
        for (int i = 0; i < signers; i++) {
            for (int n = 0; n < perSigner; n++) {
                // signatures are valid; the verdict spares 20,000 verifications
                Application.CheckResult r = app.checkTx(tx(senders.get(i), n, 0, StakingMethods.TRANSFER,
                        new Transfer(bob, 1)), SignatureVerdict.VALID);
                assertInstanceOf(Application.CheckResult.Accepted.class, r, () -> "refused: " + r);
            }
            if (i == 0) {
                assertEquals("SENDER_LIMIT", refusal(app, tx(senders.get(0), perSigner, 0, StakingMethods.TRANSFER,
                        new Transfer(bob, 1))), "one more than the per-signer limit");
            }
        }
        assertEquals(dev.oasisj.core.ledger.LedgerLimits.MAX_MEMPOOL_TRANSACTIONS, app.pendingCount());
        assertEquals("MEMPOOL_FULL", refusal(app, tx(senders.get(signers), 0, 0, StakingMethods.TRANSFER,
                new Transfer(bob, 1))), "one more than the mempool holds");
    }

    @Test
    void anOffenceIsRemembered_forOffenceMemoryBlocks_thenForgotten() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        block(app, replica, 1);
        block(app, replica, 2, List.of(new Misbehaviour(validator(2), 1, 0, "prevote")), validator(0));
        long last = 1 + ServiceMultiplexer.OFFENCE_MEMORY_BLOCKS; // the last block whose begin-block keeps height 1
        for (long h = 3; h <= last; h++) {
            block(app, replica, h);
        }
        assertEquals(1, app.state().punished().size(), "still remembered after block " + last);
        block(app, replica, last + 1);
        assertEquals(0, app.state().punished().size(), "forgotten in block " + (last + 1));
        assertEquals(app.stateRoot(), replica.stateRoot());
    }

    @Test
    void onlyValidatorsThatSignedBlocksOfTheEpoch_areRewardedAtItsEnd() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        // validator 3 is offline: its precommits are in none of the commits the epoch's blocks carry
        List<PublicKey> online = List.of(validator(0), validator(1), validator(2));
        List<Long> before = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            before.add(app.state().staking().escrowPool(entity(i).publicKey()).activeBalanceBaseUnits());
        }
        Application.FinalizeResult end = null;
        for (long h = 1; h <= ServicesFixture.EPOCH_LENGTH; h++) {
            // block 1 carries the genesis commit: no signers
            end = block(app, replica, new BlockContext(h, validator((int) (h % 3)), List.of(),
                    h == 1 ? List.of() : online));
            if (h == 2) {
                assertEquals(new java.util.TreeSet<>(online), app.state().signers(), "recorded from block 2 on");
                // the signers are state: a snapshot carries them, and restores them
                assertEquals(app.stateRoot(), factory.restore(app.snapshot().entries()).stateRoot());
            }
        }
        for (int i = 0; i < 4; i++) {
            long now = app.state().staking().escrowPool(entity(i).publicKey()).activeBalanceBaseUnits();
            assertEquals(before.get(i) + (i < 3 ? ServicesFixture.REWARD : 0), now, "entity " + i);
        }
        assertTrue(end.events().stream().anyMatch(e -> e.detail().contains("1 validators signed no block")),
                end.events().toString());
        assertTrue(app.state().signers().isEmpty(), "a new epoch starts with no signers");
        assertEquals(app.stateRoot(), replica.stateRoot());
        // a signer that is not a validator of the epoch is ignored
        block(app, replica, new BlockContext(ServicesFixture.EPOCH_LENGTH + 1, validator(0), List.of(),
                List.of(account("alice").publicKey(), validator(1))));
        assertEquals(new java.util.TreeSet<>(List.of(validator(1))), app.state().signers());
    }

    @Test
    void aTransferEnvelopeIsAdmitted_included_andMovesTheBalanceAndFee() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        Signer alice = account("alice");
        PublicKey bob = account("bob").publicKey();
        long pool = app.state().staking().commonPoolBaseUnits();
        admit(app, tx(alice, 0, 5, StakingMethods.TRANSFER, new Transfer(bob, 100)));
        admit(app, tx(alice, 1, 5, StakingMethods.TRANSFER, new Transfer(bob, 50)));
        assertEquals(2, app.pendingCount());
        block(app, replica, 1);
        assertEquals(0, app.pendingCount());
        ServicesState s = app.state();
        assertEquals(100_000 - 150 - 10, s.staking().account(alice.publicKey()).generalBalanceBaseUnits());
        assertEquals(2, s.staking().account(alice.publicKey()).nonce());
        assertEquals(150, s.staking().account(bob).generalBalanceBaseUnits());
        assertEquals(pool + 10, s.staking().commonPoolBaseUnits());
        assertEquals(app.stateRoot(), replica.stateRoot());
    }

    @Test
    void everyKindOfBadTransaction_isRefusedWithItsReason_andChangesNothing() {
        ServicesApplication app = fresh();
        Signer alice = account("alice");
        PublicKey bob = account("bob").publicKey();
        assertEquals("MALFORMED", refusal(app, new byte[] {2, 0, 0}));
        assertEquals("WRONG_CHAIN", refusal(app, SignedTransactionCodec.encode(SignedTransaction.sign(alice,
                "other-chain", 0, new Fee(0, 0), StakingMethods.TRANSFER.name(),
                StakingMethods.TRANSFER.codec().encode(new Transfer(bob, 1))))));
        assertEquals("UNKNOWN_METHOD", refusal(app, SignedTransactionCodec.encode(SignedTransaction.sign(alice,
                ServicesFixture.CHAIN, 0, new Fee(0, 0), "staking.Mint", new byte[40]))));
        assertEquals("MALFORMED_BODY", refusal(app, SignedTransactionCodec.encode(SignedTransaction.sign(alice,
                ServicesFixture.CHAIN, 0, new Fee(0, 0), StakingMethods.TRANSFER.name(), new byte[3]))));
        byte[] forged = tx(alice, 0, 0, StakingMethods.TRANSFER, new Transfer(bob, 1));
        forged[forged.length - 1] ^= 1;
        assertEquals("BAD_SIGNATURE", refusal(app, forged));
        assertEquals("BAD_NONCE", refusal(app, tx(alice, 1, 0, StakingMethods.TRANSFER, new Transfer(bob, 1))));
        assertEquals("INSUFFICIENT_BALANCE",
                refusal(app, tx(alice, 0, 100_001, StakingMethods.TRANSFER, new Transfer(bob, 1))));
        assertEquals("staking.INSUFFICIENT_BALANCE",
                refusal(app, tx(alice, 0, 0, StakingMethods.TRANSFER, new Transfer(bob, 100_001))));
        assertEquals("staking.ZERO_AMOUNT",
                refusal(app, tx(alice, 0, 0, StakingMethods.ADD_ESCROW, new AddEscrow(entity(0).publicKey(), 0))));
        assertEquals("staking.INSUFFICIENT_SHARES", refusal(app,
                tx(alice, 0, 0, StakingMethods.RECLAIM_ESCROW, new ReclaimEscrow(entity(0).publicKey(), 1))));
        Signer stranger = Signer.deterministic("stranger", 5);
        Signer strangerEntity = Signer.deterministic("stranger-entity", 5);
        NodeDescriptor d = new NodeDescriptor(stranger.publicKey(), strangerEntity.publicKey(),
                EnumSet.of(Role.COMPUTE), false, 3);
        assertEquals("registry.UNKNOWN_ENTITY", refusal(app, tx(stranger, 0, 0, RegistryMethods.REGISTER_NODE,
                RegisterNode.sign(d, ServicesFixture.CHAIN, stranger, strangerEntity))));
        assertEquals("registry.BAD_SIGNATURE", refusal(app, tx(alice, 0, 0, RegistryMethods.REGISTER_NODE,
                RegisterNode.sign(d, ServicesFixture.CHAIN, stranger, strangerEntity))));
        assertEquals("beacon.NOT_A_VALIDATOR", refusal(app, tx(alice, 0, 0, BeaconMethods.SUBMIT_PROOF,
                new BeaconProof(alice.publicKey(), 0, alice.vrfProve(app.state().beaconRound().alpha())))));
        // after all that, alice's nonce 0 is still free
        admit(app, tx(alice, 0, 0, StakingMethods.TRANSFER, new Transfer(bob, 1)));
        assertEquals("DUPLICATE", refusal(app, tx(alice, 0, 0, StakingMethods.TRANSFER, new Transfer(bob, 1))));
        // the check state counts the pending transfer: a second one over the rest of the balance is refused
        assertEquals("staking.INSUFFICIENT_BALANCE",
                refusal(app, tx(alice, 1, 0, StakingMethods.TRANSFER, new Transfer(bob, 100_000))));
    }

    @Test
    void aBlockWithABadSignature_orAnUnchargeableTransaction_isInvalid_butAFailingMethodOnlyCostsItsFee() {
        ServicesApplication app = fresh();
        Signer alice = account("alice");
        PublicKey bob = account("bob").publicKey();
        BlockContext ctx = new BlockContext(1, validator(1));
        byte[] forged = tx(alice, 0, 0, StakingMethods.TRANSFER, new Transfer(bob, 1));
        forged[forged.length - 1] ^= 1;
        assertTrue(app.processProposal(ctx, List.of(forged)).isEmpty());
        assertTrue(app.processProposal(ctx, List.of(tx(alice, 3, 0, StakingMethods.TRANSFER,
                new Transfer(bob, 1)))).isEmpty(), "wrong nonce");
        assertTrue(app.processProposal(ctx, List.of("junk".getBytes(StandardCharsets.UTF_8))).isEmpty());
        Optional<Application.Staged> failing = app.processProposal(ctx, List.of(tx(alice, 0, 7,
                StakingMethods.TRANSFER, new Transfer(bob, 1_000_000))));
        assertTrue(failing.isPresent());
        Application.FinalizeResult r = app.finalizeBlock(failing.get());
        assertEquals(100_000 - 7, app.state().staking().account(alice.publicKey()).generalBalanceBaseUnits());
        assertEquals(1, app.state().staking().account(alice.publicKey()).nonce());
        assertTrue(r.events().stream().anyMatch(e -> e.kind().equals("tx-failed")
                && e.detail().contains("staking.INSUFFICIENT_BALANCE")), r.events().toString());
    }

    @Test
    void theEpochChangesAtTheEndOfItsLastBlock_payingRewards_electing_andDrawingANewBeacon() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        long pool0 = app.state().staking().escrowPool(entity(0).publicKey()).activeBalanceBaseUnits();
        for (long h = 1; h < ServicesFixture.EPOCH_LENGTH; h++) {
            Application.FinalizeResult r = block(app, replica, h);
            assertEquals(0, app.state().epoch(), "epoch at height " + h);
            assertTrue(r.events().isEmpty());
        }
        Application.FinalizeResult r = block(app, replica, ServicesFixture.EPOCH_LENGTH);
        ServicesState s = app.state();
        assertEquals(1, s.epoch());
        assertEquals(1, s.committees().epoch());
        assertEquals(1, s.validators().epoch());
        assertEquals(pool0 + ServicesFixture.REWARD, s.staking().escrowPool(entity(0).publicKey())
                .activeBalanceBaseUnits());
        assertNotEquals(BeaconRound.genesisBeacon(ServicesFixture.CHAIN), s.beacon());
        assertTrue(r.events().stream().anyMatch(e -> e.kind().equals("epoch") && e.detail().contains("fallback")),
                r.events().toString());
        assertTrue(r.events().stream().anyMatch(e -> e.kind().equals("committee")), r.events().toString());
        // powers grew by the reward: every validator's power changes
        assertEquals(4, r.validatorUpdates().size(), r.validatorUpdates().toString());
        assertEquals(new Application.ValidatorUpdate(validator(0), 1_000 + ServicesFixture.REWARD),
                r.validatorUpdates().get(0).validator().equals(validator(0)) ? r.validatorUpdates().get(0)
                        : r.validatorUpdates().stream().filter(u -> u.validator().equals(validator(0)))
                                .findFirst().orElseThrow());
    }

    @Test
    void proofsOfMoreThanTwoThirdsOfThePower_makeAVrfBeacon() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        byte[] alpha = app.state().beaconRound().alpha();
        Signer alice = account("alice");
        for (int i = 0; i < 3; i++) {
            Signer v = fx.validatorKey.apply(i);
            admit(app, tx(alice, i, 0, BeaconMethods.SUBMIT_PROOF, new BeaconProof(v.publicKey(), 0,
                    v.vrfProve(alpha))));
        }
        Application.FinalizeResult last = null;
        for (long h = 1; h <= ServicesFixture.EPOCH_LENGTH; h++) {
            last = block(app, replica, h);
        }
        assertTrue(last.events().stream().anyMatch(e -> e.kind().equals("epoch") && e.detail().contains("VRF: 3300 "
                + "of 4600")), last.events().toString());
        assertEquals(0, app.state().beaconRound().contributors().size(), "the new round starts empty");
    }

    @Test
    void delegatingEnoughToANewlyRegisteredNode_makesItAValidatorAtTheNextEpoch() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        Signer newEntity = Signer.deterministic("new-entity", 5);
        Signer newNode = Signer.deterministic("new-node", 5);
        Signer alice = account("alice");
        admit(app, tx(alice, 0, 0, StakingMethods.TRANSFER, new Transfer(newEntity.publicKey(), 10_000)));
        block(app, replica, 1);
        admit(app, tx(newEntity, 0, 0, RegistryMethods.REGISTER_ENTITY, new RegisterEntity(newEntity.publicKey())));
        admit(app, tx(alice, 1, 0, StakingMethods.ADD_ESCROW, new AddEscrow(newEntity.publicKey(), 5_000)));
        NodeDescriptor d = new NodeDescriptor(newNode.publicKey(), newEntity.publicKey(), EnumSet.of(Role.VALIDATOR),
                false, 100);
        admit(app, tx(newEntity, 1, 0, RegistryMethods.REGISTER_NODE,
                RegisterNode.sign(d, ServicesFixture.CHAIN, newNode, newEntity)));
        block(app, replica, 2);
        block(app, replica, 3);
        Application.FinalizeResult r = block(app, replica, 4);
        assertTrue(r.validatorUpdates().contains(new Application.ValidatorUpdate(newNode.publicKey(), 5_000)),
                r.validatorUpdates().toString());
        assertEquals(5, app.state().validators().validators().size());
        // a node registered with too little stake is refused with the registry's reason
        Signer poor = Signer.deterministic("poor-entity", 5);
        Signer poorNode = Signer.deterministic("poor-node", 5);
        admit(app, tx(alice, 2, 0, StakingMethods.TRANSFER, new Transfer(poor.publicKey(), 1_000)));
        admit(app, tx(poor, 0, 0, RegistryMethods.REGISTER_ENTITY, new RegisterEntity(poor.publicKey())));
        NodeDescriptor pd = new NodeDescriptor(poorNode.publicKey(), poor.publicKey(), EnumSet.of(Role.VALIDATOR),
                false, 100);
        assertEquals("registry.INSUFFICIENT_STAKE", refusal(app, tx(poor, 1, 0, RegistryMethods.REGISTER_NODE,
                RegisterNode.sign(pd, ServicesFixture.CHAIN, poorNode, poor))));
    }

    @Test
    void doubleSigningEvidence_slashesAndFreezesOnce_andTheNodeLeavesTheSetAtTheEpochEnd() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        PublicKey e2 = entity(2).publicKey();
        long before = app.state().staking().escrowPool(e2).activeBalanceBaseUnits();
        long commonBefore = app.state().staking().commonPoolBaseUnits();
        Misbehaviour m = new Misbehaviour(validator(2), 1, 0, "prevote");
        Application.FinalizeResult r = block(app, replica, 2, List.of(m), validator(0));
        assertEquals(before - ServicesFixture.SLASH, app.state().staking().escrowPool(e2).activeBalanceBaseUnits());
        assertEquals(commonBefore + ServicesFixture.SLASH, app.state().staking().commonPoolBaseUnits());
        assertEquals(ServicesFixture.FREEZE_EPOCHS, app.state().registry().node(validator(2)).frozenUntilEpoch());
        assertTrue(r.events().stream().anyMatch(e -> e.kind().equals("slash")), r.events().toString());
        // the same evidence again (a restarted proposer may include it twice): no second slashing
        block(app, replica, 3, List.of(m), validator(1));
        assertEquals(before - ServicesFixture.SLASH, app.state().staking().escrowPool(e2).activeBalanceBaseUnits());
        Application.FinalizeResult end = block(app, replica, 4);
        assertTrue(end.validatorUpdates().contains(new Application.ValidatorUpdate(validator(2), 0)),
                end.validatorUpdates().toString());
        assertFalse(ServiceMultiplexer.powers(app.state().validators()).containsKey(validator(2)));
    }

    @Test
    void incorrectResults_ofACommitteeMember_freezeItAndSlashItsEntityOnce_andTheNextElectionLeavesItOut() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        ServiceMultiplexer mux = new ServiceMultiplexer(fx.genesis.chainId(), fx.services.parameters());
        for (long h = 1; h <= ServicesFixture.EPOCH_LENGTH; h++) {
            block(app, replica, h); // into epoch 1: epoch 0's committee is a kept past one
        }
        ServicesState s = app.state();
        assertEquals(1, s.epoch());
        RuntimeCommittee.Elected past = (RuntimeCommittee.Elected) s.pastCommittees().get(0L).committees()
                .get(ServicesFixture.RUNTIME);
        // without punishment, epoch 2's committee: the member punished below is one that it elects
        RuntimeCommittee.Elected unpunished = (RuntimeCommittee.Elected) nextEpoch(mux, s).committees().committees()
                .get(ServicesFixture.RUNTIME);
        PublicKey member = java.util.stream.Stream.concat(past.workers().stream(), past.backups().stream())
                .filter(k -> unpunished.workers().contains(k) || unpunished.backups().contains(k)).findFirst()
                .orElseThrow();
        PublicKey owner = s.registry().node(member).descriptor().entity();
        long pool = s.staking().escrowPool(owner).activeBalanceBaseUnits();
        long common = s.staking().commonPoolBaseUnits();
        assertTrue(pool >= ServicesFixture.INCORRECT_RESULTS_SLASH, "the pool covers the slashing: " + pool);

        ServiceMultiplexer.HookResult r = mux.punishIncorrectResults(s, member, ServicesFixture.RUNTIME, 0, 7);
        ServicesState after = r.state();
        assertEquals(pool - ServicesFixture.INCORRECT_RESULTS_SLASH,
                after.staking().escrowPool(owner).activeBalanceBaseUnits());
        assertEquals(common + ServicesFixture.INCORRECT_RESULTS_SLASH, after.staking().commonPoolBaseUnits());
        assertEquals(1 + ServicesFixture.INCORRECT_RESULTS_FREEZE_EPOCHS, after.registry().frozenUntilEpoch(member));
        assertTrue(r.events().stream().anyMatch(e -> e.kind().equals("freeze")), r.events().toString());
        assertTrue(r.events().stream().anyMatch(e -> e.kind().equals("slash") && e.detail().contains("round 7")),
                r.events().toString());

        // once per freeze; not a member, or a committee not kept: nothing happens, and an event says why
        ServiceMultiplexer.HookResult again = mux.punishIncorrectResults(after, member, ServicesFixture.RUNTIME, 0, 8);
        assertSame(after, again.state());
        assertTrue(again.events().get(0).detail().contains("already frozen"), again.events().toString());
        ServiceMultiplexer.HookResult stranger = mux.punishIncorrectResults(s, validator(0), ServicesFixture.RUNTIME,
                0, 7);
        assertSame(s, stranger.state());
        assertTrue(stranger.events().get(0).detail().contains("not a member"), stranger.events().toString());
        ServiceMultiplexer.HookResult future = mux.punishIncorrectResults(s, member, ServicesFixture.RUNTIME, 2, 7);
        assertSame(s, future.state());
        assertTrue(future.events().get(0).detail().contains("no elected committee"), future.events().toString());
        ServiceMultiplexer.HookResult otherRuntime = mux.punishIncorrectResults(s, member,
                RuntimeId.of(Hash32.sha256(new byte[] {1}).toBytes()), 0, 7);
        assertSame(s, otherRuntime.state());

        // the freeze keeps it out of the next election, which elected it without the punishment
        ServicesState frozen = nextEpoch(mux, after);
        assertEquals(2, frozen.committees().epoch());
        RuntimeCommittee.Elected next = assertInstanceOf(RuntimeCommittee.Elected.class,
                frozen.committees().committees().get(ServicesFixture.RUNTIME), "three nodes are still eligible");
        assertFalse(next.workers().contains(member) || next.backups().contains(member), next.toString());
    }

    /** The state after the blocks of the rest of {@code s}'s epoch, built on an application started from it. */
    private ServicesState nextEpoch(ServiceMultiplexer mux, ServicesState s) {
        ServicesApplication a = new ServicesApplication(mux, s);
        ServicesApplication replica = new ServicesApplication(mux, s);
        for (long h = s.height() + 1; h <= (s.epoch() + 1) * ServicesFixture.EPOCH_LENGTH; h++) {
            block(a, replica, h);
        }
        return a.state();
    }

    @Test
    void aSnapshotRestoresTheSameRoot_afterEscrow_debonding_proofs_andSlashing() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        Signer alice = account("alice");
        admit(app, tx(alice, 0, 1, StakingMethods.ADD_ESCROW, new AddEscrow(entity(1).publicKey(), 700)));
        block(app, replica, 1);
        admit(app, tx(alice, 1, 1, StakingMethods.RECLAIM_ESCROW, new ReclaimEscrow(entity(1).publicKey(), 200)));
        Signer v0 = fx.validatorKey.apply(0);
        admit(app, tx(alice, 2, 0, BeaconMethods.SUBMIT_PROOF, new BeaconProof(v0.publicKey(), 0,
                v0.vrfProve(app.state().beaconRound().alpha()))));
        block(app, replica, 2, List.of(new Misbehaviour(validator(3), 1, 0, "precommit")), validator(0));
        List<StateEntry> entries = app.snapshot().entries();
        assertEquals(app.snapshot().entryCount(), entries.size());
        Application restored = factory.restore(entries);
        assertEquals(app.stateRoot(), restored.stateRoot());
        assertEquals(1, ((ServicesApplication) restored).state().beaconRound().contributors().size());
        // the restored application goes on exactly as the original
        ServicesApplication r = (ServicesApplication) restored;
        for (long h = 3; h <= 5; h++) {
            block(app, r, h);
            assertEquals(app.stateRoot(), r.stateRoot(), "height " + h);
        }
        // a changed value, a dropped entry, or an unknown tag is refused
        List<StateEntry> tampered = new ArrayList<>(entries);
        StateEntry acc = tampered.stream().filter(e -> e.key()[0] == 0x11).findFirst().orElseThrow();
        byte[] v = acc.value();
        v[7] ^= 1;
        tampered.set(tampered.indexOf(acc), new StateEntry(acc.key(), v));
        assertThrows(IllegalArgumentException.class, () -> factory.restore(tampered));
        List<StateEntry> dropped = new ArrayList<>(entries);
        dropped.remove(0);
        assertThrows(IllegalArgumentException.class, () -> factory.restore(dropped));
        List<StateEntry> unknown = new ArrayList<>(entries);
        unknown.add(new StateEntry(new byte[] {(byte) 0x7f}, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> factory.restore(unknown));
        // a second encoding of the same state: a delegation under another key (its key is the hash of its value's
        // entity and delegator), kept in ascending order (found by the services-snapshot fuzz target)
        List<StateEntry> rekeyed = new ArrayList<>(entries);
        StateEntry delegation = rekeyed.stream().filter(e -> e.key()[0] == 0x13).findFirst().orElseThrow();
        int at = rekeyed.indexOf(delegation);
        byte[] k = delegation.key();
        k[k.length - 1] ^= 1;
        StateEntry moved = new StateEntry(k, delegation.value());
        rekeyed.set(at, moved);
        rekeyed.sort(StateEntry::compareKeys);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.restore(rekeyed));
        assertTrue(e.getMessage().contains("not the canonical encoding"), e.getMessage());
    }

    @Test
    void queriesAnswerFromTheCommittedState() {
        ServicesApplication app = fresh();
        PublicKey e0 = entity(0).publicKey();
        Application.QueryResult escrow = app.query("escrow", e0.toBytes());
        assertTrue(escrow.found());
        assertTrue(escrow.detail().contains("1000 in 1000 shares"), escrow.detail());
        assertEquals(Application.ValueEncoding.JSON, escrow.encoding(), "the services answer in JSON");
        assertTrue(new String(escrow.value(), StandardCharsets.UTF_8).startsWith("{"), "a JSON object");
        assertTrue(app.query("node", validator(1).toBytes()).found());
        assertFalse(app.query("node", account("alice").publicKey().toBytes()).found());
        assertTrue(app.query("runtime", ServicesFixture.RUNTIME.value().toBytes()).found());
        Application.QueryResult committees = app.query("committees", new byte[0]);
        assertTrue(committees.detail().contains("workers"), committees.detail());
        assertFalse(app.query("committees", new byte[] {0, 0, 0, 0, 0, 0, 0, 7}).found());
        assertTrue(app.query("validators", new byte[0]).detail().contains("=1300"));
        assertFalse(app.query("nonsense", new byte[0]).found());
        assertFalse(app.query("account", new byte[3]).found());
    }

    private static byte[] epochBytes(long epoch) {
        return new byte[] {0, 0, 0, 0, 0, 0, (byte) (epoch >>> 8), (byte) epoch};
    }

    @Test
    void theCommitteesOfTheLastSixteenEpochs_areKept_queryable_snapshotted_andOlderOnesDropped() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        int kept = ServicesState.KEPT_PAST_COMMITTEE_EPOCHS;
        List<CommitteeElection> elected = new ArrayList<>(List.of(app.state().committees()));
        long epochs = kept + 3;
        for (long h = 1; h <= epochs * ServicesFixture.EPOCH_LENGTH; h++) {
            block(app, replica, h);
            ServicesState s = app.state();
            if (s.committees().epoch() == elected.size()) {
                elected.add(s.committees());
            }
            long current = s.committees().epoch();
            long first = Math.max(0, current - kept);
            assertEquals(current - first, s.pastCommittees().size(), "past elections at height " + h);
            for (long e = first; e < current; e++) {
                assertEquals(elected.get((int) e), s.pastCommittees().get(e), "epoch " + e + " at height " + h);
            }
        }
        ServicesState s = app.state();
        assertEquals(epochs, s.committees().epoch());
        // every kept epoch answers with its own election; a later one is not elected yet, an older one is gone
        for (long e = epochs - kept; e <= epochs; e++) {
            Application.QueryResult q = app.query("committees", epochBytes(e));
            assertTrue(q.found(), q.detail());
            String json = new String(q.value(), StandardCharsets.UTF_8);
            assertTrue(json.startsWith("{\"epoch\":" + e + ",\"beacon\":\"" + elected.get((int) e).beacon().toHex()),
                    json);
            assertTrue(q.detail().startsWith("epoch " + e + " runtime:"), q.detail());
        }
        Application.QueryResult future = app.query("committees", epochBytes(epochs + 1));
        assertFalse(future.found());
        assertTrue(future.detail().contains("not elected yet: the current epoch is " + epochs), future.detail());
        Application.QueryResult gone = app.query("committees", epochBytes(epochs - kept - 1));
        assertFalse(gone.found());
        assertTrue(gone.detail().contains("no longer kept: this node keeps epochs " + (epochs - kept) + ".." + epochs),
                gone.detail());
        // the history is state: a snapshot carries it and restores it
        List<StateEntry> entries = app.snapshot().entries();
        ServicesApplication restored = (ServicesApplication) factory.restore(entries);
        assertEquals(app.stateRoot(), restored.stateRoot());
        assertEquals(s.pastCommittees(), restored.state().pastCommittees());
        // the root covers it: another node in a past committee restores (canonically) to another root
        List<StateEntry> swapped = new ArrayList<>(entries);
        StateEntry member = swapped.stream().filter(e -> e.key()[0] == 0x45).findFirst().orElseThrow();
        PublicKey other = validator(0).equals(PublicKey.of(member.value())) ? validator(1) : validator(0);
        swapped.set(swapped.indexOf(member), new StateEntry(member.key(), other.toBytes()));
        assertNotEquals(app.stateRoot(), factory.restore(swapped).stateRoot());
        // a past committee without its election entry, or a history that misses an epoch, is refused
        List<StateEntry> orphaned = new ArrayList<>(entries);
        orphaned.remove(orphaned.stream().filter(e -> e.key()[0] == 0x44).findFirst().orElseThrow());
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class, () -> factory.restore(orphaned));
        assertTrue(e1.getMessage().contains("without its election entry"), e1.getMessage());
        byte[] oldest = Arrays.copyOfRange(entries.stream().filter(e -> e.key()[0] == 0x44).findFirst().orElseThrow()
                .key(), 1, 9);
        List<StateEntry> missing = new ArrayList<>(entries);
        missing.removeIf(e -> (e.key()[0] == 0x44 || e.key()[0] == 0x45 || e.key()[0] == 0x46)
                && Arrays.equals(Arrays.copyOfRange(e.key(), 1, 9), oldest));
        assertTrue(missing.size() < entries.size());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> factory.restore(missing));
        assertTrue(e2.getMessage().contains("past committees: epochs"), e2.getMessage());
        // the restored application goes on exactly as the original, across the next epoch change
        for (long h = epochs * ServicesFixture.EPOCH_LENGTH + 1; h <= (epochs + 1) * ServicesFixture.EPOCH_LENGTH;
                h++) {
            block(app, restored, h);
            assertEquals(app.stateRoot(), restored.stateRoot(), "height " + h);
        }
        assertEquals(kept, restored.state().pastCommittees().size());
    }

    @Test
    void aValidatorThatDeregistersAfterDoubleSigning_isStillSlashed_andFrozen_evenWhenItRegistersAgain() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        Signer entity3 = entity(3);
        admit(app, tx(entity3, 0, 0, RegistryMethods.DEREGISTER_NODE,
                new dev.oasisj.core.registry.DeregisterNode(validator(3))));
        block(app, replica, 1);
        assertTrue(app.state().registry().node(validator(3)) == null, "deregistered");
        long before = app.state().staking().escrowPool(entity3.publicKey()).activeBalanceBaseUnits();
        Application.FinalizeResult r = block(app, replica, 2, List.of(new Misbehaviour(validator(3), 1, 0,
                "precommit")), validator(0));
        assertEquals(before - ServicesFixture.SLASH, app.state().staking().escrowPool(entity3.publicKey())
                .activeBalanceBaseUnits(), "the validator's seat names its entity: slashed");
        // frozen although it has no registration: the registry keeps freezes apart from registrations
        assertEquals(ServicesFixture.FREEZE_EPOCHS, app.state().registry().frozenUntilEpoch(validator(3)),
                r.events().toString());
        assertTrue(r.events().stream().anyMatch(e -> e.kind().equals("freeze")), r.events().toString());
        Application.QueryResult q = app.query("node", validator(3).toBytes());
        assertFalse(q.found(), "not registered");
        assertTrue(q.detail().contains("frozen until epoch " + ServicesFixture.FREEZE_EPOCHS), q.detail());
        assertTrue(new String(q.value(), StandardCharsets.UTF_8).contains("\"frozenUntilEpoch\":"
                + ServicesFixture.FREEZE_EPOCHS), new String(q.value(), StandardCharsets.UTF_8));
        // it registers again, as validator and compute node, and double-signs once more: one slashing per freeze
        Signer v3 = fx.validatorKey.apply(3);
        NodeDescriptor d = new NodeDescriptor(v3.publicKey(), entity3.publicKey(),
                EnumSet.of(Role.VALIDATOR, Role.COMPUTE), false, 1_000);
        admit(app, tx(entity3, 1, 0, RegistryMethods.REGISTER_NODE,
                RegisterNode.sign(d, ServicesFixture.CHAIN, v3, entity3)));
        block(app, replica, 3, List.of(new Misbehaviour(validator(3), 2, 0, "prevote")), validator(0));
        assertEquals(before - ServicesFixture.SLASH, app.state().staking().escrowPool(entity3.publicKey())
                .activeBalanceBaseUnits(), "already frozen: not slashed again");
        assertTrue(app.state().registry().node(validator(3)).isFrozenIn(0), "registered again, still frozen");
        // epoch 1 (frozen until 2): neither a validator nor eligible for (so not in) the runtime's committee
        Application.FinalizeResult end = block(app, replica, 4);
        ServicesState s = app.state();
        assertEquals(1, s.epoch());
        assertTrue(end.validatorUpdates().contains(new Application.ValidatorUpdate(validator(3), 0)),
                end.validatorUpdates().toString());
        assertFalse(ServiceMultiplexer.powers(s.validators()).containsKey(validator(3)));
        var runtime = s.registry().runtime(ServicesFixture.RUNTIME).descriptor();
        assertTrue(dev.oasisj.core.scheduler.Scheduler.eligibleNodes(s.registry(), runtime, 1, s.escrow()).stream()
                .noneMatch(n -> n.descriptor().nodeKey().equals(validator(3))));
        RuntimeCommittee c = s.committees().committees().get(ServicesFixture.RUNTIME);
        assertTrue(!(c instanceof RuntimeCommittee.Elected e) || (!e.workers().contains(validator(3))
                && !e.backups().contains(validator(3))), c.toString());
        // epoch 2: the freeze has ended (it stays in the state, showing when it ended); the node is a validator and
        // eligible again
        for (long h = 5; h <= 2 * ServicesFixture.EPOCH_LENGTH; h++) {
            block(app, replica, h);
        }
        s = app.state();
        assertEquals(2, s.epoch());
        assertEquals(ServicesFixture.FREEZE_EPOCHS, s.registry().frozenUntilEpoch(validator(3)));
        assertFalse(s.registry().isFrozenIn(validator(3), 2));
        assertTrue(ServiceMultiplexer.powers(s.validators()).containsKey(validator(3)));
        assertTrue(dev.oasisj.core.scheduler.Scheduler.eligibleNodes(s.registry(), runtime, 2, s.escrow()).stream()
                .anyMatch(n -> n.descriptor().nodeKey().equals(validator(3))));
        assertEquals(app.stateRoot(), replica.stateRoot());
    }

    @Test
    void aSnapshotWithTheFreezeOfADeregisteredNode_restoresIt_andRefusesAMalformedFreeze() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        admit(app, tx(entity(3), 0, 0, RegistryMethods.DEREGISTER_NODE,
                new dev.oasisj.core.registry.DeregisterNode(validator(3))));
        block(app, replica, 1);
        block(app, replica, 2, List.of(new Misbehaviour(validator(3), 1, 0, "precommit")), validator(0));
        List<StateEntry> entries = app.snapshot().entries();
        List<StateEntry> freezes = entries.stream().filter(e -> e.key()[0] == 0x24).toList();
        assertEquals(1, freezes.size(), entries.toString());
        StateEntry freeze = freezes.get(0);
        assertArrayEquals(validator(3).toBytes(), Arrays.copyOfRange(freeze.key(), 1, 33));
        ServicesApplication restored = (ServicesApplication) factory.restore(entries);
        assertEquals(app.stateRoot(), restored.stateRoot());
        assertTrue(restored.state().registry().node(validator(3)) == null);
        assertEquals(ServicesFixture.FREEZE_EPOCHS, restored.state().registry().frozenUntilEpoch(validator(3)));
        // the root covers the freeze: a snapshot without it restores another root
        List<StateEntry> dropped = new ArrayList<>(entries);
        dropped.remove(freeze);
        assertNotEquals(app.stateRoot(), factory.restore(dropped).stateRoot());
        // a freeze of 0 (no freeze), a negative one, a short value: refused
        for (byte[] bad : List.of(new byte[8], new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0}, new byte[7])) {
            List<StateEntry> tampered = new ArrayList<>(entries);
            tampered.set(tampered.indexOf(freeze), new StateEntry(freeze.key(), bad));
            assertThrows(IllegalArgumentException.class, () -> factory.restore(tampered), Arrays.toString(bad));
        }
        // the restored application goes on exactly as the original
        for (long h = 3; h <= 5; h++) {
            block(app, restored, h);
            assertEquals(app.stateRoot(), restored.stateRoot(), "height " + h);
        }
    }

    @Test
    void twoOffencesOfOneValidatorInOneBlock_slashItOnce() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        PublicKey e1 = entity(1).publicKey();
        long before = app.state().staking().escrowPool(e1).activeBalanceBaseUnits();
        block(app, replica, 1);
        block(app, replica, 2);
        Application.FinalizeResult r = block(app, replica, 3, List.of(new Misbehaviour(validator(1), 1, 0, "prevote"),
                new Misbehaviour(validator(1), 2, 0, "precommit")), validator(0));
        assertEquals(before - ServicesFixture.SLASH, app.state().staking().escrowPool(e1).activeBalanceBaseUnits(),
                r.events().toString());
        assertEquals(2, app.state().punished().size(), "both offences remembered");
    }

    @Test
    void aRuntimeLongerThanOneSnapshotValue_isSplitIntoParts_andRestoredWhole() {
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        List<PublicKey> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(entity(i).publicKey());
        }
        all.sort(null);
        dev.oasisj.core.registry.RuntimeDescriptor rt = new dev.oasisj.core.registry.RuntimeDescriptor(
                dev.oasisj.core.registry.RuntimeId.of(Hash32.sha256("runtime-1".getBytes(StandardCharsets.UTF_8))
                        .toBytes()), 2, 1, 0, 5, 2, 1, 0, new dev.oasisj.core.registry.Admission.Permissioned(all),
                false, 0);
        admit(app, tx(entity(0), 0, 0, RegistryMethods.REGISTER_RUNTIME, rt));
        block(app, replica, 1);
        List<StateEntry> entries = app.snapshot().entries();
        long parts = entries.stream().filter(e -> e.key()[0] == 0x23 && Arrays.equals(
                Arrays.copyOfRange(e.key(), 1, 33), rt.id().value().toBytes())).count();
        assertEquals(2, parts, "owner + encoding of " + (32 + 71 + 4 + 4 * 32) + " bytes: two parts of at most "
                + StateEntry.MAX_VALUE_BYTES);
        ServicesApplication restored = (ServicesApplication) factory.restore(entries);
        assertEquals(app.stateRoot(), restored.stateRoot());
        assertEquals(rt, restored.state().registry().runtime(rt.id()).descriptor());
        // a missing part is refused
        List<StateEntry> cut = new ArrayList<>(entries);
        cut.removeIf(e -> e.key()[0] == 0x23 && e.key()[e.key().length - 1] == 1 && Arrays.equals(
                Arrays.copyOfRange(e.key(), 1, 33), rt.id().value().toBytes()));
        assertThrows(IllegalArgumentException.class, () -> factory.restore(cut));
    }
    @Test
    void theLargestTransaction_aRuntimeListingEveryPermittedEntity_isCarried_andOneByteOverTheEngineBoundIsNot()
            throws Exception {
        // every method's largest envelope (longest chain id, the method's largest body) fits the engine's bound
        for (String name : ServiceMultiplexer.METHODS.methodNames()) {
            int body = ServiceMultiplexer.METHODS.method(name).orElseThrow().maxBodyBytes();
            int largest = 1 + 4 + dev.oasisj.core.tx.TxLimits.MAX_CHAIN_ID_BYTES + PublicKey.SIZE_BYTES + 3 * 8 + 4
                    + name.length() + 4 + body + Signer.SIGNATURE_SIZE_BYTES;
            assertTrue(largest <= Application.MAX_TRANSACTION_BYTES, name + ": " + largest + " bytes");
        }
        ServicesApplication app = fresh();
        ServicesApplication replica = fresh();
        int listed = dev.oasisj.core.registry.RegistryLimits.MAX_PERMISSIONED_ENTITIES;
        List<PublicKey> all = new ArrayList<>();
        for (int i = 0; i < listed; i++) {
            Signer e = entity(i);
            all.add(e.publicKey());
            if (i >= 4) { // entities 0..3 are in the genesis
                admit(app, tx(e, 0, 0, RegistryMethods.REGISTER_ENTITY, new RegisterEntity(e.publicKey())));
            }
        }
        block(app, replica, 1);
        all.sort(null);
        dev.oasisj.core.registry.RuntimeDescriptor rt = new dev.oasisj.core.registry.RuntimeDescriptor(
                dev.oasisj.core.registry.RuntimeId.of(Hash32.sha256("runtime-big".getBytes(StandardCharsets.UTF_8))
                        .toBytes()), 2, 1, 0, 5, 2, 1, 0, new dev.oasisj.core.registry.Admission.Permissioned(all),
                false, 0);
        byte[] big = tx(entity(0), 0, 0, RegistryMethods.REGISTER_RUNTIME, rt);
        assertTrue(big.length > dev.oasisj.core.ledger.LedgerLimits.MAX_TRANSACTION_BYTES,
                "larger than the transfer ledger's bound: " + big.length);
        admit(app, big);
        // it crosses the engine: gossip and block encodings carry it
        assertArrayEquals(big, ((dev.oasisj.core.node.PeerWire.Transaction) dev.oasisj.core.node.PeerWire.decode(
                dev.oasisj.core.node.PeerWire.encode(new dev.oasisj.core.node.PeerWire.Transaction(big)))).bytes());
        block(app, replica, 2);
        assertEquals(rt, app.state().registry().runtime(rt.id()).descriptor());
        assertEquals(rt, replica.state().registry().runtime(rt.id()).descriptor());
        // exactly at the engine's bound the bytes reach the decoder (not an envelope: refused for that); one byte over
        // is refused by size before anything is decoded; the state unchanged either way
        Application.CheckResult atLimit = app.checkTx(new byte[Application.MAX_TRANSACTION_BYTES],
                SignatureVerdict.NOT_CHECKED);
        assertFalse(((Application.CheckResult.Refused) atLimit).detail().contains("exceeds"), atLimit.toString());
        assertEquals(Application.MAX_TRANSACTION_BYTES, new dev.oasisj.core.node.PeerWire.Transaction(
                new byte[Application.MAX_TRANSACTION_BYTES]).bytes().length);
        assertEquals("MALFORMED", refusal(app, new byte[Application.MAX_TRANSACTION_BYTES + 1]));
        Application.CheckResult over = app.checkTx(new byte[Application.MAX_TRANSACTION_BYTES + 1],
                SignatureVerdict.NOT_CHECKED);
        assertTrue(((Application.CheckResult.Refused) over).detail().contains("exceeds"), over.toString());
        assertThrows(IllegalArgumentException.class, () -> new dev.oasisj.core.node.PeerWire.Transaction(
                new byte[Application.MAX_TRANSACTION_BYTES + 1]));
    }
}
