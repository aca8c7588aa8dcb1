package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisterEntity;
import dev.oasisj.core.registry.RegisterNode;
import dev.oasisj.core.registry.RegistryMethods;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.services.ServiceMultiplexer;
import dev.oasisj.core.services.ServicesApplication;
import dev.oasisj.core.services.ServicesFixture;
import dev.oasisj.core.services.ServicesState;
import dev.oasisj.core.staking.AddEscrow;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.staking.Transfer;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * Engines drive the consensus services: envelopes through the mempool, gossip and blocks; epochs change, and the
 * validator set the services elect is the one consensus runs with from two heights later.
 */
class ServicesLocalnetTest {
    private static ServicesState state(ValidatorNode n) {
        return ((ServicesApplication) n.application()).state();
    }

    private static void submit(LocalnetTest.Net net, int node, byte[] tx) {
        net.input(node, new NodeInput.ClientTransaction(tx));
        net.pump();
    }

    @Test
    void fourNodesRunTheServices_throughEpochs_withRewardsAndEscrowChangingTheVotingPower() {
        ServicesFixture fx = new ServicesFixture(LocalnetTest.VALIDATORS, LocalnetTest::validatorKey,
                LocalnetTest.FAST, ServicesFixture.REWARD);
        LocalnetTest.Net net = new LocalnetTest.Net(fx.genesis, ServicesApplication.factory(fx.genesis),
                LocalnetTest.VALIDATORS);
        Signer alice = ServicesFixture.account("alice");
        PublicKey bob = ServicesFixture.account("bob").publicKey();
        PublicKey entity1 = ServicesFixture.entity(1).publicKey();
        submit(net, 0, ServicesFixture.tx(alice, 0, 3, StakingMethods.TRANSFER, new Transfer(bob, 250)));
        submit(net, 2, ServicesFixture.tx(alice, 1, 3, StakingMethods.ADD_ESCROW, new AddEscrow(entity1, 400)));
        long height = 3 * ServicesFixture.EPOCH_LENGTH + 3;
        net.runUntilHeight(height, 20_000);
        net.assertAgreementUpTo(height, 0, 1, 2, 3);
        for (ValidatorNode n : net.nodes) {
            ServicesState s = state(n);
            assertTrue(s.epoch() >= 3, "epoch " + s.epoch());
            assertEquals(250, s.staking().account(bob).generalBalanceBaseUnits());
            assertEquals(2, s.staking().account(alice.publicKey()).nonce());
            // three epochs of rewards and the escrow: the elected power of validator 1
            long pool = s.staking().escrowPool(entity1).activeBalanceBaseUnits();
            assertEquals(1_100 + 400 + 3 * ServicesFixture.REWARD, pool);
            assertEquals(pool, (long) ServiceMultiplexer.powers(s.validators()).get(LocalnetTest.validatorKey(1)
                    .publicKey()));
        }
        assertTrue(net.rejections.stream().allMatch(java.util.List::isEmpty), net.rejections.toString());
    }

    @Test
    void delegatingToANewlyRegisteredNode_makesItAValidatorOfTheNextEpoch_whosePrecommitsThenCount() {
        ServicesFixture fx = new ServicesFixture(LocalnetTest.VALIDATORS, LocalnetTest::validatorKey,
                LocalnetTest.FAST, 0);
        // node 4 runs from genesis as an observer (not a genesis validator)
        LocalnetTest.Net net = new LocalnetTest.Net(fx.genesis, ServicesApplication.factory(fx.genesis), 5);
        Signer alice = ServicesFixture.account("alice");
        Signer newEntity = Signer.deterministic("new-entity", 5);
        Signer newNode = LocalnetTest.validatorKey(4);
        submit(net, 0, ServicesFixture.tx(alice, 0, 0, StakingMethods.TRANSFER,
                new Transfer(newEntity.publicKey(), 1_000)));
        net.runUntilHeight(1, 2_000);
        submit(net, 1, ServicesFixture.tx(newEntity, 0, 0, RegistryMethods.REGISTER_ENTITY,
                new RegisterEntity(newEntity.publicKey())));
        submit(net, 1, ServicesFixture.tx(alice, 1, 0, StakingMethods.ADD_ESCROW,
                new AddEscrow(newEntity.publicKey(), 6_000)));
        NodeDescriptor d = new NodeDescriptor(newNode.publicKey(), newEntity.publicKey(), EnumSet.of(Role.VALIDATOR),
                false, 100);
        submit(net, 1, ServicesFixture.tx(newEntity, 1, 0, RegistryMethods.REGISTER_NODE,
                RegisterNode.sign(d, ServicesFixture.CHAIN, newNode, newEntity)));
        long epochEnd = ServicesFixture.EPOCH_LENGTH;
        net.runUntilHeight(epochEnd, 5_000);
        assertTrue(ServiceMultiplexer.powers(state(net.nodes[0]).validators()).containsKey(newNode.publicKey()),
                "elected at the end of epoch 0");
        net.runUntilHeight(epochEnd + 2, 5_000);
        // from epoch end + 2 the set is 1000 + 1100 + 1200 + 1300 + 6000 = 10600. With validators 2 and 3 down, 0 and
        // 1 hold 2100: below two thirds of the genesis set's 4600 too, so the chain goes on only if node 4's 6000
        // counts (8100 of 10600)
        net.crashed[2] = true;
        net.crashed[3] = true;
        long target = epochEnd + 8;
        net.runUntilHeight(target, 20_000);
        net.assertAgreementUpTo(target, 0, 1, 4);
        assertEquals(5, state(net.nodes[4]).validators().validators().size());
    }
}
