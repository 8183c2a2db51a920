package dev.paddock.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
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

/**
 * The official Anthropic Java SDK against a gateway that wants a key: it sends {@code x-api-key}, not {@code
 * Authorization: Bearer}, and the Messages API (a message, a stream, a token count) switches by {@code model} on the
 * real llama-server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AnthropicClientTest {
    private static final String KEY = "sk-ant-paddock-0123456789abcdef";
    private static final String LLAMA = "Meta-Llama-3.1-8B-Instruct.Q4_K_M";
    private static final String MISTRAL = "mistral-7b-instruct-v0.2.Q4_K_M";

    private Process daemon;
    private PaddockCli cli;
    private String gateway;
    private AnthropicClient client;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        GatewayHome g = GatewayHome.in(dir, LlamaServerBinary.require(), ", api-keys: [" + KEY + "]", "")
                .tinyPreset(LLAMA, 1, "")
                .tinyPreset(MISTRAL, 2, "");
        gateway = g.url;
        cli = g.cli(dir);
        daemon = cli.startDaemon();
        client = AnthropicOkHttpClient.builder()
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

    private static MessageCreateParams ask(String model) {
        return MessageCreateParams.builder()
                .model(model)
                .maxTokens(8)
                .putAdditionalBodyProperty("temperature", com.anthropic.core.JsonValue.from(0)) // greedy: repeatable
                .addUserMessage("hello")
                .build();
    }

    private static String text(Message m) {
        StringBuilder b = new StringBuilder();
        for (ContentBlock c : m.content()) c.text().ifPresent(t -> b.append(t.text()));
        return b.toString();
    }

    @Test
    void messagesStreamsAndTokenCountsSwitchByModelWithTheKeyInXApiKey() throws Exception {
        String fromLlama = text(client.messages().create(ask(LLAMA)));
        assertThat(fromLlama).isNotEmpty();
        assertThat(cli.run("status", "--json").json().path("preset").asText()).isEqualTo(LLAMA);
        String fromMistral = text(client.messages().create(ask(MISTRAL)));
        assertThat(fromMistral).as("the other model answers, not the first").isNotEqualTo(fromLlama);
        assertThat(cli.run("status", "--json").json().path("preset").asText()).isEqualTo(MISTRAL);

        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(ask(LLAMA))) {
            s.stream()
                    .flatMap(e -> e.contentBlockDelta().stream())
                    .forEach(d -> d.delta().text().ifPresent(t -> streamed.append(t.text())));
        }
        assertThat(streamed.toString())
                .as("the stream says what the whole answer said")
                .isEqualTo(fromLlama);

        long tokens = client.messages()
                .countTokens(MessageCountTokensParams.builder()
                        .model(MISTRAL)
                        .addUserMessage("hello there")
                        .build())
                .inputTokens();
        assertThat(tokens).isPositive();
        assertThat(cli.run("status", "--json").json().path("preset").asText())
                .as("count_tokens names a model too")
                .isEqualTo(MISTRAL);
    }

    @Test
    void aWrongKeyIsUnauthorized() {
        AnthropicClient wrong = AnthropicOkHttpClient.builder()
                .baseUrl(gateway)
                .apiKey("sk-ant-not-the-right-key-00")
                .maxRetries(0)
                .build();
        try {
            assertThatThrownBy(() -> wrong.messages().create(ask(LLAMA))).isInstanceOf(UnauthorizedException.class);
        } finally {
            wrong.close();
        }
    }
}
