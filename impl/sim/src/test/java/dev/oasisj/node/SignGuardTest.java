package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.PeerWire;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sign guard: what it lets out, what it refuses, and that the state is on disk before anything leaves. */
class SignGuardTest {
    private static final String CHAIN = "guard-test";
    private static final Signer SELF = Signer.deterministic("validator-0", 1);
    private static final Signer OTHER = Signer.deterministic("validator-1", 1);

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    private static NodeOutput.Outbound wire(Signer by, ConsensusMessage m) {
        return new NodeOutput.Outbound(NodeOutput.Outbound.BROADCAST,
                PeerWire.encode(new PeerWire.Consensus(ConsensusMessageCodec.encode(SignedMessage.sign(CHAIN, m, by)))));
    }

    private static VoteValue value(String name) {
        return VoteValue.of(Hash32.sha256(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static NodeOutput.Outbound prevote(Signer by, long h, int r, String v) {
        return wire(by, new ConsensusMessage.Prevote(h, r, value(v)));
    }

    private static NodeOutput.Outbound precommit(Signer by, long h, int r, String v) {
        return wire(by, new ConsensusMessage.Precommit(h, r, value(v)));
    }

    private static NodeOutput.Outbound proposal(Signer by, long h, int r, String payload) {
        return wire(by, ConsensusMessage.Proposal.of(h, r, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                -1));
    }

    private SignGuard guard() {
        SignGuard g = SignGuard.open(dir, SELF.publicKey(), log::add);
        g.goLive(100);
        return g;
    }

    @Test
    void aNewSignature_isWrittenBeforeItIsReleased_withTheJournalCount() {
        SignGuard g = guard();
        NodeOutput.Outbound pv = prevote(SELF, 3, 0, "A");
        List<NodeOutput.Outbound> out = g.admit(List.of(pv), 7);
        assertEquals(List.of(pv), out);
        SignState s = SignState.read(dir).orElseThrow();
        assertEquals("(3, 0, prevote)", s.hrs());
        assertEquals(107, s.journalRecords(), "100 replayed + 7 journaled by the agent");
        // Two new steps in one input: one write, of the highest.
        g.admit(List.of(precommit(SELF, 3, 0, "A"), proposal(SELF, 4, 0, "block 4")), 9);
        assertEquals("(4, 0, proposal)", SignState.read(dir).orElseThrow().hrs());
        assertEquals(2, g.writes());
    }

    @Test
    void afterARestartWithoutItsJournal_nothingAtOrBelowTheSavedStateLeaves_butTheSameSignatureMay() {
        NodeOutput.Outbound signedBefore = precommit(SELF, 5, 0, "A");
        SignGuard first = guard();
        first.admit(List.of(prevote(SELF, 5, 0, "A"), signedBefore), 1);

        SignGuard restarted = guard(); // a new process: only the file is left
        assertEquals("(5, 0, precommit)", restarted.saved().orElseThrow().hrs());
        assertEquals(List.of(), restarted.admit(List.of(prevote(SELF, 1, 0, "nil-ish")), 1), "a lower height");
        assertEquals(List.of(), restarted.admit(List.of(prevote(SELF, 5, 0, "B")), 2), "a lower step");
        assertEquals(List.of(), restarted.admit(List.of(precommit(SELF, 5, 0, "B")), 3),
                "the same (height, round, step) with another value: a double signature");
        assertEquals(3, restarted.refused());
        assertEquals(List.of(signedBefore), restarted.admit(List.of(signedBefore), 4),
                "exactly the signature released before may be sent again");
        NodeOutput.Outbound next = proposal(SELF, 5, 1, "block 5 round 1");
        assertEquals(List.of(next), restarted.admit(List.of(next), 5), "above the saved state");
        assertEquals("(5, 1, proposal)", SignState.read(dir).orElseThrow().hrs());
        assertTrue(log.stream().anyMatch(l -> l.contains("refused to release a signature at (5, 0, precommit)")),
                log.toString());
    }

    @Test
    void othersMessagesAndNonConsensusTraffic_passUntouched_andWriteNothing() {
        SignGuard g = guard();
        g.admit(List.of(precommit(SELF, 9, 0, "A")), 1);
        List<NodeOutput.Outbound> mixed = List.of(prevote(OTHER, 2, 0, "X"),
                new NodeOutput.Outbound(2, PeerWire.encode(new PeerWire.Transaction(new byte[] {1, 2, 3}))),
                new NodeOutput.Outbound(1, PeerWire.encode(new PeerWire.BlockRequest(3, 8))));
        assertEquals(mixed, g.admit(mixed, 2));
        assertEquals(1, g.writes());
        assertEquals(0, g.refused());
    }

    @Test
    void resendsOfThisProcesssOwnSignaturesAtTheCurrentHeight_pass_butADifferentOneDoesNot() {
        SignGuard g = guard();
        NodeOutput.Outbound pv = prevote(SELF, 6, 0, "A");
        g.admit(List.of(proposal(SELF, 6, 0, "b6")), 1);
        g.admit(List.of(pv), 2);
        g.admit(List.of(precommit(SELF, 6, 0, "A")), 3);
        g.admit(List.of(prevote(SELF, 6, 1, "A")), 4);
        assertEquals(List.of(pv), g.admit(List.of(pv), 5), "forwarding its own prevote of the valid round");
        assertEquals(List.of(), g.admit(List.of(prevote(SELF, 6, 0, "B")), 6));
        assertEquals(4, g.writes(), "a resend writes nothing");
    }

    @Test
    void signaturesReproducedByJournalReplay_mayBeResent_othersBelowTheSavedStateMayNot() {
        guard().admit(List.of(prevote(SELF, 7, 0, "A"), precommit(SELF, 7, 0, "A")), 1);
        SignGuard restarted = SignGuard.open(dir, SELF.publicKey(), log::add);
        NodeOutput.Outbound replayedPrevote = prevote(SELF, 7, 0, "A");
        RecordingStateMachine replayed = new RecordingStateMachine(new ArrayList<>(),
                input -> new NodeOutput(List.of(replayedPrevote), List.of(), List.of()));
        restarted.observing(replayed).apply(new NodeInput.Tick(1));
        restarted.goLive(1);
        assertEquals(List.of(replayedPrevote), restarted.admit(List.of(replayedPrevote), 1));
        assertEquals(List.of(), restarted.admit(List.of(prevote(SELF, 7, 0, "B")), 2));
    }

    @Test
    void aFileOfAnotherValidator_isRefused() {
        SignGuard.open(dir, OTHER.publicKey(), log::add).admit(List.of(prevote(OTHER, 1, 0, "A")), 1);
        SignState.CorruptException e = assertThrows(SignState.CorruptException.class,
                () -> SignGuard.open(dir, SELF.publicKey(), log::add));
        assertTrue(e.getMessage().contains("belongs to validator key"), e.getMessage());
    }

    @Test
    void whenTheStateCannotBeWritten_nothingLeaves() throws Exception {
        SignGuard g = guard();
        // Make the write fail: a folder where the temporary file must go.
        Files.createDirectory(dir.resolve(SignState.TEMP_NAME));
        Files.writeString(dir.resolve(SignState.TEMP_NAME).resolve("x"), "x");
        assertThrows(JournalException.class, () -> g.admit(List.of(prevote(SELF, 2, 0, "A")), 1));
        assertEquals(Optional.empty(), SignState.read(dir));
    }

    @Test
    void journalLoss_isReportedWhenTheJournalHoldsFewerRecordsThanAtTheLastSignature() {
        guard().admit(List.of(precommit(SELF, 4, 2, "A")), 20); // journal held 100 + 20
        SignGuard restarted = SignGuard.open(dir, SELF.publicKey(), log::add);
        assertEquals(Optional.empty(), restarted.journalLoss(120));
        assertEquals(Optional.empty(), restarted.journalLoss(500));
        String loss = restarted.journalLoss(0).orElseThrow();
        assertTrue(loss.contains("(4, 2, precommit)") && loss.contains("120") && loss.contains("holds 0"), loss);
        assertTrue(restarted.journalLoss(119).isPresent(), "a truncated journal");
        restarted.acceptJournalRecords(0);
        SignState s = SignState.read(dir).orElseThrow();
        assertEquals("(4, 2, precommit)", s.hrs(), "the saved (height, round, step) stays");
        assertEquals(0, s.journalRecords());
        assertFalse(SignGuard.open(dir, SELF.publicKey(), log::add).journalLoss(0).isPresent());
        assertArrayEquals(SignState.read(dir).orElseThrow().signature(), s.signature());
    }

    @Test
    void inTheAgent_aRefusedSignatureNeverReachesThePeers_andAnAdmittedOneDoes() {
        guard().admit(List.of(precommit(SELF, 5, 0, "A")), 1);
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(2, 1));
        NodeOutput.Outbound low = prevote(SELF, 2, 0, "B");
        NodeOutput.Outbound high = prevote(SELF, 6, 0, "C");
        RecordingStateMachine sm = new RecordingStateMachine(new ArrayList<>(), input -> new NodeOutput(
                List.of(((NodeInput.Tick) input).tick() == 1 ? low : high), List.of(), List.of()));
        ManualClock clock = new ManualClock(1);
        NodeAgent agent = new NodeAgent(sm, new InMemoryJournal(), network.transport(0), clock,
                CoreInputCodec.INSTANCE, (node, block) -> {}, 0, PeerBudgets.Settings.forTickMillis(1), guard());
        List<byte[]> received = new ArrayList<>();
        agent.doWork();
        network.advanceTo(5);
        network.transport(1).poll((peer, bytes) -> received.add(bytes), 10);
        assertEquals(0, received.size(), "the prevote below the saved state was sent");
        clock.advanceTo(2);
        agent.doWork();
        network.advanceTo(10);
        network.transport(1).poll((peer, bytes) -> received.add(bytes), 10);
        assertEquals(1, received.size());
        assertArrayEquals(high.bytes(), received.get(0));
    }
}
