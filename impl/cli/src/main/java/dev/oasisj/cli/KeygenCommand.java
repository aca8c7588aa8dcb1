package dev.oasisj.cli;

import dev.oasisj.core.crypto.Signer;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code oasis keygen --out FILE}: a new Ed25519 key from the OS's secure random source. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Generate an Ed25519 key file (hex seed, mode 600).", "Never overwrites a file; prints the public key."})
final class KeygenCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the seed (must not exist).")
    @SuppressWarnings("initialization.field.uninitialized")
    Path out;

    @Override
    public Integer call() {
        byte[] seed = new byte[Signer.SEED_SIZE_BYTES];
        new SecureRandom().nextBytes(seed);
        Signer signer = Signer.fromSeed(seed);
        java.util.Arrays.fill(seed, (byte) 0);
        try {
            KeyFiles.write(out, signer);
        } catch (FileAlreadyExistsException e) {
            spec.commandLine().getErr().println("oasis keygen: " + out + " already exists; refusing to overwrite a key");
            return Main.EXIT_FAILURE;
        } catch (IOException e) {
            spec.commandLine().getErr().println("oasis keygen: cannot write " + out + ": " + e);
            return Main.EXIT_FAILURE;
        }
        spec.commandLine().getOut().println("public key: " + signer.publicKey().toHex());
        spec.commandLine().getOut().println("seed written to " + out + " (mode 600)");
        return 0;
    }
}
