package dev.paddock.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.paddock.config.Config;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.supervisor.LaunchPlanner;
import dev.paddock.supervisor.ServerState;
import dev.paddock.switchboard.Origin;
import dev.paddock.switchboard.Pass;
import dev.paddock.switchboard.QueueFull;
import dev.paddock.switchboard.Status;
import dev.paddock.switchboard.Switchboard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a request to llama-server: the switchboard admits it (switching first when it names another model), and
 * the answer, streamed or not, is copied through as it arrives. A request cut by a forced switch ends with an error
 * that says who switched.
 */
final class Proxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Proxy.class);
    /** How long llama-server may send nothing on a request before the gateway gives up on it. */
    static final Duration UPSTREAM_SILENCE = Duration.ofMinutes(30);

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length", "host");
    /** The client's keys were for the gateway; llama-server gets its own, when its preset sets one. */
    private static final Set<String> NOT_FORWARDED = Set.of("expect", "accept-encoding", "authorization", "x-api-key");

    private final Switchboard switchboard;
    private final Supplier<Config> config;
    private final Metrics metrics;
    private final SilenceWatch silence = new SilenceWatch(UPSTREAM_SILENCE);
    private okhttp3.OkHttpClient upstream; // made at the first forwarded request (see upstream())

    Proxy(Switchboard switchboard, Supplier<Config> config, Metrics metrics) {
        this.switchboard = switchboard;
        this.config = config;
        this.metrics = metrics;
    }

    /** Picks the server (switching if it must, between requests), then copies the exchange through. */
    void forward(HttpExchange ex) throws IOException {
        long arrived = System.nanoTime();
        byte[] body = HttpIo.readBody(ex, config.get().gateway().maxBody());
        if (body == null) {
            HttpIo.error(
                    ex,
                    413,
                    "request body over " + config.get().gateway().maxBody() + " bytes (gateway.max-body)",
                    "invalid_request_error");
            return;
        }
        String model = HttpIo.modelOf(body);
        Pass pass;
        try {
            pass = switchboard.admit(model, Origin.REQUEST);
        } catch (QueueFull e) {
            metrics.rejected();
            ex.getResponseHeaders().add("Retry-After", "2");
            HttpIo.error(ex, 503, "the gateway's queue is full; try again shortly", "overloaded_error");
            return;
        } catch (PaddockException e) {
            if (model != null && unknown(e.code())) HttpIo.error(ex, 404, e.getMessage(), "not_found_error");
            else HttpIo.error(ex, 503, e.codedMessage(), "server_error");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try (pass) {
            if (!(pass.server() instanceof ServerState.Running r)) {
                HttpIo.error(
                        ex, 503, "no model is loaded; name one in \"model\" or set default-preset", "server_error");
                return;
            }
            int status = proxy(ex, r.endpoint(), body, upstreamKey(r), pass);
            metrics.request(
                    r.spec().presetName(),
                    ex.getRequestURI().getPath(),
                    status,
                    Duration.ofNanos(System.nanoTime() - arrived));
        }
    }

    /** The codes that mean "no such model" rather than "it would not load". */
    static boolean unknown(ErrorCode code) {
        return code == ErrorCode.PRESET_NOT_FOUND
                || code == ErrorCode.MODEL_NOT_FOUND
                || code == ErrorCode.INVALID_IDENTIFIER;
    }

    /** The API key the running preset gives llama-server, if any (its first): the gateway sends it upstream. */
    static String upstreamKey(ServerState.Running r) {
        String keys = r.spec().env().get(LaunchPlanner.API_KEY_ENV);
        if (keys == null || keys.isBlank()) return null;
        return keys.split(",")[0].trim();
    }

    /** Copies the exchange to llama-server and its answer back; returns the status the client was sent. */
    private int proxy(HttpExchange ex, URI endpoint, byte[] body, String upstreamKey, Pass pass) throws IOException {
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
            String lower = k.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !NOT_FORWARDED.contains(lower)) {
                for (String v : vs) b.addHeader(k, v);
            }
        });
        if (upstreamKey != null) b.header("Authorization", "Bearer " + upstreamKey);
        okhttp3.Call call = upstream().newCall(b.build());
        pass.onCut(call::cancel);
        try (SilenceWatch.Watched heard = silence.watch(call)) {
            return relay(ex, call, heard, pass);
        }
    }

    private int relay(HttpExchange ex, okhttp3.Call call, SilenceWatch.Watched heard, Pass pass) throws IOException {
        okhttp3.Response r;
        try {
            r = call.execute();
        } catch (IOException e) {
            if (pass.cutReason() != null) {
                HttpIo.error(ex, 503, pass.cutReason(), "server_error");
                return 503;
            }
            HttpIo.error(
                    ex,
                    502,
                    "llama-server did not answer: " + (heard.silenced() ? silent() : e.getMessage()),
                    "server_error");
            return 502;
        }
        try (r) {
            for (String name : r.headers().names()) {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
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
                String why = pass.cutReason() != null
                        ? pass.cutReason()
                        : heard.silenced() ? silent() : "llama-server stopped mid-response";
                try {
                    ObjectNode e = HttpIo.JSON.createObjectNode();
                    e.putObject("error")
                            .put("message", why)
                            .put("type", "server_error")
                            .put("code", pass.cutReason() != null ? "switched" : "upstream_failed");
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

    /** llama-server's own {@code /metrics} when the running preset enables them, else a comment saying why not. */
    String serverMetrics(ServerState.Running r) {
        String key = upstreamKey(r);
        okhttp3.Request.Builder b = new okhttp3.Request.Builder().url(r.endpoint() + "/metrics");
        if (key != null) b.header("Authorization", "Bearer " + key);
        okhttp3.Call call = upstream().newCall(b.build());
        call.timeout().timeout(10, java.util.concurrent.TimeUnit.SECONDS);
        try (okhttp3.Response up = call.execute()) {
            return up.isSuccessful() ? up.body().string() : "";
        } catch (IOException e) {
            return "# llama-server's metrics: " + e.getMessage() + "\n";
        }
    }

    /** The client to llama-server (shared with the Ollama routes). */
    okhttp3.OkHttpClient client() {
        return upstream();
    }

    /** The client to llama-server, made at the first request so that a gateway nobody uses costs no start-up. */
    private synchronized okhttp3.OkHttpClient upstream() {
        if (upstream == null) {
            okhttp3.Dispatcher d = new okhttp3.Dispatcher();
            d.setMaxRequests(512);
            d.setMaxRequestsPerHost(512);
            upstream = new okhttp3.OkHttpClient.Builder()
                    .connectTimeout(Duration.ofSeconds(10))
                    // no read timeout (it costs a timer per read): a silent server is the SilenceWatch's
                    .readTimeout(Duration.ZERO)
                    .socketFactory(new ChannelSocketFactory())
                    .retryOnConnectionFailure(true) // a pooled connection llama-server closed while idle is retried
                    .followRedirects(false)
                    // addresses on this machine, where a refused connect fails at once: no racing of connects on
                    // threads of their own (OkHttp's default), which cost the first request to each new server, after
                    // every switch, a hop between threads
                    .fastFallback(false)
                    .connectionPool(new okhttp3.ConnectionPool(64, 5, java.util.concurrent.TimeUnit.MINUTES))
                    .dispatcher(d)
                    .build();
        }
        return upstream;
    }

    /** Closes the idle connections to llama-server (one that is about to stop exits sooner without them). */
    synchronized void closeIdle() {
        if (upstream != null) upstream.connectionPool().evictAll();
    }

    /** Connections to a server that stops are dead, whoever stopped it: the next request opens a new one. */
    synchronized void evictIfStopped(Status from, Status to) {
        if (from.server() instanceof ServerState.Running
                && !(to.server() instanceof ServerState.Running)
                && upstream != null) upstream.connectionPool().evictAll();
    }

    private static boolean permitsBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    @Override
    public void close() {
        silence.close();
        synchronized (this) {
            if (upstream != null) {
                upstream.dispatcher().executorService().shutdownNow();
                upstream.connectionPool().evictAll();
            }
        }
    }
}
