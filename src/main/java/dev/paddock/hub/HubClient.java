package dev.paddock.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The Hugging Face Hub's API: a repository's files (with their LFS sizes and SHA-256) and search. Gated or private
 * repositories and unknown ones become messages that say what to do; rate limits and server errors are retried
 * with backoff.
 */
public final class HubClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 4;

    private final HubSettings settings;
    private final java.util.function.Supplier<OkHttpClient> httpSource;
    private OkHttpClient http; // made on first use: the daemon builds a client at start but may never pull
    private final Sleeper sleeper;

    /** Waits between retries; tests pass one that does not. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public HubClient(HubSettings settings) {
        this.settings = settings;
        this.httpSource = HubClient::defaultHttp;
        this.sleeper = d -> Thread.sleep(d.toMillis());
    }

    public HubClient(HubSettings settings, OkHttpClient http, Sleeper sleeper) {
        this.settings = settings;
        this.httpSource = () -> http;
        this.sleeper = sleeper;
    }

    static OkHttpClient defaultHttp() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(15))
                .readTimeout(Duration.ofSeconds(60))
                .followRedirects(true)
                .followSslRedirects(true)
                .build();
    }

    public HubSettings settings() {
        return settings;
    }

    synchronized OkHttpClient http() {
        if (http == null) http = httpSource.get();
        return http;
    }

    /** A file of a repository, with its size and (for LFS files) SHA-256. */
    public record RepoFile(String path, long size, String sha256) {}

    /** A search result. */
    public record Repo(String id, long downloads, String lastModified) {}

    /** The files of {@code org/repo} on its main branch. */
    public List<RepoFile> files(String repoId) throws PaddockException {
        JsonNode tree = getJson(
                url("api/models/" + repoId + "/tree/main")
                        .newBuilder()
                        .addQueryParameter("recursive", "true")
                        .build(),
                repoId);
        List<RepoFile> out = new ArrayList<>();
        for (JsonNode n : tree) {
            if (!"file".equals(n.path("type").asText())) continue;
            JsonNode lfs = n.path("lfs");
            out.add(new RepoFile(
                    n.path("path").asText(),
                    lfs.isMissingNode()
                            ? n.path("size").asLong()
                            : lfs.path("size").asLong(),
                    lfs.isMissingNode() ? null : lfs.path("oid").asText(null)));
        }
        return out;
    }

    /** GGUF repositories matching {@code query}, most downloaded first. */
    public List<Repo> search(String query, int limit) throws PaddockException {
        HttpUrl u = url("api/models")
                .newBuilder()
                .addQueryParameter("search", query)
                .addQueryParameter("filter", "gguf")
                .addQueryParameter("sort", "downloads")
                .addQueryParameter("direction", "-1")
                .addQueryParameter("limit", Integer.toString(limit))
                .build();
        List<Repo> out = new ArrayList<>();
        for (JsonNode n : getJson(u, null)) {
            out.add(new Repo(
                    n.path("id").asText(),
                    n.path("downloads").asLong(),
                    n.path("lastModified").asText(n.path("createdAt").asText(""))));
        }
        return out;
    }

    /** {@code endpoint/org/repo/resolve/main/FILE}: the hub answers with a redirect to where the bytes are. */
    public HttpUrl fileUrl(String repoId, String file) {
        return url(repoId + "/resolve/main/" + file);
    }

    /** A request with the token, if there is one. */
    public Request.Builder request(HttpUrl url) {
        Request.Builder b = new Request.Builder().url(url).header("User-Agent", "paddock");
        if (settings.token() != null) b.header("Authorization", "Bearer " + settings.token());
        return b;
    }

    void requireOnline(String what) throws PaddockException {
        if (settings.offline()) {
            throw new PaddockException(
                    ErrorCode.DOWNLOAD_FAILED,
                    "HF_HUB_OFFLINE is set, so " + what + " cannot be fetched; unset it or use a downloaded model");
        }
    }

    private HttpUrl url(String path) {
        HttpUrl base = HttpUrl.get(settings.endpoint().toString() + "/");
        return base.resolve(path);
    }

    private JsonNode getJson(HttpUrl url, String repoId) throws PaddockException {
        requireOnline(repoId == null ? "search results" : "h:" + repoId);
        for (int attempt = 1; ; attempt++) {
            try (Response r = http().newCall(request(url).build()).execute()) {
                int code = r.code();
                if (code == 200) {
                    ResponseBody body = r.body();
                    return JSON.readTree(
                            new BoundedInput(body.byteStream(), BoundedInput.JSON_LIMIT, "the hub's answer"));
                }
                if ((code == 429 || code >= 500) && attempt < ATTEMPTS) {
                    backoff(attempt, r.header("Retry-After"));
                    continue;
                }
                throw failure(code, repoId);
            } catch (IOException e) {
                if (attempt < ATTEMPTS) {
                    backoff(attempt, null);
                    continue;
                }
                throw new PaddockException(
                        ErrorCode.DOWNLOAD_FAILED,
                        "cannot reach " + settings.endpoint() + (repoId == null ? "" : " for h:" + repoId) + ": "
                                + e.getMessage() + " (check the network, or HF_ENDPOINT)");
            }
        }
    }

    PaddockException failure(int code, String repoId) {
        String what = repoId == null ? "the hub" : "h:" + repoId;
        if (code == 401 || code == 403) {
            return new PaddockException(
                    ErrorCode.DOWNLOAD_FAILED,
                    what + " is gated or private"
                            + (settings.token() == null
                                    ? ": accept its terms on the model's page, then set HF_TOKEN (or run"
                                            + " huggingface-cli login)"
                                    : ": the token in HF_TOKEN (or the huggingface-cli token file) has no access;"
                                            + " accept its terms on the model's page"));
        }
        if (code == 404 && repoId != null) {
            String suggestions = "";
            try {
                String q = repoId.substring(repoId.indexOf('/') + 1).replaceAll("(?i)-?gguf$", "");
                List<Repo> found = search(q, 3);
                if (!found.isEmpty()) {
                    suggestions = " (did you mean "
                            + String.join(
                                    ", ", found.stream().map(f -> "h:" + f.id()).toList()) + "?)";
                }
            } catch (PaddockException e) {
                // no suggestions then
            }
            return new PaddockException(
                    ErrorCode.MODEL_NOT_FOUND, "no repository " + repoId + " on the hub" + suggestions);
        }
        return new PaddockException(
                ErrorCode.DOWNLOAD_FAILED, what + ": the hub answered HTTP " + code + "; try again later");
    }

    void backoff(int attempt, String retryAfter) throws PaddockException {
        Duration d = Duration.ofSeconds(1L << (attempt - 1));
        if (retryAfter != null && retryAfter.matches("\\d{1,3}")) {
            d = Duration.ofSeconds(Math.min(30, Long.parseLong(retryAfter)));
        }
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.DOWNLOAD_FAILED, "interrupted");
        }
    }
}
