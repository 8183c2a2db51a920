package dev.paddock.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.paddock.testing.PaddockCli;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install-server against a local stand-in for GitHub's release API and downloads. */
class InstallServerTest {
    private static final List<String> ASSETS = List.of(
            "llama-b9999-bin-macos-arm64.zip",
            "llama-b9999-bin-ubuntu-vulkan-x64.zip",
            "llama-b9999-bin-ubuntu-x64.zip",
            "llama-b9999-bin-win-cpu-x64.zip",
            "llama-b9999-bin-win-cuda-12.4-x64.zip",
            "llama-b9999-bin-win-vulkan-x64.zip",
            "cudart-llama-bin-win-cuda-12.4-x64.zip");

    @TempDir
    Path dir;

    private HttpServer github;

    @BeforeEach
    void github() throws Exception {
        byte[] zip = zip(
                Map.entry("build/bin/llama-server", "#!/bin/sh\necho 'version: 9999 (fake)'\necho 'built with cc'\n"),
                Map.entry("build/bin/libllama.so", "not really a library"));
        github = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String base = "http://127.0.0.1:" + github.getAddress().getPort();
        StringBuilder assets = new StringBuilder();
        for (String a : ASSETS) {
            if (assets.length() > 0) assets.append(',');
            assets.append("{\"name\":\"")
                    .append(a)
                    .append("\",\"browser_download_url\":\"")
                    .append(base)
                    .append("/download/")
                    .append(a)
                    .append("\"}");
        }
        byte[] release = ("{\"tag_name\":\"b9999\",\"assets\":[" + assets + "]}").getBytes(StandardCharsets.UTF_8);
        github.createContext("/", ex -> {
            String p = ex.getRequestURI().getPath();
            byte[] body = p.equals("/repos/ggml-org/llama.cpp/releases/latest")
                    ? release
                    : p.equals("/download/llama-b9999-bin-ubuntu-x64.zip") ? zip : null;
            if (body == null) ex.sendResponseHeaders(404, -1);
            else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        github.start();
    }

    @AfterEach
    void stop() {
        github.stop(0);
    }

    @SafeVarargs
    private static byte[] zip(Map.Entry<String, String>... files) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (var f : files) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    @Test
    void theAssetForEachPlatformAndBackendIsChosen() {
        assertThat(ServerInstaller.chooseAsset(ASSETS, "linux", "amd64", "cpu"))
                .contains("llama-b9999-bin-ubuntu-x64.zip");
        assertThat(ServerInstaller.chooseAsset(ASSETS, "linux", "amd64", "vulkan"))
                .contains("llama-b9999-bin-ubuntu-vulkan-x64.zip");
        assertThat(ServerInstaller.chooseAsset(ASSETS, "windows", "amd64", "cuda"))
                .contains("llama-b9999-bin-win-cuda-12.4-x64.zip");
        assertThat(ServerInstaller.chooseAsset(ASSETS, "windows", "amd64", "cpu"))
                .contains("llama-b9999-bin-win-cpu-x64.zip");
        assertThat(ServerInstaller.chooseAsset(ASSETS, "mac", "aarch64", "metal"))
                .contains("llama-b9999-bin-macos-arm64.zip");
        assertThat(ServerInstaller.chooseAsset(ASSETS, "linux", "aarch64", "cpu"))
                .isEmpty();
    }

    @Test
    void installServerFetchesTheBuildChecksItRunsAndPointsTheConfigAtIt() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("config.yaml"), "port: 8181\n");
        PaddockCli cli = new PaddockCli(home, dir)
                .withEnv(
                        "PADDOCK_GITHUB_API",
                        "http://127.0.0.1:" + github.getAddress().getPort());
        PaddockCli.Run r = cli.run("install-server", "--backend", "cpu");
        assertThat(r.exit()).as(r.err()).isZero();
        Path server = home.resolve("bin/llama.cpp-b9999/build/bin/llama-server");
        assertThat(r.out())
                .contains(
                        "installed llama.cpp b9999 (llama-b9999-bin-ubuntu-x64.zip): " + server,
                        "version: 9999 (fake)");
        assertThat(Files.isExecutable(server)).isTrue();
        assertThat(Files.readString(home.resolve("bin/llama-server.version")))
                .isEqualTo("b9999 llama-b9999-bin-ubuntu-x64.zip\n");
        assertThat(Files.readString(home.resolve("config.yaml"))).contains("llama-server: " + server, "port: 8181");
        assertThat(cli.run("doctor").out()).contains("llama-server: " + server + "  (version: 9999 (fake))");

        PaddockCli.Run missing = cli.run("install-server", "--version", "b1", "--backend", "cpu");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no such llama.cpp release");
    }
}
