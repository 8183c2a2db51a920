package dev.paddock.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.testing.GatewayHome;
import dev.paddock.testing.PaddockCli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The gateway in front of the real llama-server with two tiny models that answer differently. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Process daemon;
    private PaddockCli cli;
    private String gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    /** Preset names as people write them: a hub file's name, dots and underscores, and an alias. */
    private static final String A = "qwen2.5-0.5b-instruct-q4_k_m";

    private static final String B = "Meta-Llama-3.1-8B-Instruct.Q4_K_M";

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        GatewayHome g =
                GatewayHome.in(dir).tinyPreset(A, 1, "").tinyPreset(B, 2, "alias: llama3.1\nargs: [\"--metrics\"]\n");
        gateway = g.url;
        cli = g.cli(dir);
        daemon = cli.startDaemon();
    }

    @AfterAll
    void stop() throws Exception {
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
    }

    private HttpResponse<String> post(String base, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String chat(String model, boolean stream) {
        return "{" + (model == null ? "" : "\"model\":\"" + model + "\",")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":8,\"temperature\":0,"
                + "\"seed\":7,\"stream\":" + stream + "}";
    }

    private static String content(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body())
                .path("choices")
                .get(0)
                .path("message")
                .path("content")
                .asText();
    }

    @Test
    void theModelARequestNamesIsLoadedFirstAndAnswersAsDirectly() throws Exception {
        HttpResponse<String> viaA = post(gateway, "/v1/chat/completions", chat(A, false));
        assertThat(viaA.statusCode()).as(viaA.body()).isEqualTo(200);
        String endpointA = cli.run("status", "--json").json().path("endpoint").asText();
        assertThat(cli.run("status", "--json").json().path("preset").asText()).isEqualTo(A);
        assertThat(content(post(endpointA, "/v1/chat/completions", chat(null, false))))
                .as("the same answer as the server gives directly")
                .isEqualTo(content(viaA));

        HttpResponse<String> viaB = post(gateway, "/v1/chat/completions", chat("llama3.1", false));
        assertThat(viaB.statusCode()).isEqualTo(200);
        assertThat(cli.run("status", "--json").json().path("preset").asText())
                .as("an alias names b")
                .isEqualTo(B);
        assertThat(content(viaB)).as("b's model answers, not a's").isNotEqualTo(content(viaA));

        HttpResponse<String> noModel = post(gateway, "/v1/chat/completions", chat(null, false));
        assertThat(content(noModel)).as("no model: whatever runs").isEqualTo(content(viaB));
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().command().orElse("").endsWith("llama-server"))
                        .filter(p ->
                                p.parent().map(pp -> pp.pid() == daemon.pid()).orElse(false)))
                .as("one server")
                .hasSize(1);
    }

    @Test
    void aStreamedAnswerComesThroughAsServerSentEvents() throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(chat(A, true)))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
        List<String> events = r.body().filter(l -> l.startsWith("data: ")).toList();
        assertThat(events.size()).as("several chunks").isGreaterThan(2);
        assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
    }

    @Test
    void anUnknownModelIs404WithTheNamesAndModelsListsThePresets() throws Exception {
        HttpResponse<String> r = post(gateway, "/v1/chat/completions", chat("nope", false));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).path("error").path("message").asText())
                .isEqualTo("no preset or downloaded model 'nope'; known: '" + B + "', 'llama3.1', '" + A + "'");

        post(gateway, "/v1/chat/completions", chat(A, false));
        JsonNode models = JSON.readTree(http.send(
                        HttpRequest.newBuilder(URI.create(gateway + "/v1/models"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(models.path("data").toString())
                .contains("\"id\":\"" + A + "\"", "\"id\":\"" + B + "\"", "\"aliases\":[\"llama3.1\"]");
        for (JsonNode m : models.path("data")) {
            assertThat(m.path("loaded").asBoolean())
                    .as(m.toString())
                    .isEqualTo(m.path("id").asText().equals(A));
            assertThat(m.path("object").asText()).isEqualTo("model");
            assertThat(m.path("owned_by").asText()).isEqualTo("paddock");
            assertThat(m.path("created").asLong())
                    .as("seconds since the epoch, as OpenAI's clients expect")
                    .isGreaterThan(1_700_000_000L);
        }
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(gateway + "/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void twoClientsNamingTwoPresetsInTurnEachGetTheirOwnModelAndThereIsNeverASecondServer() throws Exception {
        String fromA = content(post(gateway, "/v1/chat/completions", chat(A, false)));
        String fromB = content(post(gateway, "/v1/chat/completions", chat(B, false)));
        assertThat(fromA).as("the two models answer differently").isNotEqualTo(fromB);

        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread counter = new Thread(() -> {
            while (!done.get()) {
                long servers = ProcessHandle.of(daemon.pid())
                        .map(d -> d.descendants()
                                .filter(p -> p.info().command().orElse("").endsWith("llama-server"))
                                .count())
                        .orElse(0L);
                most.accumulateAndGet((int) servers, Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // a sample every millisecond
            }
        });
        counter.start();
        java.util.function.Function<String, java.util.concurrent.CompletableFuture<List<String>>> client =
                model -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    List<String> answers = new java.util.ArrayList<>();
                    try {
                        for (int i = 0; i < 6; i++) {
                            HttpResponse<String> r = post(gateway, "/v1/chat/completions", chat(model, false));
                            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                            answers.add(content(r));
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return answers;
                });
        var clientA = client.apply(A);
        var clientB = client.apply(B);
        List<String> answersA = clientA.get(120, TimeUnit.SECONDS);
        List<String> answersB = clientB.get(120, TimeUnit.SECONDS);
        done.set(true);
        counter.join();
        assertThat(answersA)
                .as("every answer to a's client came from a")
                .containsOnly(fromA)
                .hasSize(6);
        assertThat(answersB)
                .as("every answer to b's client came from b")
                .containsOnly(fromB)
                .hasSize(6);
        assertThat(most.get()).as("llama-servers at once").isEqualTo(1);
    }

    @Test
    void metricsCountRequestsAndLoadsAndCarryLlamaServersOwn() throws Exception {
        assertThat(post(gateway, "/v1/chat/completions", chat(B, false)).statusCode())
                .isEqualTo(200);
        assertThat(post(gateway, "/tokenize", "{\"content\":\"hello\"}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain; version=0.0.4");
        assertThat(r.body())
                .contains(
                        "# TYPE paddock_requests_total counter",
                        "paddock_requests_total{preset=\"" + B + "\",path=\"/tokenize\",code=\"200\"} ",
                        "paddock_request_duration_seconds_bucket{preset=\"" + B + "\",le=\"+Inf\"} ",
                        "paddock_loads_total{preset=\"" + B + "\",result=\"ok\"} ",
                        "paddock_load_duration_seconds_count{preset=\"" + B + "\"} ",
                        "paddock_state{state=\"running\"} 1",
                        "paddock_queue_length 0")
                .as("llama-server's own, since b runs with --metrics")
                .contains("llamacpp:prompt_tokens_total");
    }

    @Test
    void runStreamsTheSameAnswerTheApiGivesForAPromptOrPipedText() throws Exception {
        String asked = "{\"model\":\"" + A + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],"
                + "\"max_tokens\":8,\"temperature\":0}";
        String expected = content(post(gateway, "/v1/chat/completions", asked));
        PaddockCli.Run once = cli.run("run", A, "hello", "--temp", "0", "-n", "8");
        assertThat(once.exit()).as(once.err()).isZero();
        assertThat(once.out()).isEqualTo(expected + "\n");

        String withSystem = "{\"model\":\"" + B + "\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":8,\"temperature\":0}";
        String expectedB = content(post(gateway, "/v1/chat/completions", withSystem));
        Path input = Files.writeString(cli.home().resolveSibling("stdin.txt"), "hello\n");
        PaddockCli.Run piped = cli.run(cli.process("run", B, "--system", "be brief", "--temp", "0", "-n", "8")
                .redirectInput(input.toFile()));
        assertThat(piped.exit()).as(piped.err()).isZero();
        assertThat(piped.out()).isEqualTo(expectedB + "\n");

        PaddockCli.Run unknown = cli.run("run", "nope", "hello");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no preset or downloaded model 'nope'");
    }
}
