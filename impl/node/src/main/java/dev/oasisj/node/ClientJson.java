package dev.oasisj.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The client protocol's JSON, one shared (thread-safe) Jackson mapper for the port and the CLI. */
public final class ClientJson {
    /** Shared by every reader and writer of client answers; an ObjectMapper is thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ClientJson() {}

    /** {@code {"error":message}}. */
    public static String error(String message) {
        return MAPPER.createObjectNode().put("error", message).toString();
    }

    /** The answer as a JSON object, or null if it is not one. */
    public static @Nullable JsonNode parse(String answer) {
        try {
            JsonNode node = MAPPER.readTree(answer);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Whether a {@code submit} answer says {@code "accepted": true}. */
    public static boolean accepted(String answer) {
        JsonNode node = parse(answer);
        return node != null && node.path("accepted").asBoolean(false);
    }
}
