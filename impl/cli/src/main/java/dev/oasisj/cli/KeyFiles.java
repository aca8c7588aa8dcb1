package dev.oasisj.cli;

import dev.oasisj.core.crypto.Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

/**
 * Ed25519 key files: the 32-byte seed as 64 lowercase hex digits and a newline, readable by the owner only (mode 600).
 */
final class KeyFiles {
    private KeyFiles() {}

    /**
     * Writes {@code signer}'s seed to {@code file}, created with mode 600 from the start (never world-readable, not even
     * for a moment). Refuses to overwrite: throws {@link FileAlreadyExistsException} if the file exists.
     */
    static void write(Path file, Signer signer) throws IOException {
        byte[] content = (signer.seedHex() + "\n").getBytes(StandardCharsets.US_ASCII);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.write(file, content);
    }

    /** Reads a key file written by {@link #write}; the message of the exception says what is wrong. */
    static Signer read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (text.length() != 2 * Signer.SEED_SIZE_BYTES) {
            throw new IOException(file + ": expected " + 2 * Signer.SEED_SIZE_BYTES + " hex digits (an Ed25519 seed)");
        }
        try {
            return Signer.fromSeed(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not hex", e);
        }
    }
}
