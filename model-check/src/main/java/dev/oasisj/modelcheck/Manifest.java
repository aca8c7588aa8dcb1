package dev.oasisj.modelcheck;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results manifest ({@code model-check/results.json}, committed): what every model did the last time it was run
 * with {@code --update-manifest}. Auditors read the numbers from here, so the runner keeps them true: an ordinary run
 * compares its distinct-state counts with this file and fails when they differ.
 *
 * <p>Entries are keyed by (spec, name) and kept in the order of {@code models.json}; models not in {@code models.json}
 * (any more) stay at the end, sorted, until someone removes them.
 */
public final class Manifest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, ObjectNode> entries = new LinkedHashMap<>();
    /** The spec-mutation results per spec ({@code run --mutants}), kept as read when not rewritten. */
    private final Map<String, ObjectNode> mutation = new java.util.TreeMap<>();
    /** The trace set's per-action and per-branch coverage per spec ({@code traces --update-manifest}). */
    private final Map<String, ObjectNode> coverage = new java.util.TreeMap<>();

    /** Reads a manifest; a missing file is an empty manifest. */
    public static Manifest read(Path file) throws IOException {
        Manifest m = new Manifest();
        if (!Files.exists(file)) {
            return m;
        }
        JsonNode root = MAPPER.readTree(Files.readString(file));
        JsonNode models = root == null ? null : root.get("models");
        if (models == null || !models.isArray()) {
            throw new IOException(file + ": expected {\"models\": [...]}");
        }
        for (JsonNode n : models) {
            if (n instanceof ObjectNode o) {
                m.entries.put(key(o.path("spec").asText(), o.path("name").asText()), o);
            }
        }
        JsonNode mut = root.get("mutation");
        if (mut instanceof ObjectNode mo) {
            mo.fields().forEachRemaining(f -> {
                if (f.getValue() instanceof ObjectNode v) {
                    m.mutation.put(f.getKey(), v);
                }
            });
        }
        JsonNode cov = root.get("traceCoverage");
        if (cov instanceof ObjectNode co) {
            co.fields().forEachRemaining(f -> {
                if (f.getValue() instanceof ObjectNode v) {
                    m.coverage.put(f.getKey(), v);
                }
            });
        }
        return m;
    }

    /** Adds or replaces the trace coverage of a spec. */
    public void putCoverage(String spec, ObjectNode report) {
        coverage.put(spec, report);
    }

    private static String key(String spec, String name) {
        return spec + "/" + name;
    }

    /** The committed entry of a model, or null. */
    public ObjectNode get(String spec, String name) {
        return entries.get(key(spec, name));
    }

    /** Adds or replaces a model's entry. */
    public void put(ObjectNode entry) {
        entries.put(key(entry.path("spec").asText(), entry.path("name").asText()), entry);
    }

    /** Adds or replaces the mutation results of a spec. */
    public void putMutation(String spec, ObjectNode results) {
        mutation.put(spec, results);
    }

    /** The mutation results of a spec, or null. */
    public ObjectNode mutation(String spec) {
        return mutation.get(spec);
    }

    /** Writes the manifest, entries ordered as in {@code order} (models.json), unknown ones after, by key. */
    public void write(Path file, List<ModelEntry> order) throws IOException {
        List<String> keys = new ArrayList<>(entries.keySet());
        Map<String, Integer> rank = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            rank.put(key(order.get(i).spec(), order.get(i).name()), i);
        }
        keys.sort(Comparator.<String>comparingInt(k -> rank.getOrDefault(k, Integer.MAX_VALUE))
                .thenComparing(Comparator.naturalOrder()));
        ObjectNode root = MAPPER.createObjectNode();
        root.put("comment", "Written by dev.oasisj.modelcheck.Main run (committed copy: with --update-manifest); do not edit by hand. "
                + "seconds are wall-clock on the machine that ran it; state counts are exact (TLC -workers 1).");
        ArrayNode arr = root.putArray("models");
        for (String k : keys) {
            arr.add(entries.get(k));
        }
        if (!mutation.isEmpty()) {
            ObjectNode mu = root.putObject("mutation");
            mutation.forEach(mu::set);
        }
        if (!coverage.isEmpty()) {
            ObjectNode co = root.putObject("traceCoverage");
            coverage.forEach(co::set);
        }
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, MAPPER.writer(pp).writeValueAsString(root) + "\n");
    }
}
