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
import dev.paddock.testing.GatewayHome;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
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
    private static final String CODER = "qwen2.5-coder-7b-instruct-q4_k_m";
    private static final String DEEPSEEK = "deepseek-r1-distill-qwen-14b_Q5_K_M";

    private static final String KEY = "sk-paddock-test-0123456789";

    private Process daemon;
    private PaddockCli cli;
    private OpenAIClient client;
    private String gateway;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        GatewayHome g = GatewayHome.in(dir, LlamaServerBinary.require(), ", api-keys: [" + KEY + "]", "")
                .tinyPreset(CODER, 1, "")
                .tinyPreset(DEEPSEEK, 2, "");
        gateway = g.url + "/v1";
        cli = g.cli(dir);
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
        String fromA = answer(CODER);
        assertThat(fromA).isNotEmpty();
        String fromB = answer(DEEPSEEK);
        assertThat(fromB).as("the other model answers, not the first").isNotEqualTo(fromA);

        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ask(CODER))) {
            s.stream()
                    .flatMap(chunk -> chunk.choices().stream())
                    .forEach(c -> c.delta().content().ifPresent(streamed::append));
        }
        assertThat(streamed.toString())
                .as("the stream says what the whole answer said")
                .isEqualTo(fromA);

        assertThat(client.models().list().data()).extracting(Model::id).containsExactly(DEEPSEEK, CODER);
    }

    @Test
    void aWrongKeyIsUnauthorizedAndAnUnknownModelIsNotFoundWithTheNames() {
        OpenAIClient wrong = OpenAIOkHttpClient.builder()
                .baseUrl(gateway)
                .apiKey("sk-not-the-right-key-000")
                .maxRetries(0)
                .build();
        try {
            assertThatThrownBy(() -> wrong.chat().completions().create(ask(CODER)))
                    .isInstanceOf(UnauthorizedException.class);
        } finally {
            wrong.close();
        }
        assertThatThrownBy(() -> answer("nope"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining(
                        "no preset or downloaded model 'nope'; known: '" + DEEPSEEK + "', '" + CODER + "'");
    }
}
