package dev.paddock.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local Hugging Face Hub that behaves like the real one where Paddock depends on it: {@code /api/models/{repo}},
 * {@code /api/models/{repo}/tree/main} with {@code lfs.oid} and {@code lfs.size}, {@code /api/models?search=},
 * {@code /{repo}/resolve/main/{file}} answering 302 to another path that serves the bytes with an ETag and Range
 * (honouring If-Range). It can drop a connection part-way, throttle, change a file upstream, gate a repo.
 */
public final class FakeHub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Map<String, byte[]>> repos = new ConcurrentHashMap<>();
    private final Map<String, String> etags = new ConcurrentHashMap<>();
    private final Map<String, String> shaOverride = new ConcurrentHashMap<>();
    private final Map<String, String> shas = new ConcurrentHashMap<>();
    private final Set<String> gated = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong dropAfter = new AtomicLong(-1);
    private final AtomicLong stallAfter = new AtomicLong(-1);
    private final AtomicLong etagSeq = new AtomicLong();
    private volatile long bytesPerSecond = -1;
    private volatile int piece = 16 * 1024;
    private volatile String token;

    public FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-hub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}, for HF_ENDPOINT. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeHub file(String repo, String name, byte[] content) {
        repos.computeIfAbsent(repo, k -> new ConcurrentHashMap<>()).put(name, content);
        etags.put(repo + "/" + name, "\"e" + etagSeq.incrementAndGet() + "\"");
        shas.put(repo + "/" + name, sha256(content));
        return this;
    }

    /** Replaces a file upstream: new bytes, new ETag. */
    public void change(String repo, String name, byte[] content) {
        file(repo, name, content);
    }

    /** The tree lists this SHA-256 instead of the true one. */
    public void lieAboutSha(String repo, String name, String sha) {
        shaOverride.put(repo + "/" + name, sha);
    }

    public void gate(String repo, String acceptedToken) {
        gated.add(repo);
        token = acceptedToken;
    }

    /** The next file response closes the connection after this many bytes of body. */
    public void dropNextAfter(long bytes) {
        dropAfter.set(bytes);
    }

    /** The next file response sends this many bytes of body, then nothing for 30 s with the connection open. */
    public void stallNextAfter(long bytes) {
        stallAfter.set(bytes);
    }

    /** Writes file bodies in pieces of this many bytes (default 16 KiB), each its own write to the socket. */
    public void writeInPiecesOf(int bytes) {
        piece = bytes;
    }

    /** Serves file bytes at about this rate (-1: as fast as it can). */
    public void throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Every request as {@code METHOD PATH [Range: …] [If-Range: …]}. */
    public List<String> requests() {
        return requests;
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        String ifRange = ex.getRequestHeaders().getFirst("If-Range");
        requests.add(ex.getRequestMethod() + " " + path + (range == null ? "" : " Range: " + range)
                + (ifRange == null ? "" : " If-Range: " + ifRange));
        try {
            if (path.equals("/api/models")) {
                search(ex);
            } else if (path.startsWith("/api/models/") && path.endsWith("/tree/main")) {
                String repo = path.substring("/api/models/".length(), path.length() - "/tree/main".length());
                if (!allowed(ex, repo)) return;
                tree(ex, repo);
            } else if (path.startsWith("/cdn/")) {
                serveFile(ex, path.substring("/cdn/".length()));
            } else if (path.contains("/resolve/main/")) {
                String repo = path.substring(1, path.indexOf("/resolve/main/"));
                if (!allowed(ex, repo)) return;
                ex.getResponseHeaders()
                        .add("Location", "/cdn/" + repo + "/" + path.substring(path.indexOf("/resolve/main/") + 14));
                ex.sendResponseHeaders(302, -1);
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        } finally {
            ex.close();
        }
    }

    private boolean allowed(HttpExchange ex, String repo) throws IOException {
        if (!repos.containsKey(repo)) {
            ex.sendResponseHeaders(404, -1);
            return false;
        }
        if (gated.contains(repo)
                && !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.sendResponseHeaders(401, -1);
            return false;
        }
        return true;
    }

    private void tree(HttpExchange ex, String repo) throws IOException {
        ArrayNode a = JSON.createArrayNode();
        a.addObject()
                .put("type", "file")
                .put("path", "README.md")
                .put("size", 10)
                .put("oid", "abc");
        repos.get(repo).forEach((name, bytes) -> {
            var o = a.addObject().put("type", "file").put("path", name).put("size", 134);
            o.putObject("lfs")
                    .put("oid", shaOverride.getOrDefault(repo + "/" + name, shas.get(repo + "/" + name)))
                    .put("size", bytes.length);
        });
        json(ex, a.toString());
    }

    private void search(HttpExchange ex) throws IOException {
        String q = ex.getRequestURI().getQuery();
        String term = q == null ? "" : q.replaceAll(".*search=([^&]*).*", "$1").toLowerCase(java.util.Locale.ROOT);
        ArrayNode a = JSON.createArrayNode();
        repos.keySet().stream()
                .filter(r -> r.toLowerCase(java.util.Locale.ROOT).contains(term))
                .sorted()
                .forEach(r -> a.addObject()
                        .put("id", r)
                        .put("downloads", 1000)
                        .put("lastModified", "2026-11-01T00:00:00.000Z"));
        json(ex, a.toString());
    }

    private void json(HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
    }

    private void serveFile(HttpExchange ex, String key) throws IOException {
        int slash = key.lastIndexOf('/');
        Map<String, byte[]> files = repos.get(key.substring(0, slash));
        byte[] content = files == null ? null : files.get(key.substring(slash + 1));
        if (content == null) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        RangeBody.serve(
                ex, content, etags.get(key), dropAfter.getAndSet(-1), stallAfter.getAndSet(-1), bytesPerSecond, piece);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
