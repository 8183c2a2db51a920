package dev.paddock.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.ollama.OllamaLanguageModel;
import dev.langchain4j.model.ollama.OllamaModel;
import dev.langchain4j.model.ollama.OllamaModelCard;
import dev.langchain4j.model.ollama.OllamaModels;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.ollama.RunningOllamaModel;
import dev.langchain4j.model.output.Response;
import dev.paddock.testing.FakeOllamaRegistry;
import dev.paddock.testing.GatewayHome;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ollama's API on the gateway, in front of the real llama-server: LangChain4j's Ollama client (nobody here wrote
 * it) lists, shows, chats (whole and streamed), generates and embeds, switching models by name between requests;
 * each route's NDJSON, {@code keep_alive}, pulls and deletes checked field by field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OllamaClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CODER = "qwen2.5-coder-7b-instruct-q4_k_m";
    private static final String DEEPSEEK = "deepseek-r1-distill-qwen-14b_Q5_K_M";
    private static final String EMBED = "nomic-embed-text-v1.5";

    private Process daemon;
    private PaddockCli cli;
    private String base;
    private Path home;
    private FakeOllamaRegistry registry;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        registry = new FakeOllamaRegistry();
        GatewayHome g = GatewayHome.in(dir)
                .tinyPreset(CODER, 1, "")
                .tinyPreset(DEEPSEEK, 2, "")
                .tinyPreset(EMBED, 3, "args: [--embeddings, --pooling, mean]\n");
        base = g.url;
        home = g.home;
        cli = g.cli(dir).withEnv("OLLAMA_REGISTRY", registry.endpoint());
        daemon = cli.startDaemon();
    }

    @AfterAll
    void stop() throws Exception {
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
        registry.close();
    }

    private String running() throws Exception {
        JsonNode s = cli.run("status", "--json").json();
        return s.path("state").asText() + " " + s.path("preset").asText();
    }

    @Test
    void theClientListsAndShowsTheModels() {
        OllamaModels models = OllamaModels.builder().baseUrl(base).build();
        List<OllamaModel> listed = models.availableModels().content();
        assertThat(listed).extracting(OllamaModel::getName).contains(CODER, DEEPSEEK, EMBED);
        OllamaModel coder = listed.stream()
                .filter(m -> m.getName().equals(CODER))
                .findFirst()
                .orElseThrow();
        assertThat(coder.getDetails().getFormat()).isEqualTo("gguf");
        assertThat(coder.getDetails().getFamily()).isEqualTo("llama");
        assertThat(coder.getDetails().getQuantizationLevel())
                .as("what the header says")
                .isEqualTo("F32");
        assertThat(coder.getDetails().getParameterSize()).matches("\\d+K");
        assertThat(coder.getSize()).isPositive();
        assertThat(coder.getDigest()).matches("[0-9a-f]{64}");
        assertThat(coder.getModifiedAt()).isNotNull();

        OllamaModelCard card = models.modelCard(CODER).content();
        assertThat(card.getDetails().getFamily()).isEqualTo("llama");
        assertThat(card.getModelInfo()).containsEntry("general.architecture", "llama");
        assertThat(card.getModelInfo()).containsEntry("llama.context_length", 2048);
        assertThat(card.getCapabilities()).contains("completion");
    }

    @Test
    void theClientChatsStreamsGeneratesAndEmbedsSwitchingByName() throws Exception {
        OllamaChatModel chat = OllamaChatModel.builder()
                .baseUrl(base)
                .modelName(CODER)
                .temperature(0.0)
                .numPredict(8)
                .timeout(Duration.ofSeconds(60))
                .build();
        assertThat(chat.chat("hello")).isNotEmpty();
        assertThat(running()).isEqualTo("running " + CODER);

        OllamaStreamingChatModel streaming = OllamaStreamingChatModel.builder()
                .baseUrl(base)
                .modelName(DEEPSEEK)
                .temperature(0.0)
                .numPredict(8)
                .timeout(Duration.ofSeconds(60))
                .build();
        List<String> pieces = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming.chat("hello", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                pieces.add(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse streamed = done.get(60, TimeUnit.SECONDS);
        assertThat(pieces).as("tokens as they came").hasSizeGreaterThan(1);
        assertThat(streamed.aiMessage().text()).isEqualTo(String.join("", pieces));
        assertThat(streamed.tokenUsage().outputTokenCount()).isEqualTo(8);
        assertThat(streamed.tokenUsage().inputTokenCount()).isPositive();
        assertThat(running()).as("the stream named the other model").isEqualTo("running " + DEEPSEEK);

        RunningOllamaModel ps = OllamaModels.builder()
                .baseUrl(base)
                .build()
                .runningModels()
                .content()
                .get(0);
        assertThat(ps.getName()).isEqualTo(DEEPSEEK);
        assertThat(ps.getContextLength()).isEqualTo(256);
        assertThat(ps.getExpiresAt()).isNotNull();

        Response<String> generated = OllamaLanguageModel.builder()
                .baseUrl(base)
                .modelName(CODER)
                .temperature(0.0)
                .numPredict(6)
                .timeout(Duration.ofSeconds(60))
                .build()
                .generate("Once upon a time");
        assertThat(generated.content()).isNotEmpty();
        assertThat(generated.tokenUsage().outputTokenCount()).isEqualTo(6);
        assertThat(running()).isEqualTo("running " + CODER);

        Embedding e = OllamaEmbeddingModel.builder()
                .baseUrl(base)
                .modelName(EMBED)
                .timeout(Duration.ofSeconds(60))
                .build()
                .embed("hello")
                .content();
        assertThat(e.dimension()).as("the tiny model's embedding width").isEqualTo(64);
        assertThat(running()).isEqualTo("running " + EMBED);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> lines(String ndjson) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : ndjson.split("\n")) if (!l.isBlank()) out.add(JSON.readTree(l));
        return out;
    }

    @Test
    void chatAndGenerateStreamNdjsonAndEndWithTheFigures() throws Exception {
        HttpResponse<String> chat = post(
                "/api/chat",
                "{\"model\":\"" + CODER + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],"
                        + "\"options\":{\"num_predict\":5,\"temperature\":0,\"ignore_eos\":true}}");
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        assertThat(chat.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<JsonNode> lines = lines(chat.body());
        for (JsonNode l : lines.subList(0, lines.size() - 1)) {
            assertThat(l.path("model").asText()).isEqualTo(CODER);
            assertThat(l.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(l.path("message").path("role").asText()).isEqualTo("assistant");
            assertThat(l.path("done").asBoolean()).isFalse();
        }
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("done_reason").asText()).isEqualTo("length");
        assertThat(last.path("eval_count").asInt()).isEqualTo(5);
        assertThat(last.path("prompt_eval_count").asInt()).isPositive();
        assertThat(last.path("total_duration").asLong())
                .isGreaterThanOrEqualTo(last.path("eval_duration").asLong());
        assertThat(last.path("eval_duration").asLong()).isPositive();

        HttpResponse<String> gen = post(
                "/api/generate",
                "{\"model\":\"" + CODER + "\",\"prompt\":\"Once\",\"stream\":false,\"options\":{\"num_predict\":3,"
                        + "\"ignore_eos\":true}}");
        JsonNode one = JSON.readTree(gen.body());
        assertThat(one.path("response").asText()).isNotEmpty();
        assertThat(one.path("done").asBoolean()).isTrue();
        assertThat(one.path("eval_count").asInt()).isEqualTo(3);

        HttpResponse<String> raw = post(
                "/api/generate",
                "{\"model\":\"" + CODER + "\",\"prompt\":\"abc\",\"raw\":true,\"options\":{\"num_predict\":4,"
                        + "\"ignore_eos\":true}}");
        List<JsonNode> rawLines = lines(raw.body());
        assertThat(rawLines.get(rawLines.size() - 1).path("eval_count").asInt()).isEqualTo(4);
        assertThat(rawLines.subList(0, rawLines.size() - 1)).allMatch(l -> l.has("response"));
    }

    @Test
    void errorsAreOllamasAndAnUnknownModelIs404() throws Exception {
        HttpResponse<String> r = post("/api/chat", "{\"model\":\"llama3.2:latest\",\"messages\":[]}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).path("error").asText()).startsWith("model \"llama3.2:latest\" not found");
        HttpResponse<String> bad = post("/api/generate", "not json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").asText()).contains("JSON");
        HttpResponse<String> version = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/version")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(version.body()).path("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void keepAliveZeroUnloadsAfterTheAnswerAndADurationSetsTheIdleUnload() throws Exception {
        HttpResponse<String> load = post("/api/generate", "{\"model\":\"" + DEEPSEEK + "\",\"keep_alive\":\"10m\"}");
        JsonNode loaded = JSON.readTree(load.body());
        assertThat(loaded.path("done_reason").asText())
                .as("an empty prompt loads")
                .isEqualTo("load");
        JsonNode status = cli.run("status", "--json").json();
        assertThat(status.path("preset").asText()).isEqualTo(DEEPSEEK);
        java.time.Instant at =
                java.time.Instant.parse(status.path("idle_unload_at").asText());
        assertThat(Duration.between(java.time.Instant.now(), at))
                .as("keep_alive 10m in place of a ttl")
                .isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));

        HttpResponse<String> unload = post("/api/generate", "{\"model\":\"" + DEEPSEEK + "\",\"keep_alive\":0}");
        assertThat(JSON.readTree(unload.body()).path("done_reason").asText()).isEqualTo("unload");
        await().atMost(Duration.ofSeconds(30)).until(() -> running().startsWith("idle"));
    }

    @Test
    void pullStreamsProgressThroughPaddocksOwnPullAndDeleteRemovesOnlyWhatItDownloaded() throws Exception {
        byte[] weights = Files.readAllBytes(TinyGguf.write(home.getParent().resolve("w.gguf"), "llama3.2", 9));
        registry.model("llama3.2", "1b", weights, null);

        HttpResponse<String> pull = post("/api/pull", "{\"model\":\"llama3.2:1b\"}");
        List<JsonNode> lines = lines(pull.body());
        assertThat(lines.get(0).path("status").asText()).isEqualTo("pulling manifest");
        assertThat(lines)
                .anyMatch(l -> l.path("completed").asLong() == weights.length
                        && l.path("total").asLong() == weights.length);
        assertThat(lines.get(lines.size() - 1).path("status").asText()).isEqualTo("success");
        Path file = home.resolve("models/ollama/llama3.2/1b/llama3.2-1b.gguf");
        assertThat(Files.readAllBytes(file)).isEqualTo(weights);
        assertThat(OllamaModels.builder()
                        .baseUrl(base)
                        .build()
                        .availableModels()
                        .content())
                .extracting(OllamaModel::getName)
                .contains("o:llama3.2:1b");

        HttpResponse<String> refused = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/delete"))
                        .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"model\":\"" + CODER + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as("a preset is not a download").isEqualTo(404);
        HttpResponse<String> deleted = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/delete"))
                        .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2:1b\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(file).doesNotExist();
    }

    @Test
    void aSecondListenerCanServeOllamasOwnPort() throws Exception {
        int port = TestRig.freePort();
        String config = Files.readString(home.resolve("config.yaml"));
        assertThat(config).contains("gateway: {port: ");
        // the setting is read at start: a second daemon on another home shows it
        Path other = Files.createDirectories(home.getParent().resolve("other/presets"))
                .getParent();
        Files.writeString(
                other.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: " + TestRig.freePort() + ", ollama-port: " + port + "}\n");
        PaddockCli second = new PaddockCli(other, home.getParent());
        Process d = second.startDaemon();
        try {
            HttpResponse<String> root = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(root.body()).isEqualTo("Ollama is running");
            assertThat(OllamaModels.builder()
                            .baseUrl("http://127.0.0.1:" + port)
                            .build()
                            .availableModels()
                            .content())
                    .isEmpty();
        } finally {
            d.destroy();
            d.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
