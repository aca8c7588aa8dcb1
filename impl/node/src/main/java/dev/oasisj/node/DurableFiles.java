package dev.oasisj.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Files a node must not lose half of: the sign state and checkpoints. */
final class DurableFiles {
    private DurableFiles() {}

    /**
     * Writes {@code content} to {@code file} atomically and durably: to {@code temp} (in the same folder), fsync, atomic
     * rename over {@code file}, fsync of the folder. A crash at any point leaves the old file or the new one, whole;
     * when it returns, the new one survives a crash of the process and of the machine.
     *
     * @throws AtomicMoveNotSupportedException if the file system cannot rename atomically
     * @throws IOException if any other step fails
     */
    static void writeAtomically(Path file, Path temp, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null) {
            try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
                dir.force(true);
            }
        }
    }
}
