package dev.paddock.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ollama's request and answer shapes, translated to and from llama-server's OpenAI-compatible ones. Pure functions:
 * what {@code /api/chat} and {@code /api/generate} send upstream, and how llama-server's answer reads in Ollama's
 * words.
 */
final class OllamaWire {
    private OllamaWire() {}

    /**
     * Ollama's {@code options} that llama-server takes under another name ({@code num_predict} → {@code max_tokens});
     * the rest of those it knows pass under their own names. {@code num_ctx} does not: a server's context is fixed
     * when it starts (the preset's {@code context-size}).
     */
    private static final Map<String, String> RENAMED = Map.of("num_predict", "max_tokens");

    private static final java.util.Set<String> PASSED = java.util.Set.of(
            "temperature",
            "top_p",
            "top_k",
            "min_p",
            "typical_p",
            "seed",
            "stop",
            "repeat_penalty",
            "repeat_last_n",
            "presence_penalty",
            "frequency_penalty",
            "mirostat",
            "mirostat_tau",
            "mirostat_eta",
            "n_probs",
            "ignore_eos"); // llama-server's own, for a fixed-length answer (benchmarks)

    /** {@code /api/chat}'s body as llama-server's {@code /v1/chat/completions} body. */
    static ObjectNode chat(JsonNode req, boolean stream) {
        ObjectNode out = HttpIo.JSON.createObjectNode();
        ArrayNode messages = out.putArray("messages");
        int call = 0;
        java.util.ArrayDeque<String> unanswered = new java.util.ArrayDeque<>();
        for (JsonNode m : req.path("messages")) {
            ObjectNode o = messages.addObject();
            String role = m.path("role").asText("user");
            o.put("role", role);
            content(o, m.path("content").asText(""), m.path("images"));
            if (m.has("thinking") && role.equals("assistant"))
                o.put("reasoning_content", m.path("thinking").asText());
            if (m.path("tool_calls").isArray() && !m.path("tool_calls").isEmpty()) {
                ArrayNode calls = o.putArray("tool_calls");
                for (JsonNode c : m.path("tool_calls")) {
                    String id = "call_" + call++;
                    unanswered.add(id);
                    ObjectNode oc = calls.addObject().put("id", id).put("type", "function");
                    JsonNode args = c.path("function").path("arguments");
                    oc.putObject("function")
                            .put("name", c.path("function").path("name").asText())
                            .put("arguments", args.isTextual() ? args.asText() : args.toString());
                }
            }
            if (role.equals("tool") && !unanswered.isEmpty()) o.put("tool_call_id", unanswered.poll());
        }
        common(req, out, stream);
        if (req.path("tools").isArray()) out.set("tools", req.path("tools"));
        return out;
    }

    /** {@code /api/generate}'s body (not raw) as a chat: its system prompt, then its prompt and images. */
    static ObjectNode generate(JsonNode req, boolean stream) {
        ObjectNode out = HttpIo.JSON.createObjectNode();
        ArrayNode messages = out.putArray("messages");
        if (req.hasNonNull("system"))
            messages.addObject()
                    .put("role", "system")
                    .put("content", req.path("system").asText());
        content(messages.addObject().put("role", "user"), req.path("prompt").asText(""), req.path("images"));
        common(req, out, stream);
        return out;
    }

    /** {@code /api/generate} with {@code raw: true}: the prompt as it is, to llama-server's {@code /completion}. */
    static ObjectNode rawCompletion(JsonNode req, boolean stream) {
        ObjectNode out = HttpIo.JSON.createObjectNode();
        out.put("prompt", req.path("prompt").asText(""));
        out.put("stream", stream);
        JsonNode options = req.path("options");
        for (Iterator<String> it = options.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equals("num_predict")) out.set("n_predict", options.get(k));
            else if (PASSED.contains(k)) out.set(k, options.get(k));
        }
        format(req.path("format"), out, true);
        return out;
    }

    private static void common(JsonNode req, ObjectNode out, boolean stream) {
        out.put("stream", stream);
        JsonNode options = req.path("options");
        for (Iterator<String> it = options.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            JsonNode v = options.get(k);
            if (k.equals("num_predict") && v.asLong() < 0) continue; // -1 and -2: as long as it takes
            if (RENAMED.containsKey(k)) out.set(RENAMED.get(k), v);
            else if (PASSED.contains(k)) out.set(k, v);
        }
        format(req.path("format"), out, false);
        if (req.path("think").isBoolean() && !req.path("think").asBoolean())
            out.putObject("chat_template_kwargs").put("enable_thinking", false);
    }

    /** {@code format: "json"} or a JSON schema: the answer is constrained to it. */
    private static void format(JsonNode format, ObjectNode out, boolean nativeApi) {
        if (format.isTextual() && format.asText().equals("json")) {
            if (nativeApi) out.putObject("json_schema");
            else out.putObject("response_format").put("type", "json_object");
        } else if (format.isObject()) {
            if (nativeApi) out.set("json_schema", format);
            else {
                ObjectNode rf = out.putObject("response_format").put("type", "json_schema");
                rf.putObject("json_schema").put("name", "format").set("schema", format);
            }
        }
    }

    /** Text, or text and images (Ollama sends bare base64; llama-server wants data URLs). */
    private static void content(ObjectNode message, String text, JsonNode images) {
        if (!images.isArray() || images.isEmpty()) {
            message.put("content", text);
            return;
        }
        ArrayNode parts = message.putArray("content");
        if (!text.isEmpty()) parts.addObject().put("type", "text").put("text", text);
        for (JsonNode img : images) {
            String b64 = img.asText();
            parts.addObject()
                    .put("type", "image_url")
                    .putObject("image_url")
                    .put("url", "data:" + imageType(b64) + ";base64," + b64);
        }
    }

    /** The image's type from its first bytes: PNG, JPEG, GIF or WebP; JPEG when none matches. */
    static String imageType(String base64) {
        byte[] head;
        try {
            head = Base64.getDecoder()
                    .decode(base64.substring(0, Math.min(base64.length(), 16)).replaceAll("=+$", ""));
        } catch (IllegalArgumentException e) {
            return "image/jpeg";
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G')
            return "image/png";
        if (head.length >= 3 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F') return "image/gif";
        if (head.length >= 12 && head[0] == 'R' && head[1] == 'I' && head[8] == 'W' && head[9] == 'E')
            return "image/webp";
        return "image/jpeg";
    }

    /** llama-server's tool calls (arguments as a JSON string) in Ollama's shape (arguments as an object). */
    static ArrayNode toolCalls(JsonNode openAi) {
        ArrayNode out = HttpIo.JSON.createArrayNode();
        for (JsonNode c : openAi) {
            ObjectNode f = out.addObject().putObject("function");
            f.put("name", c.path("function").path("name").asText());
            JsonNode args = c.path("function").path("arguments");
            JsonNode parsed = args;
            if (args.isTextual()) {
                try {
                    parsed = HttpIo.JSON.readTree(args.asText().isBlank() ? "{}" : args.asText());
                } catch (java.io.IOException e) {
                    parsed = args; // not JSON: as the model wrote it
                }
            }
            f.set("arguments", parsed);
        }
        return out;
    }

    /** OpenAI's {@code finish_reason} as Ollama's {@code done_reason}. */
    static String doneReason(String finish) {
        return finish == null || finish.equals("tool_calls") ? "stop" : finish;
    }

    /**
     * The closing figures Ollama's clients read, in nanoseconds and tokens, from llama-server's {@code timings}: the
     * prompt (cached tokens count: they are part of it) and the answer.
     */
    static void figures(ObjectNode out, JsonNode timings, long totalNanos, long loadNanos) {
        out.put("total_duration", totalNanos);
        out.put("load_duration", loadNanos);
        if (timings != null && timings.isObject()) {
            out.put(
                    "prompt_eval_count",
                    timings.path("prompt_n").asLong() + timings.path("cache_n").asLong());
            out.put("prompt_eval_duration", (long) (timings.path("prompt_ms").asDouble() * 1e6));
            out.put("eval_count", timings.path("predicted_n").asLong());
            out.put("eval_duration", (long) (timings.path("predicted_ms").asDouble() * 1e6));
        }
    }

    private static final Pattern GO_DURATION = Pattern.compile("(-?\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /**
     * {@code keep_alive} as Ollama reads it: a number of seconds, or a duration such as {@code 5m}, {@code 1h30m},
     * {@code 0}; negative means for ever (returned as a negative duration). Null when absent.
     *
     * @throws IllegalArgumentException when it is neither
     */
    static Duration keepAlive(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) return null;
        if (v.isNumber()) return Duration.ofMillis((long) (v.asDouble() * 1000));
        String s = v.asText().trim();
        if (s.matches("-?\\d+(\\.\\d+)?")) return Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
        Matcher m = GO_DURATION.matcher(s);
        Duration d = Duration.ZERO;
        int at = 0;
        boolean negative = s.startsWith("-");
        while (m.find() && m.start() == at) {
            double n = Math.abs(Double.parseDouble(m.group(1)));
            d = d.plusNanos((long) (n
                    * switch (m.group(2)) {
                        case "ns" -> 1;
                        case "us", "µs" -> 1e3;
                        case "ms" -> 1e6;
                        case "s" -> 1e9;
                        case "m" -> 60e9;
                        default -> 3600e9;
                    }));
            at = m.end();
        }
        if (at == 0 || at != s.length())
            throw new IllegalArgumentException("keep_alive '" + s + "' is not a duration (e.g. 5m, 30s, 0, -1)");
        return negative ? d.negated().minusNanos(1) : d;
    }
}
