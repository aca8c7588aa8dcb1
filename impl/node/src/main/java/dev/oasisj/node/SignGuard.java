package dev.oasisj.node;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.consensus.ConsensusMessageCodec;
import dev.oasisj.core.consensus.SignedMessage;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.node.NodeInput;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.ForwardingStateMachine;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.core.node.PeerWire;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A validator never signs twice: the {@link NodeAgent.OutboundGate} that stands between the state machine's outbound
 * messages and the network, and lets a consensus message signed with this validator's key leave only if
 * <ul>
 *   <li>its (height, round, step) is above the last one recorded in the {@link SignState} file, which it then writes
 *       (atomically, fsynced) <b>before</b> the message leaves; or</li>
 *   <li>it is exactly a signature this node released before at that (height, round, step), sent again (the node
 *       resends its own votes of the current height after a silence, and forwards the prevotes behind its valid value
 *       on a new round, its own among them): the same signature over the same bytes is not a second vote. The guard
 *       knows these from what it released in this process, from the signatures the journal replay reproduced (an
 *       intact journal re-creates exactly what was signed before), and the last one from the file.</li>
 * </ul>
 * Anything else at or below the saved (height, round, step) is refused (dropped and counted): after a journal loss the
 * node starts from an older state, and what it would sign there may differ from what it signed before. CometBFT's
 * {@code priv_validator_state} makes the same decision (it re-signs the same HRS only for identical sign bytes).
 *
 * <p>What it does not prevent: after a journal loss the node no longer knows the value it was locked on at the saved
 * height, so above the saved (height, round, step) of that height it may prevote for another value (amnesia, not a
 * double signature; CometBFT has the same limit). The guard is only used for honest validators (a Byzantine test
 * validator equivocates on purpose).
 *
 * <p>Single-threaded (the agent thread), like the agent.
 */
public final class SignGuard implements NodeAgent.OutboundGate {
    /** Own signatures remembered for resends (those of the newest height only; a count bound on top). */
    static final int MAX_REMEMBERED = 1024;

    private record Hrs(long height, int round, int step) implements Comparable<Hrs> {
        @Override
        public int compareTo(Hrs o) {
            return SignState.compare(height, round, step, o.height, o.round, o.step);
        }

        @Override
        public String toString() {
            return "(" + height + ", " + round + ", " + SignState.stepName(step) + ")";
        }
    }

    private final Path dataDir;
    private final PublicKey self;
    private final Consumer<String> log;
    private @Nullable SignState saved;
    private final TreeMap<Hrs, byte[]> released = new TreeMap<>();
    private long journalRecordsBefore;
    private long refused;
    private long writes;
    private @Nullable Hrs lastLoggedRefusal;

    private SignGuard(Path dataDir, PublicKey self, @Nullable SignState saved, Consumer<String> log) {
        this.dataDir = dataDir;
        this.self = self;
        this.saved = saved;
        this.log = log;
    }

    /**
     * The guard of validator {@code self} whose data folder is {@code dataDir}, with the state saved there (if any).
     *
     * @throws SignState.CorruptException if the file is there but invalid, or belongs to another key
     */
    public static SignGuard open(Path dataDir, PublicKey self, Consumer<String> log) {
        Optional<SignState> s = SignState.read(dataDir);
        if (s.isPresent() && !s.get().validator().equals(self)) {
            throw new SignState.CorruptException(dataDir.resolve(SignState.FILE_NAME), "it belongs to validator key "
                    + s.get().validator().shortId() + ", not to this node's key " + self.shortId());
        }
        return new SignGuard(dataDir, self, s.orElse(null), log);
    }

    /** The last saved state: empty if this validator never released a signature from this data folder. */
    public Optional<SignState> saved() {
        return Optional.ofNullable(saved);
    }

    /**
     * Records the own signatures among {@code outbound}, produced by replaying the journal, as released before (so that
     * resending them is allowed). Nothing is sent and nothing is written. Sound only for an exact replay (a journal, or
     * a prefix of one, replayed from genesis, or from an exact snapshot of the whole node): a replay that starts from
     * a snapshot of the application state alone may reproduce different signatures, and must not be observed.
     */
    public void observeReplayed(List<NodeOutput.Outbound> outbound) {
        for (NodeOutput.Outbound o : outbound) {
            SignedMessage m = ownSigned(o.bytes());
            if (m != null) {
                remember(hrsOf(m), m.signature());
            }
        }
    }

    /**
     * {@code machine} with every output's own signatures passed to {@link #observeReplayed}: give it to
     * {@link NodeAgent#recover} (and the plain machine to the agent afterwards). What the machine sent while it was
     * restored ({@link NodeStateMachine#restoreOutbound}: the exact restore's drive, the same signatures the live node
     * released) is observed at once.
     */
    public NodeStateMachine observing(NodeStateMachine machine) {
        observeReplayed(machine.restoreOutbound());
        return new ForwardingStateMachine(machine) {
            @Override
            public NodeOutput apply(NodeInput input) {
                NodeOutput out = inner.apply(input);
                observeReplayed(out.outbound());
                return out;
            }
        };
    }

    /**
     * After the replay of {@code journalRecords} records: a description of the loss if the saved state says the journal
     * held more when this validator last signed (the journal was deleted or truncated: the node is now at an older
     * state than the one it signed in); empty if not.
     */
    public Optional<String> journalLoss(long journalRecords) {
        SignState s = saved;
        if (s == null || s.journalRecords() <= journalRecords) {
            return Optional.empty();
        }
        return Optional.of("this validator released a signature at " + s.hrs() + " when its journal held "
                + s.journalRecords() + " inputs (" + dataDir.resolve(SignState.FILE_NAME) + "), but the journal now "
                + "holds " + journalRecords + ": it was deleted or truncated");
    }

    /**
     * Goes live: the journal holds {@code journalRecords} records before the agent's first input (the agent passes
     * its own count to {@link #admit}).
     */
    public void goLive(long journalRecords) {
        this.journalRecordsBefore = journalRecords;
    }

    /**
     * After a journal loss the operator accepted: the saved (height, round, step) stays, and the journal record count
     * becomes {@code journalRecords} (what the journal holds now), so that the next start does not report the loss again.
     */
    public void acceptJournalRecords(long journalRecords) {
        SignState s = saved;
        if (s != null) {
            SignState updated = s.withJournalRecords(journalRecords);
            updated.write(dataDir);
            saved = updated;
            writes++;
        }
    }

    @Override
    public List<NodeOutput.Outbound> admit(List<NodeOutput.Outbound> outbound, long inputsJournaled) {
        if (outbound.isEmpty()) {
            return outbound;
        }
        List<@Nullable SignedMessage> own = new ArrayList<>(outbound.size());
        boolean any = false;
        for (NodeOutput.Outbound o : outbound) {
            SignedMessage m = ownSigned(o.bytes());
            own.add(m);
            any |= m != null;
        }
        if (!any) {
            return outbound;
        }
        SignState before = saved;
        // Which may leave, and the highest new (height, round, step) among them.
        List<NodeOutput.Outbound> admitted = new ArrayList<>(outbound.size());
        @Nullable SignedMessage highest = null;
        for (int i = 0; i < outbound.size(); i++) {
            SignedMessage m = own.get(i);
            if (m == null) {
                admitted.add(outbound.get(i)); // not a message signed with this validator's key
                continue;
            }
            Hrs hrs = hrsOf(m);
            byte[] sig = m.signature();
            byte[] known = released.get(hrs);
            if (known != null) {
                if (Arrays.equals(known, sig)) {
                    admitted.add(outbound.get(i));
                } else {
                    refuse(hrs, "a different signature than the one released at " + hrs);
                }
                continue;
            }
            int vsSaved = before == null ? 1
                    : SignState.compare(hrs.height, hrs.round, hrs.step, before.height(), before.round(), before.step());
            if (vsSaved > 0) {
                remember(hrs, sig);
                admitted.add(outbound.get(i));
                if (highest == null || hrs.compareTo(hrsOf(highest)) > 0) {
                    highest = m;
                }
            } else if (vsSaved == 0 && before != null && Arrays.equals(before.signature(), sig)) {
                remember(hrs, sig);
                admitted.add(outbound.get(i));
            } else {
                refuse(hrs, "at or below the saved " + (before == null ? "?" : before.hrs()));
            }
        }
        if (highest != null) {
            Hrs h = hrsOf(highest);
            SignState next = new SignState(self, h.height, h.round, h.step, highest.signature(),
                    journalRecordsBefore + inputsJournaled);
            next.write(dataDir); // before anything leaves: a failure propagates and nothing is sent
            saved = next;
            writes++;
        }
        return admitted;
    }

    private void refuse(Hrs hrs, String why) {
        refused++;
        if (!java.util.Objects.equals(hrs, lastLoggedRefusal)) {
            lastLoggedRefusal = hrs;
            log.accept("sign guard: refused to release a signature at " + hrs + ": " + why + " (" + refused
                    + " refused so far)");
        }
    }

    private void remember(Hrs hrs, byte[] sig) {
        // Own signatures only go up, and resends are of the current height: keep the newest height.
        while (!released.isEmpty() && released.firstKey().height < hrs.height) {
            released.pollFirstEntry();
        }
        released.put(hrs, sig);
        while (released.size() > MAX_REMEMBERED) {
            released.pollFirstEntry();
        }
    }

    private static boolean isConsensus(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == PeerWire.TAG_CONSENSUS;
    }

    private static @Nullable SignedMessage decodeOrNull(byte[] bytes) {
        try {
            return ConsensusMessageCodec.decode(bytes);
        } catch (DecodeException e) {
            return null;
        }
    }

    /** The consensus message in {@code bytes} if it is one signed with this validator's key; else null. */
    private @Nullable SignedMessage ownSigned(byte[] bytes) {
        if (!isConsensus(bytes)) {
            return null;
        }
        PeerWire.Message w;
        try {
            w = PeerWire.decode(bytes);
        } catch (DecodeException e) {
            return null;
        }
        if (!(w instanceof PeerWire.Consensus c)) {
            return null;
        }
        SignedMessage m = decodeOrNull(c.bytes());
        return m != null && m.signer().equals(self) ? m : null;
    }

    private static Hrs hrsOf(SignedMessage m) {
        return new Hrs(m.message().height(), m.message().round(), SignState.stepOf(m.message()));
    }

    /** Signatures refused so far. */
    public long refused() {
        return refused;
    }

    /** Times the file was written. */
    public long writes() {
        return writes;
    }

    /** For tests: the remembered (height, round, step)s. */
    List<String> remembered() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Hrs, byte[]> e : released.entrySet()) {
            out.add(e.getKey().toString());
        }
        return out;
    }
}
