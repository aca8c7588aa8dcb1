package dev.oasisj.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GenesisTest {
    private final Genesis genesis = TestChains.genesis(List.of("v1", "v2"), List.of("alice", "bob"), 1_000);

    @Test
    void jsonRoundTripGivesAnEqualGenesisWithTheSameHash() {
        String json = genesis.toJson();
        Genesis back = Genesis.fromJson(json);
        assertEquals(genesis, back);
        assertEquals(genesis.hash(), back.hash());
        assertEquals(json, back.toJson());
    }

    @Test
    void theHashChangesWithAnyBalanceOrParameter() {
        Genesis richer = TestChains.genesis(List.of("v1", "v2"), List.of("alice", "bob"), 1_001);
        assertNotEquals(genesis.hash(), richer.hash());
        Genesis slower = new Genesis(genesis.chainId(), genesis.validators(), genesis.accounts(),
                new Genesis.ConsensusParams(301, 50, 100, 50, 100, 50, 2000));
        assertNotEquals(genesis.hash(), slower.hash());
    }

    @Test
    void everyProblemIsListedWithItsField() {
        String json = genesis.toJson().replace("\"power\" : 10", "\"power\" : 0")
                .replace("\"balanceBaseUnits\" : 1000", "\"balanceBaseUnits\" : -1")
                .replace("\"name\" : \"v2\"", "\"name\" : \"v1\"");
        InvalidGenesisException e = assertThrows(InvalidGenesisException.class, () -> Genesis.fromJson(json));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("validators[0] (v1): power must be"), all);
        assertTrue(all.contains("validators[1] (v1): duplicate validator name"), all);
        assertTrue(all.contains("negative balance -1"), all);
    }

    @Test
    void missingFieldsAndBadKeysAreNamed() {
        InvalidGenesisException e = assertThrows(InvalidGenesisException.class,
                () -> Genesis.fromJson("{\"chainId\":\"c\",\"validators\":[{\"name\":\"v\",\"publicKey\":\"zz\"}]}"));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("validators[0].publicKey: must be 64 hex digits"), all);
        assertTrue(all.contains("validators[0].power: missing"), all);
        assertTrue(all.contains("accounts: missing"), all);
        assertTrue(all.contains("consensus: missing"), all);
        assertThrows(InvalidGenesisException.class, () -> Genesis.fromJson("not json"));
        assertThrows(InvalidGenesisException.class, () -> Genesis.fromJson("[]"));
    }

    @Test
    void anEmptyValidatorSetAndZeroTimeoutsAreRefused() {
        InvalidGenesisException e = assertThrows(InvalidGenesisException.class, () -> new Genesis("c", List.of(),
                List.of(), new Genesis.ConsensusParams(0, 0, 1, 0, 1, 0, 1)));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("validators: need 1.."), all);
        assertTrue(all.contains("consensus.timeoutProposeBaseTicks"), all);
    }

    @Test
    void timeoutsGrowWithTheRound() {
        Genesis.ConsensusParams p = new Genesis.ConsensusParams(300, 50, 100, 20, 100, 10, 2000);
        assertEquals(300, p.timeoutProposeTicks(0));
        assertEquals(400, p.timeoutProposeTicks(2));
        assertEquals(160, p.timeoutPrevoteTicks(3));
        assertEquals(110, p.timeoutPrecommitTicks(1));
    }
}
