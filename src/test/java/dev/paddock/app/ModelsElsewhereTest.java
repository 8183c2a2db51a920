package dev.paddock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.testing.FakeOllamaRegistry;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.OtherTools;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import dev.paddock.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A user's home where llama.cpp's {@code -hf} (the Hugging Face cache, with its symlinks), LM Studio and Ollama
 * each left a model: {@code ls} lists each with its source, each loads on the real llama-server by the name its
 * tool gives it, from the file where it is (the server maps that very inode; nothing is copied), and {@code rm}
 * leaves them to their owners.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModelsElsewhereTest {
    private static final String REVISION = "9a7c2e1b5d3f4a6c8e0b2d4f6a8c0e2b4d6f8a0c";

    @TempDir
    static Path dir;

    private Process daemon;
    private PaddockCli cli;
    private Path home;
    private Path hfBlob;
    private Path lmFile;
    private Path ollamaBlob;
    private Path ollamaOnly;
    private String gateway;

    @BeforeAll
    void start() throws Exception {
        OtherTools tools = new OtherTools(Files.createDirectories(dir.resolve("user-home"))); // HOME of every command
        hfBlob = tools.huggingFace(
                "bartowski", "Llama-3.2-3B-Instruct-GGUF", "Llama-3.2-3B-Instruct-IQ4_XS.gguf", REVISION, 31);
        lmFile = tools.lmStudio(
                "lmstudio-community",
                "Mistral-Small-3.2-24B-Instruct-2506-GGUF",
                "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf",
                32);
        try (FakeOllamaRegistry registry = new FakeOllamaRegistry()) {
            ollamaBlob = tools.ollama(
                    registry,
                    "llama3.2",
                    "1b",
                    Files.readAllBytes(TinyGguf.write(dir.resolve("llama3.2.gguf"), "llama3.2", 33)),
                    null);
            ollamaOnly = tools.ollama(
                    registry,
                    "qwen2.5vl",
                    "3b",
                    Files.readAllBytes(TinyGguf.writeForOllamaEngine(
                            dir.resolve("qwen.gguf"), "qwen2.5vl", 34, "qwen25vl", false)),
                    null);
        }
        home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        int gatewayPort = TestRig.freePort();
        gateway = "http://127.0.0.1:" + gatewayPort;
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: " + gatewayPort + "}\nport: " + TestRig.freePort() + "\n");
        // a registry nobody answers at: whatever loads, loads from this machine
        cli = new PaddockCli(home, dir).withEnv("OLLAMA_REGISTRY", "http://127.0.0.1:" + TestRig.freePort());
        daemon = cli.startDaemon();
    }

    @AfterAll
    void stop() throws Exception {
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void lsListsEachWithItsSourceAndHeader() throws Exception {
        JsonNode models = cli.run("ls", "--json").json().path("models");
        assertThat(models)
                .extracting(
                        m -> m.path("name").asText() + " " + m.path("source").asText())
                .containsExactlyInAnyOrder(
                        "bartowski/Llama-3.2-3B-Instruct-GGUF:IQ4_XS huggingface-cache",
                        "lmstudio-community/Mistral-Small-3.2-24B-Instruct-2506-GGUF:Q4_K_M lm-studio",
                        "llama3.2:1b ollama",
                        "qwen2.5vl:3b ollama");
        for (JsonNode m : models) {
            if (m.has("problem")) continue;
            assertThat(m.path("architecture").asText()).as(m.toString()).isEqualTo("llama");
            assertThat(m.path("context").asLong()).as(m.toString()).isEqualTo(2048);
        }
        JsonNode qwen = stream(models)
                .filter(m -> m.path("name").asText().equals("qwen2.5vl:3b"))
                .findFirst()
                .get();
        assertThat(qwen.path("problem").asText()).contains("Ollama's own");
        assertThat(cli.run("ls").out()).contains("huggingface-cache", "lm-studio", "ollama");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "bartowski/Llama-3.2-3B-Instruct-GGUF:IQ4_XS, hf",
        "Llama-3.2-3B-Instruct-GGUF:IQ4_XS, hf",
        "lmstudio-community/Mistral-Small-3.2-24B-Instruct-2506-GGUF:Q4_K_M, lm",
        "llama3.2:1b, ollama",
        "o:llama3.2:1b, ollama"
    })
    void eachLoadsByItsToolsNameFromWhereItIs(String name, String which) throws Exception {
        Path real =
                switch (which) {
                    case "hf" -> hfBlob;
                    case "lm" -> lmFile;
                    default -> ollamaBlob;
                };
        PaddockCli.Run load = cli.run("load", name, "--json");
        assertThat(load.exit()).as(load.out() + load.err()).isZero();
        JsonNode status = cli.run("status", "--json").json();
        assertThat(status.path("state").asText()).isEqualTo("running");
        assertThat(Path.of(status.path("model").asText()).toRealPath()).isEqualTo(real.toRealPath());

        long inode = (Long) Files.getAttribute(real, "unix:ino");
        List<String> maps =
                Files.readAllLines(Path.of("/proc", status.path("pid").asText(), "maps"));
        assertThat(maps)
                .as("llama-server maps the file the tool keeps (inode %d), not a copy", inode)
                .anyMatch(line -> line.split("\\s+").length >= 6 && line.split("\\s+")[4].equals(Long.toString(inode)));
        assertThat((Integer) Files.getAttribute(real, "unix:nlink"))
                .as("no hard link made either")
                .isEqualTo(1);
        try (Stream<Path> files = Files.walk(home.resolve("models"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".gguf")))
                    .as("nothing copied into Paddock")
                    .isEmpty();
        }
        assertThat(cli.run("unload").exit()).isZero();
    }

    @Test
    void theGatewayListsThemAndARequestNamingOneIsAnswered() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        JsonNode models = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(http.send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway + "/v1/models"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body())
                .path("data");
        assertThat(models)
                .extracting(
                        m -> m.path("id").asText() + " " + m.path("owned_by").asText())
                .as("what would run; not the model only Ollama can run")
                .containsExactlyInAnyOrder(
                        "bartowski/Llama-3.2-3B-Instruct-GGUF:IQ4_XS huggingface-cache",
                        "lmstudio-community/Mistral-Small-3.2-24B-Instruct-2506-GGUF:Q4_K_M lm-studio",
                        "llama3.2:1b ollama");

        var chat = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway + "/v1/chat/completions"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"model\": \"llama3.2:1b\", \"max_tokens\": 4,"
                                        + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        assertThat(cli.run("status", "--json").json().path("model").asText()).isEqualTo(ollamaBlob.toString());
        assertThat(cli.run("unload").exit()).isZero();
    }

    @Test
    void aModelLlamaServerCannotRunIsRefusedWithTheReason() throws Exception {
        PaddockCli.Run load = cli.run("load", "qwen2.5vl:3b", "--json");
        assertThat(load.exit()).isEqualTo(1);
        assertThat(load.json().path("error").asText()).contains("qwen2.5vl:3b", "'qwen25vl' is Ollama's own");
        assertThat(load.json().path("error_code").asText()).isEqualTo("model_not_found");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "bartowski/Llama-3.2-3B-Instruct-GGUF:IQ4_XS, the Hugging Face cache",
        "lmstudio-community/Mistral-Small-3.2-24B-Instruct-2506-GGUF:Q4_K_M, LM Studio",
        "llama3.2:1b, ollama rm"
    })
    void rmLeavesThemToTheirOwners(String name, String owner) throws Exception {
        PaddockCli.Run rm = cli.run("rm", name, "--yes");
        assertThat(rm.exit()).isEqualTo(1);
        assertThat(rm.err()).contains(owner);
        assertThat(hfBlob).exists();
        assertThat(lmFile).exists();
        assertThat(ollamaBlob).exists();
        assertThat(ollamaOnly).exists();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}
