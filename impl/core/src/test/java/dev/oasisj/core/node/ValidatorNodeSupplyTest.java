package dev.oasisj.core.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.TransferApplication;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node's {@code SupplyConservedInv} compares the committed ledger's supply with the genesis supply, which the node
 * sums once at construction (not after every input): the check must still fire when the supplies differ.
 */
class ValidatorNodeSupplyTest {
    static final Signer VALIDATOR = Signer.deterministic("supply-validator", 5);
    static final Signer ALICE = Signer.deterministic("supply-alice", 5);
    static final Signer BOB = Signer.deterministic("supply-bob", 5);

    static Genesis genesis(long aliceBalance) {
        return new Genesis("supply-test", List.of(new Genesis.Validator("v", VALIDATOR.publicKey(), 1)),
                List.of(new Genesis.InitialAccount(ALICE.publicKey(), aliceBalance),
                        new Genesis.InitialAccount(BOB.publicKey(), 500)),
                Genesis.ConsensusParams.DEFAULT);
    }

    @Test
    void supplyIsConservedThroughCommittedBlocks() {
        Genesis g = genesis(1_000);
        ValidatorNode node = new ValidatorNode(g, VALIDATOR);
        long tick = 0;
        for (int nonce = 0; nonce < 5; nonce++) {
            Transaction tx = Transaction.sign(ALICE, g.chainId(), BOB.publicKey(), 10, 2, nonce);
            NodeOutput out = node.apply(new NodeInput.ClientTransaction(TransactionCodec.encode(tx)));
            assertTrue(out.rejections().isEmpty(), out.rejections().toString());
            node.apply(new NodeInput.Tick(++tick));
        }
        node.apply(new NodeInput.Tick(++tick));
        assertEquals(5, node.ledger().nextNonce(ALICE.publicKey()), "all five transfers committed");
        assertEquals(g.totalSupplyBaseUnits(), node.ledger().totalSupplyBaseUnits());
        assertDoesNotThrow(() -> TransferApplication.checkSupplyConserved(g.totalSupplyBaseUnits(), node.ledger()));
    }

    @Test
    void aLedgerWithAnotherSupplyViolatesTheInvariant() {
        Genesis g = genesis(1_000);
        Ledger other = Ledger.fromGenesis(genesis(1_001));
        Invariant.ViolationException e = assertThrows(Invariant.ViolationException.class,
                () -> TransferApplication.checkSupplyConserved(g.totalSupplyBaseUnits(), other));
        assertTrue(e.getMessage().startsWith("SupplyConservedInv violated"), e.getMessage());
        assertTrue(e.getMessage().contains("1500") && e.getMessage().contains("1501"), e.getMessage());

        ValidatorNode node = new ValidatorNode(g, VALIDATOR);
        assertThrows(Invariant.ViolationException.class,
                () -> TransferApplication.checkSupplyConserved(g.totalSupplyBaseUnits() + 1, node.ledger()));
    }
}
