package dev.paddock.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.SupervisorFixture;
import dev.paddock.testing.TestRig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor against the real llama-server and two tiny random-weight models. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SupervisorRealServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Presets and model files named as people and the hub name them. */
    private static final String A = "gemma-3-27b-it-qat-q4_0-long-context-32k",
            B = "deepseek-r1-distill-qwen-14b_Q5_K_M";

    private static final String MODEL_A = "gemma-3-4b-it-UD-Q4_K_XL", MODEL_B = "DeepSeek-R1-Distill-Qwen-14B-Q5_K_M";

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Path server;
    private Path modelA;
    private Path modelB;
    private SupervisorFixture f;

    @BeforeEach
    void setUp() {
        server = LlamaServerBinary.require();
        modelA = TestRig.tinyModel(dir, MODEL_A, 1);
        modelB = TestRig.tinyModel(dir, MODEL_B, 2);
        f = new SupervisorFixture(dir);
    }

    @AfterEach
    void tearDown() {
        f.close();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive))
                .as("llama-server children left behind")
                .isEmpty();
    }

    private LaunchSpec spec(String name, Path model, int port) {
        return SupervisorFixture.spec(name, server, model, port, Duration.ofSeconds(5), "-c", "256", "-t", "1");
    }

    @Test
    void switchesAToBToAAndEachAnswerComesFromTheModelAsked() throws Exception {
        int port = TestRig.freePort();
        LaunchSpec a = spec(A, modelA, port);
        LaunchSpec b = spec(B, modelB, port);

        ServerState.Running runA = loaded(f.supervisor.load(a).join());
        assertThat(modelPath(runA.endpoint())).isEqualTo(modelA.toString());
        String answerA = chat(runA.endpoint());

        ServerState.Running runB = loaded(f.supervisor.load(b).join());
        assertThat(ProcessHandle.of(runA.pid())).as("a stopped before b ran").isEmpty();
        assertThat(modelPath(runB.endpoint())).isEqualTo(modelB.toString());
        String answerB = chat(runB.endpoint());

        ServerState.Running runA2 = loaded(f.supervisor.load(a).join());
        assertThat(modelPath(runA2.endpoint())).isEqualTo(modelA.toString());
        assertThat(chat(runA2.endpoint())).as("a answers as a again").isEqualTo(answerA);
        assertThat(answerA).as("the two models answer differently").isNotEqualTo(answerB);

        await().until(() -> f.transitions().size() == 8);
        assertThat(f.transitions())
                .containsExactly(
                        "loading", "running", "stopping", "loading", "running", "stopping", "loading", "running");
    }

    @Test
    void twentyConcurrentLoadsOfAlternatingPresetsEndWithExactlyOneChild() throws Exception {
        int port = TestRig.freePort();
        List<LaunchSpec> specs = List.of(spec(A, modelA, port), spec(B, modelB, port));
        ExecutorService callers = Executors.newFixedThreadPool(20);
        List<CompletableFuture<LoadResult>> results = new ArrayList<>();
        try {
            List<CompletableFuture<CompletableFuture<LoadResult>>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                LaunchSpec s = specs.get(i % 2);
                calls.add(CompletableFuture.supplyAsync(() -> f.supervisor.load(s), callers));
            }
            for (var c : calls) results.add(c.join());
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();
        } finally {
            callers.shutdown();
        }
        assertThat(results.stream().map(CompletableFuture::join).filter(r -> r instanceof LoadResult.Loaded))
                .as("at least the last load completes")
                .isNotEmpty();
        assertThat(f.state()).isInstanceOf(ServerState.Running.class);
        ServerState.Running running = (ServerState.Running) f.state();
        // the servers among the children (beside the running one waits a spare shell, not a server)
        List<ProcessHandle> alive = ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> isServer(p.pid()))
                .toList();
        assertThat(alive).extracting(ProcessHandle::pid).containsExactly(running.pid());
        assertThat(modelPath(running.endpoint()))
                .isEqualTo(running.spec().model().toString());
    }

    @Test
    void whoeverHoldsConnectionsIsToldBeforeTheServerIsAskedToStop() throws Exception {
        int port = TestRig.freePort();
        ServerState.Running run =
                loaded(f.supervisor.load(spec(A, modelA, port)).join());
        // a client holding a keep-alive connection, as the gateway's pool does
        java.net.Socket client = new java.net.Socket("127.0.0.1", port);
        String body = "{\"content\":\"hi\"}";
        client.getOutputStream()
                .write(("POST /tokenize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                                + body.length() + "\r\n\r\n" + body)
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(client.getInputStream().read(new byte[4096])).isPositive();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.supervisor.beforeStopping(spec -> {
            seen.add(spec.presetName() + " alive=" + ProcessHandle.of(run.pid()).isPresent());
            try {
                client.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        f.supervisor.unload().join();

        assertThat(seen)
                .as("told before the signal, while the server still ran")
                .containsExactly(A + " alive=true");
    }

    private static ServerState.Running loaded(LoadResult r) {
        assertThat(r).isInstanceOf(LoadResult.Loaded.class);
        return ((LoadResult.Loaded) r).state();
    }

    private String modelPath(URI endpoint) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(endpoint.resolve("/props")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body()).path("model_path").asText();
    }

    /** A greedy, seeded completion: the same model gives the same answer every time. */
    private String chat(URI endpoint) throws Exception {
        String body =
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}],\"max_tokens\":12,\"temperature\":0,\"seed\":7}";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(endpoint.resolve("/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode msg =
                JSON.readTree(r.body()).path("choices").path(0).path("message").path("content");
        assertThat(msg.isTextual()).as(r.body()).isTrue();
        return msg.asText();
    }

    /** Whether the process runs the llama-server binary ({@code /proc/PID/exe}). */
    private boolean isServer(long pid) {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc", Long.toString(pid), "exe"))
                    .equals(server.toRealPath());
        } catch (java.io.IOException gone) {
            return false;
        }
    }
}
