package dev.oasisj.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed committee trace models ({@code model-check/committee/SIMCommittee*.tla/.cfg}) are exactly what
 * {@link CommitteeModelFiles} writes from {@link CommitteeWorld}: so the spec's {@code Hash}, {@code NodeKey} and
 * {@code EntityKey} in the traces are the real sorting hash and key order of the concrete keys the replay uses.
 * {@code -Dcommittee.regenerate=true} rewrites the files instead (then regenerate the golden traces).
 */
class CommitteeModelFilesTest {
    @Test
    void committedTraceModelsAreGeneratedFromTheWorld() throws IOException {
        Path dir = TraceCorpus.repositoryRoot().resolve("model-check").resolve("committee");
        boolean regenerate = Boolean.getBoolean("committee.regenerate");
        for (CommitteeWorld w : CommitteeWorld.ALL) {
            check(dir.resolve(w.name() + ".tla"), CommitteeModelFiles.module(w), regenerate);
            check(dir.resolve(w.name() + ".cfg"), CommitteeModelFiles.config(w), regenerate);
        }
        for (CommitteeModelFiles.Witness x : CommitteeModelFiles.WITNESSES) {
            check(dir.resolve(x.name() + ".tla"), CommitteeModelFiles.witnessModule(x), regenerate);
            check(dir.resolve(x.name() + ".cfg"), CommitteeModelFiles.witnessConfig(x), regenerate);
        }
    }

    private static void check(Path file, String expected, boolean regenerate) throws IOException {
        if (regenerate) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "<missing>",
                file + " is not what CommitteeModelFiles generates from CommitteeWorld (regenerate with "
                        + "-Dcommittee.regenerate=true, then the golden traces)");
    }
}
