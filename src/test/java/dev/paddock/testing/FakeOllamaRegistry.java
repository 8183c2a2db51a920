package dev.paddock.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local Ollama registry that answers as registry.ollama.ai does: {@code GET /v2/NAMESPACE/NAME/manifests/TAG} with
 * a Docker v2 manifest (schemaVersion 2, a config blob, and layers typed {@code application/vnd.ollama.image.*}),
 * and {@code GET /v2/NAMESPACE/NAME/blobs/sha256:HEX} answering 307 to a storage URL that serves the bytes with
 * Range. It can drop a connection part-way, throttle, and serve bytes that do not match their digest.
 */
public final class FakeOllamaRegistry implements AutoCloseable {
    public static final String MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> manifests = new ConcurrentHashMap<>(); // "library/NAME:TAG" -> JSON
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>(); // hex -> bytes served
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong dropAfter = new AtomicLong(-1);
    private volatile long bytesPerSecond = -1;

    public FakeOllamaRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-ollama-registry");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}, for OLLAMA_REGISTRY. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Publishes {@code library/NAME:TAG} with these weights, a projector (or null), and the small layers every
     * Ollama model carries (template, license, params).
     */
    public FakeOllamaRegistry model(String name, String tag, byte[] weights, byte[] projector) {
        byte[] config = "{\"model_format\":\"gguf\",\"model_family\":\"llama\",\"file_type\":\"F32\"}"
                .getBytes(StandardCharsets.UTF_8);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MANIFEST_TYPE);
        m.set("config", layer("application/vnd.docker.container.image.v1+json", config));
        ArrayNode layers = m.putArray("layers");
        layers.add(layer("application/vnd.ollama.image.model", weights));
        if (projector != null) layers.add(layer("application/vnd.ollama.image.projector", projector));
        layers.add(layer("application/vnd.ollama.image.template", "{{ .Prompt }}".getBytes(StandardCharsets.UTF_8)));
        layers.add(layer("application/vnd.ollama.image.license", "LICENSE".getBytes(StandardCharsets.UTF_8)));
        layers.add(layer("application/vnd.ollama.image.params", "{\"stop\":[]}".getBytes(StandardCharsets.UTF_8)));
        manifests.put("library/" + name + ":" + tag, m.toString());
        return this;
    }

    /** The manifest as served, for a fixture of Ollama's own store. */
    public String manifest(String name, String tag) {
        return manifests.get("library/" + name + ":" + tag);
    }

    /** The bytes served for {@code sha256:HEX}. */
    public byte[] blob(String digest) {
        return blobs.get(digest.substring("sha256:".length()));
    }

    /** From now on the blob of {@code bytes} is served as these other bytes (its digest no longer matches). */
    public void corrupt(byte[] bytes, byte[] servedInstead) {
        blobs.put(FakeHub.sha256(bytes), servedInstead);
    }

    /** The next blob response closes the connection after this many bytes of body. */
    public void dropNextAfter(long bytes) {
        dropAfter.set(bytes);
    }

    public void throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Every request as {@code METHOD PATH [Accept: …] [Range: …]}. */
    public List<String> requests() {
        return requests;
    }

    private ObjectNode layer(String mediaType, byte[] bytes) {
        String hex = FakeHub.sha256(bytes);
        blobs.put(hex, bytes);
        ObjectNode l = JSON.createObjectNode();
        l.put("mediaType", mediaType);
        l.put("digest", "sha256:" + hex);
        l.put("size", bytes.length);
        return l;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String accept = ex.getRequestHeaders().getFirst("Accept");
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(ex.getRequestMethod() + " " + path + (accept == null ? "" : " Accept: " + accept)
                + (range == null ? "" : " Range: " + range));
        try {
            var manifest = java.util.regex.Pattern.compile("/v2/([^/]+/[^/]+)/manifests/([^/]+)")
                    .matcher(path);
            var blob = java.util.regex.Pattern.compile("/v2/[^/]+/[^/]+/blobs/sha256:([0-9a-f]{64})")
                    .matcher(path);
            if (manifest.matches()) {
                String body = manifests.get(manifest.group(1) + ":" + manifest.group(2));
                if (body == null) {
                    error(ex, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
                    return;
                }
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", MANIFEST_TYPE);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            } else if (blob.matches() && blobs.containsKey(blob.group(1))) {
                ex.getResponseHeaders().add("Location", "/storage/sha256-" + blob.group(1) + "?X-Signature=fake");
                ex.sendResponseHeaders(307, -1);
            } else if (path.startsWith("/storage/sha256-")) {
                byte[] content = blobs.get(path.substring("/storage/sha256-".length()));
                if (content == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                RangeBody.serve(ex, content, null, dropAfter.getAndSet(-1), bytesPerSecond);
            } else {
                error(ex, 404, "{\"errors\":[{\"code\":\"NOT_FOUND\"}]}");
            }
        } finally {
            ex.close();
        }
    }

    private static void error(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
