package dev.paddock.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The official OpenAI Java SDK, pointed at the gateway (with an API key) in front of the real llama-server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OpenAiClientTest {
    private static final String KEY = "sk-paddock-test-0123456789";

    private Process daemon;
    private PaddockCli cli;
    private OpenAIClient client;
    private String gateway;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        int port = TestRig.freePort();
        gateway = "http://127.0.0.1:" + port + "/v1";
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: " + port + ", api-keys: [" + KEY + "]}\n");
        Files.writeString(
                home.resolve("presets/a.yaml"),
                "model: " + TestRig.tinyModel(dir, "tiny-a", 1) + "\nport: auto\ncontext-size: 256\nthreads: 1\n");
        Files.writeString(
                home.resolve("presets/b.yaml"),
                "model: " + TestRig.tinyModel(dir, "tiny-b", 2) + "\nport: auto\ncontext-size: 256\nthreads: 1\n");
        cli = new PaddockCli(home, dir);
        daemon = cli.startDaemon();
        client = OpenAIOkHttpClient.builder()
                .baseUrl(gateway)
                .apiKey(KEY)
                .maxRetries(0)
                .build();
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) client.close();
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
    }

    private static ChatCompletionCreateParams ask(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("hello")
                .maxCompletionTokens(8)
                .temperature(0.0)
                .build();
    }

    private String answer(String model) {
        return client.chat()
                .completions()
                .create(ask(model))
                .choices()
                .get(0)
                .message()
                .content()
                .orElse("");
    }

    @Test
    void chatStreamingAndModelsWorkThroughTheSdkAndEachModelAnswersForItself() {
        String fromA = answer("a");
        assertThat(fromA).isNotEmpty();
        String fromB = answer("b");
        assertThat(fromB).as("b answers, not a").isNotEqualTo(fromA);

        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ask("a"))) {
            s.stream()
                    .flatMap(chunk -> chunk.choices().stream())
                    .forEach(c -> c.delta().content().ifPresent(streamed::append));
        }
        assertThat(streamed.toString())
                .as("the stream says what the whole answer said")
                .isEqualTo(fromA);

        assertThat(client.models().list().data()).extracting(Model::id).containsExactly("a", "b");
    }

    @Test
    void aWrongKeyIsUnauthorizedAndAnUnknownModelIsNotFoundWithTheNames() {
        OpenAIClient wrong = OpenAIOkHttpClient.builder()
                .baseUrl(gateway)
                .apiKey("sk-not-the-right-key-000")
                .maxRetries(0)
                .build();
        try {
            assertThatThrownBy(() -> wrong.chat().completions().create(ask("a")))
                    .isInstanceOf(UnauthorizedException.class);
        } finally {
            wrong.close();
        }
        assertThatThrownBy(() -> answer("nope"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no preset or downloaded model 'nope'; known: 'a', 'b'");
    }
}
