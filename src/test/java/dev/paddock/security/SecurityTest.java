package dev.paddock.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.HubSettings;
import dev.paddock.preset.Identifier;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The security pass: owner-only files, loopback by default, no path escapes, bounded network input. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SecurityTest {
    /** A preset and its model file, named as people and the hub name them. */
    private static final String PRESET = "deepseek-r1-distill-qwen-14b_Q5_K_M",
            MODEL = "DeepSeek-R1-Distill-Qwen-14B-Q5_K_M";

    private static final Set<PosixFilePermission> OTHERS = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    @TempDir
    Path dir;

    private Path home(String config) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x")); // as a user might make it
        Files.writeString(home.resolve("config.yaml"), config);
        return home;
    }

    @Test
    void whatPaddockWritesUnderItsHomeIsTheOwnersAlone() throws Exception {
        int gw = TestRig.freePort();
        Path home = home("llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: "
                + TestRig.freePort() + "}\ngateway: {port: " + gw + "}\n");
        Files.writeString(
                home.resolve("presets/" + PRESET + ".yaml"),
                "model: " + TestRig.tinyModel(dir, MODEL, 1) + "\nport: auto\ncontext-size: 256\n");
        PaddockCli cli = new PaddockCli(home, dir);
        assertThat(cli.run("start", "--no-tray").exit()).isZero();
        try {
            assertThat(cli.run("load", PRESET).exit()).isZero();
            assertThat(cli.run("new", "mine", "--model", "f:" + dir.resolve(MODEL + ".gguf"))
                            .exit())
                    .isZero();
            assertThat(Files.getPosixFilePermissions(home))
                    .as("the home is closed to other users")
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            List<Path> written = List.of(
                    home.resolve("jmx.url"),
                    home.resolve("server.json"),
                    home.resolve("paddock.pid"),
                    home.resolve("logs/daemon.log"),
                    home.resolve("logs/llama.log"),
                    home.resolve("logs/start.out"),
                    home.resolve("presets/mine.yaml"));
            for (Path p : written) {
                assertThat(p).exists();
                assertThat(Files.getPosixFilePermissions(p))
                        .as("%s is the owner's alone", home.relativize(p))
                        .doesNotContainAnyElementsOf(OTHERS);
            }
            for (Path d : List.of(home.resolve("logs"), home.resolve("models"))) {
                assertThat(Files.getPosixFilePermissions(d))
                        .as("%s", home.relativize(d))
                        .doesNotContainAnyElementsOf(OTHERS);
            }
        } finally {
            cli.run("stop");
        }
    }

    @Test
    void theGatewayRefusesANonLoopbackAddressWithoutKeysAndPaddockRunsWithoutIt() throws Exception {
        int gw = TestRig.freePort();
        Path home = home("jmx: {port: " + TestRig.freePort() + "}\ngateway: {host: 0.0.0.0, port: " + gw + "}\n");
        PaddockCli cli = new PaddockCli(home, dir);
        Process daemon = cli.startDaemon();
        try {
            assertThat(Files.readString(dir.resolve("daemon.out")))
                    .contains("gateway.host 0.0.0.0 is reachable from other machines: set gateway.api-keys");
            assertThatThrownBy(() -> new Socket("127.0.0.1", gw).close())
                    .as("nothing listens on the gateway's port")
                    .isInstanceOf(java.net.ConnectException.class);
            assertThat(cli.run("status", "--json").exit())
                    .as("the rest of Paddock runs")
                    .isZero();
        } finally {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void jmxRefusesANonLoopbackAddressWithoutAuthentication() throws Exception {
        Path home = home("jmx: {host: 0.0.0.0, port: " + TestRig.freePort() + "}\ngateway: {port: 0}\n");
        PaddockCli.Run start = new PaddockCli(home, dir).run("start", "--foreground", "--no-tray");
        assertThat(start.exit()).isEqualTo(1);
        assertThat(start.out() + start.err()).contains("jmx", "0.0.0.0", "password-file");
    }

    @Test
    void identifiersAndPresetNamesCannotClimbOutOfTheirFolders() throws Exception {
        for (String id : List.of("p:../../x", "p:..", "p:a/b", "p:/etc/passwd", "h:a/../../b", "h:../x/y", "h:a/..")) {
            assertThatThrownBy(() -> Identifier.parse(id))
                    .as(id)
                    .isInstanceOfSatisfying(
                            PaddockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IDENTIFIER));
        }
        Path home = home("jmx: {port: 0}\ngateway: {port: 0}\n");
        PaddockCli cli = new PaddockCli(home, dir);
        PaddockCli.Run escape =
                cli.run("new", "../../evil", "--model", "f:" + TestRig.tinyModel(dir, "Phi-3-mini-4k-instruct-q4", 1));
        assertThat(escape.exit()).isNotZero();
        assertThat(escape.err()).contains("../../evil");
        try (var all = Files.walk(dir)) {
            assertThat(all.filter(p -> p.getFileName().toString().startsWith("evil")))
                    .as("no file made anywhere")
                    .isEmpty();
        }
        PaddockCli.Run rm = cli.run("rm", "--yes", "h:a/../../b");
        assertThat(rm.exit()).isNotZero();
        assertThat(rm.err()).contains("cannot use");
    }

    @Test
    void theGatewayRefusesAnIdentifierThatClimbsAndSurvivesAHugeHeader() throws Exception {
        int gw = TestRig.freePort();
        Path home = home("jmx: {port: " + TestRig.freePort() + "}\ngateway: {port: " + gw + "}\n");
        PaddockCli cli = new PaddockCli(home, dir);
        Process daemon = cli.startDaemon();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw + "/paddock/load"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"p:../../etc/x\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isBetween(400, 499);
            assertThat(r.body()).contains("invalid_identifier");

            try (Socket s = new Socket("127.0.0.1", gw)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4 << 20) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] answer = s.getInputStream().readNBytes(12);
                assertThat(answer.length == 0 || !new String(answer, StandardCharsets.US_ASCII).contains(" 200"))
                        .as("a 4 MB header is not served")
                        .isTrue();
            } catch (java.io.IOException closed) {
                // the gateway closed the connection: refused, as it should be
            }
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("and goes on serving")
                    .isEqualTo(200);
        } finally {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHubAnswerLargerThanAnyRealOneIsAnErrorNotAFullHeap() throws Exception {
        HttpServer hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write('[');
                byte[] entry = "{\"type\":\"file\",\"path\":\"x.gguf\",\"size\":1},".getBytes(StandardCharsets.UTF_8);
                for (long sent = 0; sent < (40L << 20); sent += entry.length) out.write(entry);
            } catch (java.io.IOException clientGone) {
                // the client stopped reading
            }
        });
        hub.start();
        try {
            HubClient client = new HubClient(
                    new HubSettings(
                            URI.create("http://127.0.0.1:" + hub.getAddress().getPort()), null, false),
                    new okhttp3.OkHttpClient(),
                    d -> {});
            assertThatThrownBy(() -> client.files("org/repo"))
                    .isInstanceOf(PaddockException.class)
                    .hasMessageContaining("over 32 MB");
        } finally {
            hub.stop(0);
        }
    }
}
