package dev.oasisj.core.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oasisj.core.ledger.InvalidGenesisException;
import org.junit.jupiter.api.Test;

/** The slashing parameters of the genesis {@code services.staking} section: written, read back, and refused when bad. */
class ServicesGenesisTest {
    private final ServicesFixture fx = new ServicesFixture(4);

    private ObjectNode json() {
        return fx.services.toJson();
    }

    @Test
    void theIncorrectResultsSlashing_isWrittenAndReadBack() {
        ServicesGenesis back = ServicesGenesis.fromJson(json().toString());
        assertEquals(fx.services.parameters(), back.parameters());
        assertEquals(ServicesFixture.INCORRECT_RESULTS_SLASH, back.parameters().incorrectResultsSlashBaseUnits());
        assertEquals(ServicesFixture.INCORRECT_RESULTS_FREEZE_EPOCHS,
                back.parameters().incorrectResultsFreezeEpochs());
    }

    @Test
    void aMissingOrOutOfRangeIncorrectResultsParameter_isRefusedByName() {
        ObjectNode missing = json();
        ((ObjectNode) missing.get("staking")).remove("incorrectResultsFreezeEpochs");
        InvalidGenesisException e = assertThrows(InvalidGenesisException.class,
                () -> ServicesGenesis.fromJson(missing.toString()));
        assertTrue(e.problems().toString().contains("services.staking.incorrectResultsFreezeEpochs"),
                e.problems().toString());
        ObjectNode zero = json();
        ((ObjectNode) zero.get("staking")).put("incorrectResultsFreezeEpochs", 0);
        e = assertThrows(InvalidGenesisException.class, () -> ServicesGenesis.fromJson(zero.toString()));
        assertTrue(e.problems().toString().contains("incorrectResultsFreezeEpochs 0 outside 1.."),
                e.problems().toString());
        ObjectNode negative = json();
        ((ObjectNode) negative.get("staking")).put("incorrectResultsSlashBaseUnits", -1);
        e = assertThrows(InvalidGenesisException.class, () -> ServicesGenesis.fromJson(negative.toString()));
        assertTrue(e.problems().toString().contains("incorrectResultsSlashBaseUnits: negative"),
                e.problems().toString());
    }
}
