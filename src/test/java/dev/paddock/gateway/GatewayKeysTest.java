package dev.paddock.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.GatewayHome;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** gateway.api-keys: required, accepted, rejected; a preset that gives llama-server its own --api-key still works. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayKeysTest {
    private static final String KEY = "pk-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void keysAreRequiredAndAPresetWithItsOwnApiKeyIsServed() throws Exception {
        GatewayHome g = GatewayHome.in(dir, LlamaServerBinary.require(), ", api-keys: [" + KEY + "]", "")
                .tinyPreset("locked", 1, "args: [\"--api-key\", \"upstream-secret-0123\"]\n");
        int port = g.port;
        PaddockCli cli = g.cli(dir);
        Process daemon = cli.startDaemon();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String body =
                    "{\"model\":\"locked\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4}";
            HttpRequest.Builder chat = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            assertThat(http.send(chat.copy().build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("no key")
                    .isEqualTo(401);
            assertThat(http.send(
                                    chat.copy()
                                            .header("Authorization", "Bearer pk-wrong-wrong-wrong")
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("a wrong key")
                    .isEqualTo(401);
            HttpResponse<String> ok = http.send(
                    chat.copy().header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.body()).contains("\"choices\"");
            assertThat(cli.run("status", "--json").json().path("state").asText())
                    .as("Paddock's health checks got through llama-server's own key")
                    .isEqualTo("running");
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("/health needs no key")
                    .isEqualTo(200);

            long pid = cli.run("status", "--json").json().path("pid").asLong();
            String cmdline =
                    Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            assertThat(cmdline)
                    .as("other users can read a command line: the key is not on it")
                    .contains("llama-server")
                    .doesNotContain("upstream-secret-0123");
            assertThat(Files.readString(Path.of("/proc/" + pid + "/environ")))
                    .as("llama-server gets it in its environment (owner-only)")
                    .contains("LLAMA_API_KEY=upstream-secret-0123");
            PaddockCli.Run dry = cli.run("load", "--dry-run", "locked");
            assertThat(dry.out()).contains("LLAMA_API_KEY=").doesNotContain("upstream-secret-0123");
        } finally {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
        try (var logs = Files.walk(g.home.resolve("logs"))) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(log))
                        .as("no key in %s", log)
                        .doesNotContain("upstream-secret-0123")
                        .doesNotContain(KEY);
            }
        }

        Files.writeString(g.home.resolve("config.yaml"), "gateway: {api-keys: [short]}\n");
        PaddockCli.Run doctor = cli.run("doctor");
        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out()).contains("api-keys", "too easy to guess");
    }
}
