package dev.paddock.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.autostart.LinuxAutostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.jmx.SupervisorMBean;
import dev.paddock.supervisor.ServerState;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import dev.paddock.testing.TinyGguf;
import dev.paddock.tray.Desktops;
import dev.paddock.tray.MenuModel;
import dev.paddock.tray.TrayController;
import dev.paddock.tray.TrayHost;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "A switch never cuts a request", across surfaces, on the real llama-server: a slow streamed completion through the
 * gateway while a load of another preset arrives from the CLI, from JMX and from the tray. Without force the stream
 * arrives whole and the switch comes after it (status says it waits meanwhile); with force the stream ends at once
 * with an error naming who switched. One Paddock in this JVM, with its tray controller; the CLI in its own JVMs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SwitchAcrossSurfacesTest {
    private static final String CODER = "qwen2.5-coder-7b-instruct-q4_k_m";
    private static final String LLAMA = "Meta-Llama-3.1-8B-Instruct.Q4_K_M";
    private static final int TOKENS = 160;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private Running running;
    private TrayController tray;
    private JMXConnector jmx;
    private PaddockCli cli;
    private String gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    enum Surface {
        CLI,
        JMX,
        TRAY
    }

    @BeforeAll
    void startPaddock() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        Path slow = TinyGguf.write(
                dir.resolve("models/Qwen/Qwen2.5-Coder-7B-Instruct-GGUF/qwen2.5-coder-7b-instruct-q4_k_m.gguf"),
                CODER,
                7,
                TinyGguf.Shape.SLOW);
        Path tiny = TestRig.tinyModel(dir, "Meta-Llama-3.1-8B-Instruct-Q4_K_M", 8);
        int port = TestRig.freePort();
        gateway = "http://127.0.0.1:" + port;
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: " + port + "}\n");
        // one thread: each token of the slow model takes long enough for a switch to be asked mid-stream
        Files.writeString(
                home.resolve("presets/" + CODER + ".yaml"),
                "model: " + slow + "\nport: auto\ncontext-size: 512\nthreads: 1\n");
        Files.writeString(
                home.resolve("presets/" + LLAMA + ".yaml"), "model: " + tiny + "\nport: auto\ncontext-size: 256\n");
        PaddockHome h = new PaddockHome(home);
        running = new Daemon(h, new PrintStream(OutputStream.nullOutputStream()))
                .start(false)
                .orElseThrow();
        tray = new TrayController(
                running.switchboard(),
                h,
                () -> running.config().presetsDir(),
                new LinuxAutostart(dir.resolve("autostart")),
                new Desktops(),
                TrayController.Dialogs.NONE,
                () -> {},
                Clock.systemUTC());
        tray.attach(new QuietHost());
        jmx = JMXConnectorFactory.connect(
                new JMXServiceURL(Files.readAllLines(home.resolve("jmx.url")).get(0)));
        cli = new PaddockCli(home, dir);
    }

    @AfterAll
    void stopPaddock() throws Exception {
        jmx.close();
        tray.close();
        running.stop();
    }

    @BeforeEach
    void theSlowModelRuns() throws Exception {
        running.switchboard().load(CODER, false, dev.paddock.switchboard.Origin.START);
    }

    @ParameterizedTest
    @EnumSource(Surface.class)
    void aLoadFromAnySurfaceWaitsForTheStreamInFlightWhichArrivesWhole(Surface surface) throws Exception {
        Stream stream = stream();
        await().until(() -> stream.events.size() >= 2);

        CompletableFuture<Void> load = load(surface, false);
        await().until(() -> running.switchboard().status().pending() != null);
        var pending = running.switchboard().status().pending();
        assertThat(pending.to()).isEqualTo(LLAMA);
        assertThat(pending.waitingFor()).isEqualTo(1);
        JsonNode seen = JSON.readTree(StatusJson.of(jmx));
        assertThat(seen.path("switching").asText())
                .as("JMX shows it too")
                .isEqualTo("switching to " + LLAMA + " after 1 request");

        stream.done.get(120, TimeUnit.SECONDS);
        load.get(60, TimeUnit.SECONDS);
        assertThat(stream.events).last().isEqualTo("data: [DONE]");
        assertThat(stream.tokens())
                .as("every token the stream asked for: "
                        + stream.events.subList(Math.max(0, stream.events.size() - 3), stream.events.size()))
                .isEqualTo(TOKENS);
        ServerState.Running now =
                (ServerState.Running) running.switchboard().status().server();
        assertThat(now.spec().presetName()).isEqualTo(LLAMA);
        assertThat(now.since()).as("the switch came after the stream").isAfter(stream.ended.get());
    }

    @ParameterizedTest
    @EnumSource(Surface.class)
    void aForcedLoadFromAnySurfaceCutsTheStreamWithAnErrorNamingIt(Surface surface) throws Exception {
        Stream stream = stream();
        await().until(() -> stream.events.size() >= 2);

        load(surface, true).get(60, TimeUnit.SECONDS);
        stream.done.get(30, TimeUnit.SECONDS);

        assertThat(stream.events).doesNotContain("data: [DONE]");
        assertThat(stream.events).hasSizeLessThan(TOKENS);
        String last = stream.events.get(stream.events.size() - 1);
        JsonNode error = JSON.readTree(last.substring("data: ".length())).path("error");
        assertThat(error.path("code").asText()).isEqualTo("switched");
        assertThat(error.path("message").asText())
                .startsWith("this request was cut: ")
                .contains(
                        switch (surface) {
                            case CLI -> "paddock load (the CLI)";
                            case JMX -> "a JMX client";
                            case TRAY -> "the tray";
                        })
                .contains("'" + LLAMA + "'");
        assertThat(running.switchboard().status().view().preset()).isEqualTo(LLAMA);
    }

    /** Asks for {@link #LLAMA} from {@code surface}; done when the switch is. */
    private CompletableFuture<Void> load(Surface surface, boolean force) {
        return CompletableFuture.runAsync(() -> {
            try {
                switch (surface) {
                    case CLI -> {
                        PaddockCli.Run r = force ? cli.run("load", "--force", LLAMA) : cli.run("load", LLAMA);
                        assertThat(r.exit()).as(r.err()).isZero();
                    }
                    case JMX -> jmx.getMBeanServerConnection()
                            .invoke(SupervisorMBean.NAME, "load", new Object[] {LLAMA, force}, new String[] {
                                String.class.getName(), "boolean"
                            });
                    case TRAY -> {
                        tray.load(LLAMA);
                        if (force) {
                            await().until(() -> tray.shown().forceLabel() != null);
                            assertThat(tray.shown().forceLabel()).isEqualTo("Switch now (cuts 1 request)");
                            assertThat(tray.shown().status()).isEqualTo("Switching to " + LLAMA + " after 1 request");
                            tray.forceSwitch();
                        }
                        await().atMost(Duration.ofSeconds(60))
                                .until(() -> LLAMA.equals(running.switchboard()
                                                .status()
                                                .view()
                                                .preset())
                                        && running.switchboard()
                                                .status()
                                                .state()
                                                .equals("running"));
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /** A streamed completion of {@link #TOKENS} tokens from the slow model, read line by line as it arrives. */
    private Stream stream() {
        Stream s = new Stream();
        String body = "{\"model\": \"" + CODER + "\", \"prompt\": \"Once upon a time\", \"max_tokens\": " + TOKENS
                + ", \"ignore_eos\": true, \"temperature\": 0, \"stream\": true}";
        HttpRequest req = HttpRequest.newBuilder(URI.create(gateway + "/v1/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        s.done = http.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
            r.body().filter(l -> l.startsWith("data: ")).forEach(s.events::add);
            s.ended.set(Instant.now());
        });
        return s;
    }

    private static final class Stream {
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicReference<Instant> ended = new AtomicReference<>();
        CompletableFuture<Void> done;

        /** The tokens llama-server says it generated (its last event's usage; events carry whole characters). */
        long tokens() throws Exception {
            for (int i = events.size() - 1; i >= 0; i--) {
                if (events.get(i).equals("data: [DONE]")) continue;
                JsonNode usage = JSON.readTree(events.get(i).substring(6)).path("usage");
                if (usage.has("completion_tokens"))
                    return usage.path("completion_tokens").asLong();
            }
            return -1;
        }
    }

    /** The status as the CLI reads it: JMX's one {@code Status} attribute. */
    private static final class StatusJson {
        static String of(JMXConnector jmx) throws Exception {
            var row = javax.management
                    .JMX
                    .newMXBeanProxy(
                            jmx.getMBeanServerConnection(),
                            SupervisorMBean.NAME,
                            dev.paddock.jmx.SupervisorMXBean.class)
                    .getStatus();
            return JSON.writeValueAsString(row.fields());
        }
    }

    /** A tray host that draws nothing: the controller's model is what the test reads. */
    private static final class QuietHost implements TrayHost {
        @Override
        public void show(MenuModel model, int frame) {}

        @Override
        public boolean notify(String title, String body, boolean error) {
            return true;
        }

        @Override
        public String kind() {
            return "quiet";
        }

        @Override
        public void close() {}
    }
}
