package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.services.ServicesApplication;
import dev.oasisj.core.services.ServicesFixture;
import dev.oasisj.core.services.ServicesState;
import dev.oasisj.core.staking.AddEscrow;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.staking.Transfer;
import org.junit.jupiter.api.Test;

/** Four engines drive the consensus services: envelopes through the mempool, gossip and blocks; epochs change. */
class ServicesLocalnetTest {
    @Test
    void fourNodesRunTheServices_throughEpochs_andAgreeOnEveryRoot() {
        // reward 0: powers stay as they are, so the validator set does not change (that is tested elsewhere)
        ServicesFixture fx = new ServicesFixture(LocalnetTest.VALIDATORS, LocalnetTest::validatorKey,
                LocalnetTest.FAST, 0);
        LocalnetTest.Net net = new LocalnetTest.Net(fx.genesis, ServicesApplication.factory(fx.genesis));
        Signer alice = ServicesFixture.account("alice");
        PublicKey bob = ServicesFixture.account("bob").publicKey();
        net.input(0, new NodeInput.ClientTransaction(ServicesFixture.tx(alice, 0, 3, StakingMethods.TRANSFER,
                new Transfer(bob, 250))));
        net.pump(); // node 2 learns nonce 0 by gossip before it is handed nonce 1
        net.input(2, new NodeInput.ClientTransaction(ServicesFixture.tx(alice, 1, 3, StakingMethods.ADD_ESCROW,
                new AddEscrow(bob, 400))));
        net.pump();
        long height = 3 * ServicesFixture.EPOCH_LENGTH + 1;
        net.runUntilHeight(height, 20_000);
        net.assertAgreementUpTo(height, 0, 1, 2, 3);
        for (ValidatorNode n : net.nodes) {
            ServicesState s = ((ServicesApplication) n.application()).state();
            assertTrue(s.epoch() >= 3, "epoch " + s.epoch());
            assertEquals(250, s.staking().account(bob).generalBalanceBaseUnits());
            assertEquals(400, s.staking().escrowPool(bob).activeBalanceBaseUnits());
            assertEquals(2, s.staking().account(alice.publicKey()).nonce());
        }
        assertTrue(net.rejections.stream().allMatch(java.util.List::isEmpty), net.rejections.toString());
    }
}
