package dev.paddock.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reading requests and writing answers, shared by the gateway's routes. */
final class HttpIo {
    static final ObjectMapper JSON = new ObjectMapper();

    private HttpIo() {}

    static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    /** An error in OpenAI's shape: {@code {"error": {"message", "type", "code"}}}. */
    static void error(HttpExchange ex, int status, String message, String type) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("error").put("message", message).put("type", type).put("code", status);
        json(ex, status, o);
    }

    /** An error in the CLI's shape: {@code {"status": "error", "error", "error_code"}}. */
    static void cliError(HttpExchange ex, int status, String code, String message) throws IOException {
        json(
                ex,
                status,
                JSON.createObjectNode()
                        .put("status", "error")
                        .put("error", message)
                        .put("error_code", code));
    }

    /** A map of strings, numbers, booleans, lists and nulls as a JSON object. */
    static ObjectNode object(Map<String, Object> fields) {
        ObjectNode o = JSON.createObjectNode();
        fields.forEach((k, v) -> {
            if (v == null) o.putNull(k);
            else if (v instanceof Double || v instanceof Float) o.put(k, ((Number) v).doubleValue());
            else if (v instanceof Number n) o.put(k, n.longValue());
            else if (v instanceof Boolean b) o.put(k, b);
            else if (v instanceof List<?> l) {
                com.fasterxml.jackson.databind.node.ArrayNode a = o.putArray(k);
                l.forEach(x -> a.add(String.valueOf(x)));
            } else o.put(k, v.toString());
        });
        return o;
    }

    /**
     * The body, or null when it is over {@code max} bytes (read no further than one byte past it). The rest of a
     * refused body is left unread, so the answer closes the connection: it cannot carry another request.
     */
    static byte[] readBody(HttpExchange ex, long max) throws IOException {
        byte[] body = readBounded(ex, max);
        if (body == null) ex.getResponseHeaders().set("Connection", "close");
        return body;
    }

    private static byte[] readBounded(HttpExchange ex, long max) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        try (InputStream in = ex.getRequestBody()) {
            if (declared != null) {
                try {
                    if (Long.parseLong(declared.trim()) > max) return null;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            byte[] b = in.readNBytes((int) max + 1);
            return b.length > max ? null : b;
        }
    }

    /** The {@code model} of a JSON body, or null. */
    static String modelOf(byte[] body) {
        if (body.length == 0
                || body[0] != '{'
                        && !new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8)
                                .trim()
                                .startsWith("{")) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode m = n.get("model");
            return m != null && m.isTextual() && !m.asText().isBlank() ? m.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The event-stream frame {@code event: NAME\ndata: JSON\n\n}. */
    static String event(String name, JsonNode data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }
}
