package dev.oasisj.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The conformance suites' mutation-testing mode ({@code conformance/mutation.sh}, the {@code mutation} Maven profile).
 * PIT runs the covering tests once per mutant, so there the suites replay a fixed, documented subset of the corpus:
 * every committed golden trace plus every {@link #SAMPLE_EVERY}-th build-generated trace (sorted by file name, so the
 * subset is the same on every run). Outside mutation mode (every {@code mvn verify}) the whole corpus is replayed and
 * its size floor ({@code >= 200} traces, {@code >= 10,000} steps) is asserted.
 */
final class MutationMode {
    /** The system property the {@code mutation} profile sets on PIT's test JVMs. */
    static final String PROPERTY = "oasis.conformance.mutation";
    /** Every how many generated traces one is replayed in mutation mode. */
    static final int SAMPLE_EVERY = 8;

    private MutationMode() {}

    static boolean on() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** The corpus the suites replay: all of it, or in mutation mode the golden traces and a fixed sample of the rest. */
    static List<Trace> select(List<Trace> corpus) {
        if (!on()) {
            return corpus;
        }
        Path golden = TraceCorpus.repositoryRoot().resolve("traces");
        List<Trace> out = new ArrayList<>();
        int generated = 0;
        for (Trace t : corpus) {
            if (t.file().toAbsolutePath().startsWith(golden)) {
                out.add(t);
            } else if (generated++ % SAMPLE_EVERY == 0) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }
}
