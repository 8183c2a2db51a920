package dev.paddock.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.paddock.config.Config;
import dev.paddock.core.PaddockException;
import dev.paddock.model.GgufException;
import dev.paddock.model.GgufInfo;
import dev.paddock.model.GgufReader;
import dev.paddock.model.HubRef;
import dev.paddock.model.LocalModel;
import dev.paddock.model.ModelFetcher;
import dev.paddock.model.OllamaRef;
import dev.paddock.preset.Preset;
import dev.paddock.supervisor.ServerState;
import dev.paddock.switchboard.Origin;
import dev.paddock.switchboard.Pass;
import dev.paddock.switchboard.QueueFull;
import dev.paddock.switchboard.Status;
import dev.paddock.switchboard.Switchboard;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Ollama's API on the gateway, for the tools that speak only it: {@code /api/version}, {@code /api/tags}, {@code
 * /api/ps}, {@code /api/show}, {@code /api/chat}, {@code /api/generate}, {@code /api/embed} (and {@code
 * /api/embeddings}), {@code /api/pull} and {@code /api/delete}, translated to llama-server's API. A request's {@code
 * model} is read as every other request's (switching first when it names another model); {@code keep_alive} sets how
 * long the model stays loaded once idle, in place of its preset's {@code ttl}. Errors are Ollama's {@code {"error":
 * …}}.
 */
final class OllamaApi {
    /** The Ollama API version Paddock answers as: the routes and fields above are those of this release. */
    static final String API_VERSION = "0.12.6";

    private static final String NDJSON = "application/x-ndjson";
    /** Ollama's {@code expires_at} for a model that stays loaded. */
    private static final Instant NEVER = Instant.parse("2318-01-01T00:00:00Z");

    private final Switchboard switchboard;
    private final Supplier<Config> config;
    private final Proxy proxy;
    private final PullEvents pulls;
    private final ModelFetcher fetcher;
    private final Map<Path, Header> headers = new ConcurrentHashMap<>();

    OllamaApi(Switchboard switchboard, Supplier<Config> config, Proxy proxy, PullEvents pulls, ModelFetcher fetcher) {
        this.switchboard = switchboard;
        this.config = config;
        this.proxy = proxy;
        this.pulls = pulls;
        this.fetcher = fetcher;
    }

    /** Whether {@code path} is one of Ollama's routes. */
    static boolean serves(String path) {
        return path.startsWith("/api/");
    }

    void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        boolean get = method.equals("GET") || method.equals("HEAD");
        boolean post = method.equals("POST");
        switch (path) {
            case "/api/version" -> {
                if (get) version(ex);
                else notAllowed(ex);
            }
            case "/api/tags" -> {
                if (get) tags(ex);
                else notAllowed(ex);
            }
            case "/api/ps" -> {
                if (get) ps(ex);
                else notAllowed(ex);
            }
            case "/api/show" -> {
                if (post) show(ex);
                else notAllowed(ex);
            }
            case "/api/chat" -> {
                if (post) answer(ex, Kind.CHAT);
                else notAllowed(ex);
            }
            case "/api/generate" -> {
                if (post) answer(ex, Kind.GENERATE);
                else notAllowed(ex);
            }
            case "/api/embed" -> {
                if (post) embed(ex, false);
                else notAllowed(ex);
            }
            case "/api/embeddings" -> {
                if (post) embed(ex, true);
                else notAllowed(ex);
            }
            case "/api/pull" -> {
                if (post) pull(ex);
                else notAllowed(ex);
            }
            case "/api/delete" -> {
                if (method.equals("DELETE")) delete(ex);
                else notAllowed(ex);
            }
            default -> error(
                    ex, 404, path + " is not one of the Ollama routes Paddock serves (see its README: Ollama's API)");
        }
    }

    // ---- listing ------------------------------------------------------------------------------------------

    private void version(HttpExchange ex) throws IOException {
        HttpIo.json(ex, 200, HttpIo.JSON.createObjectNode().put("version", API_VERSION));
    }

    /** One model as {@code /api/tags} and {@code /api/ps} list it. */
    private record Entry(String name, Path file, Instant modified, Header header) {}

    /** Every model a request may name: the presets, then the models on disk (downloaded or another tool's). */
    private List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (Preset p : switchboard.presets()) {
            switchboard.localFileOf(p).ifPresent(f -> entry(p.name(), f).ifPresent(out::add));
        }
        for (LocalModel m : switchboard.localModels()) {
            if (m.problem() != null) continue; // it would not run
            String name = m.source() == LocalModel.Source.FOLDER ? m.stem() : m.displayName();
            entry(name, m.file()).ifPresent(out::add);
        }
        return out;
    }

    private java.util.Optional<Entry> entry(String name, Path file) {
        try {
            var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return java.util.Optional.of(
                    new Entry(name, file, attrs.lastModifiedTime().toInstant(), header(file, attrs)));
        } catch (IOException e) {
            return java.util.Optional.empty(); // gone since it was listed
        }
    }

    /** A GGUF header, read once per version of the file (its size and time). */
    private record Header(long size, Instant modified, GgufInfo info, String digest) {}

    private Header header(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
        Instant modified = attrs.lastModifiedTime().toInstant();
        Header h = headers.get(file);
        if (h != null && h.size() == attrs.size() && h.modified().equals(modified)) return h;
        GgufInfo info;
        try {
            info = GgufReader.read(file);
        } catch (GgufException e) {
            info = null;
        }
        h = new Header(attrs.size(), modified, info, digest(file, attrs.size(), modified));
        headers.put(file, h);
        return h;
    }

    /**
     * Ollama's {@code digest}: an Ollama blob's own SHA-256 (its file name); for any other file a SHA-256 of its
     * path, size and time, which changes when the file does (hashing gigabytes for a listing would take minutes).
     */
    private static String digest(Path file, long size, Instant modified) {
        String n = file.getFileName().toString();
        if (n.matches("sha256-[0-9a-f]{64}")) return n.substring(7);
        try {
            var sha = java.security.MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(sha.digest(
                            (file.toAbsolutePath() + "\n" + size + "\n" + modified).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode details(GgufInfo info) {
        ObjectNode d = HttpIo.JSON.createObjectNode();
        d.put("parent_model", "");
        d.put("format", "gguf");
        String family = info == null ? "" : String.valueOf(info.architecture());
        d.put("family", family);
        d.putArray("families").add(family);
        d.put("parameter_size", info == null || info.parameters() < 0 ? "" : GgufInfo.count(info.parameters()));
        d.put("quantization_level", info == null || info.fileType() == null ? "" : info.fileType());
        return d;
    }

    private void tags(HttpExchange ex) throws IOException {
        ObjectNode o = HttpIo.JSON.createObjectNode();
        ArrayNode models = o.putArray("models");
        for (Entry e : entries()) {
            models.addObject()
                    .put("name", e.name())
                    .put("model", e.name())
                    .put("modified_at", e.modified().toString())
                    .put("size", e.header().size())
                    .put("digest", e.header().digest())
                    .set("details", details(e.header().info()));
        }
        HttpIo.json(ex, 200, o);
    }

    private void ps(HttpExchange ex) throws IOException {
        Status s = switchboard.status();
        ObjectNode o = HttpIo.JSON.createObjectNode();
        ArrayNode models = o.putArray("models");
        if (s.server() instanceof ServerState.Running r) {
            var e = entry(r.spec().presetName(), r.spec().model());
            if (e.isPresent()) {
                GgufInfo info = e.get().header().info();
                Integer ctx = r.spec().settings().contextSize();
                models.addObject()
                        .put("name", r.spec().presetName())
                        .put("model", r.spec().presetName())
                        .put("size", e.get().header().size())
                        .put("digest", e.get().header().digest())
                        .<ObjectNode>set("details", details(info))
                        .put("expires_at", (s.idleUnloadAt() == null ? NEVER : s.idleUnloadAt()).toString())
                        .put("size_vram", 0)
                        .put(
                                "context_length",
                                ctx != null
                                        ? ctx
                                        : info != null && info.contextLength() != null ? info.contextLength() : 0);
            }
        }
        HttpIo.json(ex, 200, o);
    }

    /** {@code POST /api/show {"model"}}: the header, the chat template, what the model can do. */
    private void show(HttpExchange ex) throws IOException {
        JsonNode req = body(ex);
        if (req == null) return;
        String name = modelOf(req);
        if (name == null) {
            error(ex, 400, "model is required");
            return;
        }
        Entry found = entries().stream()
                .filter(e -> e.name().equals(name) || (e.name() + ":latest").equals(name))
                .findFirst()
                .orElse(null);
        if (found == null) {
            error(ex, 404, "model '" + name + "' not found");
            return;
        }
        GgufInfo info = found.header().info();
        ObjectNode o = HttpIo.JSON.createObjectNode();
        o.put("modelfile", "# Paddock: " + found.name() + "\nFROM " + found.file() + "\n");
        o.put("parameters", "");
        o.put("template", info == null || info.chatTemplateText() == null ? "" : info.chatTemplateText());
        o.set("details", details(info));
        ObjectNode mi = o.putObject("model_info");
        if (info != null) {
            String arch = info.architecture();
            mi.put("general.architecture", arch);
            if (info.parameters() >= 0) mi.put("general.parameter_count", info.parameters());
            if (info.contextLength() != null) mi.put(arch + ".context_length", info.contextLength());
            if (info.embeddingLength() != null) mi.put(arch + ".embedding_length", info.embeddingLength());
            if (info.blockCount() != null) mi.put(arch + ".block_count", info.blockCount());
            if (info.headCount() != null) mi.put(arch + ".attention.head_count", info.headCount());
            if (info.headCountKv() != null) mi.put(arch + ".attention.head_count_kv", info.headCountKv());
        }
        ArrayNode caps = o.putArray("capabilities").add("completion");
        String template = info == null ? null : info.chatTemplateText();
        if (template != null && template.contains("tools")) caps.add("tools");
        if (hasProjector(found)) caps.add("vision");
        o.put("modified_at", found.modified().toString());
        HttpIo.json(ex, 200, o);
    }

    private boolean hasProjector(Entry e) {
        for (LocalModel m : switchboard.localModels()) if (m.file().equals(e.file())) return m.projector() != null;
        for (Preset p : switchboard.presets())
            if (p.name().equals(e.name()))
                return p.args().contains("--mmproj") || p.args().contains("-mm");
        return false;
    }

    // ---- answering ----------------------------------------------------------------------------------------

    enum Kind {
        CHAT,
        GENERATE
    }

    /** The request admitted to the model it names; null when an error has been sent. */
    private Pass admit(HttpExchange ex, String model) throws IOException {
        try {
            try {
                return switchboard.admit(model, Origin.REQUEST);
            } catch (PaddockException e) {
                // Ollama's clients add :latest to a bare name
                if (model == null || !model.endsWith(":latest") || !Proxy.unknown(e.code())) throw e;
                return switchboard.admit(model.substring(0, model.length() - 7), Origin.REQUEST);
            }
        } catch (QueueFull e) {
            ex.getResponseHeaders().add("Retry-After", "2");
            error(ex, 503, "the gateway's queue is full; try again shortly");
        } catch (PaddockException e) {
            if (Proxy.unknown(e.code())) error(ex, 404, "model \"" + model + "\" not found: " + e.getMessage());
            else error(ex, 500, e.codedMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** A model request's body, the model it names and its {@code keep_alive} (null when it has none). */
    private record Asked(JsonNode req, String model, Duration keepAlive) {}

    /** The request read and checked; null after answering 400 (no model, a keep_alive that is not one). */
    private Asked asked(HttpExchange ex) throws IOException {
        JsonNode req = body(ex);
        if (req == null) return null;
        String model = modelOf(req);
        if (model == null) {
            error(ex, 400, "model is required");
            return null;
        }
        try {
            return new Asked(req, model, OllamaWire.keepAlive(req.get("keep_alive")));
        } catch (IllegalArgumentException e) {
            error(ex, 400, e.getMessage());
            return null;
        }
    }

    /** {@code /api/chat} and {@code /api/generate}: streamed as NDJSON unless {@code "stream": false}. */
    private void answer(HttpExchange ex, Kind kind) throws IOException {
        long arrived = System.nanoTime();
        Asked asked = asked(ex);
        if (asked == null) return;
        JsonNode req = asked.req();
        String model = asked.model();
        Duration keepAlive = asked.keepAlive();
        boolean stream = !req.path("stream").isBoolean() || req.path("stream").asBoolean();
        Pass pass = admit(ex, model);
        if (pass == null) return;
        long loaded = System.nanoTime();
        try (pass) {
            if (keepAlive != null) pass.keepAlive(keepAlive);
            if (!(pass.server() instanceof ServerState.Running r)) {
                error(ex, 503, "no model is loaded");
                return;
            }
            boolean empty = kind == Kind.CHAT
                    ? req.path("messages").isEmpty()
                    : req.path("prompt").asText("").isEmpty()
                            && !req.path("images").isArray();
            if (empty) { // Ollama's way to load (or, with keep_alive 0, unload) a model
                ObjectNode done = start(model, kind);
                if (kind == Kind.CHAT)
                    done.putObject("message").put("role", "assistant").put("content", "");
                else done.put("response", "");
                done.put("done", true);
                done.put("done_reason", keepAlive != null && keepAlive.isZero() ? "unload" : "load");
                HttpIo.json(ex, 200, done);
                return;
            }
            boolean raw = kind == Kind.GENERATE && req.path("raw").asBoolean(false);
            ObjectNode upstreamBody = kind == Kind.CHAT
                    ? OllamaWire.chat(req, stream)
                    : raw ? OllamaWire.rawCompletion(req, stream) : OllamaWire.generate(req, stream);
            String route = raw ? "/completion" : "/v1/chat/completions";
            new OllamaAnswer(proxy, r, pass, ex, model, kind, raw, arrived, loaded - arrived)
                    .relay(route, upstreamBody, stream);
        }
    }

    /** The first fields of every answer object. */
    static ObjectNode start(String model, Kind kind) {
        return HttpIo.JSON
                .createObjectNode()
                .put("model", model)
                .put("created_at", Instant.now().toString());
    }

    /** {@code /api/embed} ({@code input}: text or texts) and the older {@code /api/embeddings} ({@code prompt}). */
    private void embed(HttpExchange ex, boolean older) throws IOException {
        long arrived = System.nanoTime();
        Asked asked = asked(ex);
        if (asked == null) return;
        JsonNode req = asked.req();
        String model = asked.model();
        Duration keepAlive = asked.keepAlive();
        Pass pass = admit(ex, model);
        if (pass == null) return;
        long loaded = System.nanoTime();
        try (pass) {
            if (keepAlive != null) pass.keepAlive(keepAlive);
            if (!(pass.server() instanceof ServerState.Running r)) {
                error(ex, 503, "no model is loaded");
                return;
            }
            ObjectNode up = HttpIo.JSON.createObjectNode();
            ArrayNode input = up.putArray("input");
            JsonNode given = older ? req.path("prompt") : req.path("input");
            if (given.isArray()) given.forEach(input::add);
            else input.add(given.asText(""));
            JsonNode answer = new OllamaAnswer(proxy, r, pass, ex, model, null, false, arrived, loaded - arrived)
                    .call("/v1/embeddings", up);
            if (answer == null) return;
            if (older) {
                ObjectNode o = HttpIo.JSON.createObjectNode();
                o.set("embedding", answer.path("data").path(0).path("embedding"));
                HttpIo.json(ex, 200, o);
                return;
            }
            ObjectNode o = HttpIo.JSON.createObjectNode().put("model", model);
            ArrayNode embeddings = o.putArray("embeddings");
            for (JsonNode d : answer.path("data")) embeddings.add(d.path("embedding"));
            o.put("total_duration", System.nanoTime() - arrived);
            o.put("load_duration", loaded - arrived);
            o.put(
                    "prompt_eval_count",
                    answer.path("usage").path("prompt_tokens").asLong());
            HttpIo.json(ex, 200, o);
        }
    }

    // ---- the library --------------------------------------------------------------------------------------

    /**
     * {@code POST /api/pull {"model"}}: Paddock's own resumable pull — an Ollama name ({@code llama3.2:1b}, or
     * {@code o:…}) from Ollama's registry, {@code hf.co/ORG/REPO[:QUANT]} or {@code h:…} from the hub — with
     * progress as NDJSON lines ({@code status}, {@code digest}, {@code total}, {@code completed}).
     */
    private void pull(HttpExchange ex) throws IOException {
        JsonNode req = body(ex);
        if (req == null) return;
        String name = modelOf(req);
        if (name == null) {
            error(ex, 400, "model is required");
            return;
        }
        boolean stream = !req.path("stream").isBoolean() || req.path("stream").asBoolean();
        Object ref;
        try {
            if (name.startsWith("h:")) ref = HubRef.parse(name.substring(2));
            else if (name.startsWith("hf.co/") || name.startsWith("huggingface.co/"))
                ref = HubRef.parse(name.substring(name.indexOf('/') + 1));
            else ref = OllamaRef.parse(name.startsWith("o:") ? name.substring(2) : name);
        } catch (IllegalArgumentException e) {
            error(ex, 400, "cannot pull '" + name + "': " + e.getMessage());
            return;
        }
        if (!stream) {
            try {
                fetch(ref);
            } catch (PaddockException e) {
                error(ex, Proxy.unknown(e.code()) ? 404 : 500, e.getMessage());
                return;
            }
            HttpIo.json(ex, 200, HttpIo.JSON.createObjectNode().put("status", "success"));
            return;
        }
        ex.getResponseHeaders().set("Content-Type", NDJSON);
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        Object lock = new Object();
        line(out, lock, HttpIo.JSON.createObjectNode().put("status", "pulling manifest"));
        Runnable unsubscribe = pulls.add((file, done, total) -> line(
                out,
                lock,
                HttpIo.JSON
                        .createObjectNode()
                        .put("status", "pulling " + file)
                        .put("digest", file)
                        .put("total", total)
                        .put("completed", done)));
        try {
            fetch(ref);
            unsubscribe.run();
            line(out, lock, HttpIo.JSON.createObjectNode().put("status", "verifying sha256 digest"));
            line(out, lock, HttpIo.JSON.createObjectNode().put("status", "writing manifest"));
            line(out, lock, HttpIo.JSON.createObjectNode().put("status", "success"));
        } catch (PaddockException e) {
            unsubscribe.run();
            line(out, lock, HttpIo.JSON.createObjectNode().put("error", e.getMessage()));
        }
    }

    private void fetch(Object ref) throws PaddockException {
        if (ref instanceof HubRef h) fetcher.fetch(h);
        else fetcher.fetch((OllamaRef) ref);
    }

    private static void line(OutputStream out, Object lock, ObjectNode o) {
        synchronized (lock) {
            try {
                out.write((o + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // the client left; the pull goes on (it is resumable, and another pull joins it)
            }
        }
    }

    /** {@code DELETE /api/delete {"model"}}: only what Paddock downloaded; another tool's files are refused. */
    private void delete(HttpExchange ex) throws IOException {
        JsonNode req = body(ex);
        if (req == null) return;
        String name = modelOf(req);
        if (name == null) {
            error(ex, 400, "model is required");
            return;
        }
        String bare = name.startsWith("o:") ? name.substring(2) : name;
        LocalModel found = null;
        for (LocalModel m : switchboard.localModels()) {
            String n = m.displayName();
            if (n.equals(name)
                    || n.equals("o:" + bare)
                    || n.equals("o:" + bare + ":latest")
                    || m.stem().equals(name)) found = m;
        }
        if (found == null) {
            error(ex, 404, "model '" + name + "' not found");
            return;
        }
        try {
            switchboard.removeDownloaded(found);
        } catch (PaddockException e) {
            error(ex, e.code() == dev.paddock.core.ErrorCode.SERVER_FAILED ? 409 : 403, e.getMessage());
            return;
        }
        ex.sendResponseHeaders(200, -1);
    }

    // ---- shared -------------------------------------------------------------------------------------------

    /** The request's JSON object; null when an error has been sent. */
    private JsonNode body(HttpExchange ex) throws IOException {
        byte[] b = HttpIo.readBody(ex, config.get().gateway().maxBody());
        if (b == null) {
            error(ex, 413, "request body over " + config.get().gateway().maxBody() + " bytes (gateway.max-body)");
            return null;
        }
        try {
            JsonNode n = HttpIo.JSON.readTree(b.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : b);
            if (n != null && n.isObject()) return n;
        } catch (IOException e) {
            // said below
        }
        error(ex, 400, "the body is not a JSON object");
        return null;
    }

    /** {@code model}, or the older {@code name}. */
    private static String modelOf(JsonNode req) {
        String m = req.path("model").asText(null);
        if (m == null || m.isBlank()) m = req.path("name").asText(null);
        return m == null || m.isBlank() ? null : m;
    }

    /** An error as Ollama sends one: {@code {"error": "…"}}. */
    static void error(HttpExchange ex, int status, String message) throws IOException {
        HttpIo.json(ex, status, HttpIo.JSON.createObjectNode().put("error", message));
    }

    private static void notAllowed(HttpExchange ex) throws IOException {
        error(
                ex,
                405,
                ex.getRequestMethod() + " is not allowed on "
                        + ex.getRequestURI().getPath());
    }
}
