package dev.oasisj.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coverage classifier takes each guard branch of {@code Consensus.tla} from the states around a step. */
class ConsensusCoverageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VALID = Set.of("v1", "v2");

    @TempDir
    Path dir;

    /** A state of one correct validator p1 (locked as given) and the message sets given. */
    private static String state(int lockedRound, String lockedValue, String step, int round, String prevotes,
            String proposals) {
        return "{\"height\":{\"p1\":1},\"round\":{\"p1\":" + round + "},\"step\":{\"p1\":\"" + step + "\"},"
                + "\"lockedRound\":{\"p1\":" + lockedRound + "},\"lockedValue\":{\"p1\":\"" + lockedValue + "\"},"
                + "\"msgsPrevote\":[" + prevotes + "],\"msgsPrecommit\":[],\"msgsPropose\":[" + proposals + "]}";
    }

    private static String prevote(String src, int round, String value) {
        return "{\"height\":1,\"round\":" + round + ",\"src\":\"" + src + "\",\"type\":\"PREVOTE\",\"value\":\"" + value
                + "\"}";
    }

    private static String classify(String action, String before, String after) throws Exception {
        JsonNode a = JSON.readTree(action);
        return ConsensusCoverage.classify(a.get("name").asText(), a, JSON.readTree(before), JSON.readTree(after),
                VALID);
    }

    @Test
    void prevoteWithAProofOfLock_isTakenApartByTheLocksRoundAgainstThePolRound() throws Exception {
        String action = "{\"name\":\"PrevoteOnProposalWithPOL\",\"p\":\"p1\",\"value\":\"v2\",\"validRound\":1}";
        // Locked on v1 at round 2 > vr 1: the lock wins, the prevote is Nil.
        assertEquals("lock-newer-than-pol", classify(action, state(2, "v1", "propose", 3, "", ""),
                state(2, "v1", "prevote", 3, prevote("p1", 3, "Nil"), "")));
        // Locked on v1 at round 0 < vr 1: the newer polka unlocks, the prevote is v2.
        assertEquals("lock-older-than-pol", classify(action, state(0, "v1", "propose", 3, "", ""),
                state(0, "v1", "prevote", 3, prevote("p1", 3, "v2"), "")));
        // Locked on v1 at round 1 = vr 1 (two polkas in one round: Byzantine power above a third): the rule's edge,
        // the prevote is still v2.
        assertEquals("lock-at-pol", classify(action, state(1, "v1", "propose", 3, "", ""),
                state(1, "v1", "prevote", 3, prevote("p1", 3, "v2"), "")));
        assertEquals("locked-same-value", classify(action, state(2, "v2", "propose", 3, "", ""),
                state(2, "v2", "prevote", 3, prevote("p1", 3, "v2"), "")));
        assertEquals("unlocked", classify(action, state(-1, "Nil", "propose", 3, "", ""),
                state(-1, "Nil", "prevote", 3, prevote("p1", 3, "v2"), "")));
    }

    @Test
    void prevoteOnAFreshProposal_tellsTheLockFromTheValidityCheck() throws Exception {
        String v3 = "{\"name\":\"PrevoteOnProposal\",\"p\":\"p1\",\"value\":\"v3\"}";
        assertEquals("invalid-value", classify(v3, state(-1, "Nil", "propose", 0, "", ""),
                state(-1, "Nil", "prevote", 0, prevote("p1", 0, "Nil"), "")));
        String v2 = "{\"name\":\"PrevoteOnProposal\",\"p\":\"p1\",\"value\":\"v2\"}";
        assertEquals("locked-other-value", classify(v2, state(0, "v1", "propose", 1, "", ""),
                state(0, "v1", "prevote", 1, prevote("p1", 1, "Nil"), "")));
    }

    @Test
    void byzantineProposals_invalidEquivocatingAndReproposed() throws Exception {
        String proposal = "{\"height\":1,\"round\":0,\"src\":\"b1\",\"type\":\"PROPOSAL\",\"validRound\":-1,"
                + "\"value\":\"v1\"}";
        String second = "{\"name\":\"ByzantinePropose\",\"p\":\"b1\",\"height\":1,\"round\":0,\"value\":\"v2\","
                + "\"validRound\":-1}";
        assertEquals("equivocation", classify(second, state(-1, "Nil", "propose", 0, "", proposal),
                state(-1, "Nil", "propose", 0, "", proposal)));
        assertEquals("fresh-valid", classify(second, state(-1, "Nil", "propose", 0, "", ""),
                state(-1, "Nil", "propose", 0, "", "")));
        String invalid = second.replace("\"v2\"", "\"v3\"");
        assertEquals("invalid-value", classify(invalid, state(-1, "Nil", "propose", 0, "", ""),
                state(-1, "Nil", "propose", 0, "", "")));
    }

    @Test
    void theReport_countsPerBranch_andNamesEveryShortfall() throws Exception {
        String action = "{\"name\":\"PrevoteOnProposal\",\"p\":\"p1\",\"value\":\"v1\"}";
        String line0 = "{\"step\":0,\"action\":{\"name\":\"Init\"},\"state\":" + state(-1, "Nil", "propose", 0, "", "")
                + "}";
        String line1 = "{\"step\":1,\"action\":" + action + ",\"state\":"
                + state(-1, "Nil", "prevote", 0, prevote("p1", 0, "v1"), "") + "}";
        Path trace = dir.resolve("t.ndjson");
        Files.writeString(trace, line0 + "\n" + line1 + "\n");
        ConsensusCoverage c = new ConsensusCoverage();
        c.addTrace(trace, VALID);
        assertEquals(1, c.count("PrevoteOnProposal", "unlocked"));
        assertEquals(1, c.steps());
        List<String> shortfalls = c.shortfalls(Map.of("PrevoteOnProposal", 1L, "PrevoteOnProposal/unlocked", 2L,
                "PrevoteOnProposalWithPOL/lock-newer-than-pol", 1L));
        assertEquals(2, shortfalls.size(), shortfalls.toString());
        assertTrue(shortfalls.get(0).startsWith("PrevoteOnProposal/unlocked: 1 step(s), minimum 2"), shortfalls.get(0));
        assertTrue(c.toJson().contains("\"PrevoteOnProposal\":{\"unlocked\":1}"), c.toJson());
    }

    @Test
    void theValidValues_areReadFromTheModelsConfiguration() throws Exception {
        Path cfg = dir.resolve("M.cfg");
        Files.writeString(cfg, "CONSTANTS\n    ValidValues = {v1, v2}\n    InvalidValues = {v3}\n");
        assertEquals(Set.of("v1", "v2"), ConsensusCoverage.validValuesOf(cfg));
    }
}
