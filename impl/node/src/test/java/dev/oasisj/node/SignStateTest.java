package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.crypto.Signer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sign-state file: round trip, atomic replacement, torn and corrupt files. */
class SignStateTest {
    private static final Signer KEY = Signer.deterministic("validator-0", 7);

    @TempDir
    Path dir;

    private static SignState state(long h, int r, int step, long records) {
        byte[] sig = new byte[Signer.SIGNATURE_SIZE_BYTES];
        Arrays.fill(sig, (byte) (h + r + step));
        return new SignState(KEY.publicKey(), h, r, step, sig, records);
    }

    @Test
    void noFile_isEmpty() {
        assertEquals(Optional.empty(), SignState.read(dir));
    }

    @Test
    void writeThenRead_givesTheSameState_andReplacesTheOldOne() {
        state(3, 1, SignState.STEP_PREVOTE, 100).write(dir);
        SignState later = state(12, 0, SignState.STEP_PRECOMMIT, 5321);
        later.write(dir);
        SignState read = SignState.read(dir).orElseThrow();
        assertEquals(later, read);
        assertArrayEquals(later.signature(), read.signature());
        assertFalse(Files.exists(dir.resolve(SignState.TEMP_NAME)), "the temporary file was renamed away");
        assertEquals("(12, 0, precommit)", read.hrs());
    }

    @Test
    void aCrashBeforeTheRename_leavesTheOldStateReadable_andTheNextWriteSucceeds() throws Exception {
        SignState old = state(5, 0, SignState.STEP_PRECOMMIT, 40);
        old.write(dir);
        // A write torn by a crash before its rename: half of the new content in the temporary file.
        byte[] next = state(6, 0, SignState.STEP_PROPOSAL, 44).encode();
        Files.write(dir.resolve(SignState.TEMP_NAME), Arrays.copyOf(next, next.length / 2));
        assertEquals(old, SignState.read(dir).orElseThrow(), "the torn temporary file is ignored");
        SignState newer = state(6, 0, SignState.STEP_PREVOTE, 45);
        newer.write(dir);
        assertEquals(newer, SignState.read(dir).orElseThrow());
    }

    @Test
    void aTruncatedFile_isRefusedWithAClearMessage() throws Exception {
        byte[] bytes = state(9, 2, SignState.STEP_PREVOTE, 77).encode();
        for (int cut : new int[] {0, 1, bytes.length / 2, bytes.length - 1}) {
            Files.write(dir.resolve(SignState.FILE_NAME), Arrays.copyOf(bytes, cut));
            SignState.CorruptException e = assertThrows(SignState.CorruptException.class, () -> SignState.read(dir),
                    "cut at " + cut);
            assertTrue(e.getMessage().contains("sign-state file " + dir.resolve(SignState.FILE_NAME) + " is corrupt"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("never signs twice"), e.getMessage());
        }
    }

    @Test
    void anAlteredFile_failsItsChecksum() throws Exception {
        String text = new String(state(9, 2, SignState.STEP_PREVOTE, 77).encode(), StandardCharsets.UTF_8);
        // Lower the saved height: still well-formed, but the checksum no longer matches.
        Files.writeString(dir.resolve(SignState.FILE_NAME), text.replace("height 9\n", "height 1\n"));
        SignState.CorruptException e = assertThrows(SignState.CorruptException.class, () -> SignState.read(dir));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void garbage_isRefused() throws Exception {
        Files.writeString(dir.resolve(SignState.FILE_NAME), "{\"height\": 12}\n");
        assertThrows(SignState.CorruptException.class, () -> SignState.read(dir));
        Files.write(dir.resolve(SignState.FILE_NAME), new byte[SignState.MAX_FILE_BYTES + 1]);
        assertThrows(SignState.CorruptException.class, () -> SignState.read(dir));
    }

    @Test
    void ordersByHeightThenRoundThenStep() {
        assertTrue(state(2, 0, 1, 0).compareTo(state(1, 9, 3, 0)) > 0);
        assertTrue(state(2, 1, 1, 0).compareTo(state(2, 0, 3, 0)) > 0);
        assertTrue(state(2, 1, 3, 0).compareTo(state(2, 1, 2, 0)) > 0);
        assertEquals(0, state(2, 1, 3, 0).compareTo(state(2, 1, 3, 9)));
    }
}
