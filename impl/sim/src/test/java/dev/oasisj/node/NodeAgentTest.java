package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class NodeAgentTest {
    private final List<String> log = new ArrayList<>();

    /** A journal that writes what it appends into the shared event log, so ordering against apply is visible. */
    private final class LoggingJournal extends ForwardingJournal {
        boolean failNext;

        LoggingJournal() {
            super(new InMemoryJournal());
        }

        @Override
        public void append(byte[] record) {
            if (failNext) {
                throw new JournalException("disk full (simulated)");
            }
            log.add("journal " + RecordingStateMachine.describe(decode(record)));
            super.append(record);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final Function<NodeInput, NodeOutput> SILENT = input -> NodeOutput.EMPTY;

    @Test
    void everyInput_isJournaledBeforeItIsApplied_inDutyCycleOrder() {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(2, 1));
        LoggingJournal journal = new LoggingJournal();
        RecordingStateMachine sm = new RecordingStateMachine(log, SILENT);
        ManualClock clock = new ManualClock(0);
        NodeAgent agent = new NodeAgent(sm, journal, network.transport(0), clock, CoreInputCodec.INSTANCE,
                (node, block) -> {}, -1);

        network.transport(1).send(0, utf8("vote"));
        clock.advanceTo(3);
        network.advanceTo(1);
        agent.offerClientRequest(new ClientRequest.Submit(utf8("tx1"), new CompletableFuture<>()));
        assertEquals(3, agent.doWork());

        assertEquals(List.of("journal tick 3", "apply tick 3", "journal peer 1 vote", "apply peer 1 vote",
                "prepare client tx1", "journal client tx1", "apply client tx1"), log);
    }

    @Test
    void aCyclesSubmissionsArePreparedTogetherFirst_andThePreparedInputIsWhatIsJournaledAndApplied() throws Exception {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(1, 1));
        LoggingJournal journal = new LoggingJournal();
        RecordingStateMachine sm = new RecordingStateMachine(log, SILENT);
        sm.preparer = input -> input instanceof NodeInput.ClientTransaction c
                && c.signature() == SignatureVerdict.NOT_CHECKED
                ? new NodeInput.ClientTransaction(c.bytes(), SignatureVerdict.VALID) : input;
        NodeAgent agent = new NodeAgent(sm, journal, network.transport(0), new ManualClock(0), CoreInputCodec.INSTANCE,
                (n, b) -> {}, 0);
        CompletableFuture<String> status = new CompletableFuture<>();
        agent.offerClientRequest(new ClientRequest.Submit(utf8("a"), new CompletableFuture<>()));
        agent.offerClientRequest(new ClientRequest.Status(status));
        agent.offerClientRequest(new ClientRequest.Submit(utf8("b"), new CompletableFuture<>()));
        assertEquals(3, agent.doWork());
        assertEquals(List.of("prepare client a", "prepare client b", "journal client a", "apply client a",
                "journal client b", "apply client b"), log);
        assertEquals(1, new ObjectMapper().readTree(status.get()).get("inputsApplied").asLong(),
                "a status request is answered in its place: after a, before b");
        List<NodeInput> journaled = new ArrayList<>();
        journal.replay(r -> {
            try {
                journaled.add(CoreInputCodec.INSTANCE.decode(r));
            } catch (DecodeException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(2, journaled.size());
        for (NodeInput i : journaled) {
            assertEquals(SignatureVerdict.VALID, ((NodeInput.ClientTransaction) i).signature());
        }
        for (NodeInput i : sm.inputs) {
            assertEquals(SignatureVerdict.VALID, ((NodeInput.ClientTransaction) i).signature());
        }
    }

    @Test
    void tickInput_onlyWhenTheClockAdvanced() {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(1, 1));
        RecordingStateMachine sm = new RecordingStateMachine(log, SILENT);
        ManualClock clock = new ManualClock(5);
        NodeAgent agent = new NodeAgent(sm, new InMemoryJournal(), network.transport(0), clock,
                CoreInputCodec.INSTANCE, (node, block) -> {}, -1);
        agent.doWork();
        agent.doWork();
        clock.advanceTo(9);
        agent.doWork();
        assertEquals(List.of(new NodeInput.Tick(5), new NodeInput.Tick(9)), sm.inputs);
        assertEquals(0, agent.doWork(), "an idle cycle reports no work");
    }

    @Test
    void failedJournalAppend_stopsTheAgent_andTheInputIsNeverApplied() {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(1, 1));
        LoggingJournal journal = new LoggingJournal();
        RecordingStateMachine sm = new RecordingStateMachine(log, SILENT);
        ManualClock clock = new ManualClock(1);
        NodeAgent agent = new NodeAgent(sm, journal, network.transport(0), clock, CoreInputCodec.INSTANCE,
                (node, block) -> {}, -1);
        journal.failNext = true;
        assertThrows(JournalException.class, agent::doWork);
        assertTrue(sm.inputs.isEmpty(), "applied an input that is not in the journal: " + sm.inputs);
    }

    @Test
    void outputs_areSentAndCommittedBlocksReported() {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(3, 1));
        NodeOutput.CommittedBlock block = new NodeOutput.CommittedBlock(1, 0, RecordingStateMachine.hashOf(1),
                Hash32.ZERO, 2, "validator-0", 1, 4);
        RecordingStateMachine sm = new RecordingStateMachine(log, input -> input instanceof NodeInput.Tick
                ? new NodeOutput(List.of(new NodeOutput.Outbound(NodeOutput.Outbound.BROADCAST, utf8("all")),
                        new NodeOutput.Outbound(2, utf8("two"))), List.of(block), List.of())
                : NodeOutput.EMPTY);
        List<NodeOutput.CommittedBlock> reported = new ArrayList<>();
        NodeAgent agent = new NodeAgent(sm, new InMemoryJournal(), network.transport(0), new ManualClock(4),
                CoreInputCodec.INSTANCE, (node, b) -> reported.add(b), -1);
        agent.doWork();
        network.advanceTo(1);
        List<String> at1 = new ArrayList<>();
        List<String> at2 = new ArrayList<>();
        network.transport(1).poll((p, b) -> at1.add(p + ":" + new String(b, StandardCharsets.UTF_8)), 10);
        network.transport(2).poll((p, b) -> at2.add(p + ":" + new String(b, StandardCharsets.UTF_8)), 10);
        assertEquals(List.of("0:all"), at1);
        assertEquals(List.of("0:all", "0:two"), at2);
        assertEquals(List.of(block), reported);
    }

    @Test
    void recover_replaysTheWholeJournalIntoAFreshStateMachine_withoutResendingOutputs() {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(2, 1));
        InMemoryJournal journal = new InMemoryJournal();
        Function<NodeInput, NodeOutput> chatty = input ->
                new NodeOutput(List.of(new NodeOutput.Outbound(1, utf8("out"))), List.of(), List.of());
        RecordingStateMachine live = new RecordingStateMachine(new ArrayList<>(), chatty);
        ManualClock clock = new ManualClock(1);
        NodeAgent agent = new NodeAgent(live, journal, network.transport(0), clock, CoreInputCodec.INSTANCE,
                (n, b) -> {}, -1);
        agent.doWork();
        network.transport(1).send(0, utf8("m"));
        network.advanceTo(1);
        clock.advanceTo(7);
        agent.offerClientRequest(new ClientRequest.Submit(utf8("t"), new CompletableFuture<>()));
        agent.doWork();
        network.advanceTo(2);
        int sentLive = network.transport(1).poll((p, b) -> {}, 100);
        assertEquals(4, sentLive);

        RecordingStateMachine fresh = new RecordingStateMachine(new ArrayList<>(), chatty);
        NodeAgent.Recovery recovery = NodeAgent.recover(journal, fresh, CoreInputCodec.INSTANCE);
        assertEquals(live.inputs.size(), recovery.inputsReplayed());
        assertEquals(7, recovery.lastTick());
        assertEquals(live.stateRoot(), fresh.stateRoot(), "replay must reproduce the state exactly");
        assertEquals(4, fresh.inputs.size());
        assertEquals(List.of("tick 1", "tick 7", "peer 1 m", "client t"),
                fresh.inputs.stream().map(RecordingStateMachine::describe).toList());
        network.advanceTo(10);
        assertEquals(0, network.transport(1).poll((p, b) -> {}, 100), "replay must not resend");

        // Going live after recovery: the next Tick is only produced when the clock passes the replayed tick.
        NodeAgent resumed = new NodeAgent(fresh, journal, network.transport(0), new ManualClock(7),
                CoreInputCodec.INSTANCE, (n, b) -> {}, recovery.lastTick());
        assertEquals(0, resumed.doWork());
    }

    @Test
    void recover_failsLoudlyOnAnUndecodableRecord() {
        InMemoryJournal journal = new InMemoryJournal();
        journal.append(new byte[] {99});
        assertThrows(JournalException.class, () -> NodeAgent.recover(journal,
                new RecordingStateMachine(new ArrayList<>(), SILENT), CoreInputCodec.INSTANCE));
    }

    @Test
    void statusAndSubmit_answerWithJson() throws Exception {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(4, 1));
        RecordingStateMachine sm = new RecordingStateMachine(log, input -> input instanceof NodeInput.ClientTransaction
                ? new NodeOutput(List.of(), List.of(), List.of(new NodeOutput.Rejection("bad_nonce", "expected 0")))
                : NodeOutput.EMPTY);
        NodeAgent agent = new NodeAgent(sm, new InMemoryJournal(), network.transport(2), new ManualClock(0),
                CoreInputCodec.INSTANCE, (n, b) -> {}, -1);
        CompletableFuture<String> status = new CompletableFuture<>();
        CompletableFuture<String> submit = new CompletableFuture<>();
        agent.offerClientRequest(new ClientRequest.Submit(utf8("x"), submit));
        agent.offerClientRequest(new ClientRequest.Status(status));
        agent.doWork();
        JsonNode s = new ObjectMapper().readTree(status.get());
        assertEquals(2, s.get("validator").asInt());
        assertEquals(0, s.get("height").asLong());
        assertEquals(sm.stateRoot().toHex(), s.get("stateRoot").asText());
        assertEquals(3, s.get("peers").asInt());
        JsonNode r = new ObjectMapper().readTree(submit.get());
        assertEquals(false, r.get("accepted").asBoolean());
        assertEquals("bad_nonce", r.get("rejections").get(0).get("reason").asText());
    }

    @Test
    void anAcceptedSubmission_isAnsweredWithWhatJacksonWritesForIt() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var expected = json.createObjectNode();
        expected.put("accepted", true);
        expected.putArray("rejections");
        assertEquals(expected.toString(), NodeAgent.ACCEPTED_REPLY);
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(1, 1));
        RecordingStateMachine sm = new RecordingStateMachine(log, input -> NodeOutput.EMPTY);
        NodeAgent agent = new NodeAgent(sm, new InMemoryJournal(), network.transport(0), new ManualClock(0),
                CoreInputCodec.INSTANCE, (n, b) -> {}, -1);
        CompletableFuture<String> submit = new CompletableFuture<>();
        agent.offerClientRequest(new ClientRequest.Submit(utf8("x"), submit));
        agent.doWork();
        JsonNode r = json.readTree(submit.get());
        assertTrue(r.get("accepted").asBoolean());
        assertEquals(0, r.get("rejections").size());
    }

    @Test
    void fullClientQueue_refusesAtOnceWithBusy() throws Exception {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(1, 1));
        NodeAgent agent = new NodeAgent(new RecordingStateMachine(log, SILENT), new InMemoryJournal(),
                network.transport(0), new ManualClock(0), CoreInputCodec.INSTANCE, (n, b) -> {}, -1);
        for (int i = 0; i < ShellLimits.CLIENT_QUEUE_REQUESTS; i++) {
            assertTrue(agent.offerClientRequest(new ClientRequest.Status(new CompletableFuture<>())));
        }
        CompletableFuture<String> refused = new CompletableFuture<>();
        assertEquals(false, agent.offerClientRequest(new ClientRequest.Status(refused)));
        assertEquals("{\"error\":\"busy\"}", refused.getNow("not answered"));
        assertEquals(1, agent.clientRequestsRefused());
    }

    @Test
    void inputOutsideTheCodecBounds_isDroppedBeforeJournaling_andNeverApplied() throws Exception {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(1, 1));
        InMemoryJournal journal = new InMemoryJournal();
        RecordingStateMachine sm = new RecordingStateMachine(log, SILENT);
        NodeAgent agent = new NodeAgent(sm, journal, network.transport(0), new ManualClock(0), CoreInputCodec.INSTANCE,
                (n, b) -> {}, 0);
        CompletableFuture<String> reply = new CompletableFuture<>();
        agent.offerClientRequest(new ClientRequest.Submit(new byte[ShellLimits.MAX_CLIENT_TRANSACTION_BYTES + 1], reply));
        agent.doWork();
        assertEquals(0, journal.size());
        assertTrue(sm.inputs.isEmpty());
        assertEquals(1, agent.inputsDroppedOutOfBounds());
        assertTrue(reply.get().contains("\"accepted\":false"), reply.get());
    }

    /**
     * Issue point 1, for every input kind the shell admits: at exactly its limit it is journaled in a real
     * {@link ChronicleJournal} (a peer message with the largest header, a transaction verdict, fills a record exactly)
     * and replays; one byte more never reaches the journal (the transport refuses the frame, the agent the
     * transaction); the tick has a fixed size and the largest one is journaled.
     */
    @Test
    void everyInputKind_atExactlyItsLimit_isJournaledAndReplays_andOneByteMoreNeverReachesTheJournal(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(2, 1));
        RecordingStateMachine sm = new RecordingStateMachine(log, SILENT);
        // as the validator does for a gossiped transaction: the journaled peer message carries a verdict
        sm.preparer = input -> input instanceof NodeInput.PeerMessage p
                ? new NodeInput.PeerMessage(p.peer(), p.bytes(), SignatureVerdict.INVALID) : input;
        ManualClock clock = new ManualClock(0);
        byte[] largestFrame = new byte[ShellLimits.MAX_FRAME_BYTES];
        new java.util.SplittableRandom(8).nextBytes(largestFrame);
        byte[] largestTransaction = new byte[ShellLimits.MAX_CLIENT_TRANSACTION_BYTES];
        CompletableFuture<String> atLimit = new CompletableFuture<>();
        CompletableFuture<String> overLimit = new CompletableFuture<>();
        NodeAgent agent;
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            agent = new NodeAgent(sm, journal, network.transport(0), clock, CoreInputCodec.INSTANCE, (n, b) -> {}, -1);
            assertTrue(network.transport(1).send(0, largestFrame));
            assertEquals(false, network.transport(1).send(0, new byte[ShellLimits.MAX_FRAME_BYTES + 1]));
            agent.offerClientRequest(new ClientRequest.Submit(largestTransaction, atLimit));
            agent.offerClientRequest(new ClientRequest.Submit(new byte[ShellLimits.MAX_CLIENT_TRANSACTION_BYTES + 1],
                    overLimit));
            clock.advanceTo(Long.MAX_VALUE);
            network.advanceTo(1);
            assertEquals(4, agent.doWork());
        }
        assertEquals(NodeAgent.ACCEPTED_REPLY, atLimit.get());
        assertTrue(overLimit.get().contains("too large"), overLimit.get());
        assertEquals(1, agent.inputsDroppedOutOfBounds());

        List<byte[]> records = new ArrayList<>();
        RecordingStateMachine fresh = new RecordingStateMachine(new ArrayList<>(), SILENT);
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            journal.replay(records::add);
            assertEquals(3, NodeAgent.recover(journal, fresh, CoreInputCodec.INSTANCE).inputsReplayed());
        }
        assertEquals(sm.stateRoot(), fresh.stateRoot());
        assertEquals(Long.MAX_VALUE, ((NodeInput.Tick) fresh.inputs.get(0)).tick());
        assertEquals(1, ((NodeInput.PeerMessage) fresh.inputs.get(1)).peer());
        assertEquals(ShellLimits.MAX_JOURNAL_RECORD_BYTES, records.get(1).length,
                "the largest frame, with the largest header, fills a journal record exactly");
        assertArrayEquals(largestFrame, ((NodeInput.PeerMessage) fresh.inputs.get(1)).bytes());
        assertArrayEquals(largestTransaction, ((NodeInput.ClientTransaction) fresh.inputs.get(2)).bytes());
    }

    /** The status answer reports a validator node's evidence: held for inclusion, and committed (none yet). */
    @Test
    void statusReportsTheEvidenceAValidatorNodeHolds() {
        java.util.List<dev.oasisj.core.crypto.Signer> keys = new ArrayList<>();
        java.util.List<dev.oasisj.core.ledger.Genesis.Validator> validators = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(dev.oasisj.core.crypto.Signer.deterministic("status-v" + i, 3));
            validators.add(new dev.oasisj.core.ledger.Genesis.Validator("v" + i, keys.get(i).publicKey(), 1));
        }
        dev.oasisj.core.ledger.Genesis genesis = new dev.oasisj.core.ledger.Genesis("status-chain", validators,
                List.of(), dev.oasisj.core.ledger.Genesis.ConsensusParams.DEFAULT);
        dev.oasisj.core.node.ValidatorNode node = new dev.oasisj.core.node.ValidatorNode(genesis, keys.get(0));
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(4, 1));
        ManualClock clock = new ManualClock(0);
        NodeAgent agent = new NodeAgent(node, new InMemoryJournal(), network.transport(0), clock,
                CoreInputCodec.INSTANCE, (n, b) -> {}, -1);
        assertEquals(0, agent.statusJson().get("evidencePending").asLong());
        for (String v : List.of("x", "y")) {
            dev.oasisj.core.consensus.SignedMessage vote = dev.oasisj.core.consensus.SignedMessage.sign("status-chain",
                    new dev.oasisj.core.consensus.ConsensusMessage.Prevote(1, 0, dev.oasisj.core.consensus.VoteValue.of(
                            Hash32.sha256(utf8(v)))), keys.get(1));
            network.transport(1).send(0, dev.oasisj.core.node.PeerWire.encode(new dev.oasisj.core.node.PeerWire.Consensus(
                    dev.oasisj.core.consensus.ConsensusMessageCodec.encode(vote))));
        }
        clock.advanceTo(1);
        network.advanceTo(1);
        agent.doWork();
        JsonNode status = agent.statusJson();
        assertEquals(1, status.get("evidencePending").asLong(), status.toString());
        assertEquals(0, status.get("evidenceCommitted").asLong(), status.toString());
        assertEquals(4, status.get("validatorSetSize").asInt(), status.toString());
        assertEquals(dev.oasisj.core.node.EvidenceRecordingNode.validatorSetOf(genesis).hash().toHex(),
                status.get("validatorSetHash").asText(), status.toString());
        NodeAgent plain = new NodeAgent(new RecordingStateMachine(new ArrayList<>(), SILENT), new InMemoryJournal(),
                network.transport(2), new ManualClock(0), CoreInputCodec.INSTANCE, (n, b) -> {}, -1);
        assertTrue(!plain.statusJson().has("evidencePending"), "only a validator node reports evidence");
    }

    /** {@code query}: the application's answer for the committed state; a machine with no application answers none. */
    @Test
    void queryAsksTheApplication_andParsesItsLimits() throws Exception {
        dev.oasisj.core.crypto.Signer v = dev.oasisj.core.crypto.Signer.deterministic("query-v", 3);
        dev.oasisj.core.crypto.Signer alice = dev.oasisj.core.crypto.Signer.deterministic("query-alice", 3);
        dev.oasisj.core.ledger.Genesis genesis = new dev.oasisj.core.ledger.Genesis("query-chain",
                List.of(new dev.oasisj.core.ledger.Genesis.Validator("v", v.publicKey(), 1)),
                List.of(new dev.oasisj.core.ledger.Genesis.InitialAccount(alice.publicKey(), 1_234)),
                dev.oasisj.core.ledger.Genesis.ConsensusParams.DEFAULT);
        SimulatedNetwork network = new SimulatedNetwork(SimulatedNetwork.Config.reliable(1, 1));
        NodeAgent agent = new NodeAgent(new dev.oasisj.core.node.ValidatorNode(genesis, v), new InMemoryJournal(),
                network.transport(0), new ManualClock(0), CoreInputCodec.INSTANCE, (n, b) -> {}, -1);
        StringBuilder error = new StringBuilder();
        ClientRequest r = ClientPort.parse("query account " + alice.publicKey().toHex(), error);
        CompletableFuture<String> reply = r.reply();
        agent.offerClientRequest(r);
        agent.doWork();
        JsonNode answer = new ObjectMapper().readTree(reply.join());
        assertTrue(answer.get("found").asBoolean(), answer.toString());
        assertEquals("00000000000004d20000000000000000", answer.get("value").asText(), "balance 1,234, nonce 0");
        assertTrue(answer.get("detail").asText().contains("balance 1234, nonce 0"), answer.toString());
        assertEquals("binary", answer.get("encoding").asText(), "the transfer ledger answers in its binary encoding");
        assertEquals(null, answer.get("answer"), "a binary value is not shown as JSON");
        ClientRequest supply = ClientPort.parse("query supply", error);
        agent.offerClientRequest(supply);
        agent.doWork();
        assertTrue(supply.reply().join().contains("\"found\":true"), supply.reply().join());
        ClientRequest unknown = ClientPort.parse("query nothing.here 00", error);
        agent.offerClientRequest(unknown);
        agent.doWork();
        assertTrue(unknown.reply().join().contains("\"found\":false"), unknown.reply().join());
        NodeAgent plain = new NodeAgent(new RecordingStateMachine(new ArrayList<>(), SILENT), new InMemoryJournal(),
                network.transport(0), new ManualClock(0), CoreInputCodec.INSTANCE, (n, b) -> {}, -1);
        assertEquals("this node answers no queries", plain.queryJson("supply", new byte[0]).get("error").asText());

        String most = "ab".repeat(ShellLimits.MAX_QUERY_DATA_BYTES);
        assertTrue(ClientPort.parse("query account " + most, new StringBuilder()) instanceof ClientRequest.Query);
        for (String bad : List.of("query", "query Account", "query account abc", "query account zz",
                "query account " + most + "ab", "query a b c", "query " + "a".repeat(33))) {
            StringBuilder why = new StringBuilder();
            assertEquals(null, ClientPort.parse(bad, why), bad);
            assertTrue(why.toString().startsWith("query"), bad + ": " + why);
        }
    }
}
