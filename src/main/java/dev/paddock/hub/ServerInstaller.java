package dev.paddock.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.config.AtomicFile;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code paddock install-server}: fetches llama.cpp's release build for this OS, CPU and backend from GitHub
 * releases into {@code PADDOCK_HOME/bin/llama.cpp-TAG/}, and reports where its {@code llama-server} is. The
 * release API is {@code PADDOCK_GITHUB_API} (default https://api.github.com), so tests use a local one.
 */
public final class ServerInstaller {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String REPO = "ggml-org/llama.cpp";

    /** What was installed. */
    public record Installed(String tag, String asset, Path server) {}

    private final String api;
    private final OkHttpClient http;

    public ServerInstaller(String api) {
        this.api = api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
        this.http = HubClient.defaultHttp();
    }

    /** The backend to fetch when none is asked for: CUDA with an NVIDIA driver, Vulkan with a Vulkan loader, else CPU. */
    public static String detectBackend() {
        if (onPath("nvidia-smi")) return "cuda";
        if (onPath("vulkaninfo")) return "vulkan";
        return "cpu";
    }

    /**
     * @param tag a release tag (e.g. b4567), or null for the latest
     * @param backend cpu, cuda, vulkan (or metal, which the macOS builds are)
     */
    public Installed install(Path binDir, String tag, String backend, String os, String arch) throws PaddockException {
        JsonNode release =
                get(tag == null ? "/repos/" + REPO + "/releases/latest" : "/repos/" + REPO + "/releases/tags/" + tag);
        String realTag = release.path("tag_name").asText();
        List<String> names = new ArrayList<>();
        release.path("assets").forEach(a -> names.add(a.path("name").asText()));
        String asset = chooseAsset(names, os, arch, backend)
                .orElseThrow(() -> new PaddockException(
                        ErrorCode.SERVER_NOT_FOUND,
                        "release " + realTag + " has no " + backend + " build for " + os + "/" + arch
                                + "; builds there: " + String.join(", ", names)));
        String url = null;
        for (JsonNode a : release.path("assets")) {
            if (a.path("name").asText().equals(asset))
                url = a.path("browser_download_url").asText();
        }
        Path dest = binDir.resolve("llama.cpp-" + realTag);
        try {
            Files.createDirectories(binDir);
            Path tmp = Files.createTempDirectory(binDir, ".install-");
            try {
                unzip(url, tmp);
                Path server = find(tmp, os.equals("windows") ? "llama-server.exe" : "llama-server")
                        .orElseThrow(() ->
                                new PaddockException(ErrorCode.SERVER_NOT_FOUND, asset + " has no llama-server in it"));
                if (!os.equals("windows")) {
                    try (var files = Files.walk(server.getParent())) {
                        for (Path p : files.filter(Files::isRegularFile).toList()) {
                            if (!p.getFileName().toString().contains(".")) {
                                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                            }
                        }
                    }
                }
                Path rel = tmp.relativize(server);
                deleteTree(dest);
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
                AtomicFile.write(
                        binDir.resolve("llama-server.version"),
                        (realTag + " " + asset + "\n").getBytes(StandardCharsets.UTF_8));
                return new Installed(realTag, asset, dest.resolve(rel));
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new PaddockException(
                    ErrorCode.DOWNLOAD_FAILED, "installing llama-server " + realTag + ": " + e.getMessage());
        }
    }

    /**
     * The release asset for this platform: llama.cpp names them {@code llama-TAG-bin-ubuntu-x64.zip},
     * {@code …-ubuntu-vulkan-x64.zip}, {@code …-macos-arm64.zip}, {@code …-win-cpu-x64.zip},
     * {@code …-win-cuda-12.4-x64.zip}, {@code …-win-vulkan-x64.zip}.
     */
    static Optional<String> chooseAsset(List<String> names, String os, String arch, String backend) {
        String osWord =
                switch (os) {
                    case "linux" -> "ubuntu";
                    case "mac" -> "macos";
                    default -> "win";
                };
        String archWord = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64";
        List<String> fit = names.stream()
                .map(n -> n.toLowerCase(Locale.ROOT))
                .filter(n -> n.endsWith(".zip") && n.contains("-bin-" + osWord + "-") && n.contains(archWord))
                .filter(n -> switch (backend) {
                    case "cuda" -> n.contains("cuda");
                    case "vulkan" -> n.contains("vulkan");
                    default -> !n.contains("cuda")
                            && !n.contains("vulkan")
                            && !n.contains("sycl")
                            && !n.contains("hip")
                            && !n.contains("kompute")
                            && !n.contains("opencl");
                })
                .sorted(Comparator.comparing(String::length))
                .toList();
        if (fit.isEmpty()) return Optional.empty();
        String lower = fit.get(0);
        return names.stream()
                .filter(n -> n.toLowerCase(Locale.ROOT).equals(lower))
                .findFirst();
    }

    private JsonNode get(String path) throws PaddockException {
        Request r = new Request.Builder()
                .url(api + path)
                .header("Accept", "application/vnd.github+json")
                .header("User-Agent", "paddock")
                .build();
        try (Response resp = http.newCall(r).execute()) {
            if (resp.code() == 404) {
                throw new PaddockException(ErrorCode.SERVER_NOT_FOUND, "no such llama.cpp release (" + path + ")");
            }
            if (resp.code() != 200) {
                throw new PaddockException(
                        ErrorCode.DOWNLOAD_FAILED, "GitHub answered HTTP " + resp.code() + " for " + path);
            }
            return JSON.readTree(
                    new BoundedInput(resp.body().byteStream(), BoundedInput.JSON_LIMIT, "the release document"));
        } catch (IOException e) {
            throw new PaddockException(ErrorCode.DOWNLOAD_FAILED, "cannot reach " + api + ": " + e.getMessage());
        }
    }

    private void unzip(String url, Path into) throws IOException {
        try (Response resp = http.newCall(new Request.Builder()
                        .url(url)
                        .header("User-Agent", "paddock")
                        .build())
                .execute()) {
            if (resp.code() != 200) throw new IOException("HTTP " + resp.code() + " for " + url);
            try (InputStream body = resp.body().byteStream();
                    ZipInputStream zip = new ZipInputStream(body)) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    Path out = into.resolve(e.getName()).normalize();
                    if (!out.startsWith(into)) throw new IOException("a zip entry outside the folder: " + e.getName());
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static Optional<Path> find(Path dir, String name) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().equals(name)).findFirst();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }

    private static boolean onPath(String name) {
        return dev.paddock.config.PaddockHome.Paths2.onPath(name, System.getenv("PATH"))
                .isPresent();
    }
}
