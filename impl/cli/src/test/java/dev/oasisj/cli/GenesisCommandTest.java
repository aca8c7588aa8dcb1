package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.ledger.Genesis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oasis genesis}: validators with the stakes the operator gives, and clear refusals of bad stakes. */
class GenesisCommandTest {
    @TempDir
    Path dir;

    @Test
    void stakes_becomeTheValidatorsVotingPower() throws Exception {
        Path out = dir.resolve("g.json");
        MainTest.Result r = MainTest.run("genesis", "--out", out.toString(), "--validators", "4", "--stakes",
                "40,10,10,5", "--accounts", "3");
        assertEquals(0, r.exitCode(), r.err());
        Genesis g = Genesis.fromJson(Files.readString(out));
        assertEquals(List.of(40L, 10L, 10L, 5L), g.validators().stream().map(Genesis.Validator::power).toList());
        assertEquals(3, g.accounts().size());
    }

    @Test
    void defaultStakes_areEqual() throws Exception {
        Path out = dir.resolve("g.json");
        assertEquals(0, MainTest.run("genesis", "--out", out.toString(), "--validators", "3").exitCode());
        Genesis g = Genesis.fromJson(Files.readString(out));
        assertEquals(1, g.validators().stream().map(Genesis.Validator::power).distinct().count());
    }

    @Test
    void badStakes_exit2_withTheReason_andWriteNothing() {
        Path out = dir.resolve("bad.json");
        MainTest.Result count = MainTest.run("genesis", "--out", out.toString(), "--validators", "4", "--stakes", "1,2");
        assertEquals(2, count.exitCode());
        assertTrue(count.err().contains("--stakes lists 2 powers for 4 validators"), count.err());
        MainTest.Result zero = MainTest.run("genesis", "--out", out.toString(), "--validators", "2", "--stakes", "5,0");
        assertEquals(2, zero.exitCode());
        assertTrue(zero.err().contains("power must be"), zero.err());
        MainTest.Result text = MainTest.run("genesis", "--out", out.toString(), "--stakes", "a,b,c,d");
        assertEquals(2, text.exitCode());
        assertFalse(Files.exists(out));
    }

    @Test
    void services_declareEntitiesNodesEscrowAndARuntime_andStakesBecomeVotingPower() throws Exception {
        Path out = dir.resolve("s.json");
        Path keys = dir.resolve("keys");
        Files.createDirectories(keys);
        MainTest.Result r = MainTest.run("genesis", "--out", out.toString(), "--services", "--validators", "3",
                "--stakes", "3000,2000,1000", "--epoch-length", "5", "--key-dir", keys.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("services epochLength=5"), r.out());
        Genesis g = Genesis.fromJson(Files.readString(out));
        assertTrue(g.hasServices());
        assertEquals(List.of(3000L, 2000L, 1000L), g.validators().stream().map(Genesis.Validator::power).toList());
        dev.oasisj.core.services.ServicesGenesis s = dev.oasisj.core.services.ServicesGenesis.fromJson(g.services());
        assertEquals(5, s.parameters().epochLengthBlocks());
        assertEquals(3, s.entities().size());
        assertEquals(6, s.nodes().size());
        assertEquals(1, s.runtimes().size());
        var app = (dev.oasisj.core.services.ServicesApplication) dev.oasisj.core.services.ChainApplications
                .factory(g).genesis();
        assertEquals(3, app.state().validators().validators().size());
        assertTrue(Files.exists(keys.resolve("entity-2.key")) && Files.exists(keys.resolve("compute-2.key")));
        // the JSON round trip keeps the hash
        assertEquals(g.hash(), Genesis.fromJson(g.toJson()).hash());
    }

    @Test
    void services_withAStakeBelowTheValidatorMinimum_isRefusedWithTheReason() {
        Path out = dir.resolve("low.json");
        MainTest.Result r = MainTest.run("genesis", "--out", out.toString(), "--services", "--validators", "2",
                "--stakes", "5000,999");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not the set the services elect"), r.err());
        assertFalse(Files.exists(out));
    }

    /**
     * A declaration built from the 3-validator services genesis, then changed as an operator would: an account
     * delegates 700 to entity 0, and a second runtime, permissioned to entity 1, is declared.
     */
    private static com.fasterxml.jackson.databind.node.ObjectNode declaration() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Genesis base = LocalnetSetup.servicesGenesis(List.of(3000L, 2000L, 1000L), 2, 7,
                Genesis.ConsensusParams.DEFAULT, 5);
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(base.toJson());
        root.remove("validators");
        root.remove("consensus");
        com.fasterxml.jackson.databind.node.ObjectNode services =
                (com.fasterxml.jackson.databind.node.ObjectNode) root.get("services");
        services.withArray("escrows").addObject().put("delegator", LocalnetSetup.accountKey(0, 7).publicKey().toHex())
                .put("entity", LocalnetSetup.entityKey(0, 7).publicKey().toHex()).put("amountBaseUnits", 700);
        com.fasterxml.jackson.databind.node.ObjectNode rt = services.withArray("runtimes").get(0).deepCopy();
        rt.put("id", "ab".repeat(32));
        rt.putArray("permissioned").add(LocalnetSetup.entityKey(1, 7).publicKey().toHex());
        services.withArray("runtimes").add(rt);
        return root;
    }

    @Test
    void from_aDeclarationOfEntitiesNodesEscrowsAndRuntimes_computesTheValidatorsFromTheStakes() throws Exception {
        Path decl = dir.resolve("decl.json");
        Files.writeString(decl, declaration().toString());
        Path out = dir.resolve("declared.json");
        MainTest.Result r = MainTest.run("genesis", "--out", out.toString(), "--from", decl.toString());
        assertEquals(0, r.exitCode(), r.err());
        Genesis g = Genesis.fromJson(Files.readString(out));
        // entity 0's validator has its own 3000 and the 700 delegated to it
        assertEquals(List.of(3700L, 2000L, 1000L), g.validators().stream().map(Genesis.Validator::power).toList());
        assertEquals(LocalnetSetup.validatorKey(0, 7).publicKey(), g.validators().get(0).publicKey());
        assertTrue(r.out().contains("validators=3 [") && r.out().contains("=3700"), r.out());
        var app = (dev.oasisj.core.services.ServicesApplication) dev.oasisj.core.services.ChainApplications
                .factory(g).genesis();
        assertEquals(2, app.state().registry().runtimes().size());
        assertEquals(2, app.state().committees().committees().size());
    }

    @Test
    void from_aBadDeclaration_orWithOptionsItReplaces_exits2_withTheReason_andWritesNothing() throws Exception {
        Path out = dir.resolve("never.json");
        com.fasterxml.jackson.databind.node.ObjectNode withValidators = declaration();
        withValidators.putArray("validators");
        com.fasterxml.jackson.databind.node.ObjectNode overdrawn = declaration();
        ((com.fasterxml.jackson.databind.node.ObjectNode) overdrawn.get("services").withArray("escrows").get(3))
                .put("amountBaseUnits", 1L << 40);
        com.fasterxml.jackson.databind.node.ObjectNode badKey = declaration();
        ((com.fasterxml.jackson.databind.node.ObjectNode) badKey.withArray("accounts").get(0)).put("publicKey", "zz");
        String[][] cases = {
            {withValidators.toString(), "validators: not a field of a declaration"},
            {overdrawn.toString(), "services.escrows"},
            {badKey.toString(), "accounts[0]"},
            {"[1, 2]", "not a JSON object"},
            {"{", "--from"},
        };
        for (String[] c : cases) {
            Path decl = dir.resolve("bad.json");
            Files.writeString(decl, c[0]);
            MainTest.Result r = MainTest.run("genesis", "--out", out.toString(), "--from", decl.toString());
            assertEquals(2, r.exitCode(), c[1] + ": " + r.out() + r.err());
            assertTrue(r.err().contains(c[1]), c[1] + ": " + r.err());
        }
        Path decl = dir.resolve("ok.json");
        Files.writeString(decl, declaration().toString());
        MainTest.Result both = MainTest.run("genesis", "--out", out.toString(), "--from", decl.toString(), "--services");
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("--services does not apply"), both.err());
        assertFalse(Files.exists(out));
    }
}
