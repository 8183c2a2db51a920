package dev.paddock.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.paddock.config.Config;
import dev.paddock.core.PaddockException;
import dev.paddock.preset.Preset;
import dev.paddock.supervisor.ModelSwitcher;
import dev.paddock.supervisor.ServerState;
import dev.paddock.supervisor.StateView;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible gateway on {@code gateway.host:gateway.port}: forwards llama-server's API to the running
 * server, switching first to the preset a request names in {@code model} (name or alias). A switch never happens
 * in the middle of a request: it waits for the requests in flight, and the requests that arrive meanwhile queue
 * behind it ({@link SwitchGate}). Responses, streamed ones included, are copied through as they arrive.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long llama-server may send nothing on a request before the gateway gives up on it. */
    static final Duration UPSTREAM_SILENCE = Duration.ofMinutes(30);

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length", "host");

    private final HttpServer server;
    private final ModelSwitcher switcher;
    private final Config config;
    private final SwitchGate gate;
    private okhttp3.OkHttpClient upstream; // made at the first forwarded request (see upstream())
    private final ExecutorService threads;
    private final PullEvents pulls;
    private final IdleUnload idle;
    private final Metrics metrics = new Metrics();
    private final SilenceWatch silence = new SilenceWatch(UPSTREAM_SILENCE);
    private final dev.paddock.supervisor.StateListener evictOnStop = this::evictIfStopped;

    private Gateway(HttpServer server, ModelSwitcher switcher, Config config, int queueBound, PullEvents pulls) {
        this.server = server;
        this.pulls = pulls;
        this.switcher = switcher;
        this.config = config;
        this.gate = new SwitchGate(queueBound);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "paddock-gateway");
            t.setDaemon(true);
            return t;
        });
        this.idle = new IdleUnload(switcher, stillIdle -> gate.enter(stillIdle, switcher::unload));
        // connections to a server that stops are dead, whoever stopped it (the gateway, the CLI, JMX, the tray)
        switcher.supervisor().addListener(evictOnStop);
        switcher.supervisor().addListener(metrics);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /**
     * Starts the gateway; null when {@code gateway.port} is 0.
     *
     * @throws IllegalArgumentException for a non-loopback host without {@code gateway.api-keys}
     */
    public static Gateway start(Config config, ModelSwitcher switcher, PullEvents pulls) throws IOException {
        if (config.gateway().port() == 0) return null;
        InetAddress address = InetAddress.getByName(config.gateway().host());
        if (!address.isLoopbackAddress() && config.gateway().apiKeys().isEmpty()) {
            throw new IllegalArgumentException(
                    "gateway.host " + config.gateway().host()
                            + " is reachable from other machines: set gateway.api-keys in config.yaml, or use 127.0.0.1");
        } // small writes go out at once (a streamed token must not wait 40 ms for a delayed ACK)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer s = HttpServer.create(
                new InetSocketAddress(address, config.gateway().port()), 256);
        Gateway g = new Gateway(s, switcher, config, config.gateway().queue(), pulls);
        s.start();
        return g;
    }

    /** When the running preset will be unloaded for want of requests (its {@code ttl}); null when not planned. */
    public java.time.Instant idleUnloadAt() {
        return idle.due();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            if (!path.equals("/health") && !authorized(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                error(ex, 401, "this gateway wants an API key: Authorization: Bearer KEY", "authentication_error");
                return;
            }
            if (path.equals("/health")) {
                json(ex, 200, JSON.createObjectNode().put("status", "ok"));
            } else if (path.equals("/v1/models") && ex.getRequestMethod().equals("GET")) {
                models(ex);
            } else if (path.equals("/paddock/status")) {
                status(ex);
            } else if (path.equals("/paddock/load") && ex.getRequestMethod().equals("POST")) {
                control(ex, true);
            } else if (path.equals("/paddock/unload") && ex.getRequestMethod().equals("POST")) {
                control(ex, false);
            } else if (path.equals("/paddock/events")) {
                events(ex);
            } else if (path.equals("/metrics") && ex.getRequestMethod().equals("GET")) {
                metrics(ex);
            } else {
                forward(ex);
            }
        } catch (RuntimeException e) {
            log.warn("gateway: {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
            error(ex, 500, "gateway error: " + e.getMessage(), "server_error");
        } finally {
            ex.close();
        }
    }

    /** True without keys configured; else the Bearer key must equal one of them (compared in constant time). */
    private boolean authorized(HttpExchange ex) {
        List<String> keys = config.gateway().apiKeys();
        if (keys.isEmpty()) return true;
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String k : keys) ok |= java.security.MessageDigest.isEqual(given, k.getBytes(StandardCharsets.UTF_8));
        return ok;
    }

    /** The API key the running preset gives llama-server, if any (its first): the gateway sends it upstream. */
    private static String upstreamKey(ServerState.Running r) {
        String keys = r.spec().env().get(dev.paddock.supervisor.LaunchPlanner.API_KEY_ENV);
        if (keys == null || keys.isBlank()) return null;
        return keys.split(",")[0].trim();
    }

    private void models(HttpExchange ex) throws IOException {
        ServerState s = switcher.supervisor().state();
        String running = s instanceof ServerState.Running r ? r.spec().presetName() : null;
        ObjectNode o = JSON.createObjectNode().put("object", "list");
        ArrayNode data = o.putArray("data");
        for (Preset p : switcher.presets()) {
            ObjectNode m = data.addObject()
                    .put("id", p.name())
                    .put("object", "model")
                    .put("owned_by", "paddock")
                    .put("loaded", p.name().equals(running));
            if (p.alias() != null) m.putArray("aliases").add(p.alias());
            if (p.description() != null) m.put("description", p.description());
            m.put("model", p.model());
        }
        json(ex, 200, o);
    }

    private void status(HttpExchange ex) throws IOException {
        json(ex, 200, statusNode(switcher.supervisor().state()));
    }

    /** Picks the preset, switches if it must (between requests), then copies the exchange through. */
    private void forward(HttpExchange ex) throws IOException {
        long arrived = System.nanoTime();
        byte[] body = readBody(ex);
        if (body == null) {
            error(
                    ex,
                    413,
                    "request body over " + config.gateway().maxBody() + " bytes (gateway.max-body)",
                    "invalid_request_error");
            return;
        }
        String wanted = modelOf(body);
        Optional<Preset> preset;
        if (wanted != null) {
            preset = switcher.presets().stream()
                    .filter(p -> p.name().equals(wanted) || wanted.equals(p.alias()))
                    .findFirst();
            if (preset.isEmpty()) {
                error(
                        ex,
                        404,
                        "no model '" + wanted + "'; known: " + String.join(", ", switcher.presetNames()),
                        "not_found_error");
                return;
            }
        } else {
            preset = Optional.empty();
        }
        SwitchGate.Pass pass;
        try {
            pass = gate.enter(() -> needs(preset), () -> switchTo(preset));
        } catch (SwitchGate.Full e) {
            metrics.rejected();
            ex.getResponseHeaders().add("Retry-After", "2");
            error(ex, 503, "the gateway's queue is full; try again shortly", "overloaded_error");
            return;
        } catch (PaddockException e) {
            error(ex, 503, e.codedMessage(), "server_error");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try (pass) {
            ServerState s = switcher.supervisor().state();
            if (!(s instanceof ServerState.Running r)) {
                error(ex, 503, "no model is loaded; name one in \"model\" or set default-preset", "server_error");
                return;
            }
            int status = proxy(ex, r.endpoint(), body, upstreamKey(r));
            metrics.request(
                    r.spec().presetName(),
                    ex.getRequestURI().getPath(),
                    status,
                    Duration.ofNanos(System.nanoTime() - arrived));
        } finally {
            idle.requestFinished();
        }
    }

    /**
     * {@code POST /paddock/load {"model": ID}} and {@code POST /paddock/unload}: like the CLI's, through the gate
     * (after the requests in flight). Answers as {@code load --json} does, errors as the CLI's error JSON.
     */
    private void control(HttpExchange ex, boolean load) throws IOException {
        byte[] body = readBody(ex);
        String id = body == null ? null : modelOf(body);
        if (load && id == null) {
            cliError(ex, 400, "invalid_identifier", "say what to load: {\"model\": \"NAME\"}");
            return;
        }
        try {
            gate.enter(() -> true, () -> {
                        if (load) switcher.load(id.contains(":") ? id : "p:" + id);
                        else switcher.unload();
                    })
                    .close(); // nothing to serve after the switch itself
            ObjectNode o = JSON.createObjectNode().put("status", "ok");
            StateView v = StateView.of(switcher.supervisor().state());
            o.put("state", v.state()).put("preset", v.preset()).put("endpoint", v.endpoint());
            json(ex, 200, o);
        } catch (PaddockException e) {
            cliError(
                    ex,
                    e.code() == dev.paddock.core.ErrorCode.PRESET_NOT_FOUND ? 404 : 422,
                    e.code().wireName(),
                    e.getMessage());
        } catch (SwitchGate.Full e) {
            ex.getResponseHeaders().add("Retry-After", "2");
            cliError(ex, 503, "server_failed", "the gateway's queue is full; try again shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code GET /paddock/events}: server-sent events, {@code event: state} with the status object at once and at
     * every transition, {@code event: pull} with {file, done, total} while a model downloads. Until the client goes.
     */
    private void events(HttpExchange ex) throws IOException {
        java.util.concurrent.BlockingQueue<String> queue = new java.util.concurrent.LinkedBlockingQueue<>(1024);
        dev.paddock.supervisor.StateListener listener = (from, to) -> queue.offer(event("state", statusNode(to)));
        Runnable unsubscribePull = pulls.add((file, done, total) -> queue.offer(event(
                "pull",
                JSON.createObjectNode().put("file", file).put("done", done).put("total", total))));
        switcher.supervisor().addListener(listener);
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            String next = event("state", statusNode(switcher.supervisor().state()));
            while (true) {
                out.write(next.getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    next = queue.poll(15, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (next == null) next = ": keep-alive\n\n"; // a comment; also how a departed client is noticed
            }
        } catch (IOException clientGone) {
            // the client closed the stream
        } finally {
            switcher.supervisor().removeListener(listener);
            unsubscribePull.run();
        }
    }

    private static String event(String name, JsonNode data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static ObjectNode statusNode(ServerState s) {
        StateView v = StateView.of(s);
        ObjectNode o = JSON.createObjectNode()
                .put("state", v.state())
                .put("preset", v.preset())
                .put("model", v.model())
                .put("endpoint", v.endpoint());
        if (v.pid() < 0) o.putNull("pid");
        else o.put("pid", v.pid());
        return o.put("since", v.since()).put("error", v.error());
    }

    private static void cliError(HttpExchange ex, int status, String code, String message) throws IOException {
        json(
                ex,
                status,
                JSON.createObjectNode()
                        .put("status", "error")
                        .put("error", message)
                        .put("error_code", code));
    }

    /** Whether the request needs a switch before it can run. */
    private boolean needs(Optional<Preset> preset) {
        ServerState s = switcher.supervisor().state();
        if (preset.isEmpty()) return !(s instanceof ServerState.Running) && config.defaultPreset() != null;
        return !(s instanceof ServerState.Running r
                && r.spec().presetName().equals(preset.get().name()));
    }

    private void switchTo(Optional<Preset> preset) throws PaddockException {
        String name = preset.map(Preset::name).orElse(config.defaultPreset());
        log.info("gateway: switching to '{}'", name);
        long t0 = System.nanoTime();
        switcher.load("p:" + name);
        metrics.switched(name, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Copies the exchange to llama-server and its answer back; returns the status the client was sent. */
    private int proxy(HttpExchange ex, URI endpoint, byte[] body, String upstreamKey) throws IOException {
        String target = endpoint
                + ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + ex.getRequestURI().getRawQuery());
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        okhttp3.RequestBody requestBody = body.length == 0 && !permitsBody(ex.getRequestMethod())
                ? null
                : okhttp3.RequestBody.create(body, contentType == null ? null : okhttp3.MediaType.parse(contentType));
        okhttp3.Request.Builder b =
                new okhttp3.Request.Builder().url(target).method(ex.getRequestMethod(), requestBody);
        ex.getRequestHeaders().forEach((k, vs) -> {
            String lower = k.toLowerCase(java.util.Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower)
                    && !lower.equals("expect")
                    && !lower.equals("accept-encoding")
                    && !lower.equals("authorization")) {
                for (String v : vs) b.addHeader(k, v);
            }
        });
        // the client's key was for the gateway; llama-server gets its own, when its preset sets one
        if (upstreamKey != null) b.header("Authorization", "Bearer " + upstreamKey);
        okhttp3.Call call = upstream().newCall(b.build());
        try (SilenceWatch.Watched heard = silence.watch(call)) {
            return relay(ex, call, heard);
        }
    }

    private int relay(HttpExchange ex, okhttp3.Call call, SilenceWatch.Watched heard) throws IOException {
        okhttp3.Response r;
        try {
            r = call.execute();
        } catch (IOException e) {
            error(
                    ex,
                    502,
                    "llama-server did not answer: " + (heard.silenced() ? silent() : e.getMessage()),
                    "server_error");
            return 502;
        }
        try (r) {
            for (String name : r.headers().names()) {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    ex.getResponseHeaders().put(name, r.headers(name));
                }
            }
            long length = r.body().contentLength();
            // a sized answer goes out sized (one write); anything else chunked, each piece as it arrives
            ex.sendResponseHeaders(r.code(), length > 0 ? length : length == 0 ? -1 : 0);
            OutputStream out = ex.getResponseBody();
            InputStream in = r.body().byteStream();
            byte[] buf = new byte[16 * 1024];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    heard.heard();
                    try {
                        out.write(buf, 0, n);
                        out.flush();
                    } catch (IOException clientGone) {
                        call.cancel(); // the client left: so does the request upstream
                        log.debug("gateway: the client left {}: request cancelled upstream", ex.getRequestURI());
                        return 499; // as nginx logs it: the client closed the request
                    }
                }
            } catch (IOException upstreamDied) {
                try {
                    ObjectNode e = JSON.createObjectNode();
                    e.putObject("error")
                            .put("message", heard.silenced() ? silent() : "llama-server stopped mid-response")
                            .put("type", "server_error");
                    out.write(("data: " + e + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException ignored) {
                    // the client is gone too
                }
                return 502;
            }
            return r.code();
        }
    }

    private static String silent() {
        return "llama-server sent nothing for " + UPSTREAM_SILENCE.toMinutes() + " minutes; the request was cancelled";
    }

    /**
     * {@code GET /metrics}: Paddock's own figures in Prometheus text, then llama-server's own when the running
     * preset enables them ({@code --metrics} in its args).
     */
    private void metrics(HttpExchange ex) throws IOException {
        ServerState s = switcher.supervisor().state();
        StringBuilder text = new StringBuilder(metrics.render(s, gate.queued(), gate.inFlight()));
        if (s instanceof ServerState.Running r && r.spec().command().contains("--metrics")) {
            String key = upstreamKey(r);
            okhttp3.Request.Builder b = new okhttp3.Request.Builder().url(r.endpoint() + "/metrics");
            if (key != null) b.header("Authorization", "Bearer " + key);
            okhttp3.Call call = upstream().newCall(b.build());
            call.timeout().timeout(10, java.util.concurrent.TimeUnit.SECONDS);
            try (okhttp3.Response up = call.execute()) {
                if (up.isSuccessful()) text.append(up.body().string());
            } catch (IOException e) {
                text.append("# llama-server's metrics: ").append(e.getMessage()).append('\n');
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** The client to llama-server, made at the first request so that a gateway nobody uses costs no start-up. */
    private synchronized okhttp3.OkHttpClient upstream() {
        if (upstream == null) {
            upstream = new okhttp3.OkHttpClient.Builder()
                    .connectTimeout(Duration.ofSeconds(10))
                    // no read timeout (it costs a timer per read): a silent server is the SilenceWatch's
                    .readTimeout(Duration.ZERO)
                    .socketFactory(new ChannelSocketFactory())
                    .retryOnConnectionFailure(true) // a pooled connection llama-server closed while idle is retried
                    .followRedirects(false)
                    .connectionPool(new okhttp3.ConnectionPool(64, 5, java.util.concurrent.TimeUnit.MINUTES))
                    .dispatcher(dispatcher())
                    .build();
        }
        return upstream;
    }

    /** Connections to a server that stops are dead: the next request opens a new one. */
    private synchronized void evictIfStopped(ServerState from, ServerState to) {
        if (from instanceof ServerState.Running && upstream != null)
            upstream.connectionPool().evictAll();
    }

    private static boolean permitsBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /**
     * The body, or null when it is over {@code gateway.max-body} (read no further than one byte past it). The rest
     * of a refused body is left unread, so the answer closes the connection: it cannot carry another request.
     */
    private byte[] readBody(HttpExchange ex) throws IOException {
        byte[] body = readBounded(ex, config.gateway().maxBody());
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

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static void error(HttpExchange ex, int status, String message, String type) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("error").put("message", message).put("type", type).put("code", status);
        json(ex, status, o);
    }

    private static okhttp3.Dispatcher dispatcher() {
        okhttp3.Dispatcher d = new okhttp3.Dispatcher();
        d.setMaxRequests(512);
        d.setMaxRequestsPerHost(512);
        return d;
    }

    @Override
    public void close() {
        switcher.supervisor().removeListener(evictOnStop);
        switcher.supervisor().removeListener(metrics);
        idle.close();
        silence.close();
        server.stop(0);
        synchronized (this) {
            if (upstream != null) {
                upstream.dispatcher().executorService().shutdownNow();
                upstream.connectionPool().evictAll();
            }
        }
        threads.shutdownNow();
    }
}
