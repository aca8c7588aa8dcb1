package dev.oasisj.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One TLC trace from the NDJSON corpus: the state after each step and the action that led to it (ACTIONS.md). */
record Trace(Path file, String spec, String model, long seed, List<Step> steps) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Step {@code index} of a trace: {@code action} is the spec's {@code lastAction}, {@code state} every other variable. */
    record Step(int index, JsonNode action, JsonNode state) {
        String actionName() {
            return action.path("name").asText();
        }
    }

    static Trace read(Path file) {
        try {
            List<Step> steps = new ArrayList<>();
            String spec = "";
            String model = "";
            long seed = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                spec = node.path("spec").asText();
                model = node.path("model").asText();
                seed = node.path("seed").asLong();
                int index = node.path("step").asInt();
                if (index != steps.size()) {
                    throw new IllegalStateException(file + ": step " + index + " out of order (expected " + steps.size() + ")");
                }
                steps.add(new Step(index, node.path("action"), node.path("state")));
            }
            if (steps.isEmpty()) {
                throw new IllegalStateException(file + ": empty trace");
            }
            return new Trace(file, spec, model, seed, List.copyOf(steps));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String describe() {
        return "spec=" + spec + " model=" + model + " seed=" + seed + " file=" + file.getFileName();
    }
}
