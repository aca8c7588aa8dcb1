package dev.oasisj.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Ledger;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeInputCodec;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.PeerWire;
import dev.oasisj.core.node.ValidatorNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A program of node inputs, chosen by the fuzzer, into a fresh {@link ValidatorNode} (validator-0 of
 * {@link FuzzFixtures#GENESIS}). The fuzzer also holds the keys of the other three validators, so it can play them:
 * its prevotes and precommits for the value the node proposed can make the node commit blocks, and its votes for other
 * heights, rounds and values exercise the core's limits. Inputs: ticks (sometimes going backwards), peer messages of
 * arbitrary bytes, signed consensus votes wrapped in the peer encoding, echoes of the node's own messages, client
 * transactions (signed transfers or arbitrary bytes).
 *
 * <p>Properties, after every input: {@code apply} does not throw (the {@link dev.oasisj.core.node.NodeStateMachine}
 * contract; an invariant violation is a finding too); an input that commits no block leaves the state root, the height
 * and the last block hash unchanged (so every rejected input does); a commit raises the height by the number of blocks
 * reported and the node's root and hash are those of the last reported block; every rejection has a reason and a
 * detail; the total supply is conserved. At the end, the same inputs, prepared as the agent prepares them
 * ({@code ValidatorNode.prepare}: signature verdicts), journaled (encoded and decoded with {@link NodeInputCodec}) and
 * replayed into a fresh node, give the same outputs and the same state (determinism, and prepare changes nothing).
 */
class NodeInputFuzzTest {
    private static final int MAX_STEPS = 24;
    private static final List<Signer> OTHER_VALIDATORS = List.of(FuzzFixtures.VALIDATOR_1, FuzzFixtures.VALIDATOR_2,
            FuzzFixtures.VALIDATOR_3);

    @FuzzTest
    void applyInputs(FuzzedDataProvider data) {
        ValidatorNode node = new ValidatorNode(FuzzFixtures.GENESIS, FuzzFixtures.VALIDATOR_0);
        List<NodeInput> inputs = new ArrayList<>();
        List<NodeOutput> outputs = new ArrayList<>();
        List<byte[]> seenOutbound = new ArrayList<>();
        Hash32 lastProposedValue = null;
        long totalSupply = FuzzFixtures.GENESIS.totalSupplyBaseUnits();

        for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
            NodeInput input = nextInput(data, node, seenOutbound, lastProposedValue);
            Hash32 rootBefore = node.stateRoot();
            Hash32 hashBefore = node.lastBlockHash();
            long heightBefore = node.height();

            NodeOutput out = node.apply(input);

            String what = NodeInputCodec.describe(input) + " at height " + heightBefore;
            for (NodeOutput.Rejection r : out.rejections()) {
                assertFalse(r.reason().isBlank() || r.detail().isBlank(), "a rejection needs a reason and a detail");
            }
            if (out.committed().isEmpty()) {
                assertEquals(rootBefore, node.stateRoot(), "state root changed without a commit: " + what
                        + (out.rejections().isEmpty() ? "" : " (rejected: " + out.rejections() + ")"));
                assertEquals(heightBefore, node.height(), "height changed without a commit: " + what);
                assertEquals(hashBefore, node.lastBlockHash(), "last block hash changed without a commit: " + what);
            } else {
                assertEquals(heightBefore + out.committed().size(), node.height(), "height after commits: " + what);
                NodeOutput.CommittedBlock last = out.committed().get(out.committed().size() - 1);
                assertEquals(node.height(), last.height(), "reported height of the last commit: " + what);
                assertEquals(node.stateRoot(), last.stateRoot(), "reported state root of the last commit: " + what);
                assertEquals(node.lastBlockHash(), last.blockHash(), "reported hash of the last commit: " + what);
            }
            Ledger ledger = node.ledger();
            long[] sum = {0};
            ledger.forEachAccount((k, a) -> sum[0] = Math.addExact(sum[0], a.balanceBaseUnits()));
            assertEquals(totalSupply, Math.addExact(sum[0], ledger.feePoolBaseUnits()),
                    "SupplyConservedInv after " + what);

            for (NodeOutput.Outbound o : out.outbound()) {
                seenOutbound.add(o.bytes());
                Hash32 proposed = proposedValue(o.bytes());
                if (proposed != null) {
                    lastProposedValue = proposed;
                }
            }
            inputs.add(input);
            outputs.add(out);
        }
        replayFromJournal(inputs, outputs, node);
        lastRunSummary = summarize(outputs, node);
    }

    /** What the last program reached (height, rejection reasons): read by seed selection, not by the properties. */
    static String lastRunSummary = "";

    private static String summarize(List<NodeOutput> outputs, ValidatorNode node) {
        java.util.TreeSet<String> reasons = new java.util.TreeSet<>();
        for (NodeOutput o : outputs) {
            o.rejections().forEach(r -> reasons.add(r.reason()));
        }
        return "height=" + node.height() + " round=" + node.consensusRound() + " rejections=" + reasons;
    }

    /** Journal round trip and replay into a fresh node: same outputs, same state. */
    private static void replayFromJournal(List<NodeInput> inputs, List<NodeOutput> outputs, ValidatorNode original) {
        ValidatorNode replica = new ValidatorNode(FuzzFixtures.GENESIS, FuzzFixtures.VALIDATOR_0);
        for (int i = 0; i < inputs.size(); i++) {
            // journaled as the agent journals it: prepared (signature verdicts of transactions), which must not change
            // what the node does
            NodeInput input = replica.prepare(inputs.get(i));
            assertTrue(NodeInputCodec.fitsBounds(input), "the program only builds journalable inputs");
            byte[] journaled = NodeInputCodec.encode(input);
            NodeInput decoded;
            try {
                decoded = NodeInputCodec.decode(journaled);
            } catch (DecodeException e) {
                throw new AssertionError("a journaled input does not decode: " + e.getMessage(), e);
            }
            assertArrayEquals(journaled, NodeInputCodec.encode(decoded), "journal encoding is not canonical");
            NodeOutput expected = outputs.get(i);
            NodeOutput actual = replica.apply(decoded);
            String what = "replay step " + i + " " + NodeInputCodec.describe(input);
            assertEquals(expected.committed(), actual.committed(), "committed blocks differ on " + what);
            assertEquals(expected.rejections(), actual.rejections(), "rejections differ on " + what);
            assertEquals(expected.outbound().size(), actual.outbound().size(), "outbound count differs on " + what);
            for (int j = 0; j < expected.outbound().size(); j++) {
                assertEquals(expected.outbound().get(j).peer(), actual.outbound().get(j).peer(), what);
                assertArrayEquals(expected.outbound().get(j).bytes(), actual.outbound().get(j).bytes(),
                        "outbound bytes differ on " + what);
            }
        }
        assertEquals(original.stateRoot(), replica.stateRoot(), "replayed state root differs");
        assertEquals(original.lastBlockHash(), replica.lastBlockHash(), "replayed last block hash differs");
        assertEquals(original.height(), replica.height(), "replayed height differs");
    }

    private static NodeInput nextInput(FuzzedDataProvider data, ValidatorNode node, List<byte[]> seenOutbound,
            Hash32 lastProposedValue) {
        switch (data.consumeInt(0, 7)) {
            case 0, 1: { // time passes (sometimes backwards: a non-monotonic tick must be refused)
                long tick = data.consumeInt(0, 15) == 0 ? data.consumeLong(0, Math.max(0, node.nowTick()))
                        : node.nowTick() + data.consumeLong(0, 3_000);
                return new NodeInput.Tick(tick);
            }
            case 2: // arbitrary bytes from a peer (or from an unknown sender)
                return new NodeInput.PeerMessage(data.consumeInt(-1, 4), data.consumeBytes(data.consumeInt(0, 600)));
            case 3, 4: { // a vote by one of the other validators, as the fuzzer plays them
                int who = data.consumeInt(0, OTHER_VALIDATORS.size() - 1);
                long height = Math.max(1, node.consensusHeight() + (data.consumeInt(0, 7) == 0
                        ? data.consumeLong(-2, 3) : 0));
                int round = Math.max(0, node.consensusRound() + (data.consumeInt(0, 7) == 0
                        ? data.consumeInt(-2, 3) : 0));
                VoteValue value = switch (data.consumeInt(0, 5)) {
                    case 0 -> VoteValue.NIL;
                    case 1 -> VoteValue.of(Hash32.of(java.util.Arrays.copyOf(data.consumeBytes(32), 32)));
                    default -> lastProposedValue == null ? VoteValue.NIL : VoteValue.of(lastProposedValue);
                };
                ConsensusMessage message = data.consumeBoolean()
                        ? new ConsensusMessage.Prevote(height, round, value)
                        : new ConsensusMessage.Precommit(height, round, value);
                String chainId = data.consumeInt(0, 15) == 0 ? FuzzFixtures.OTHER_CHAIN_ID : FuzzFixtures.CHAIN_ID;
                byte[] bytes = ConsensusMessageCodec.encode(SignedMessage.sign(chainId, message,
                        OTHER_VALIDATORS.get(who)));
                int peer = data.consumeInt(0, 7) == 0 ? data.consumeInt(-1, 4) : who + 1;
                return new NodeInput.PeerMessage(peer, PeerWire.encode(new PeerWire.Consensus(bytes)));
            }
            case 5: { // an echo of something the node sent (its own votes, requests, gossip), maybe bit-flipped
                if (seenOutbound.isEmpty()) {
                    return new NodeInput.Tick(node.nowTick() + 1);
                }
                byte[] bytes = seenOutbound.get(data.consumeInt(0, seenOutbound.size() - 1)).clone();
                if (bytes.length > 0 && data.consumeInt(0, 3) == 0) {
                    bytes[data.consumeInt(0, bytes.length - 1)] ^= (byte) data.consumeInt(1, 255);
                }
                return new NodeInput.PeerMessage(data.consumeInt(-1, 4), bytes);
            }
            default: { // a client transaction: a signed transfer with fuzzed values, or arbitrary bytes
                if (data.consumeInt(0, 3) == 0) {
                    return new NodeInput.ClientTransaction(data.consumeBytes(data.consumeInt(0, 600)));
                }
                Signer sender = FuzzFixtures.SIGNERS.get(data.consumeInt(0, FuzzFixtures.SIGNERS.size() - 1));
                Signer recipient = FuzzFixtures.SIGNERS.get(data.consumeInt(0, FuzzFixtures.SIGNERS.size() - 1));
                long nonce = node.ledger().nextNonce(sender.publicKey()) + (data.consumeInt(0, 3) == 0
                        ? data.consumeLong(-1, 3) : data.consumeLong(0, 2));
                long amount = data.consumeInt(0, 7) == 0 ? data.consumeLong() : data.consumeLong(1, 1_000);
                long fee = data.consumeInt(0, 7) == 0 ? data.consumeLong() : data.consumeLong(0, 10);
                Transaction tx = Transaction.sign(sender, FuzzFixtures.CHAIN_ID, recipient.publicKey(), amount, fee,
                        nonce);
                byte[] bytes = TransactionCodec.encode(tx);
                if (data.consumeInt(0, 7) == 0) {
                    return new NodeInput.PeerMessage(data.consumeInt(-1, 4),
                            PeerWire.encode(new PeerWire.Transaction(bytes)));
                }
                return new NodeInput.ClientTransaction(bytes);
            }
        }
    }

    /** The value of a proposal the node broadcast, or null if the bytes are not one. */
    private static Hash32 proposedValue(byte[] outbound) {
        try {
            if (PeerWire.decode(outbound) instanceof PeerWire.Consensus c
                    && ConsensusMessageCodec.decode(c.bytes()).message() instanceof ConsensusMessage.Proposal p) {
                return p.value();
            }
        } catch (DecodeException e) {
            throw new AssertionError("the node sent bytes that do not decode: " + e.getMessage(), e);
        }
        return null;
    }
}
