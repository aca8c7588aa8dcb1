package dev.oasisj.cli;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.node.NodeOutput;
import dev.oasisj.core.node.NodeStateMachine;
import dev.oasisj.core.node.ValidatorNode;
import dev.oasisj.node.AgentRunner;
import dev.oasisj.node.ChronicleJournal;
import dev.oasisj.node.ClientPort;
import dev.oasisj.node.JournalCodec;
import dev.oasisj.node.JournalException;
import dev.oasisj.node.NodeStore;
import dev.oasisj.node.NodeAgent;
import dev.oasisj.node.NodeConfig;
import dev.oasisj.node.SignGuard;
import dev.oasisj.node.SignState;
import dev.oasisj.node.CoreInputCodec;
import dev.oasisj.node.SystemClock;
import dev.oasisj.node.PeerBudgets;
import dev.oasisj.node.TcpTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code oasis node --config FILE}: one validator as an OS process: TLS over TCP to its peers, a client port, a
 * Chronicle journal, the system clock. On start it loads its newest checkpoint and replays the journal after it (so a
 * node killed with kill -9 resumes where it was), then runs the agent's duty cycle until the process is stopped. If the agent fails (a journal failure, a broken
 * invariant, any {@link Error}) the process prints why and exits with {@link #EXIT_AGENT_FAILED} within seconds.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Run one validator process from a JSON config file.",
            "TLS 1.3 to its peers (mutually authenticated by node keys), a client port, a journal with checkpoints."})
final class NodeCommand implements java.util.concurrent.Callable<Integer> {
    /** Idle back-off of the duty cycle when there was nothing to do. */
    static final long IDLE_PARK_NANOS = 100_000;
    /** Longest a shutdown waits for the agent to stop and close, and a failed node for its exit to complete. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);
    /** Exit code when the node agent failed (a journal failure, a broken invariant, an Error such as out of memory). */
    static final int EXIT_AGENT_FAILED = Main.EXIT_FAILURE;

    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Node configuration (JSON).")
    @SuppressWarnings("initialization.field.uninitialized")
    Path config;

    /** The flag that lets a validator whose journal was lost start again (see {@link SignGuard#journalLoss}). */
    static final String ACCEPT_LOST_JOURNAL = "--accept-lost-journal";

    @Option(names = ACCEPT_LOST_JOURNAL, description = {"Start even though the journal holds fewer inputs than when this "
            + "validator last signed (deleted or truncated): replay what is left (genesis if nothing), catch up by "
            + "block sync, and never sign at or below the (height, round, step) saved in DATADIR/sign-state."})
    boolean acceptLostJournal;

    @Override
    public Integer call() throws Exception {
        NodeConfig cfg;
        try {
            cfg = NodeConfig.read(config);
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--config: " + e.getMessage());
        }
        NodeConfig.@Nullable Byzantine byzantine = cfg.byzantine();
        // A Byzantine validator is test-only behaviour: it comes from oasisj-sim, when that is on the classpath.
        @Nullable NodeBehaviour behaviour = byzantine == null ? null
                : NodeBehaviour.find(NodeBehaviour.BYZANTINE).orElse(null);
        if (byzantine != null && behaviour == null) {
            spec.commandLine().getErr().println("oasis node: " + config + " asks for a Byzantine validator (its \""
                    + NodeBehaviour.BYZANTINE + "\" section), but this build has no Byzantine behaviour: it is "
                    + "test-only and ships in the oasisj-sim module (a " + NodeBehaviour.class.getName()
                    + " service named \"" + NodeBehaviour.BYZANTINE + "\"), which is not on the classpath");
            return Main.EXIT_FAILURE;
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Genesis genesis = Genesis.fromJson(Files.readString(cfg.genesis()));
        Signer key = KeyFiles.read(cfg.key());
        int index = cfg.validatorIndex();
        List<PublicKey> peerKeys = new ArrayList<>();
        if (cfg.peersByKey()) {
            peerKeys.addAll(cfg.peerKeys());
            if (!peerKeys.get(index).equals(key.publicKey())) {
                err.println("oasis node: the key in " + cfg.key() + " is not the key of peers[" + index + "]");
                return Main.EXIT_FAILURE;
            }
        } else {
            if (index >= genesis.validators().size() || cfg.peers().size() != genesis.validators().size()) {
                err.println("oasis node: genesis has " + genesis.validators().size() + " validators; config lists "
                        + cfg.peers().size() + " peers and index " + index);
                return Main.EXIT_FAILURE;
            }
            if (!genesis.validators().get(index).publicKey().equals(key.publicKey())) {
                err.println("oasis node: the key in " + cfg.key() + " is not validator " + index + "'s key in the "
                        + "genesis");
                return Main.EXIT_FAILURE;
            }
            genesis.validators().forEach(v -> peerKeys.add(v.publicKey()));
        }
        JournalCodec codec = CoreInputCodec.INSTANCE;
        // A node whose key is no genesis validator's follows the chain as an observer (it signs nothing).
        String name = genesis.validators().stream().filter(v -> v.publicKey().equals(key.publicKey()))
                .map(Genesis.Validator::name).findFirst().orElse("observer-" + key.publicKey().shortId());
        NodeStore store = new NodeStore(cfg.dataDir(), genesis.chainId(), ChronicleJournal.Durability.PROCESS_CRASH,
                line -> {
                    err.println("node " + name + ": " + line);
                    err.flush();
                });
        NodeStore.SegmentedJournal journal = store.journal();
        if (byzantine != null) {
            out.println("node " + name + ": BYZANTINE (localnet misbehaviour profile, seed " + byzantine.seed()
                    + ", coalition " + byzantine.coalition() + "; for testing the protocol)");
        }
        // An honest validator's signatures pass its sign guard (a Byzantine test validator equivocates on purpose).
        @Nullable SignGuard guard = null;
        if (byzantine == null) {
            try {
                guard = SignGuard.open(cfg.dataDir(), key.publicKey(), line -> {
                    err.println("node " + name + ": " + line);
                    err.flush();
                });
            } catch (SignState.CorruptException e) {
                err.println("oasis node: " + e.getMessage());
                journal.close();
                return Main.EXIT_FAILURE;
            }
        }
        @Nullable SignGuard observer = guard;
        NodeStore.Loaded loaded;
        try {
            loaded = store.load(genesis, key, () -> byzantine == null || behaviour == null
                    ? new ValidatorNode(genesis, key) : behaviour.create(genesis, index, key, byzantine),
                    m -> observer == null ? m : observer.observing(m), codec);
        } catch (JournalException e) {
            err.println("oasis node: " + name + ": " + e.getMessage());
            store.close();
            return Main.EXIT_FAILURE;
        }
        NodeStateMachine sm = loaded.stateMachine();
        // Counts since genesis: the checkpoint's inputs plus what its segments replayed (the sign state's unit).
        NodeAgent.Recovery recovery = new NodeAgent.Recovery(loaded.inputsSinceGenesis(), loaded.lastTick(), 0);
        if (guard != null) {
            Optional<String> loss = guard.journalLoss(recovery.inputsReplayed());
            if (loss.isPresent() && !acceptLostJournal) {
                err.println("oasis node: " + name + ": " + loss.get() + ". Starting from it could sign again at "
                        + "heights it already signed. Refusing to start; restart with " + ACCEPT_LOST_JOURNAL
                        + " to start from what is left of the journal, catch up from the peers by block sync and "
                        + "sign nothing at or below the saved (height, round, step).");
                journal.close();
                return Main.EXIT_FAILURE;
            }
            if (loss.isPresent()) {
                out.println("node " + name + ": " + ACCEPT_LOST_JOURNAL + ": " + loss.get() + "; signing nothing at or "
                        + "below " + guard.saved().map(SignState::hrs).orElse("?"));
                guard.acceptJournalRecords(recovery.inputsReplayed());
            }
            guard.goLive(recovery.inputsReplayed());
        }
        out.println("node " + name + ": restart from " + (loaded.checkpointHeight() > 0
                ? "checkpoint at height " + loaded.checkpointHeight() : "genesis") + ": replayed "
                + loaded.inputsReplayed() + " inputs of " + loaded.segments().size() + " journal segment(s) in "
                + loaded.replayNanos() / 1_000_000 + " ms");
        out.println("node " + name + ": replayed " + loaded.inputsReplayed() + " inputs, height " + sm.height()
                + " hash=" + sm.lastBlockHash().toHex() + " stateRoot=" + sm.stateRoot().toHex());
        TcpTransport transport = new TcpTransport(new TcpTransport.Identity(genesis.hash(), peerKeys, index, key),
                TcpTransport.Settings.defaults());
        NodeAgent agent = new NodeAgent(sm, journal, transport,
                new SystemClock(cfg.tickMillis(), recovery.lastTick() + 1), codec, new NodeAgent.Listener() {
                    @Override
                    public void onCommitted(int node, NodeOutput.CommittedBlock block) {
                        out.println(BlockLines.line(block) + " hash=" + block.blockHash().toHex()
                                + BlockLines.eventLines(block));
                        @Nullable String misbehaviour = behaviour == null ? null : behaviour.afterCommit(name, sm);
                        if (misbehaviour != null) {
                            out.println(misbehaviour);
                        }
                        out.flush();
                    }
                }, recovery.lastTick(), PeerBudgets.Settings.forTickMillis(cfg.tickMillis()),
                guard == null ? NodeAgent.OutboundGate.OPEN : guard);
        long interval = cfg.checkpointIntervalBlocks();
        if (interval > 0 && byzantine == null && sm instanceof ValidatorNode vn) {
            agent.setCommitHook(store.checkpointEvery(vn, interval, loaded.inputsSinceGenesis(), line -> {
                out.println("node " + name + ": " + line);
                out.flush();
            }));
        }
        NodeConfig.@Nullable Registration registration = cfg.registration();
        if (registration != null) {
            Signer entityKey;
            try {
                entityKey = KeyFiles.read(registration.entityKey());
            } catch (IOException e) {
                err.println("oasis node: registration.entityKey " + registration.entityKey() + ": " + e.getMessage());
                store.close();
                return Main.EXIT_FAILURE;
            }
            Thread renewer = new Thread(new RegistrationRenewer(genesis.chainId(), key, entityKey, registration,
                    cfg.client(), name, out), "registration-renewer");
            renewer.setDaemon(true);
            renewer.start();
            out.println("node " + name + ": keeps itself registered as " + registration.roles() + " of entity "
                    + entityKey.publicKey().shortId() + ", " + registration.renewEpochs() + " epochs ahead");
        }
        ClientPort clientPort = new ClientPort(agent::offerClientRequest);
        transport.bind(cfg.listen());
        for (int peer = 0; peer < cfg.peers().size(); peer++) {
            if (peer != index) {
                transport.connectTo(peer, cfg.peers().get(peer));
            }
        }
        int clientPortNumber = clientPort.bind(cfg.client());
        out.println("node " + name + ": peers on " + cfg.listen() + ", client port "
                + cfg.client().host() + ":" + clientPortNumber);
        out.flush();

        // The duty cycle runs on this thread until a shutdown hook stops it or it fails; either way the ports and the
        // journal are closed when it ends. The hook's wait is bounded: a dead or stuck agent never holds the process.
        AgentRunner runner = new AgentRunner(agent::doWork, IDLE_PARK_NANOS, List.of(clientPort, transport, journal));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.requestStop();
            try {
                if (!runner.awaitFinished(SHUTDOWN_WAIT)) {
                    err.println("oasis node " + name + ": the agent did not stop within " + SHUTDOWN_WAIT.toSeconds()
                            + " s; exiting anyway");
                    err.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "oasis-node-shutdown"));
        AgentRunner.Outcome outcome = runner.run();
        if (outcome instanceof AgentRunner.Outcome.Failed failed) {
            exitSoonWhatever(EXIT_AGENT_FAILED);
            err.println("oasis node " + name + ": STOPPED: the node agent failed: " + failed.cause());
            failed.cause().printStackTrace(err);
            err.println("oasis node " + name + ": exiting with code " + EXIT_AGENT_FAILED + "; the journal holds every "
                    + "input the node applied, so starting it again replays to where it stopped");
            err.flush();
            return EXIT_AGENT_FAILED;
        }
        return 0;
    }

    /**
     * Makes sure the process ends within {@link #SHUTDOWN_WAIT} of a failure even if the normal exit path (picocli,
     * {@code System.exit} and its hooks) hangs: a daemon thread halts the JVM with {@code code} when that time is up.
     */
    private static void exitSoonWhatever(int code) {
        Thread watchdog = new Thread(() -> {
            long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
            for (long left = SHUTDOWN_WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
            Runtime.getRuntime().halt(code);
        }, "oasis-node-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
