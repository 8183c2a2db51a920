package dev.paddock.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folders other tools keep models in, laid out as each tool writes them, under a user's home: the Hugging Face
 * cache (what {@code huggingface_hub} and llama.cpp's {@code -hf} write), LM Studio's models folder and Ollama's
 * store. Each model is a tiny GGUF the tests write.
 */
public final class OtherTools {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;

    /** @param home the user's home ({@code HOME}) */
    public OtherTools(Path home) {
        this.home = home;
    }

    public Path home() {
        return home;
    }

    /**
     * {@code ~/.cache/huggingface/hub/models--ORG--REPO/}: the file in {@code blobs/SHA256}, a symlink to it from
     * {@code snapshots/REVISION/FILE}, and {@code refs/main} naming that revision.
     *
     * @return the blob (the real file)
     */
    public Path huggingFace(String org, String repo, String file, String revision, long seed) throws IOException {
        Path repoDir = home.resolve(".cache/huggingface/hub/models--" + org + "--" + repo);
        Path written = TinyGguf.write(Files.createTempFile(Files.createDirectories(home), "hf", ".tmp"), repo, seed);
        String sha = FakeHub.sha256(Files.readAllBytes(written));
        Path blob = Files.createDirectories(repoDir.resolve("blobs")).resolve(sha);
        Files.move(written, blob);
        Path link = Files.createDirectories(repoDir.resolve("snapshots").resolve(revision))
                .resolve(file);
        Files.createSymbolicLink(link, link.getParent().relativize(blob));
        Files.createDirectories(repoDir.resolve("refs"));
        Files.writeString(repoDir.resolve("refs/main"), revision, StandardCharsets.US_ASCII);
        return blob;
    }

    /** {@code ~/.lmstudio/models/PUBLISHER/MODEL/FILE}. */
    public Path lmStudio(String publisher, String model, String file, long seed) throws IOException {
        return TinyGguf.write(
                home.resolve(".lmstudio/models")
                        .resolve(publisher)
                        .resolve(model)
                        .resolve(file),
                model,
                seed);
    }

    /**
     * {@code ~/.ollama/models/}: {@code manifests/registry.ollama.ai/library/NAME/TAG} as {@code manifest} (the
     * registry's own), and each of its layers in {@code blobs/sha256-HEX}, from {@code registry}.
     */
    public Path ollama(FakeOllamaRegistry registry, String name, String tag, byte[] weights, byte[] projector)
            throws IOException {
        registry.model(name, tag, weights, projector);
        String manifest = registry.manifest(name, tag);
        Path root = home.resolve(".ollama/models");
        Path m = root.resolve("manifests/registry.ollama.ai/library")
                .resolve(name)
                .resolve(tag);
        Files.createDirectories(m.getParent());
        Files.writeString(m, manifest);
        Path weightsBlob = null;
        for (var layer : JSON.readTree(manifest).path("layers")) {
            String digest = layer.path("digest").asText();
            Path blob = Files.createDirectories(root.resolve("blobs")).resolve(digest.replace(':', '-'));
            Files.write(blob, registry.blob(digest));
            if (layer.path("mediaType").asText().equals("application/vnd.ollama.image.model")) weightsBlob = blob;
        }
        String config = JSON.readTree(manifest).path("config").path("digest").asText();
        Files.write(root.resolve("blobs").resolve(config.replace(':', '-')), registry.blob(config));
        return weightsBlob;
    }

    /** LM Studio's setting that moves its models folder: {@code downloadsFolder} in {@code ~/.lmstudio/settings.json}. */
    public void lmStudioDownloadsFolder(Path folder) throws IOException {
        ObjectNode s = JSON.createObjectNode().put("downloadsFolder", folder.toString());
        Files.createDirectories(home.resolve(".lmstudio"));
        Files.writeString(home.resolve(".lmstudio/settings.json"), s.toString());
    }
}
