package dev.oasisj.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The traces a suite replays: the committed golden set under {@code traces/<spec>/} and the larger set the build
 * generates from fixed seeds under {@code model-check/target/traces/<spec>/}. Sorted by file name, so runs are repeatable.
 */
final class TraceCorpus {
    private TraceCorpus() {}

    static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("spec")) && Files.isDirectory(p.resolve("traces"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + here);
    }

    static List<Path> files(String spec) {
        Path root = repositoryRoot();
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(root.resolve("traces").resolve(spec),
                root.resolve("model-check").resolve("target").resolve("traces").resolve(spec))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".ndjson")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    static List<Trace> load(String spec) {
        return files(spec).stream().map(Trace::read).toList();
    }
}
