package dev.paddock.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.OllamaRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Ollama's registry, asked as Ollama itself asks it: {@code GET /v2/NAMESPACE/NAME/manifests/TAG} with {@code
 * Accept: application/vnd.docker.distribution.manifest.v2+json}, then each layer's blob at {@code
 * /v2/NAMESPACE/NAME/blobs/sha256:HEX}, which the registry answers with a redirect to its storage. The registry is
 * {@code OLLAMA_REGISTRY} when set (a mirror, a test), else https://registry.ollama.ai.
 */
final class OllamaRegistry {
    static final String MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
    static final String MODEL_LAYER = "application/vnd.ollama.image.model";
    static final String PROJECTOR_LAYER = "application/vnd.ollama.image.projector";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One layer of a manifest. */
    record Layer(String mediaType, String digest, long size) {
        /** The hex of a {@code sha256:HEX} digest; null for any other kind. */
        String sha256() {
            return digest.matches("sha256:[0-9a-f]{64}") ? digest.substring("sha256:".length()) : null;
        }
    }

    /** A model's manifest: its layers, and its bytes as the registry sent them. */
    record Manifest(byte[] raw, List<Layer> layers) {
        Layer first(String mediaType) {
            return layers.stream()
                    .filter(l -> l.mediaType().equals(mediaType))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final String base;
    private final OkHttpClient http;

    OllamaRegistry(java.net.URI base, OkHttpClient http) {
        this.base = base.toString();
        this.http = http;
    }

    Manifest manifest(OllamaRef ref) throws PaddockException {
        Request r = new Request.Builder()
                .url(base + "/v2/" + ref.repository() + "/manifests/" + ref.tag())
                .header("Accept", MANIFEST_TYPE)
                .header("User-Agent", "paddock")
                .build();
        try (Response resp = http.newCall(r).execute()) {
            if (resp.code() == 404) {
                throw new PaddockException(
                        ErrorCode.MODEL_NOT_FOUND,
                        "Ollama's registry has no model o:" + ref + " (see ollama.com/library for names and tags)");
            }
            if (resp.code() != 200) {
                throw new PaddockException(
                        ErrorCode.DOWNLOAD_FAILED, base + " answered HTTP " + resp.code() + " for o:" + ref);
            }
            byte[] raw =
                    new BoundedInput(resp.body().byteStream(), BoundedInput.JSON_LIMIT, "the manifest").readAllBytes();
            JsonNode doc = JSON.readTree(raw);
            List<Layer> layers = new ArrayList<>();
            for (JsonNode l : doc.path("layers")) {
                layers.add(new Layer(
                        l.path("mediaType").asText(),
                        l.path("digest").asText(),
                        l.path("size").asLong(-1)));
            }
            return new Manifest(raw, layers);
        } catch (IOException e) {
            throw new PaddockException(
                    ErrorCode.DOWNLOAD_FAILED,
                    "cannot reach " + base + ": " + e.getMessage() + " (check the network, or OLLAMA_REGISTRY)");
        }
    }

    /** A layer's blob as a download's source, shown as {@code fileName}. */
    FileDownload.Remote blob(OllamaRef ref, Layer layer, String fileName) {
        return new FileDownload.Remote() {
            @Override
            public String fileName() {
                return fileName;
            }

            @Override
            public long size() {
                return layer.size();
            }

            @Override
            public String sha256() {
                return layer.sha256();
            }

            @Override
            public Request.Builder request() {
                return new Request.Builder()
                        .url(base + "/v2/" + ref.repository() + "/blobs/" + layer.digest())
                        .header("User-Agent", "paddock");
            }

            @Override
            public PaddockException refused(int status) {
                return new PaddockException(
                        ErrorCode.DOWNLOAD_FAILED,
                        "Ollama's registry refused " + layer.digest() + " of o:" + ref + " (HTTP " + status + ")");
            }

            @Override
            public String source() {
                return "Ollama's registry";
            }

            @Override
            public boolean contentAddressed() {
                return true;
            }
        };
    }
}
