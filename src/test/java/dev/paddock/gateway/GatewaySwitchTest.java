package dev.paddock.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.testing.GatewayHome;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Switching through the gateway around a stream, and a server that dies mid-stream (the fake server streams slowly). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewaySwitchTest {
    /** Presets and their model files named as people and the hub name them. */
    private static final String X = "gpt-oss-20b", X_FILE = "gpt-oss-20b-mxfp4.gguf";

    private static final String Y = "qwen2.5-coder-7b-instruct-q4_k_m",
            Y_FILE = "qwen2.5-coder-7b-instruct-q4_k_m.gguf";

    @TempDir
    Path dir;

    private Process daemon;
    private PaddockCli cli;
    private String gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        GatewayHome g = GatewayHome.in(dir, TestRig.fakeServerScript(dir), ", queue: 1, max-body: 2KB", "");
        gateway = g.url;
        for (List<String> preset : List.of(List.of(X, X_FILE), List.of(Y, Y_FILE))) {
            Path model = Files.writeString(dir.resolve(preset.get(1)), "x");
            g.preset(preset.get(0), "model: " + model + "\nport: auto\nargs: [\"--fake-stream-delay-ms\", \"100\"]\n");
        }
        g.preset(
                "slow",
                "model: " + dir.resolve(X_FILE) + "\nport: auto\nargs: [\"--fake-stream-delay-ms\", \"400\"]\n");
        g.preset("brief", "model: " + dir.resolve(X_FILE) + "\nport: auto\nttl: 2s\n");
        cli = g.cli(dir);
        daemon = cli.startDaemon();
    }

    @AfterEach
    void stop() throws Exception {
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
    }

    private HttpRequest chat(String model, boolean stream) {
        return HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
    }

    @Test
    void aSwitchWaitsForTheStreamInFlightToFinish() throws Exception {
        assertThat(http.send(chat(X, false), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicLong streamEnded = new AtomicLong();
        HttpResponse<InputStream> stream = http.send(chat(X, true), HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) if (line.startsWith("data: ")) events.add(line);
                streamEnded.set(System.nanoTime());
            } catch (java.io.IOException e) {
                events.add("broken: " + e);
            }
        });
        await().until(() -> !events.isEmpty()); // the stream from x is under way
        HttpResponse<String> y = http.send(chat(Y, false), HttpResponse.BodyHandlers.ofString());
        long yDone = System.nanoTime();
        reading.get(30, TimeUnit.SECONDS);
        assertThat(y.statusCode()).isEqualTo(200);
        assertThat(y.body()).contains("fake reply from " + Y_FILE);
        assertThat(events).as("x's stream ran to its end").hasSize(11).last().isEqualTo("data: [DONE]");
        assertThat(events).allSatisfy(e -> assertThat(e).doesNotContain("broken"));
        assertThat(streamEnded.get())
                .as("the switch to y came after x's stream")
                .isLessThan(yDone);
        assertThat(cli.run("status", "--json").json().path("preset").asText()).isEqualTo(Y);
    }

    @Test
    void aServerKilledMidStreamEndsTheStreamWithAnErrorAndTheNextRequestReloads() throws Exception {
        assertThat(http.send(chat(X, false), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        long pid = cli.run("status", "--json").json().path("pid").asLong();
        List<String> events = new CopyOnWriteArrayList<>();
        HttpResponse<InputStream> stream = http.send(chat(X, true), HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) if (line.startsWith("data: ")) events.add(line);
            } catch (java.io.IOException e) {
                events.add("broken: " + e);
            }
        });
        await().until(() -> !events.isEmpty());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        reading.get(30, TimeUnit.SECONDS);
        assertThat(events).last().asString().contains("llama-server stopped mid-response");
        await().atMost(Duration.ofSeconds(10)).until(() -> cli.run("status", "--json")
                .json()
                .path("state")
                .asText()
                .equals("failed"));

        HttpResponse<String> again = http.send(chat(X, false), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("fake reply from " + X_FILE);
        assertThat(cli.run("status", "--json").json().path("pid").asLong())
                .as("a new server")
                .isNotEqualTo(pid);
    }

    @Test
    void aPresetWithATtlIsUnloadedWhenIdleAndEachRequestPutsThatOff() throws Exception {
        assertThat(http.send(chat("brief", false), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        String first = cli.run("status").out();
        assertThat(first).contains("unloads   at ", "if no request comes (ttl)");
        var at1 = java.time.Instant.parse(jmxIdleAt());
        assertThat(http.send(chat("brief", false), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        var at2 = java.time.Instant.parse(jmxIdleAt());
        assertThat(at2).as("a request restarts the countdown").isAfter(at1);
        await().atMost(Duration.ofSeconds(20)).until(() -> cli.run("status", "--json")
                .json()
                .path("state")
                .asText()
                .equals("idle"));
        assertThat(http.send(chat(X, false), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        assertThat(cli.run("status").out()).as("x has no ttl").doesNotContain("unloads");
    }

    private String jmxIdleAt() throws Exception {
        var url = new javax.management.remote.JMXServiceURL(
                Files.readAllLines(cli.home().resolve("jmx.url")).get(0));
        try (var c = javax.management.remote.JMXConnectorFactory.connect(url)) {
            return (String)
                    c.getMBeanServerConnection().getAttribute(dev.paddock.jmx.SupervisorMBean.NAME, "IdleUnloadAt");
        }
    }

    @Test
    void loadUnloadAndTheEventStreamOverHttp() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        HttpResponse<InputStream> stream = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/paddock/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) if (line.startsWith("data: ")) events.add(line);
            } catch (java.io.IOException e) {
                // closed at the end of the test
            }
        });
        await().until(() -> !events.isEmpty());
        assertThat(events.get(0)).contains("\"state\":\"idle\"");

        HttpResponse<String> load = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/paddock/load"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + Y + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(load.statusCode()).as(load.body()).isEqualTo(200);
        assertThat(load.body()).contains("\"status\":\"ok\"", "\"preset\":\"" + Y + "\"", "\"state\":\"running\"");
        HttpResponse<String> missing = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/paddock/load"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"qwen2.5-coder-7b-instrcut-q4_k_m\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"error_code\":\"preset_not_found\"", "did you mean '" + Y + "'");
        HttpResponse<String> unload = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/paddock/unload"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unload.body()).contains("\"state\":\"idle\"");
        await().until(() -> events.size() >= 5);
        assertThat(events.stream()
                        .map(e -> e.replaceAll(".*\"state\":\"([a-z]+)\".*", "$1"))
                        .toList())
                .containsSubsequence("idle", "loading", "running", "stopping", "idle");
        stream.body().close();
    }

    private String metrics() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Reads a stream's data lines on another thread until it ends. */
    private static CompletableFuture<Void> readEvents(HttpResponse<InputStream> stream, List<String> events) {
        return CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) if (line.startsWith("data: ")) events.add(line);
            } catch (java.io.IOException e) {
                events.add("broken: " + e);
            }
        });
    }

    @Test
    void aClientThatLeavesMidStreamCancelsItsRequestUpstream() throws Exception {
        HttpResponse<InputStream> stream = http.send(chat("slow", true), HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertThat(r.readLine()).startsWith("data: ");
        stream.body().close(); // the client goes after its first event

        Path llamaLog = cli.home().resolve("logs/llama.log");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.readString(llamaLog).contains("fake: the client closed the stream after"));
        String line = Files.readAllLines(llamaLog).stream()
                .filter(l -> l.contains("fake: the client closed the stream after"))
                .findFirst()
                .orElseThrow();
        int sent = Integer.parseInt(line.replaceAll(".*after (\\d+) of.*", "$1"));
        assertThat(sent).as("llama-server stopped generating early: " + line).isLessThan(10);
    }

    @Test
    void theQueueBehindASwitchIsBoundedAndAFullQueueIs503WithRetryAfter() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        HttpResponse<InputStream> stream = http.send(chat("slow", true), HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<Void> reading = readEvents(stream, events);
        await().until(() -> !events.isEmpty());
        // y waits for the stream to end before it can switch: the one place in the queue (gateway.queue: 1)
        CompletableFuture<HttpResponse<String>> y =
                http.sendAsync(chat(Y, false), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics().contains("\npaddock_queue_length 1\n"));

        HttpResponse<String> turnedAway = http.send(chat(X, false), HttpResponse.BodyHandlers.ofString());
        assertThat(turnedAway.statusCode()).isEqualTo(503);
        assertThat(turnedAway.headers().firstValue("Retry-After")).contains("2");
        assertThat(turnedAway.body()).contains("queue is full");

        assertThat(y.get(30, TimeUnit.SECONDS).body()).contains("fake reply from " + Y_FILE);
        reading.get(30, TimeUnit.SECONDS);
        assertThat(events).last().isEqualTo("data: [DONE]");
        String m = metrics();
        assertThat(m)
                .contains(
                        "\npaddock_queue_length 0\n",
                        "\npaddock_requests_rejected_total 1\n",
                        "paddock_requests_total{preset=\"slow\",path=\"/v1/chat/completions\",code=\"200\"} 1\n",
                        "paddock_requests_total{preset=\"" + Y + "\",path=\"/v1/chat/completions\",code=\"200\"} 1\n",
                        "paddock_loads_total{preset=\"" + Y + "\",result=\"ok\"} 1\n",
                        "paddock_switch_duration_seconds_count{preset=\"" + Y + "\"} 1\n",
                        "paddock_state{state=\"running\"} 1\n");
    }

    @Test
    void aBodyOverGatewayMaxBodyIs413AndLoadsNothing() throws Exception {
        String big = "{\"model\":\"" + X + "\",\"prompt\":\"" + "a".repeat(3000) + "\"}";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/v1/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(big))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("gateway.max-body");
        assertThat(cli.run("status", "--json").json().path("state").asText()).isEqualTo("idle");
    }

    @Test
    void runOnATerminalKeepsAConversationCtrlCStopsAnAnswerAndByeLeaves() throws Exception {
        // a real terminal for `paddock run`: util-linux script(1) gives it a pseudo-terminal
        ProcessBuilder run = cli.process("run", "slow");
        String command = run.command().stream()
                .map(a -> "'" + a.replace("'", "'\\''") + "'")
                .collect(java.util.stream.Collectors.joining(" "));
        // exec: script runs its command through $SHELL, and a shell left waiting in between (dash does not exec
        // the last command) would itself die of the Ctrl-C, ending script with 130 while paddock run lives on
        ProcessBuilder pb =
                new ProcessBuilder("script", "-qfec", "exec " + command, "/dev/null").redirectErrorStream(true);
        pb.environment().putAll(run.environment());
        pb.environment().put("SHELL", "/bin/sh"); // the same shell whatever the caller's
        Process p = pb.start();
        StringBuffer screen = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] b = new byte[4096];
                int n;
                while ((n = in.read(b)) > 0) screen.append(new String(b, 0, n, StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                // the terminal closed
            }
        });
        reader.start();
        try (java.io.OutputStream keys = p.getOutputStream()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> screen.indexOf(">>> ") >= 0);
            keys.write("hello\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> screen.indexOf(X_FILE + " 1") >= 0);
            keys.write(3); // Ctrl-C: the terminal sends SIGINT
            keys.flush();
            Path llamaLog = cli.home().resolve("logs/llama.log");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(llamaLog).contains("fake: the client closed the stream after"));
            await().atMost(Duration.ofSeconds(10))
                    .alias("back at the prompt after Ctrl-C")
                    .until(() -> screen.toString().split(">>> ", -1).length >= 3);
            assertThat(p.isAlive())
                    .as("Ctrl-C stopped the answer, not paddock run")
                    .isTrue();
            keys.write("/bye\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("/bye leaves").isTrue();
        } finally {
            p.destroyForcibly();
        }
        reader.join(5000);
        assertThat(p.exitValue()).as(screen.toString()).isZero();
        assertThat(screen.toString()).doesNotContain(X_FILE + " 9");
    }
}
