package dev.oasisj.core.node;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.consensus.ConsensusMessage;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.consensus.ValidatorSet;
import dev.oasisj.core.consensus.VoteValue;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Block;
import dev.oasisj.core.ledger.BlockCodec;
import dev.oasisj.core.ledger.Genesis;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A Byzantine validator for simulations and the embedded localnet: a real {@link ValidatorNode} (so it follows the
 * chain, builds blocks and votes like an honest node would) whose outgoing consensus messages are rewritten, and signed
 * with the validator's real key, before they leave. Every choice is drawn from one {@link SplittableRandom} seeded by
 * the run's seed and the validator's index and advanced only inside {@link #apply}, so a run is a pure function of the
 * seed and the inputs, and replaying the journal rebuilds the same state.
 *
 * <p>Misbehaviour (each with a per-mille probability from its {@link Profile}):
 * <ul>
 *   <li><b>equivocating proposals</b>: as proposer, a second, different block for the same (height, round) (valid: the
 *       block without its last transaction, or an empty block crediting another validator; or invalid: a wrong state
 *       root, or evidence forged against a validator), the two sent to different peers (and sometimes both to one peer, which proves the equivocation);</li>
 *   <li><b>split votes</b>: with two proposals at a round, a prevote or precommit for one to one half of the honest
 *       validators and for the other to the other half (the classic split-brain attack, which needs more than a third
 *       of the power to succeed);</li>
 *   <li><b>conflicting votes</b>: per peer, a vote for nil or for another value instead of the real one, sometimes both
 *       to the same peer;</li>
 *   <li><b>omission and silence</b>: single messages dropped, and silent periods in which nothing is sent;</li>
 *   <li><b>replays</b>: old signed messages (its own and others') sent again to random peers.</li>
 * </ul>
 * Members of the Byzantine coalition (given at construction) receive every proposal and the real votes, so that
 * colluders can coordinate; the honest validators are split in two fixed halves (alternating by index).
 */
public final class ByzantineValidator implements NodeStateMachine {
    /** Old signed messages kept for replays. */
    static final int REPLAY_BUFFER_MESSAGES = 64;

    /**
     * Probabilities, per mille: {@code split} per vote when two proposals are known; {@code nil} and {@code conflict}
     * per vote per peer; {@code doubleSend} per message per peer (send a conflicting second message too); {@code drop}
     * per message per peer; {@code equivocateProposal} and {@code invalidProposal} per proposal; {@code silence} and
     * {@code replay} per tick (a silence lasts 20 to 300 ticks).
     */
    public record Profile(int split, int nil, int conflict, int doubleSend, int drop, int equivocateProposal,
            int invalidProposal, int silence, int replay) {
        public Profile {
            for (int p : new int[] {split, nil, conflict, doubleSend, drop, equivocateProposal, invalidProposal,
                    silence, replay}) {
                if (p < 0 || p > 1000) {
                    throw new IllegalArgumentException("probabilities are per mille in 0..1000, got " + p);
                }
            }
        }

        /** The strongest coordinated attack: equivocate every proposal and split every vote; no noise. */
        public static final Profile SPLIT_BRAIN = new Profile(1000, 0, 0, 0, 0, 1000, 0, 0, 0);

        /** A mix of every behaviour, drawn from {@code r}. */
        public static Profile random(SplittableRandom r) {
            return new Profile(r.nextInt(1001), r.nextInt(301), r.nextInt(301), 100 + r.nextInt(401), r.nextInt(201),
                    300 + r.nextInt(701), r.nextInt(501), r.nextInt(6), r.nextInt(21));
        }

        /** The behaviours this profile enables, for reports. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (equivocateProposal > 0) {
                parts.add("equivocate");
            }
            if (invalidProposal > 0) {
                parts.add("invalid");
            }
            if (split > 0) {
                parts.add("split");
            }
            if (nil > 0) {
                parts.add("nil");
            }
            if (conflict > 0) {
                parts.add("conflict");
            }
            if (doubleSend > 0) {
                parts.add("double");
            }
            if (drop > 0) {
                parts.add("drop");
            }
            if (silence > 0) {
                parts.add("silence");
            }
            if (replay > 0) {
                parts.add("replay");
            }
            return parts.isEmpty() ? "none" : String.join("+", parts);
        }
    }

    /** What this node did wrong so far (for reports). */
    public record Misbehaviour(long equivocatedProposals, long invalidProposals, long conflictingVotes, long nilVotes,
            long droppedMessages, long silentPeriods, long replays) {
        public long total() {
            return equivocatedProposals + invalidProposals + conflictingVotes + nilVotes + droppedMessages + silentPeriods
                    + replays;
        }
    }

    private final ValidatorNode inner;
    private final Signer key;
    private final String chainId;
    private final ValidatorSet validators;
    private final int self;
    private final int n;
    private final boolean[] coalition;
    /** Per peer: 0 or 1 (the honest halves), -1 for self and coalition members. */
    private final int[] side;
    private final Profile profile;
    private final SplittableRandom random;

    /** height -> round -> proposed value -> the signed proposal (learned from peers or made here). */
    private final TreeMap<Long, TreeMap<Integer, TreeMap<Hash32, SignedMessage>>> proposals = new TreeMap<>();
    /** height -> "round|kind" -> the real vote the inner node cast. */
    private final TreeMap<Long, TreeMap<String, VoteValue>> innerVotes = new TreeMap<>();
    /** height -> "round|kind|peer|value" already sent (so re-emissions add only new conflicting votes). */
    private final TreeMap<Long, TreeSet<String>> sent = new TreeMap<>();
    private final ArrayDeque<byte[]> replayBuffer = new ArrayDeque<>();
    private long nowTick;
    private long silentUntilTick = -1;

    private long equivocatedProposals;
    private long invalidProposals;
    private long conflictingVotes;
    private long nilVotes;
    private long droppedMessages;
    private long silentPeriods;
    private long replays;

    /**
     * Validator {@code key} of {@code genesis}, misbehaving per {@code profile}, colluding with the validators whose
     * indices are in {@code coalition} (which should contain its own index).
     */
    public ByzantineValidator(Genesis genesis, Signer key, long seed, SortedSet<Integer> coalition, Profile profile) {
        this.inner = new ValidatorNode(genesis, key);
        this.key = key;
        this.chainId = genesis.chainId();
        this.validators = EvidenceRecordingNode.validatorSetOf(genesis);
        this.n = genesis.validators().size();
        int index = -1;
        for (int i = 0; i < n; i++) {
            if (genesis.validators().get(i).publicKey().equals(key.publicKey())) {
                index = i;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("a Byzantine validator needs a validator key of the genesis");
        }
        this.self = index;
        this.coalition = new boolean[n];
        for (int c : coalition) {
            if (c < 0 || c >= n) {
                throw new IllegalArgumentException("coalition index " + c + " outside 0.." + (n - 1));
            }
            this.coalition[c] = true;
        }
        this.coalition[self] = true;
        this.side = new int[n];
        int honestSeen = 0;
        for (int i = 0; i < n; i++) {
            side[i] = this.coalition[i] ? -1 : (honestSeen++ % 2);
        }
        this.profile = profile;
        this.random = dev.oasisj.core.SeedStreams.random(seed, dev.oasisj.core.SeedStreams.byzantine(self));
    }

    // ------------------------------------------------------------------------------------------ NodeStateMachine

    @Override
    public NodeOutput apply(NodeInput input) {
        List<NodeOutput.Outbound> result = new ArrayList<>();
        TreeMap<Long, TreeSet<Integer>> learned = new TreeMap<>();
        if (input instanceof NodeInput.Tick t) {
            onTick(t.tick(), result);
        } else if (input instanceof NodeInput.PeerMessage p) {
            @Nullable SignedMessage m = consensusMessageOf(p.bytes());
            if (m != null && m.signer().equals(key.publicKey())) {
                // Our own (possibly rewritten, equivocating) message, forwarded back by an honest peer: the inner
                // node must not see it, since to its core two different own votes are its own equivocation.
                return NodeOutput.EMPTY;
            }
            if (m != null) {
                learn(m, p.bytes(), learned);
            }
        }
        NodeOutput out = inner.apply(input);
        for (NodeOutput.Outbound o : out.outbound()) {
            transform(o, result, learned);
        }
        for (Map.Entry<Long, TreeSet<Integer>> e : learned.entrySet()) {
            for (int r : e.getValue()) {
                reemitVotes(e.getKey(), r, result);
            }
        }
        prune();
        if (nowTick < silentUntilTick && !result.isEmpty()) {
            droppedMessages += result.size();
            result.clear();
        }
        if (result.isEmpty() && out.committed().isEmpty() && out.rejections().isEmpty()) {
            return NodeOutput.EMPTY;
        }
        return new NodeOutput(result, out.committed(), out.rejections());
    }

    /** As the inner honest node's (transaction signature verdicts, which pass through {@link #apply} unchanged). */
    @Override
    public NodeInput prepare(NodeInput input) {
        return inner.prepare(input);
    }

    /** As the inner honest node's: junk does not decode as a consensus message, so {@link #apply} passes it through. */
    @Override
    public @Nullable String junk(NodeInput.PeerMessage message) {
        return inner.junk(message);
    }

    @Override
    public long height() {
        return inner.height();
    }

    @Override
    public Hash32 lastBlockHash() {
        return inner.lastBlockHash();
    }

    @Override
    public Hash32 stateRoot() {
        return inner.stateRoot();
    }

    public Profile profile() {
        return profile;
    }

    public Misbehaviour misbehaviour() {
        return new Misbehaviour(equivocatedProposals, invalidProposals, conflictingVotes, nilVotes, droppedMessages,
                silentPeriods, replays);
    }

    @Override
    public String toString() {
        return "Byzantine[" + inner + ", " + profile.describe() + ", " + misbehaviour() + "]";
    }

    // ------------------------------------------------------------------------------------------ behaviour

    private boolean roll(int perMille) {
        return perMille > 0 && random.nextInt(1000) < perMille;
    }

    private void onTick(long tick, List<NodeOutput.Outbound> result) {
        nowTick = Math.max(nowTick, tick);
        if (nowTick >= silentUntilTick && roll(profile.silence())) {
            silentUntilTick = nowTick + 20 + random.nextInt(281);
            silentPeriods++;
        }
        if (!replayBuffer.isEmpty() && n > 1 && roll(profile.replay())) {
            int pick = random.nextInt(replayBuffer.size());
            int peer = randomPeer();
            int i = 0;
            for (byte[] old : replayBuffer) {
                if (i++ == pick) {
                    result.add(new NodeOutput.Outbound(peer, old.clone()));
                    replays++;
                    break;
                }
            }
        }
    }

    private int randomPeer() {
        int peer = random.nextInt(n - 1);
        return peer >= self ? peer + 1 : peer;
    }

    private void remember(byte[] encodedPeerMessage) {
        if (replayBuffer.size() >= REPLAY_BUFFER_MESSAGES) {
            replayBuffer.pollFirst();
        }
        replayBuffer.addLast(encodedPeerMessage.clone());
    }

    /** The consensus message a peer frame carries, or null for any other frame or a malformed one. */
    private static @Nullable SignedMessage consensusMessageOf(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != PeerWire.TAG_CONSENSUS) {
            return null;
        }
        try {
            return PeerWire.decode(bytes) instanceof PeerWire.Consensus c ? ConsensusMessageCodec.decode(c.bytes())
                    : null;
        } catch (DecodeException e) {
            return null; // the inner node rejects it with its reason
        }
    }

    /** {@code m}, received as {@code bytes}: remembered for replays, and proposals and votes learned. */
    private void learn(SignedMessage m, byte[] bytes, TreeMap<Long, TreeSet<Integer>> learned) {
        if (random.nextInt(8) == 0) {
            remember(bytes);
        }
        if (m.message() instanceof ConsensusMessage.Proposal p && p.height() > inner.height()
                && inner.validatorsAt(p.height()).map(v -> v.contains(m.signer())
                        && v.proposer(p.height(), p.round()).key().equals(m.signer())).orElse(false)
                && !proposalsAt(p.height(), p.round()).containsKey(p.value()) && m.verify(chainId)) {
            proposalsAt(p.height(), p.round()).put(p.value(), m);
            learned.computeIfAbsent(p.height(), h -> new TreeSet<>()).add(p.round());
        }
    }

    private TreeMap<Hash32, SignedMessage> proposalsAt(long h, int r) {
        return proposals.computeIfAbsent(h, x -> new TreeMap<>()).computeIfAbsent(r, x -> new TreeMap<>());
    }

    private void transform(NodeOutput.Outbound o, List<NodeOutput.Outbound> result,
            TreeMap<Long, TreeSet<Integer>> learned) {
        byte[] bytes = o.bytes();
        SignedMessage m = null;
        if (bytes.length > 1 && (bytes[0] & 0xff) == PeerWire.TAG_CONSENSUS) {
            try {
                if (PeerWire.decode(bytes) instanceof PeerWire.Consensus c) {
                    m = ConsensusMessageCodec.decode(c.bytes());
                }
            } catch (DecodeException e) {
                m = null;
            }
        }
        if (m == null) {
            result.add(o); // transactions, block requests and responses pass unchanged (silence may still drop them)
            return;
        }
        remember(bytes);
        List<Integer> peers = new ArrayList<>();
        if (o.peer() == NodeOutput.Outbound.BROADCAST) {
            for (int i = 0; i < n; i++) {
                if (i != self) {
                    peers.add(i);
                }
            }
        } else {
            peers.add(o.peer());
        }
        ConsensusMessage c = m.message();
        if (c instanceof ConsensusMessage.Proposal p) {
            proposalsAt(p.height(), p.round()).put(p.value(), m);
            sendProposal(m, p, peers, result, learned);
        } else {
            VoteValue v = c instanceof ConsensusMessage.Prevote pv ? pv.value()
                    : ((ConsensusMessage.Precommit) c).value();
            innerVotes.computeIfAbsent(c.height(), h -> new TreeMap<>()).put(c.round() + "|" + c.kind().name(), v);
            emitVotes(c.height(), c.round(), c.kind(), v, peers, true, result);
        }
    }

    private void sendProposal(SignedMessage real, ConsensusMessage.Proposal p, List<Integer> peers,
            List<NodeOutput.Outbound> result, TreeMap<Long, TreeSet<Integer>> learned) {
        Optional<byte[]> variant = Optional.empty();
        boolean invalid = false;
        if (roll(profile.equivocateProposal())) {
            invalid = roll(profile.invalidProposal());
            variant = invalid ? invalidVariant(p) : validVariant(p);
        }
        if (variant.isEmpty()) {
            for (int peer : peers) {
                if (roll(profile.drop())) {
                    droppedMessages++;
                } else {
                    result.add(consensus(peer, real));
                }
            }
            return;
        }
        SignedMessage other = SignedMessage.sign(chainId,
                ConsensusMessage.Proposal.of(p.height(), p.round(), variant.get(), -1), key);
        if (invalid) {
            invalidProposals++;
        } else {
            equivocatedProposals++;
            proposalsAt(p.height(), p.round()).put(((ConsensusMessage.Proposal) other.message()).value(), other);
            learned.computeIfAbsent(p.height(), h -> new TreeSet<>()).add(p.round());
        }
        Hash32 otherValue = ((ConsensusMessage.Proposal) other.message()).value();
        SignedMessage lo = p.value().compareTo(otherValue) < 0 ? real : other;
        SignedMessage hi = lo == real ? other : real;
        for (int peer : peers) {
            if (side[peer] < 0) {
                result.add(consensus(peer, lo));
                result.add(consensus(peer, hi));
                continue;
            }
            if (roll(profile.drop())) {
                droppedMessages++;
                continue;
            }
            SignedMessage mine = side[peer] == 0 ? lo : hi;
            result.add(consensus(peer, mine));
            if (roll(profile.doubleSend())) {
                result.add(consensus(peer, mine == lo ? hi : lo));
            }
        }
    }

    /**
     * A different block, valid at this height: the same block without its last transaction (censorship), or, for an
     * empty block, the same block crediting its (zero) fees to another validator.
     */
    private Optional<byte[]> validVariant(ConsensusMessage.Proposal p) {
        Block block;
        try {
            block = BlockCodec.decode(p.payload());
        } catch (DecodeException e) {
            return Optional.empty();
        }
        if (block.height() != inner.height() + 1 || n < 2) {
            return Optional.empty();
        }
        List<byte[]> kept = block.transactions();
        PublicKey proposer = block.proposer();
        if (kept.isEmpty()) {
            proposer = validators.validators().get(randomPeer()).key();
        } else {
            kept.remove(kept.size() - 1);
        }
        // the application checks the variant as every honest node will (pure in the committed state; no evidence,
        // the same last commit, so the same signers of the previous block)
        Optional<dev.oasisj.core.app.Application.Staged> staged = inner.application()
                .processProposal(new dev.oasisj.core.app.BlockContext(block.height(), proposer, List.of(),
                        block.lastCommit().signers()), kept);
        if (staged.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(BlockCodec.encode(new Block(block.height(), block.previousBlockHash(), proposer, kept,
                block.lastCommit(), staged.get().stateRoot(), List.of(), block.validatorsHash(),
                block.nextValidatorsHash())));
    }

    /** The same block with a state root no honest ledger produces: every honest node must refuse it. */
    private Optional<byte[]> invalidVariant(ConsensusMessage.Proposal p) {
        Block block;
        try {
            block = BlockCodec.decode(p.payload());
        } catch (DecodeException e) {
            return Optional.empty();
        }
        Hash32 badRoot = Hash32.sha256(new Writer().string("oasisj/byzantine/bad-state-root").i64(random.nextLong())
                .toBytes());
        if (random.nextBoolean()) {
            // The block as it was, plus evidence forged against a random validator (votes it never signed).
            List<byte[]> evidence = new ArrayList<>(block.evidence());
            if (evidence.size() < dev.oasisj.core.ledger.LedgerLimits.MAX_BLOCK_EVIDENCE) {
                evidence.add(forgedEvidence(block.height()).encode());
                return Optional.of(BlockCodec.encode(new Block(block.height(), block.previousBlockHash(),
                        block.proposer(), block.transactions(), block.lastCommit(), block.stateRoot(), evidence,
                        block.validatorsHash(), block.nextValidatorsHash())));
            }
        }
        return Optional.of(BlockCodec.encode(new Block(block.height(), block.previousBlockHash(), block.proposer(),
                block.transactions(), block.lastCommit(), badRoot, List.of(), block.validatorsHash(),
                block.nextValidatorsHash())));
    }

    /** Two prevotes at (height, 0) "by" a random validator, with signatures that are random bytes. */
    private DuplicateVote forgedEvidence(long height) {
        PublicKey accused = validators.validators().get(randomPeer()).key();
        List<SignedMessage> votes = new ArrayList<>(2);
        for (int i = 0; i < 2; i++) {
            byte[] sig = new byte[Signer.SIGNATURE_SIZE_BYTES];
            for (int b = 0; b < sig.length; b += 8) {
                java.nio.ByteBuffer.wrap(sig, b, 8).putLong(random.nextLong());
            }
            votes.add(new SignedMessage(new ConsensusMessage.Prevote(height, 0, VoteValue.of(Hash32.sha256(
                    new Writer().string("oasisj/byzantine/forged-vote").i64(random.nextLong()).toBytes()))),
                    accused, sig));
        }
        byte[] a = ConsensusMessageCodec.encode(votes.get(0));
        byte[] b = ConsensusMessageCodec.encode(votes.get(1));
        return java.util.Arrays.compareUnsigned(a, b) < 0 ? new DuplicateVote(votes.get(0), votes.get(1))
                : new DuplicateVote(votes.get(1), votes.get(0));
    }

    /**
     * Sends this node's vote of {@code kind} at (h, r) to {@code peers}, rewritten per peer. {@code fresh}: the inner
     * node just cast it (always sent); otherwise a re-emission after a new proposal was learned (only votes not sent
     * before go out).
     */
    private void emitVotes(long h, int r, ConsensusMessage.Kind kind, VoteValue real, List<Integer> peers,
            boolean fresh, List<NodeOutput.Outbound> result) {
        TreeMap<Hash32, SignedMessage> candidates = proposalsAt(h, r);
        List<Hash32> values = new ArrayList<>(candidates.keySet());
        boolean split = values.size() >= 2 && roll(profile.split());
        for (int peer : peers) {
            VoteValue v;
            if (side[peer] < 0) {
                v = real;
            } else if (split) {
                v = VoteValue.of(side[peer] == 0 ? values.get(0) : values.get(values.size() - 1));
            } else if (roll(profile.nil())) {
                v = VoteValue.NIL;
            } else if (roll(profile.conflict())) {
                v = values.isEmpty() ? randomValue() : VoteValue.of(values.get(random.nextInt(values.size())));
            } else {
                v = real;
            }
            if (side[peer] >= 0 && roll(profile.drop())) {
                droppedMessages++;
                continue;
            }
            sendVote(h, r, kind, v, real, peer, fresh, result);
            if (side[peer] >= 0 && roll(profile.doubleSend())) {
                VoteValue second = !v.equals(real) ? real
                        : !real.isNil() ? VoteValue.NIL
                        : values.isEmpty() ? randomValue() : VoteValue.of(values.get(0));
                sendVote(h, r, kind, second, real, peer, fresh, result);
            }
        }
    }

    private VoteValue randomValue() {
        return VoteValue.of(Hash32.sha256(new Writer().string("oasisj/byzantine/no-such-block").i64(random.nextLong())
                .toBytes()));
    }

    private void sendVote(long h, int r, ConsensusMessage.Kind kind, VoteValue v, VoteValue real, int peer,
            boolean fresh, List<NodeOutput.Outbound> result) {
        String sentKey = r + "|" + kind.name() + "|" + peer + "|" + v;
        TreeSet<String> sentAtHeight = sent.computeIfAbsent(h, x -> new TreeSet<>());
        if (!sentAtHeight.add(sentKey) && !fresh) {
            return;
        }
        if (!v.equals(real)) {
            if (v.isNil()) {
                nilVotes++;
            } else {
                conflictingVotes++;
            }
        }
        ConsensusMessage vote = kind == ConsensusMessage.Kind.PREVOTE ? new ConsensusMessage.Prevote(h, r, v)
                : new ConsensusMessage.Precommit(h, r, v);
        result.add(consensus(peer, SignedMessage.sign(chainId, vote, key)));
    }

    /** After a new proposal at (h, r): the votes already cast there go out again, rewritten with what is now known. */
    private void reemitVotes(long h, int r, List<NodeOutput.Outbound> result) {
        TreeMap<String, VoteValue> atHeight = innerVotes.get(h);
        if (atHeight == null) {
            return;
        }
        List<Integer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != self && side[i] >= 0) {
                peers.add(i);
            }
        }
        for (ConsensusMessage.Kind kind : List.of(ConsensusMessage.Kind.PREVOTE, ConsensusMessage.Kind.PRECOMMIT)) {
            @Nullable VoteValue real = atHeight.get(r + "|" + kind.name());
            if (real != null) {
                emitVotes(h, r, kind, real, peers, false, result);
            }
        }
    }

    private static NodeOutput.Outbound consensus(int peer, SignedMessage m) {
        return new NodeOutput.Outbound(peer, PeerWire.encode(new PeerWire.Consensus(ConsensusMessageCodec.encode(m))));
    }

    /** Forgets proposals and votes of heights the inner node committed more than one height ago. */
    private void prune() {
        long keepFrom = inner.height();
        proposals.headMap(keepFrom).clear();
        innerVotes.headMap(keepFrom).clear();
        sent.headMap(keepFrom).clear();
    }
}
