package dev.paddock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.jmx.SupervisorMBean;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import dev.paddock.testing.TinyGguf;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One name means one thing on every surface: an alias, a unique prefix and a downloaded model's short name each
 * load from the CLI, JMX, {@code /paddock/load}, {@code paddock run} and a gateway request, to the same preset or
 * model; and loading what runs (a {@code port: auto} preset) again keeps the same server. Real llama-server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NamesAcrossSurfacesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private Process daemon;
    private PaddockCli cli;
    private JMXConnector jmx;
    private String gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        int port = TestRig.freePort();
        gateway = "http://127.0.0.1:" + port;
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: " + port + "}\n");
        Path coder = TestRig.tinyModel(dir, "qwen2.5-coder-7b-instruct-q4_k_m", 1);
        Path gemma = TestRig.tinyModel(dir, "gemma-3-27b-it-qat-q4_0", 2);
        Files.writeString(
                home.resolve("presets/qwen2.5-coder-7b-instruct-q4_k_m.yaml"),
                "model: " + coder + "\nport: auto\ncontext-size: 256\nalias: qwen-coder\n");
        Files.writeString(
                home.resolve("presets/gemma-3-27b-it-qat-q4_0-long-context-32k.yaml"),
                "model: " + gemma + "\nport: auto\ncontext-size: 256\n");
        TinyGguf.write(
                home.resolve("models/bartowski/Llama-3.2-3B-Instruct-GGUF/Llama-3.2-3B-Instruct-IQ4_XS.gguf"),
                "Llama-3.2-3B-Instruct",
                3);
        cli = new PaddockCli(home, dir);
        daemon = cli.startDaemon();
        jmx = JMXConnectorFactory.connect(
                new JMXServiceURL(Files.readAllLines(home.resolve("jmx.url")).get(0)));
    }

    @AfterAll
    void stop() throws Exception {
        jmx.close();
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
    }

    private String running() throws Exception {
        JsonNode s = cli.run("status", "--json").json();
        assertThat(s.path("state").asText()).isEqualTo("running");
        return s.path("preset").asText();
    }

    private void unload() throws Exception {
        assertThat(cli.run("unload").exit()).isZero();
    }

    @ParameterizedTest(name = "{0} names {1}")
    @CsvSource({
        "qwen-coder,                    qwen2.5-coder-7b-instruct-q4_k_m",
        "gemma-3,                       gemma-3-27b-it-qat-q4_0-long-context-32k",
        "Llama-3.2-3B-Instruct-IQ4_XS,  Llama-3.2-3B-Instruct-IQ4_XS"
    })
    void aNameLoadsTheSameThingFromEverySurface(String name, String meant) throws Exception {
        unload();
        PaddockCli.Run load = cli.run("load", name, "--json");
        assertThat(load.exit()).as("the CLI: " + load.out()).isZero();
        assertThat(running()).isEqualTo(meant);

        unload();
        jmx.getMBeanServerConnection()
                .invoke(SupervisorMBean.NAME, "load", new Object[] {name}, new String[] {String.class.getName()});
        assertThat(running()).as("JMX").isEqualTo(meant);

        unload();
        HttpResponse<String> control = post("/paddock/load", "{\"model\": \"" + name + "\"}");
        assertThat(control.statusCode()).as("/paddock/load: " + control.body()).isEqualTo(200);
        assertThat(JSON.readTree(control.body()).path("preset").asText()).isEqualTo(meant);

        unload();
        HttpResponse<String> chat = post(
                "/v1/chat/completions",
                "{\"model\": \"" + name
                        + "\", \"max_tokens\": 4, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        assertThat(chat.statusCode()).as("a gateway request: " + chat.body()).isEqualTo(200);
        assertThat(running()).isEqualTo(meant);

        unload();
        PaddockCli.Run run = cli.run("run", name, "hi", "-n", "4");
        assertThat(run.exit()).as("paddock run: " + run.err()).isZero();
        assertThat(running()).isEqualTo(meant);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"qwen2.5-coder-7b-instruct-q4_k_m", "qwen-coder"})
    void loadingAPortAutoPresetThatRunsKeepsTheSameServer(String name) throws Exception {
        assertThat(cli.run("load", "qwen2.5-coder-7b-instruct-q4_k_m").exit()).isZero();
        long pid = cli.run("status", "--json").json().path("pid").asLong();
        assertThat(cli.run("load", name).exit()).isZero();
        assertThat(post(
                                "/v1/chat/completions",
                                "{\"model\": \"" + name
                                        + "\", \"max_tokens\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(cli.run("status", "--json").json().path("pid").asLong()).isEqualTo(pid);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(gateway + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
