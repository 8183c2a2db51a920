package dev.paddock.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config.yaml} edited on disk while Paddock runs: what can change live is used from the next use on (the
 * next stop's grace, the next request's key), a broken edit keeps the last good configuration and says where it is
 * broken, and what needs a restart is reported as such — never silently ignored.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LiveConfigTest {
    private static final String KEY = "sk-paddock-live-config-0123456789";

    @TempDir
    Path dir;

    private Process daemon;
    private PaddockCli cli;
    private Path config;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        Path fake = TestRig.fakeServerScript(dir);
        Path model = Files.writeString(dir.resolve("nomic-embed-text-v1.5.f16.gguf"), "x");
        Files.writeString(
                home.resolve("presets/nomic-embed-text-v1.5.yaml"),
                "model: " + model + "\nport: auto\nargs: [\"--fake-ignore-sigterm\"]\n");
        config = home.resolve("config.yaml");
        base = "llama-server: " + fake + "\njmx: {port: " + TestRig.freePort() + "}\n";
        int gatewayPort = TestRig.freePort();
        write("stop-timeout: 30s\ngateway: {port: " + gatewayPort + "}\n");
        cli = new PaddockCli(home, dir);
        daemon = cli.startDaemon();
        this.gateway = "http://127.0.0.1:" + gatewayPort;
        this.gatewayPort = gatewayPort;
    }

    private String gateway;
    private int gatewayPort;

    @AfterEach
    void stop() throws Exception {
        daemon.destroy();
        daemon.waitFor(60, TimeUnit.SECONDS);
    }

    /** Rewrites the file as an editor would (in place). */
    private void write(String rest) throws Exception {
        Files.writeString(config, base + rest);
    }

    private JsonNode status() throws Exception {
        return cli.run("status", "--json").json();
    }

    private String daemonLog() throws Exception {
        Path log = cli.home().resolve("logs/daemon.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private int get(String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway + "/v1/models"));
        if (header != null) b.header(header, value);
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aNewStopTimeoutIsUsedByTheNextStop() throws Exception {
        assertThat(cli.run("load", "nomic-embed-text-v1.5").exit()).isZero();
        write("stop-timeout: 1s\ngateway: {port: " + gatewayPort + "}\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> daemonLog().contains("config.yaml reloaded"));

        assertThat(cli.run("unload").exit()).isZero();

        assertThat(daemonLog())
                .as("the server ignores SIGTERM: the grace it was given is the new one")
                .contains("ignored SIGTERM for PT1S; killing it");
    }

    @Test
    void aNewGatewayKeyIsRequiredFromTheNextRequestAndABrokenEditKeepsItAndSaysWhere() throws Exception {
        assertThat(get(null, null)).isEqualTo(200);
        write("gateway: {port: " + gatewayPort + ", api-keys: [\"" + KEY + "\"]}\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> get(null, null) == 401);
        assertThat(get("Authorization", "Bearer " + KEY)).isEqualTo(200);
        assertThat(get("x-api-key", KEY)).isEqualTo(200);

        write("stop-timeout: ten seconds\ngateway: {port: " + gatewayPort + ", api-keys: [\"" + KEY + "\"]}\n");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !status().path("config_problem").isNull());
        assertThat(status().path("config_problem").asText())
                .startsWith(config + ":3: stop-timeout: 'ten seconds' is not a duration");
        assertThat(get(null, null)).as("the last good configuration stays").isEqualTo(401);
        assertThat(get("x-api-key", KEY)).isEqualTo(200);
        assertThat(cli.run("status").out()).contains("config.yaml was not applied");

        write("gateway: {port: " + gatewayPort + "}\n");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> status().path("config_problem").isNull());
        assertThat(get(null, null)).isEqualTo(200);
    }

    @Test
    void aChangedPortIsReportedAsNeedingARestartAndTheGatewayStaysWhereItIs() throws Exception {
        write("gateway: {port: " + TestRig.freePort() + "}\nlog-level: debug\n");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> status().path("needs_restart").toString().contains("gateway.port"));
        assertThat(get(null, null)).isEqualTo(200);
        assertThat(cli.run("status").out()).contains("restart Paddock to apply gateway.port");
        assertThat(daemonLog()).contains("config.yaml reloaded; needs a restart for [gateway.port]");
        await().atMost(Duration.ofSeconds(10)).until(() -> daemonLog().contains("DEBUG"));
    }
}
