package dev.paddock.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.FakeReleases;
import dev.paddock.testing.PaddockCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install-server against a local stand-in for GitHub's release API whose asset list is read from llama.cpp's own
 * release workflow ({@code .github/workflows/release.yml} in the source the tests build): Linux and macOS builds are
 * {@code .tar.gz} with one top folder, Windows stays {@code .zip}.
 */
class InstallServerTest {
    private static final String TAG = "b9999";

    @TempDir
    Path dir;

    private FakeReleases github;
    private List<String> assets;

    @BeforeEach
    void github() throws Exception {
        github = new FakeReleases(TAG);
        assets = github.assets();
        assertThat(assets)
                .as("the workflow as read")
                .contains(
                        "llama-" + TAG + "-bin-ubuntu-x64.tar.gz",
                        "llama-" + TAG + "-bin-macos-arm64.tar.gz",
                        "llama-" + TAG + "-bin-win-cpu-x64.zip")
                .allSatisfy(a -> assertThat(a).doesNotContain("${{"));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void theAssetForEachPlatformAndBackendIsChosenFromTheWorkflowsNames() {
        assertThat(ServerInstaller.chooseAsset(assets, "linux", "amd64", "cpu", null))
                .contains("llama-" + TAG + "-bin-ubuntu-x64.tar.gz");
        assertThat(ServerInstaller.chooseAsset(assets, "linux", "amd64", "vulkan", null))
                .contains("llama-" + TAG + "-bin-ubuntu-vulkan-x64.tar.gz");
        assertThat(ServerInstaller.chooseAsset(assets, "linux", "aarch64", "cpu", null))
                .contains("llama-" + TAG + "-bin-ubuntu-arm64.tar.gz");
        assertThat(ServerInstaller.chooseAsset(assets, "linux", "amd64", "cuda", null))
                .as("no driver version known: the oldest CUDA")
                .contains("llama-" + TAG + "-bin-ubuntu-cuda-12.8-x64.tar.gz");
        assertThat(ServerInstaller.chooseAsset(assets, "linux", "amd64", "cuda", "13.4"))
                .as("the newest the driver runs")
                .contains("llama-" + TAG + "-bin-ubuntu-cuda-13.4-x64.tar.gz");
        assertThat(ServerInstaller.cudaRuntimeFor("llama-" + TAG + "-bin-ubuntu-cuda-12.8-x64.tar.gz", assets))
                .contains("cudart-llama-" + TAG + "-bin-ubuntu-cuda-12.8-x64.tar.gz");
        assertThat(ServerInstaller.chooseAsset(assets, "mac", "aarch64", "metal", null))
                .contains("llama-" + TAG + "-bin-macos-arm64.tar.gz");
        assertThat(ServerInstaller.chooseAsset(assets, "windows", "amd64", "cpu", null))
                .contains("llama-" + TAG + "-bin-win-cpu-x64.zip");
        assertThat(ServerInstaller.chooseAsset(assets, "windows", "amd64", "cuda", "12.4"))
                .contains("llama-" + TAG + "-bin-win-cuda-12.4-x64.zip");
        assertThat(ServerInstaller.cudaRuntimeFor("llama-" + TAG + "-bin-win-cuda-12.4-x64.zip", assets))
                .contains("cudart-llama-bin-win-cuda-12.4-x64.zip");
        assertThat(ServerInstaller.chooseAsset(assets, "windows", "amd64", "vulkan", null))
                .contains("llama-" + TAG + "-bin-win-vulkan-x64.zip");
        List<String> older = List.of("llama-b4000-bin-ubuntu-x64.zip", "llama-b4000-bin-win-cpu-x64.zip");
        assertThat(ServerInstaller.chooseAsset(older, "linux", "amd64", "cpu", null))
                .as("an older release, zips everywhere")
                .contains("llama-b4000-bin-ubuntu-x64.zip");
    }

    /** A tarball as the workflow makes it: {@code tar -czf … --transform "s,^\.,llama-TAG," -C build/bin .}. */
    private static byte[] tarball(String top, List<TarEntry> entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(TarEntry.dir(top + "/").header());
            for (TarEntry e : entries) {
                TarEntry moved = new TarEntry(top + "/" + e.name(), e.type(), e.mode(), e.link(), e.data());
                gz.write(moved.header());
                gz.write(moved.data());
                gz.write(new byte[(512 - moved.data().length % 512) % 512]);
            }
            gz.write(new byte[1024]);
        }
        return b.toByteArray();
    }

    /** One tar entry (ustar): a file, a folder or a symbolic link. */
    private record TarEntry(String name, char type, int mode, String link, byte[] data) {
        static TarEntry file(String name, int mode, String text) {
            return new TarEntry(name, '0', mode, "", text.getBytes(StandardCharsets.UTF_8));
        }

        static TarEntry dir(String name) {
            return new TarEntry(name, '5', 0755, "", new byte[0]);
        }

        static TarEntry symlink(String name, String target) {
            return new TarEntry(name, '2', 0777, target, new byte[0]);
        }

        byte[] header() {
            byte[] h = new byte[512];
            put(h, 0, name, 100);
            put(h, 100, String.format("%07o", mode), 8);
            put(h, 108, "0000000", 8);
            put(h, 116, "0000000", 8);
            put(h, 124, String.format("%011o", data.length), 12);
            put(h, 136, String.format("%011o", 1_700_000_000L), 12);
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = (byte) type;
            put(h, 157, link, 100);
            put(h, 257, "ustar", 6);
            put(h, 263, "00", 2);
            int sum = 0;
            for (byte x : h) sum += x & 0xff;
            put(h, 148, String.format("%06o", sum), 7);
            return h;
        }

        private static void put(byte[] h, int off, String s, int len) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, h, off, Math.min(b.length, len));
        }
    }

    /** A llama-server that runs only when the shared library's versioned link is beside it, as the loader needs. */
    private static final String SERVER = "#!/bin/sh\n"
            + "here=$(dirname \"$0\")\n"
            + "[ -f \"$here/libllama.so.0\" ] || { echo 'error while loading shared libraries: libllama.so.0' >&2; exit 127; }\n"
            + "echo 'version: 9999 (fake)'\necho 'built with cc'\n";

    private PaddockCli cli(Path home) {
        return new PaddockCli(home, dir).withEnv("PADDOCK_GITHUB_API", github.endpoint());
    }

    @Test
    void aCurrentLinuxTarballIsInstalledWithItsLinksAndModesAndRuns() throws Exception {
        github.put(
                "llama-" + TAG + "-bin-ubuntu-x64.tar.gz",
                tarball(
                        "llama-" + TAG,
                        List.of(
                                TarEntry.file("llama-server", 0755, SERVER),
                                TarEntry.file("libllama.so.0.0.9999", 0644, "not really a library"),
                                TarEntry.symlink("libllama.so.0", "libllama.so.0.0.9999"),
                                TarEntry.symlink("libllama.so", "libllama.so.0"))));
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("config.yaml"), "port: 8181\n");
        PaddockCli cli = cli(home);

        PaddockCli.Run r = cli.run("install-server", "--backend", "cpu");

        assertThat(r.exit()).as(r.err()).isZero();
        Path folder = home.resolve("bin/llama.cpp-" + TAG + "/llama-" + TAG);
        Path server = folder.resolve("llama-server");
        assertThat(r.out())
                .contains(
                        "installed llama.cpp " + TAG + " (llama-" + TAG + "-bin-ubuntu-x64.tar.gz): " + server,
                        "version: 9999 (fake)");
        assertThat(Files.isExecutable(server)).isTrue();
        assertThat(Files.isSymbolicLink(folder.resolve("libllama.so.0"))).isTrue();
        assertThat(Files.readSymbolicLink(folder.resolve("libllama.so"))).hasToString("libllama.so.0");
        assertThat(Files.isExecutable(folder.resolve("libllama.so.0.0.9999")))
                .as("the modes the tarball records")
                .isFalse();
        assertThat(Files.readString(home.resolve("config.yaml"))).contains("llama-server: " + server, "port: 8181");
        assertThat(cli.run("doctor").out()).contains("llama-server: " + server + "  (version: 9999 (fake))");

        PaddockCli.Run missing = cli.run("install-server", "--version", "b1", "--backend", "cpu");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no such llama.cpp release");
    }

    @Test
    void aTarballWithAnEntryOrALinkLeavingItsFolderIsRefusedAndNothingIsLeft() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        for (TarEntry evil : List.of(
                TarEntry.file("../../escaped.txt", 0644, "out"),
                TarEntry.symlink("libllama.so", "/etc/passwd"),
                TarEntry.symlink("up", "../../.."))) {
            github.put(
                    "llama-" + TAG + "-bin-ubuntu-x64.tar.gz",
                    tarball("llama-" + TAG, List.of(TarEntry.file("llama-server", 0755, SERVER), evil)));
            PaddockCli.Run r = cli(home).run("install-server", "--backend", "cpu");
            assertThat(r.exit()).as(evil.name()).isEqualTo(1);
            assertThat(r.err())
                    .containsAnyOf("an entry outside its folder", "a link out of its folder")
                    .contains(evil.link().isEmpty() ? evil.name() : evil.link());
            assertThat(dir.resolve("escaped.txt")).doesNotExist();
            assertThat(home.resolve("bin/escaped.txt")).doesNotExist();
            try (var left = Files.list(home.resolve("bin"))) {
                assertThat(left).as("no half-installed build").isEmpty();
            }
        }
    }

    @Test
    void aWindowsZipStillInstalls() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (var f : Map.of("llama-server", SERVER, "libllama.so.0", "x").entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        // an older release's layout, zipped without a top folder: the same path a Windows zip takes
        github.assets(List.of("llama-b4000-bin-ubuntu-x64.zip"));
        github.put("llama-b4000-bin-ubuntu-x64.zip", b.toByteArray());
        Path home = Files.createDirectories(dir.resolve("home"));
        PaddockCli.Run r = cli(home).run("install-server", "--backend", "cpu");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.isExecutable(home.resolve("bin/llama.cpp-" + TAG + "/llama-server")))
                .isTrue();
    }
}
