package dev.paddock.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.paddock.config.Config;
import dev.paddock.supervisor.ServerState;
import dev.paddock.switchboard.Status;
import dev.paddock.switchboard.StatusListener;
import dev.paddock.switchboard.Switchboard;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible gateway on {@code gateway.host:gateway.port}: checks the client's key, then routes —
 * Paddock's own routes to {@link ControlApi}, {@code /metrics} to {@link Metrics}, Ollama's {@code /api/…} to
 * {@link OllamaApi}, everything else through {@link Proxy} to the running llama-server (the switchboard switching
 * first to the model a request names). With {@code gateway.ollama-port} set, a second listener serves the same
 * routes there, for tools that can only talk to Ollama's address.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final HttpServer server;
    private final Switchboard switchboard;
    private final Supplier<Config> config;
    private final ExecutorService threads;
    private final Metrics metrics = new Metrics();
    private final Proxy proxy;
    private final ControlApi control;
    private final OllamaApi ollama;
    private HttpServer ollamaServer; // the second listener, or null
    private final StatusListener listener;
    /** Accepted like a configured key: what this user's own commands send (from {@link #localAccess}). */
    private final byte[] localKey = localKey();

    private java.nio.file.Path localAccess; // written at start, removed at close

    private Gateway(
            HttpServer server,
            Switchboard switchboard,
            Supplier<Config> config,
            PullEvents pulls,
            dev.paddock.model.ModelFetcher fetcher) {
        this.server = server;
        this.switchboard = switchboard;
        this.config = config;
        this.proxy = new Proxy(switchboard, config, metrics);
        long started = Instant.now().getEpochSecond();
        this.control = new ControlApi(switchboard, pulls, () -> started);
        this.ollama = new OllamaApi(switchboard, config, proxy, pulls, fetcher);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "paddock-gateway");
            t.setDaemon(true);
            return t;
        });
        this.listener = (from, to) -> {
            proxy.evictIfStopped(from, to);
            metrics.onStatus(from, to);
        };
        switchboard.addListener(listener);
        switchboard.onSwitched(metrics::switched);
        switchboard.beforeStopping(spec -> proxy.closeIdle());
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /**
     * Starts the gateway; null when {@code gateway.port} is 0. Its address is the configuration's at start; keys,
     * body limit and queue are read from {@code config} at every request.
     *
     * @param fetcher what pulls a model ({@code /api/pull})
     * @param localAccess where to write the gateway's address and a key for this user's own commands, or null
     * @throws IllegalArgumentException for a non-loopback host without {@code gateway.api-keys}
     */
    public static Gateway start(
            Supplier<Config> config,
            Switchboard switchboard,
            PullEvents pulls,
            dev.paddock.model.ModelFetcher fetcher,
            java.nio.file.Path localAccess)
            throws IOException {
        Config.Gateway g = config.get().gateway();
        if (g.port() == 0) return null;
        InetAddress address = InetAddress.getByName(g.host());
        if (!address.isLoopbackAddress() && g.apiKeys().isEmpty()) {
            throw new IllegalArgumentException("gateway.host " + g.host()
                    + " is reachable from other machines: set gateway.api-keys in config.yaml, or use 127.0.0.1");
        }
        // small writes go out at once (a streamed token must not wait 40 ms for a delayed ACK)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer s = HttpServer.create(new InetSocketAddress(address, g.port()), 256);
        Gateway gateway = new Gateway(s, switchboard, config, pulls, fetcher);
        if (g.ollamaPort() != 0) {
            try {
                HttpServer o = HttpServer.create(new InetSocketAddress(address, g.ollamaPort()), 256);
                o.setExecutor(gateway.threads);
                o.createContext("/", gateway::handle);
                o.start();
                gateway.ollamaServer = o;
            } catch (IOException e) {
                gateway.close();
                throw new IOException("gateway.ollama-port " + g.ollamaPort() + ": " + e.getMessage(), e);
            }
        }
        s.start();
        if (localAccess != null) gateway.publish(localAccess, address);
        return gateway;
    }

    /**
     * Writes where this user's own commands reach the gateway, and the key they send: owner-only, like the home it
     * is in, so it lets in no one who could not read config.yaml's keys already.
     */
    private void publish(java.nio.file.Path file, InetAddress address) throws IOException {
        String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        String text = "http://" + host + ":" + port() + "\n" + new String(localKey, StandardCharsets.US_ASCII) + "\n";
        dev.paddock.config.AtomicFile.write(file, text.getBytes(StandardCharsets.US_ASCII));
        dev.paddock.config.AtomicFile.OwnerOnly.restrictFile(file);
        localAccess = file;
    }

    private static byte[] localKey() {
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        return ("pk-local-" + java.util.HexFormat.of().formatHex(random)).getBytes(StandardCharsets.US_ASCII);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (!path.equals("/health") && !authorized(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                HttpIo.error(
                        ex,
                        401,
                        "this gateway wants an API key: Authorization: Bearer KEY, or x-api-key: KEY",
                        "authentication_error");
                return;
            }
            if (path.equals("/health")) {
                HttpIo.json(ex, 200, HttpIo.JSON.createObjectNode().put("status", "ok"));
            } else if (path.equals("/v1/models") && method.equals("GET")) {
                control.models(ex);
            } else if (path.equals("/paddock/status")) {
                control.status(ex);
            } else if (path.equals("/paddock/load") && method.equals("POST")) {
                control.control(ex, true, config.get().gateway().maxBody());
            } else if (path.equals("/paddock/unload") && method.equals("POST")) {
                control.control(ex, false, config.get().gateway().maxBody());
            } else if (path.equals("/paddock/events")) {
                control.events(ex);
            } else if (path.equals("/metrics") && method.equals("GET")) {
                metrics(ex);
            } else if (OllamaApi.serves(path)) {
                ollama.handle(ex);
            } else if (path.equals("/") && ex.getLocalAddress().getPort() != port()) {
                ollamaRoot(ex); // the second listener answers as Ollama does at its root
            } else {
                proxy.forward(ex);
            }
        } catch (RuntimeException e) {
            log.warn("gateway: {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
            HttpIo.error(ex, 500, "gateway error: " + e.getMessage(), "server_error");
        } finally {
            ex.close();
        }
    }

    /** What Ollama answers at {@code /}: some tools check it before anything else. */
    private static void ollamaRoot(HttpExchange ex) throws IOException {
        byte[] b = "Ollama is running".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : b.length);
        if (!ex.getRequestMethod().equals("HEAD")) ex.getResponseBody().write(b);
    }

    /**
     * True without keys configured; else the request must carry one of them, as {@code Authorization: Bearer KEY}
     * (OpenAI's clients) or {@code x-api-key: KEY} (Anthropic's), compared in constant time.
     */
    private boolean authorized(HttpExchange ex) {
        List<String> keys = config.get().gateway().apiKeys();
        if (keys.isEmpty()) return true;
        String h = ex.getRequestHeaders().getFirst("Authorization");
        String given = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
                ? h.substring(7).trim()
                : ex.getRequestHeaders().getFirst("x-api-key");
        if (given == null) return false;
        byte[] g = given.trim().getBytes(StandardCharsets.UTF_8);
        boolean ok = java.security.MessageDigest.isEqual(g, localKey);
        for (String k : keys) ok |= java.security.MessageDigest.isEqual(g, k.getBytes(StandardCharsets.UTF_8));
        return ok;
    }

    /**
     * {@code GET /metrics}: Paddock's own figures in Prometheus text, then llama-server's own when the running
     * preset enables them ({@code --metrics} in its args).
     */
    private void metrics(HttpExchange ex) throws IOException {
        Status s = switchboard.status();
        StringBuilder text = new StringBuilder(metrics.render(s.server(), s.queued(), s.inFlight()));
        if (s.server() instanceof ServerState.Running r && r.spec().command().contains("--metrics"))
            text.append(proxy.serverMetrics(r));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        if (localAccess != null) {
            try {
                java.nio.file.Files.deleteIfExists(localAccess);
            } catch (IOException e) {
                log.warn("cannot remove {}: {}", localAccess, e.getMessage());
            }
        }
        switchboard.removeListener(listener);
        if (ollamaServer != null) ollamaServer.stop(0);
        server.stop(0);
        proxy.close();
        threads.shutdownNow();
    }
}
