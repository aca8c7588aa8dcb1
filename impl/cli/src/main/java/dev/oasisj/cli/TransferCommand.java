package dev.oasisj.cli;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.Transaction;
import dev.oasisj.core.ledger.TransactionCodec;
import dev.oasisj.node.ClientJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code oasis tx transfer}: signs a transfer with a key file and submits it to a node's client port. */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = "Sign a transfer with a key file and submit it to a node; exits 0 if the node accepted it.")
final class TransferCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Mixin
    @SuppressWarnings("initialization.field.uninitialized")
    NodeClientOption client;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The sender's seed file (oasis keygen).")
    @SuppressWarnings("initialization.field.uninitialized")
    Path key;

    @Option(names = "--to", required = true, paramLabel = "PUBKEYHEX", description = "Recipient public key, 64 hex digits.")
    @SuppressWarnings("initialization.field.uninitialized")
    String to;

    @Option(names = "--amount", required = true, paramLabel = "A", description = "Amount in base units (> 0).")
    long amount;

    @Option(names = "--fee", required = true, paramLabel = "F", description = "Fee in base units (>= 0).")
    long fee;

    @Option(names = "--nonce", required = true, paramLabel = "N", description = "The sender account's nonce (>= 0).")
    long nonce;

    @Option(names = "--chain-id", paramLabel = "ID", defaultValue = LocalnetSetup.CHAIN_ID,
            description = "Chain id the signature commits to (default: ${DEFAULT-VALUE}).")
    String chainId = LocalnetSetup.CHAIN_ID;

    @Override
    public Integer call() {
        PublicKey recipient;
        try {
            recipient = PublicKey.fromHex(to);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--to: expected a 64-hex-digit Ed25519 public key, got '" + to + "'");
        }
        if (amount <= 0 || fee < 0 || nonce < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "need --amount > 0, --fee >= 0, --nonce >= 0");
        }
        Signer signer;
        try {
            signer = KeyFiles.read(key);
        } catch (IOException e) {
            spec.commandLine().getErr().println("oasis tx transfer: cannot read key: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        Transaction tx = Transaction.sign(signer, chainId, recipient, amount, fee, nonce);
        String hex = HexFormat.of().formatHex(TransactionCodec.encode(tx));
        String answer = client.request("submit " + hex, "tx transfer", spec.commandLine().getErr());
        if (answer == null) {
            return Main.EXIT_FAILURE;
        }
        spec.commandLine().getOut().println("tx " + tx.hash().toHex());
        spec.commandLine().getOut().println(answer);
        return ClientJson.accepted(answer) ? 0 : Main.EXIT_FAILURE;
    }
}
