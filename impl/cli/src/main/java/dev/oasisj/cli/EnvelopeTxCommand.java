package dev.oasisj.cli;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.tx.Fee;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.SignedTransactionCodec;
import dev.oasisj.core.tx.TxMethod;
import dev.oasisj.node.ClientJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The part every consensus-services transaction command shares: the signer's key file, nonce, fee and chain id, the
 * signed envelope ({@link SignedTransaction}), and submitting it to a node's client port. A subclass names the method
 * and builds the body from its own options; the node answers with the services' reason when it refuses.
 */
abstract class EnvelopeTxCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Mixin
    @SuppressWarnings("initialization.field.uninitialized")
    NodeClientOption client;

    @Option(names = "--key", required = true, paramLabel = "FILE",
            description = "The envelope signer's seed file (oasis keygen, or genesis --key-dir).")
    @SuppressWarnings("initialization.field.uninitialized")
    Path key;

    @Option(names = "--nonce", required = true, paramLabel = "N", description = "The signer account's nonce (>= 0).")
    long nonce;

    @Option(names = "--fee", defaultValue = "0", paramLabel = "F",
            description = "Fee in base units, paid to the common pool (default: ${DEFAULT-VALUE}).")
    long fee;

    @Option(names = "--chain-id", paramLabel = "ID", defaultValue = LocalnetSetup.CHAIN_ID,
            description = "Chain id the signature commits to (default: ${DEFAULT-VALUE}).")
    String chainId = LocalnetSetup.CHAIN_ID;

    /** The command's name after {@code oasis tx}, for messages. */
    abstract String name();

    /** The method and body of the call, from the subclass's options; {@code signer} is the envelope's signer. */
    abstract Call<?> call(Signer signer) throws IOException;

    /** A method and its body. */
    record Call<T extends Object>(TxMethod<T> method, T body) {
        byte[] encodedBody() {
            return method.codec().encode(body);
        }
    }

    ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    PublicKey keyOption(String option, String hex) {
        try {
            return PublicKey.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw bad(option + ": expected a 64-hex-digit Ed25519 public key, got '" + hex + "'");
        }
    }

    Signer keyFile(String option, Path file) throws IOException {
        try {
            return KeyFiles.read(file);
        } catch (IOException e) {
            throw new IOException(option + " " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() {
        if (nonce < 0 || fee < 0) {
            throw bad("need --nonce >= 0 and --fee >= 0");
        }
        String command = "tx " + name();
        SignedTransaction tx;
        try {
            Signer signer = keyFile("--key", key);
            Call<?> c = call(signer);
            tx = SignedTransaction.sign(signer, chainId, nonce, new Fee(fee, 0), c.method().name(), c.encodedBody());
        } catch (IOException e) {
            spec.commandLine().getErr().println("oasis " + command + ": cannot read key: " + e.getMessage());
            return Main.EXIT_FAILURE;
        } catch (IllegalArgumentException e) {
            throw bad(String.valueOf(e.getMessage()));
        }
        String hex = HexFormat.of().formatHex(SignedTransactionCodec.encode(tx));
        String answer = client.request("submit " + hex, command, spec.commandLine().getErr());
        if (answer == null) {
            return Main.EXIT_FAILURE;
        }
        spec.commandLine().getOut().println("tx " + tx.hash().toHex() + " " + tx.method());
        spec.commandLine().getOut().println(answer);
        return ClientJson.accepted(answer) ? 0 : Main.EXIT_FAILURE;
    }
}
