package dev.paddock.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for GitHub's release API ({@code PADDOCK_GITHUB_API}) serving one llama.cpp release whose
 * asset names are read from llama.cpp's own release workflow ({@code .github/workflows/release.yml} in the source
 * the tests build). Assets answer 404 until a test puts their bytes.
 */
public final class FakeReleases implements AutoCloseable {
    private final String tag;
    private final HttpServer server;
    private final Map<String, byte[]> downloads = new ConcurrentHashMap<>();
    private volatile List<String> assets;

    public FakeReleases(String tag) throws IOException {
        this.tag = tag;
        this.assets = assetsFromTheReleaseWorkflow(tag);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String p = ex.getRequestURI().getPath();
            byte[] body = p.equals("/repos/ggml-org/llama.cpp/releases/latest")
                    ? release().getBytes(StandardCharsets.UTF_8)
                    : p.startsWith("/download/") ? downloads.get(p.substring("/download/".length())) : null;
            if (body == null) ex.sendResponseHeaders(404, -1);
            else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
    }

    /** The release's assets as the workflow's release notes link them, with {@code tag} for the release's. */
    public static List<String> assetsFromTheReleaseWorkflow(String tag) throws IOException {
        String yml = Files.readString(LlamaCppSource.file(".github/workflows/release.yml"));
        Matcher m = Pattern.compile("releases/download/\\$\\{\\{ steps\\.tag\\.outputs\\.name }}/([^)]+)")
                .matcher(yml);
        TreeSet<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1)
                    .replace("${{ steps.tag.outputs.name }}", tag)
                    .replaceAll("\\$\\{\\{ needs\\.[a-z0-9-]+\\.outputs\\.openvino_version }}", "2025.3.0"));
        }
        return List.copyOf(names);
    }

    /**
     * The Linux x64 CPU tarball made by the workflow's own command (its {@code tar -czvf … --transform … -C
     * ./build/bin .} line, run here) from the folder holding the tests' llama-server and its shared libraries.
     */
    public static byte[] ubuntuTarball(String tag, Path buildBin, Path scratch)
            throws IOException, InterruptedException {
        String yml = Files.readString(LlamaCppSource.file(".github/workflows/release.yml"));
        String line = yml.lines()
                .map(String::strip)
                .filter(l ->
                        l.startsWith("tar -czvf llama-${{ steps.tag.outputs.name }}-bin-ubuntu-${{ matrix.build }}"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("release.yml has no Ubuntu tar line any more"))
                .replace("${{ steps.tag.outputs.name }}", tag)
                .replace("${{ matrix.build }}", "x64");
        Path work = Files.createDirectories(scratch.resolve("release-build"));
        Files.createDirectories(work.resolve("build"));
        Files.deleteIfExists(work.resolve("build/bin"));
        Files.createSymbolicLink(work.resolve("build/bin"), buildBin);
        Process tar = new ProcessBuilder("bash", "-c", line)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("tar.out").toFile())
                .start();
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
            throw new AssertionError(line + " failed: " + Files.readString(work.resolve("tar.out")));
        }
        return Files.readAllBytes(work.resolve("llama-" + tag + "-bin-ubuntu-x64.tar.gz"));
    }

    /** The value of {@code PADDOCK_GITHUB_API}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<String> assets() {
        return assets;
    }

    /** Replaces the release's asset list (an older release's names). */
    public void assets(List<String> names) {
        assets = List.copyOf(names);
    }

    /** What a download of {@code asset} answers. */
    public FakeReleases put(String asset, byte[] bytes) {
        downloads.put(asset, bytes);
        return this;
    }

    private String release() {
        List<String> items = new ArrayList<>();
        for (String a : assets) {
            items.add("{\"name\":\"" + a + "\",\"browser_download_url\":\"" + endpoint() + "/download/" + a + "\"}");
        }
        return "{\"tag_name\":\"" + tag + "\",\"assets\":[" + String.join(",", items) + "]}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
