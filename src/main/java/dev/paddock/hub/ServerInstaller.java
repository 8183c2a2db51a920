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
        return install(binDir, tag, backend, os, arch, Puller.Progress.NONE);
    }

    /** The same, telling {@code progress} how much of each archive has arrived (total -1 when unknown). */
    public Installed install(Path binDir, String tag, String backend, String os, String arch, Puller.Progress progress)
            throws PaddockException {
        JsonNode release =
                get(tag == null ? "/repos/" + REPO + "/releases/latest" : "/repos/" + REPO + "/releases/tags/" + tag);
        String realTag = release.path("tag_name").asText();
        List<String> names = new ArrayList<>();
        release.path("assets").forEach(a -> names.add(a.path("name").asText()));
        String asset = chooseAsset(names, os, arch, backend, cudaDriverVersion())
                .orElseThrow(() -> new PaddockException(
                        ErrorCode.SERVER_NOT_FOUND,
                        "release " + realTag + " has no " + backend + " build for " + os + "/" + arch
                                + "; builds there: " + String.join(", ", names)));
        Optional<String> runtime = cudaRuntimeFor(asset, names);
        Path dest = binDir.resolve("llama.cpp-" + realTag);
        try {
            Files.createDirectories(binDir);
            Path tmp = Files.createTempDirectory(binDir, ".install-");
            try {
                unpack(release, asset, tmp, progress);
                Path server = find(tmp, os.equals("windows") ? "llama-server.exe" : "llama-server")
                        .orElseThrow(() ->
                                new PaddockException(ErrorCode.SERVER_NOT_FOUND, asset + " has no llama-server in it"));
                if (runtime.isPresent()) { // CUDA's own libraries, beside the binaries ($ORIGIN rpath)
                    Path cudart = Files.createTempDirectory(binDir, ".cudart-");
                    try {
                        unpack(release, runtime.get(), cudart, progress);
                        moveFilesInto(cudart, server.getParent());
                    } finally {
                        deleteTree(cudart);
                    }
                }
                if (!os.equals("windows") && asset.toLowerCase(Locale.ROOT).endsWith(".zip")) {
                    // a zip keeps no modes: the programs are the files without an extension
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
                        (realTag + " " + asset + runtime.map(r -> " " + r).orElse("") + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                return new Installed(realTag, asset, dest.resolve(rel));
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new PaddockException(
                    ErrorCode.DOWNLOAD_FAILED, "installing llama-server " + realTag + ": " + e.getMessage());
        }
    }

    /** Backends a CPU build must not be confused with. */
    private static final List<String> ACCELERATORS = List.of(
            "cuda", "vulkan", "sycl", "hip", "rocm", "openvino", "opencl", "kompute", "snapdragon", "cann", "musa");

    /**
     * The release asset for this platform, as llama.cpp's release workflow names them: {@code
     * llama-TAG-bin-ubuntu-x64.tar.gz}, {@code …-bin-ubuntu-vulkan-x64.tar.gz}, {@code
     * …-bin-ubuntu-cuda-12.8-x64.tar.gz}, {@code …-bin-macos-arm64.tar.gz}, {@code …-bin-win-cpu-x64.zip},
     * {@code …-bin-win-cuda-12.4-x64.zip}; older releases had {@code .zip} everywhere. A {@code .tar.gz} is preferred
     * where both exist; CUDA's runtime ({@code cudart-…}) is never the build itself.
     *
     * @param cudaDriver the CUDA version the driver supports ({@code 12.8}), or null: the newest CUDA build it can
     *     run is chosen, else the oldest
     */
    static Optional<String> chooseAsset(List<String> names, String os, String arch, String backend, String cudaDriver) {
        String osWord =
                switch (os) {
                    case "linux" -> "ubuntu";
                    case "mac" -> "macos";
                    default -> "win";
                };
        String archWord = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64";
        List<String> fit = names.stream()
                .filter(n -> {
                    String l = n.toLowerCase(Locale.ROOT);
                    return (l.endsWith(".tar.gz") || l.endsWith(".zip"))
                            && l.startsWith("llama-")
                            && l.contains("-bin-" + osWord + "-")
                            && (l.endsWith("-" + archWord + ".tar.gz") || l.endsWith("-" + archWord + ".zip"));
                })
                .filter(n -> {
                    String l = n.toLowerCase(Locale.ROOT);
                    return switch (backend) {
                        case "cuda" -> l.contains("-cuda-");
                        case "vulkan" -> l.contains("-vulkan-");
                        default -> ACCELERATORS.stream().noneMatch(a -> l.contains("-" + a));
                    };
                })
                .toList();
        if (fit.isEmpty()) return Optional.empty();
        Comparator<String> order =
                Comparator.comparing((String n) -> n.toLowerCase(Locale.ROOT).endsWith(".zip"));
        if (backend.equals("cuda")) order = order.thenComparing(cudaPreference(cudaDriver));
        return fit.stream().sorted(order.thenComparing(String::length)).findFirst();
    }

    /** Newest first among the CUDA versions the driver runs, then the rest oldest first. */
    private static Comparator<String> cudaPreference(String driver) {
        return Comparator.comparing((String n) -> {
            double v = cudaVersion(n);
            boolean runs = driver == null || v <= Double.parseDouble(driver) + 1e-9;
            return runs ? (driver == null ? v : -v) : 1000 + v;
        });
    }

    private static double cudaVersion(String name) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("-cuda-(\\d+(?:\\.\\d+)?)-").matcher(name);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The CUDA runtime that goes beside a CUDA build: {@code cudart-llama-[TAG-]bin-OS-cuda-V-ARCH.…}. */
    static Optional<String> cudaRuntimeFor(String asset, List<String> names) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-bin-(.*-cuda-.*)\\.(tar\\.gz|zip)$")
                .matcher(asset);
        if (!m.find()) return Optional.empty();
        String tail = "-bin-" + m.group(1) + "." + m.group(2);
        return names.stream()
                .filter(n -> n.startsWith("cudart-llama-") && n.endsWith(tail))
                .findFirst();
    }

    /** The CUDA version the NVIDIA driver supports, from {@code nvidia-smi}; null without one. */
    private static String cudaDriverVersion() {
        if (!onPath("nvidia-smi")) return null;
        try {
            Process p =
                    new ProcessBuilder("nvidia-smi").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("CUDA Version: (\\d+\\.\\d+)")
                    .matcher(out);
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
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

    /** Downloads the release's asset {@code name} and unpacks it into {@code into}. */
    private void unpack(JsonNode release, String name, Path into, Puller.Progress progress) throws IOException {
        String url = null;
        for (JsonNode a : release.path("assets")) {
            if (a.path("name").asText().equals(name))
                url = a.path("browser_download_url").asText();
        }
        if (url == null) throw new IOException("the release lists no download for " + name);
        try (Response resp = http.newCall(new Request.Builder()
                        .url(url)
                        .header("User-Agent", "paddock")
                        .build())
                .execute()) {
            if (resp.code() != 200) throw new IOException("HTTP " + resp.code() + " for " + url);
            long total = resp.body().contentLength();
            try (InputStream body = new Counting(resp.body().byteStream(), name, total, progress)) {
                Archives.unpack(body, name, into);
                progress.update(name, total < 0 ? ((Counting) body).done : total, total);
            }
        }
    }

    /** Every file under {@code from}, whatever its folder, moved into {@code to}. */
    private static void moveFilesInto(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .toList()) {
                Files.move(f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
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

    /** Tells the progress how much of an archive has been read, at most every 256 KiB. */
    private static final class Counting extends java.io.FilterInputStream {
        private final String name;
        private final long total;
        private final Puller.Progress progress;
        private long done;
        private long told;

        Counting(InputStream in, String name, long total, Puller.Progress progress) {
            super(in);
            this.name = name;
            this.total = total;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) counted(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) counted(n);
            return n;
        }

        private void counted(long n) {
            done += n;
            if (done - told >= (256 << 10)) {
                told = done;
                progress.update(name, done, total);
            }
        }
    }
}
