package dev.paddock.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.paddock.supervisor.ServerState;
import dev.paddock.switchboard.Pass;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Ollama answer: the translated request sent to llama-server, and its answer — one JSON object, or
 * llama-server's server-sent events turned into Ollama's NDJSON lines as they arrive, then the closing object with
 * {@code done}, {@code done_reason} and the figures. A request cut by a switch ends with an {@code error} line saying
 * who switched.
 */
final class OllamaAnswer {
    private final Proxy proxy;
    private final ServerState.Running server;
    private final Pass pass;
    private final HttpExchange ex;
    private final String model;
    private final OllamaApi.Kind kind;
    private final boolean raw;
    private final long arrived;
    private final long loadNanos;

    OllamaAnswer(
            Proxy proxy,
            ServerState.Running server,
            Pass pass,
            HttpExchange ex,
            String model,
            OllamaApi.Kind kind,
            boolean raw,
            long arrived,
            long loadNanos) {
        this.proxy = proxy;
        this.server = server;
        this.pass = pass;
        this.ex = ex;
        this.model = model;
        this.kind = kind;
        this.raw = raw;
        this.arrived = arrived;
        this.loadNanos = loadNanos;
    }

    private okhttp3.Call upstream(String route, ObjectNode body) {
        okhttp3.Request.Builder b = new okhttp3.Request.Builder()
                .url(server.endpoint() + route)
                .post(okhttp3.RequestBody.create(
                        body.toString().getBytes(StandardCharsets.UTF_8), okhttp3.MediaType.parse("application/json")));
        String key = Proxy.upstreamKey(server);
        if (key != null) b.header("Authorization", "Bearer " + key);
        okhttp3.Call call = proxy.client().newCall(b.build());
        pass.onCut(call::cancel);
        return call;
    }

    /** One JSON answer from llama-server; null when an error has been sent to the client. */
    JsonNode call(String route, ObjectNode body) throws IOException {
        try (okhttp3.Response r = upstream(route, body).execute()) {
            byte[] answer = r.body().bytes();
            if (!r.isSuccessful()) {
                OllamaApi.error(ex, r.code(), upstreamError(answer, r.code()));
                return null;
            }
            return HttpIo.JSON.readTree(answer);
        } catch (IOException e) {
            OllamaApi.error(ex, pass.cutReason() != null ? 503 : 502, failure(e));
            return null;
        }
    }

    void relay(String route, ObjectNode body, boolean stream) throws IOException {
        if (!stream) {
            JsonNode a = call(route, body);
            if (a == null) return;
            ObjectNode done = OllamaApi.start(model, kind);
            if (raw) {
                text(done, a.path("content").asText(""), null);
                finish(done, a.path("stop_type").asText("").equals("limit") ? "length" : "stop", a.path("timings"));
            } else {
                JsonNode choice = a.path("choices").path(0);
                JsonNode msg = choice.path("message");
                text(
                        done,
                        msg.path("content").asText(""),
                        msg.path("reasoning_content").asText(null));
                if (msg.path("tool_calls").isArray() && !msg.path("tool_calls").isEmpty())
                    message(done).set("tool_calls", OllamaWire.toolCalls(msg.path("tool_calls")));
                finish(done, OllamaWire.doneReason(choice.path("finish_reason").asText(null)), a.path("timings"));
            }
            HttpIo.json(ex, 200, done);
            return;
        }
        okhttp3.Response r;
        try {
            r = upstream(route, body).execute();
        } catch (IOException e) {
            OllamaApi.error(ex, pass.cutReason() != null ? 503 : 502, failure(e));
            return;
        }
        try (r) {
            if (!r.isSuccessful()) {
                OllamaApi.error(ex, r.code(), upstreamError(r.body().bytes(), r.code()));
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            okio.BufferedSource in = r.body().source();
            String finish = null;
            JsonNode timings = null;
            Map<Integer, ObjectNode> calls = new TreeMap<>(); // tool calls, assembled from their pieces
            try {
                String line;
                while ((line = in.readUtf8Line()) != null) {
                    if (!line.startsWith("data: ")) continue;
                    String data = line.substring(6);
                    if (data.equals("[DONE]")) break;
                    JsonNode chunk = HttpIo.JSON.readTree(data);
                    if (chunk.has("timings")) timings = chunk.get("timings");
                    if (raw) {
                        String content = chunk.path("content").asText("");
                        if (!content.isEmpty()) write(out, piece(content, null));
                        if (chunk.path("stop").asBoolean(false)) {
                            finish = chunk.path("stop_type").asText("").equals("limit") ? "length" : "stop";
                            break;
                        }
                        continue;
                    }
                    JsonNode choice = chunk.path("choices").path(0);
                    JsonNode delta = choice.path("delta");
                    String content = delta.path("content").asText("");
                    String thinking = delta.path("reasoning_content").asText("");
                    if (!content.isEmpty() || !thinking.isEmpty())
                        write(out, piece(content, thinking.isEmpty() ? null : thinking));
                    for (JsonNode c : delta.path("tool_calls")) assemble(calls, c);
                    if (!choice.path("finish_reason").isMissingNode()
                            && !choice.path("finish_reason").isNull())
                        finish = choice.path("finish_reason").asText();
                }
            } catch (IOException upstreamDied) {
                write(out, HttpIo.JSON.createObjectNode().put("error", failure(upstreamDied)));
                return;
            }
            if (!calls.isEmpty()) {
                ObjectNode withCalls = piece("", null);
                ArrayNode openAi = HttpIo.JSON.createArrayNode();
                calls.values().forEach(openAi::add);
                message(withCalls).set("tool_calls", OllamaWire.toolCalls(openAi));
                write(out, withCalls);
            }
            ObjectNode done = OllamaApi.start(model, kind);
            text(done, "", null);
            finish(done, OllamaWire.doneReason(finish), timings);
            write(out, done);
        }
    }

    /** A streamed tool call arrives in pieces by index: its id and name first, its arguments in parts. */
    private static void assemble(Map<Integer, ObjectNode> calls, JsonNode piece) {
        ObjectNode c = calls.computeIfAbsent(piece.path("index").asInt(), i -> {
            ObjectNode n = HttpIo.JSON.createObjectNode();
            n.putObject("function").put("name", "").put("arguments", "");
            return n;
        });
        ObjectNode f = (ObjectNode) c.get("function");
        JsonNode pf = piece.path("function");
        if (pf.hasNonNull("name"))
            f.put("name", f.path("name").asText() + pf.path("name").asText());
        if (pf.hasNonNull("arguments"))
            f.put(
                    "arguments",
                    f.path("arguments").asText() + pf.path("arguments").asText());
    }

    private ObjectNode piece(String content, String thinking) {
        ObjectNode o = OllamaApi.start(model, kind);
        text(o, content, thinking);
        o.put("done", false);
        return o;
    }

    /** The text where each route puts it: {@code message.content} for chat, {@code response} for generate. */
    private void text(ObjectNode o, String content, String thinking) {
        if (kind == OllamaApi.Kind.CHAT) {
            ObjectNode m = o.putObject("message").put("role", "assistant").put("content", content);
            if (thinking != null && !thinking.isEmpty()) m.put("thinking", thinking);
        } else {
            o.put("response", content);
            if (thinking != null && !thinking.isEmpty()) o.put("thinking", thinking);
        }
    }

    private ObjectNode message(ObjectNode o) {
        return o.has("message")
                ? (ObjectNode) o.get("message")
                : o.putObject("message").put("role", "assistant");
    }

    private void finish(ObjectNode done, String reason, JsonNode timings) {
        done.put("done", true);
        done.put("done_reason", reason);
        OllamaWire.figures(done, timings, System.nanoTime() - arrived, loadNanos);
    }

    private static void write(OutputStream out, ObjectNode o) throws IOException {
        out.write((o + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String failure(IOException e) {
        return pass.cutReason() != null ? pass.cutReason() : "llama-server did not answer: " + e.getMessage();
    }

    /** llama-server's error message (OpenAI's shape or its own), else the status. */
    private static String upstreamError(byte[] body, int status) {
        try {
            JsonNode e = HttpIo.JSON.readTree(body).path("error");
            if (e.isTextual()) return e.asText();
            if (e.has("message")) return e.path("message").asText();
        } catch (IOException ignored) {
            // not JSON: the status says it
        }
        return "llama-server answered HTTP " + status;
    }
}
