package dev.oasisj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.registry.NodeDescriptor;
import dev.oasisj.core.registry.RegisterNode;
import dev.oasisj.core.registry.RegistryMethods;
import dev.oasisj.core.registry.Role;
import dev.oasisj.core.tx.Fee;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.SignedTransactionCodec;
import dev.oasisj.node.ClientJson;
import dev.oasisj.node.NodeConfig;
import dev.oasisj.node.PeerAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Keeps a running node registered (a node config's {@code registration} section): a client of the node's own client
 * port, as an operator's script would be. Every {@link #PERIOD_MILLIS} it reads the epoch and its node's registration
 * ({@code query epoch}, {@code query node}); when the registration would lapse within an epoch (expiry at most the
 * current epoch + 1, or none), it submits {@code registry.RegisterNode} for {@code renewEpochs} epochs ahead, signed
 * by the node and its entity, in an envelope signed by the node key at its committed nonce; at most once per epoch. A
 * refused renewal is tried again on a later round, a lost one in the next epoch; a node that stops (or whose operator removes the section) stops renewing, and its
 * registration lapses at its expiry epoch.
 */
final class RegistrationRenewer implements Runnable {
    static final long PERIOD_MILLIS = 250;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String chainId;
    private final Signer node;
    private final Signer entity;
    private final EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    private final boolean tee;
    private final long renewEpochs;
    private final PeerAddress client;
    private final String name;
    private final PrintWriter out;
    private long lastSubmittedExpiry = -1;
    private long lastRefusedEpoch = -1;

    RegistrationRenewer(String chainId, Signer node, Signer entity, NodeConfig.Registration r, PeerAddress client,
            String name, PrintWriter out) {
        this.chainId = chainId;
        this.node = node;
        this.entity = entity;
        for (String role : r.roles()) {
            roles.add(Role.valueOf(role.toUpperCase(Locale.ROOT)));
        }
        this.tee = r.tee();
        this.renewEpochs = r.renewEpochs();
        this.client = client;
        this.name = name;
        this.out = out;
    }

    private JsonNode query(String path, String hex) throws IOException {
        return JSON.readTree(ClientConnection.request(client, "query " + path + (hex.isEmpty() ? "" : " " + hex)));
    }

    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                renewIfDue();
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                // the node is not listening yet, or is shutting down: try again next round
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** One round: renews when due (see the class comment). */
    void renewIfDue() throws IOException {
        JsonNode epochAnswer = query("epoch", "").path("answer");
        if (!epochAnswer.has("epoch")) {
            return; // not a services chain, or not answering yet
        }
        long epoch = epochAnswer.path("epoch").asLong();
        JsonNode mine = query("node", node.publicKey().toHex());
        long expiry = mine.path("found").asBoolean() ? mine.path("answer").path("expiryEpoch").asLong() : -1;
        long newExpiry = epoch + renewEpochs;
        if (expiry > epoch + 1 || lastSubmittedExpiry == newExpiry) {
            return; // registered beyond the next epoch, or this epoch's renewal is on its way (one per epoch)
        }
        long nonce = query("account", node.publicKey().toHex()).path("answer").path("nonce").asLong(0);
        NodeDescriptor d = new NodeDescriptor(node.publicKey(), entity.publicKey(), roles, tee, newExpiry);
        SignedTransaction tx = SignedTransaction.sign(node, chainId, nonce, new Fee(0, 0),
                RegistryMethods.REGISTER_NODE.name(), RegistryMethods.REGISTER_NODE.codec().encode(
                        RegisterNode.sign(d, chainId, node, entity)));
        String answer = ClientConnection.request(client, "submit "
                + HexFormat.of().formatHex(SignedTransactionCodec.encode(tx)));
        if (ClientJson.accepted(answer)) {
            lastSubmittedExpiry = newExpiry;
            out.println("node " + name + ": registration: renewing until epoch " + newExpiry + " (epoch " + epoch
                    + ", was " + (expiry < 0 ? "not registered" : "until " + expiry) + ")");
        } else if (lastRefusedEpoch != epoch) {
            lastRefusedEpoch = epoch; // reported once per epoch; tried again every round
            out.println("node " + name + ": registration: renewal refused: " + answer);
        }
        out.flush();
    }
}
