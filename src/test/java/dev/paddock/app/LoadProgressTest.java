package dev.paddock.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.jmx.SupervisorMBean;
import dev.paddock.supervisor.Supervisor;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.ProcFs;
import dev.paddock.testing.TestRig;
import dev.paddock.testing.TinyGguf;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load's real progress, as the real llama-server reports it when started as a router's child, on every surface:
 * the status snapshot ({@code /paddock/events}), JMX notifications, {@code status} and a bar in {@code paddock load}
 * on a terminal. The server reads its commands from a FIFO it holds itself, so it stops gracefully on the exit
 * command and outlives a {@code kill -9} of Paddock for the next Paddock to adopt; a server that reports nothing
 * still loads; a model too small for a percentage to show starts as a plain server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LoadProgressTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BIG = "Qwen2.5-Coder-7B-Instruct-Q4_K_M";
    private static final String TINY = "qwen2.5-0.5b-instruct-q4_k_m";
    private static final String SILENT = "gemma-3-27b-it-qat-q4_0-long-context-32k";
    private static final String HALFWAY = "deepseek-r1-distill-qwen-14b_Q5_K_M";

    @TempDir
    static Path dir;

    private Path home;
    private PaddockCli cli;
    private Process daemon;
    private String gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        int port = TestRig.freePort();
        gateway = "http://127.0.0.1:" + port;
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 5s\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: " + port + "}\n");
        // ~310 MB of weights, read with direct I/O (past the page cache the write just filled): a load of seconds
        Path big = TinyGguf.write(dir.resolve(BIG + ".gguf"), BIG, 41, TinyGguf.Shape.SLOW);
        Files.writeString(
                home.resolve("presets/" + BIG + ".yaml"),
                "model: " + big + "\nport: auto\ncontext-size: 256\nargs: [--load-mode, dio]\n");
        Path tiny = TestRig.tinyModel(dir, TINY, 42);
        Files.writeString(
                home.resolve("presets/" + TINY + ".yaml"), "model: " + tiny + "\nport: auto\ncontext-size: 256\n");
        Path fake = TestRig.fakeServerScript(dir);
        // the fake stands for servers of models as big as their names say: files of that size (sparse, so they take no
        // room), which start as a router's children as such models do
        Path silent = bigAs(tiny, dir.resolve(SILENT + ".gguf"), 17L << 30);
        Path halfway = bigAs(tiny, dir.resolve(HALFWAY + ".gguf"), 10L << 30);
        Files.writeString(
                home.resolve("presets/" + SILENT + ".yaml"),
                "model: " + silent + "\nport: auto\nllama-server: " + fake + "\nargs: [--fake-loading-ms, 300]\n");
        Files.writeString(
                home.resolve("presets/" + HALFWAY + ".yaml"),
                "model: " + halfway + "\nport: auto\nllama-server: " + fake
                        + "\nhealth-timeout: 120s\nargs: [--fake-progress, 0.5, --fake-loading-ms, 90000]\n");
        cli = new PaddockCli(home, dir);
        daemon = cli.startDaemon();
    }

    /** {@code model}'s bytes, then zeros up to {@code size}: a sparse file with the model's header. */
    private static Path bigAs(Path model, Path file, long size) throws java.io.IOException {
        Files.copy(model, file);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    @AfterAll
    void stop() throws Exception {
        if (daemon.isAlive()) {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Every {@code event: state} of /paddock/events, as JSON, from now on. */
    private List<JsonNode> events(List<AutoCloseable> close) throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        HttpResponse<InputStream> stream = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/paddock/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null)
                    if (line.startsWith("data: ")) events.add(JSON.readTree(line.substring(6)));
            } catch (java.io.IOException e) {
                // closed at the end of the test
            }
        });
        close.add(stream.body());
        await().until(() -> !events.isEmpty());
        return events;
    }

    @Test
    void theRealServersProgressRisesToAHundredBeforeRunningOnEverySurface() throws Exception {
        List<AutoCloseable> close = new ArrayList<>();
        try {
            List<JsonNode> events = events(close);
            List<Double> notified = new CopyOnWriteArrayList<>();
            JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(
                    Files.readAllLines(home.resolve("jmx.url")).get(0)));
            close.add(jmx);
            jmx.getMBeanServerConnection()
                    .addNotificationListener(
                            SupervisorMBean.NAME,
                            (n, hb) -> {
                                if (SupervisorMBean.STATUS_CHANGE.equals(n.getType())
                                        && n.getUserData() instanceof Number p) notified.add(p.doubleValue());
                            },
                            null,
                            null);

            String terminal = cli.onTerminal(Map.of(), "load", BIG).replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "");

            assertThat(terminal).contains(BIG + " running at");
            assertThat(terminal)
                    .as("a bar with a percentage, redrawn in place")
                    .containsPattern("loading " + BIG.replace(".", "\\.") + " \\[#*\\.+\\] [1-9][0-9]?%");
            await().until(() ->
                    events.stream().anyMatch(e -> e.path("state").asText().equals("running")));
            List<Double> progress = new ArrayList<>();
            int running = -1;
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i);
                if (e.path("state").asText().equals("running")) {
                    running = i;
                    assertThat(e.path("load_progress").isNull())
                            .as("no progress once running")
                            .isTrue();
                    break;
                }
                if (e.path("state").asText().equals("loading")
                        && e.path("load_progress").isNumber())
                    progress.add(e.path("load_progress").asDouble());
            }
            assertThat(running).isPositive();
            assertThat(progress)
                    .as("what the server reported, in order: it rises")
                    .isSorted()
                    .anyMatch(p -> p > 0 && p < 1)
                    .last()
                    .as("and reaches 1 before running")
                    .isEqualTo(1.0);
            assertThat(notified)
                    .as("JMX notifications carry it too")
                    .anyMatch(p -> p > 0 && p < 1)
                    .contains(1.0);

            assertThat(cli.run("unload").exit()).isZero();
            assertThat(Files.readString(home.resolve("logs/llama.log")))
                    .as("the server stopped on the exit command, and its router lines stayed out of the log")
                    .contains("exit command received")
                    .doesNotContain("cmd_child_to_router");
            assertThat(Files.readString(home.resolve("logs/daemon.log"))).doesNotContain("sending it again");
        } finally {
            for (AutoCloseable c : close) c.close();
        }
    }

    @Test
    void statusShowsTheProgressOfALoadUnderWay() throws Exception {
        CompletableFuture<PaddockCli.Run> load = CompletableFuture.supplyAsync(() -> run("load", HALFWAY, "--json"));
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        cli.run("status", "--json").json().path("load_progress").asDouble(-1) == 0.5);
        assertThat(cli.run("status").out()).contains("loaded    [##########..........] 50%");
        assertThat(cli.run("unload").exit()).isZero();
        assertThat(load.get(60, TimeUnit.SECONDS).exit())
                .as("the load was cancelled")
                .isEqualTo(1);
    }

    @Test
    void aServerThatReportsNothingStillLoads() throws Exception {
        loadsWithoutAPercentage(SILENT, pid -> {});
    }

    @Test
    void aModelTooSmallForAPercentageStartsAsAPlainServer() throws Exception {
        // half a megabyte loads within milliseconds: llama-server would report 0 and then 1, nothing between
        long pid = loadsWithoutAPercentage(TINY, server -> assertThat(ProcFs.environmentNames(server))
                .as("not a router's child")
                .isNotEmpty()
                .doesNotContain(Supervisor.ROUTER_PORT_ENV));
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    /**
     * Loads {@code preset}, hands its server's pid to {@code check} while it runs, and unloads it: no event carried a
     * percentage. Returns the pid.
     */
    private long loadsWithoutAPercentage(String preset, java.util.function.LongConsumer check) throws Exception {
        List<AutoCloseable> close = new ArrayList<>();
        try {
            List<JsonNode> events = events(close);
            PaddockCli.Run load = cli.run("load", preset, "--json");
            assertThat(load.exit()).as(load.out() + load.err()).isZero();
            long pid = cli.run("status", "--json").json().path("pid").asLong();
            check.accept(pid);
            await().until(() ->
                    events.stream().anyMatch(e -> e.path("state").asText().equals("running")));
            assertThat(events).allMatch(e -> e.path("load_progress").isNull());
            assertThat(cli.run("unload").exit()).isZero();
            return pid;
        } finally {
            for (AutoCloseable c : close) c.close();
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // it kills the daemon the others share
    void aServerOutlivesAKillOfPaddockAndTheNextPaddockAdoptsAndStopsIt() throws Exception {
        assertThat(cli.run("load", BIG, "--json").exit()).isZero();
        long pid = cli.run("status", "--json").json().path("pid").asLong();
        assertThat(ProcFs.environmentNames(pid)).as("a router's child").contains(Supervisor.ROUTER_PORT_ENV);
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();

        daemon.destroyForcibly(); // kill -9: no shutdown hook, the pipes close
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(server::isAlive); // its input is a FIFO it holds itself: no end of input, no exit

        Files.delete(home.resolve("jmx.url")); // the killed Paddock's: wait for the next one's
        daemon = cli.startDaemon();
        JsonNode status = cli.run("status", "--json").json();
        assertThat(status.path("state").asText()).isEqualTo("running");
        assertThat(status.path("pid").asLong()).as("adopted").isEqualTo(pid);

        assertThat(cli.run("unload").exit()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> !server.isAlive()); // not our child: the kernel reaps it
        assertThat(Files.readString(home.resolve("logs/daemon.log")))
                .as("the exit command reached it through the same FIFO: one SIGTERM was enough")
                .contains("adopted llama-server pid " + pid)
                .doesNotContain("pid " + pid + " still runs");
    }

    private PaddockCli.Run run(String... args) {
        try {
            return cli.run(args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
