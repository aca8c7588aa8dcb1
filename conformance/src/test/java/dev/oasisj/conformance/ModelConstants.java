package dev.oasisj.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The constants of a TLC model (they are not in the trace lines), as listed in
 * {@code conformance/src/test/resources/consensus-models.json}. {@link ConsensusReplayer} cross-checks them against
 * each trace (the correct validators must be exactly the domain of the trace's per-validator functions, and every
 * message sender must be a validator), so a stale entry fails loudly instead of replaying the wrong model.
 */
record ModelConstants(String model, List<String> corr, List<String> faulty, List<String> order,
        Map<String, Long> power, List<String> validValues, List<String> invalidValues, int maxHeight, int maxRound) {

    static Map<String, ModelConstants> load() {
        try (InputStream in = ModelConstants.class.getResourceAsStream("/consensus-models.json")) {
            if (in == null) {
                throw new IllegalStateException("consensus-models.json missing from test resources");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, ModelConstants> byModel = new TreeMap<>();
            root.fields().forEachRemaining(e -> byModel.put(e.getKey(), parse(e.getKey(), e.getValue())));
            return byModel;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The constants of the model that produced {@code t}; a trace of an unlisted model is an error naming it. */
    static ModelConstants forTrace(Map<String, ModelConstants> byModel, Trace t) {
        ModelConstants c = byModel.get(t.model());
        if (c == null) {
            throw new IllegalStateException("no constants for model " + t.model() + " in consensus-models.json ("
                    + t.describe() + ")");
        }
        return c;
    }

    private static ModelConstants parse(String model, JsonNode n) {
        Map<String, Long> power = new TreeMap<>();
        n.path("power").fields().forEachRemaining(e -> power.put(e.getKey(), e.getValue().asLong()));
        return new ModelConstants(model, strings(n.path("corr")), strings(n.path("faulty")), strings(n.path("order")),
                power, strings(n.path("validValues")), strings(n.path("invalidValues")), n.path("maxHeight").asInt(),
                n.path("maxRound").asInt());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return List.copyOf(out);
    }
}
