package dev.paddock.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.paddock.core.PaddockException;
import dev.paddock.preset.Preset;
import dev.paddock.supervisor.ServerState;
import dev.paddock.switchboard.Origin;
import dev.paddock.switchboard.Status;
import dev.paddock.switchboard.Switchboard;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paddock's own routes on the gateway: {@code GET /v1/models}, {@code GET /paddock/status}, {@code POST
 * /paddock/load} and {@code /paddock/unload} (the switchboard's, like the CLI's), and {@code GET /paddock/events}.
 */
final class ControlApi {
    private final Switchboard switchboard;
    private final PullEvents pulls;
    private final LongSupplier startedSeconds;

    ControlApi(Switchboard switchboard, PullEvents pulls, LongSupplier startedSeconds) {
        this.switchboard = switchboard;
        this.pulls = pulls;
        this.startedSeconds = startedSeconds;
    }

    /** OpenAI's model list: every preset, with {@code created}, {@code owned_by} and whether it is loaded. */
    void models(HttpExchange ex) throws IOException {
        ServerState s = switchboard.status().server();
        String running = s instanceof ServerState.Running r ? r.spec().presetName() : null;
        java.nio.file.Path runningFile =
                s instanceof ServerState.Running r ? r.spec().model() : null;
        ObjectNode o = HttpIo.JSON.createObjectNode().put("object", "list");
        ArrayNode data = o.putArray("data");
        for (Preset p : switchboard.presets()) {
            ObjectNode m = data.addObject()
                    .put("id", p.name())
                    .put("object", "model")
                    .put("created", created(p))
                    .put("owned_by", "paddock")
                    .put("loaded", p.name().equals(running));
            if (p.alias() != null) m.putArray("aliases").add(p.alias());
            if (p.description() != null) m.put("description", p.description());
            m.put("model", p.model());
        }
        // then every model a request may name directly: downloaded, in model-dirs, or kept by another tool
        for (dev.paddock.model.LocalModel lm : switchboard.localModels()) {
            if (lm.problem() != null) continue; // listed by `ls` with its reason; it would not run
            long created;
            try {
                created = java.nio.file.Files.getLastModifiedTime(lm.file())
                        .toInstant()
                        .getEpochSecond();
            } catch (IOException e) {
                continue; // gone since it was listed
            }
            data.addObject()
                    .put("id", lm.source() == dev.paddock.model.LocalModel.Source.FOLDER ? lm.stem() : lm.displayName())
                    .put("object", "model")
                    .put("created", created)
                    .put("owned_by", lm.source().wireName())
                    .put("loaded", lm.file().equals(runningFile))
                    .put("model", lm.file().toString());
        }
        HttpIo.json(ex, 200, o);
    }

    /** When the preset's file was last written (seconds since the epoch); Paddock's start for one without a file. */
    private long created(Preset p) {
        try {
            if (p.source() != null)
                return java.nio.file.Files.getLastModifiedTime(p.source())
                        .toInstant()
                        .getEpochSecond();
        } catch (IOException e) {
            // deleted since it was read: the start time will do
        }
        return startedSeconds.getAsLong();
    }

    void status(HttpExchange ex) throws IOException {
        HttpIo.json(ex, 200, HttpIo.object(switchboard.status().fields()));
    }

    /**
     * {@code POST /paddock/load {"model": ID, "force": false}} and {@code POST /paddock/unload {"force": false}}:
     * the switchboard's, as the CLI asks (after the requests in flight unless forced). Answers as {@code load --json}
     * does, errors as the CLI's error JSON.
     */
    void control(HttpExchange ex, boolean load, long maxBody) throws IOException {
        byte[] body = HttpIo.readBody(ex, maxBody);
        JsonNode request = parse(body);
        String id = HttpIo.modelOf(body == null ? new byte[0] : body);
        boolean force = request.path("force").asBoolean(false);
        if (load && id == null) {
            HttpIo.cliError(ex, 400, "invalid_identifier", "say what to load: {\"model\": \"NAME\"}");
            return;
        }
        try {
            if (load) switchboard.load(id, force, Origin.GATEWAY_CONTROL);
            else switchboard.unload(force, Origin.GATEWAY_CONTROL);
            Status s = switchboard.status();
            ObjectNode o = HttpIo.JSON.createObjectNode().put("status", "ok");
            o.put("state", s.state())
                    .put("preset", s.view().preset())
                    .put("endpoint", s.view().endpoint());
            HttpIo.json(ex, 200, o);
        } catch (PaddockException e) {
            HttpIo.cliError(ex, Proxy.unknown(e.code()) ? 404 : 422, e.code().wireName(), e.getMessage());
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) return HttpIo.JSON.createObjectNode();
        try {
            return HttpIo.JSON.readTree(body);
        } catch (IOException e) {
            return HttpIo.JSON.createObjectNode();
        }
    }

    /**
     * {@code GET /paddock/events}: server-sent events, {@code event: state} with the status object at once and at
     * every change a person would see, {@code event: pull} with {file, done, total} while a model downloads. Until
     * the client goes.
     */
    void events(HttpExchange ex) throws IOException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(1024);
        dev.paddock.switchboard.StatusListener listener =
                (from, to) -> queue.offer(HttpIo.event("state", HttpIo.object(to.fields())));
        Runnable unsubscribePull = pulls.add((file, done, total) -> queue.offer(HttpIo.event(
                "pull",
                HttpIo.JSON
                        .createObjectNode()
                        .put("file", file)
                        .put("done", done)
                        .put("total", total))));
        switchboard.addListener(listener);
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            String next =
                    HttpIo.event("state", HttpIo.object(switchboard.status().fields()));
            while (true) {
                out.write(next.getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    next = queue.poll(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (next == null) next = ": keep-alive\n\n"; // a comment; also how a departed client is noticed
            }
        } catch (IOException clientGone) {
            // the client closed the stream
        } finally {
            switchboard.removeListener(listener);
            unsubscribePull.run();
        }
    }
}
