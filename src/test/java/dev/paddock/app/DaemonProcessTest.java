package dev.paddock.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.config.PaddockHome;
import dev.paddock.supervisor.HealthProbe;
import dev.paddock.supervisor.ServerRecord;
import dev.paddock.supervisor.ServerRecordStore;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.ProcFs;
import dev.paddock.testing.TestRig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code paddock start --foreground} as a real process: pid file, default preset, signals, kill -9 recovery. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DaemonProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** The default preset and its model file, named as people and the hub name them. */
    private static final String PRESET = "deepseek-r1-distill-qwen-14b_Q5_K_M",
            MODEL = "DeepSeek-R1-Distill-Qwen-14B-Q5_K_M";

    @TempDir
    Path dir;

    private final HealthProbe probe = new HealthProbe(500, 1000);
    private Process daemon;
    private Path lastOutput;

    @AfterEach
    void tearDown() {
        if (daemon != null && daemon.isAlive()) daemon.destroyForcibly();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private PaddockHome home(Path server, String presetBody) throws IOException {
        PaddockHome home = new PaddockHome(dir.resolve("home"));
        Files.createDirectories(home.defaultPresetsDir());
        Files.writeString(
                home.configFile(),
                "llama-server: " + server + "\nstop-timeout: 2s\ndefault-preset: " + PRESET + "\njmx: {port: "
                        + TestRig.freePort() + "}\n");
        Files.writeString(home.defaultPresetsDir().resolve(PRESET + ".yaml"), presetBody);
        return home;
    }

    private Process start(PaddockHome home, String... prefix) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new ArrayList<>(List.of(prefix));
        argv.addAll(List.of(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "start",
                "--foreground",
                "--no-tray"));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput((lastOutput = dir.resolve("daemon-" + System.nanoTime() + ".out")).toFile());
        pb.environment().put("PADDOCK_HOME", home.root().toString());
        return pb.start();
    }

    private Optional<ServerRecord> record(PaddockHome home) throws IOException {
        return new ServerRecordStore(home.serverRecord()).read();
    }

    private ServerRecord awaitHealthyServer(PaddockHome home) {
        await().atMost(WAIT).until(() -> record(home)
                .map(r -> probe.status("127.0.0.1", r.port()) == 200)
                .orElse(false));
        try {
            return record(home).orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String tinyPreset(int port) {
        Path model = TestRig.tinyModel(dir, MODEL, 1);
        return "model: " + model + "\nport: " + port + "\ncontext-size: 256\nthreads: 1\n";
    }

    @Test
    void loadsTheDefaultPresetWritesThePidFileAndStopsGracefullyOnSigterm() throws Exception {
        PaddockHome home = home(LlamaServerBinary.require(), tinyPreset(TestRig.freePort()));
        daemon = start(home);
        ServerRecord server = awaitHealthyServer(home);
        assertThat(Files.readString(home.pidFile()).trim()).isEqualTo(Long.toString(daemon.pid()));

        daemon.destroy(); // SIGTERM
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(server.pid()))
                .as("server stopped with the app")
                .isEmpty();
        assertThat(home.pidFile()).doesNotExist();
        assertThat(home.serverRecord()).doesNotExist();
        assertThat(home.llamaLog()).isNotEmptyFile();
        assertThat(Files.readString(home.daemonLog(), StandardCharsets.UTF_8))
                .contains("state loading -> running", "Paddock stopped");
    }

    /**
     * Regression: Ctrl-C in a terminal used to reach llama-server too; when it exited before Paddock's own stop began,
     * the state went failed. Now the server has a session of its own and only Paddock gets the signal.
     */
    @Test
    void ctrlCToTheWholeTerminalGroupStopsTheServerInOrderNotAsAFailure() throws Exception {
        PaddockHome home = home(LlamaServerBinary.require(), tinyPreset(TestRig.freePort()));
        daemon = start(home, "setsid"); // Paddock leads a process group, as a shell's foreground job does
        ServerRecord server = awaitHealthyServer(home);
        assertThat(ProcFs.sessionOf(server.pid()))
                .as("llama-server leads a session of its own")
                .isEqualTo(server.pid());
        Process ctrlC = new ProcessBuilder("kill", "-INT", "--", "-" + daemon.pid())
                .inheritIO()
                .start();
        assertThat(ctrlC.waitFor()).isZero();
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(server.pid())).isEmpty();
        String log = Files.readString(home.daemonLog());
        assertThat(log).contains("state running -> stopping", "state stopping -> idle", "Paddock stopped");
        assertThat(log).doesNotContain("failed");
    }

    @Test
    void aSecondStartForTheSameHomeSaysAlreadyRunningAndExitsZero() throws Exception {
        PaddockHome home = home(LlamaServerBinary.require(), tinyPreset(TestRig.freePort()));
        daemon = start(home);
        awaitHealthyServer(home);
        Process second = start(home);
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isZero();
        assertThat(Files.readString(lastOutput)).contains("Paddock is already running", "(pid " + daemon.pid() + ")");
        assertThat(daemon.isAlive()).isTrue();
    }

    @Test
    void afterKill9TheNextStartAdoptsTheStillHealthyServer() throws Exception {
        PaddockHome home = home(LlamaServerBinary.require(), tinyPreset(TestRig.freePort()));
        daemon = start(home);
        ServerRecord server = awaitHealthyServer(home);
        daemon.destroyForcibly().waitFor();
        assertThat(ProcessHandle.of(server.pid()))
                .as("the orphan outlived the killed app")
                .isPresent();

        daemon = start(home);
        await().atMost(WAIT)
                .until(() -> Files.readString(home.daemonLog()).contains("adopted llama-server pid " + server.pid()));
        assertThat(record(home)).get().extracting(ServerRecord::pid).isEqualTo(server.pid());
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().command().orElse("").endsWith("llama-server"))
                        .filter(p -> p.info().commandLine().orElse("").contains(dir.toString())))
                .as("still exactly one llama-server")
                .hasSize(1);

        daemon.destroy();
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        !ProcessHandle.of(server.pid()).map(TestRig::isRunning).orElse(false));
    }

    @Test
    void afterKill9TheNextStartEndsAServerThatIsNotHealthy() throws Exception {
        Path fake = TestRig.fakeServerScript(dir);
        Path model = Files.writeString(dir.resolve(MODEL + ".gguf"), "x");
        int port = TestRig.freePort();
        PaddockHome home =
                home(fake, "model: " + model + "\nport: " + port + "\nargs: [\"--fake-loading-ms\", \"600000\"]\n");
        daemon = start(home);
        await().atMost(WAIT).until(() -> record(home).isPresent() && probe.status("127.0.0.1", port) == 503);
        ServerRecord stuck = record(home).orElseThrow();
        daemon.destroyForcibly().waitFor();
        assertThat(ProcessHandle.of(stuck.pid())).isPresent();

        Files.writeString(
                home.configFile(),
                "llama-server: " + fake + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\n"); // no default this time
        daemon = start(home);
        await().atMost(WAIT).until(() -> ProcessHandle.of(stuck.pid()).isEmpty());
        assertThat(Files.readString(home.daemonLog())).contains("ending recorded llama-server pid " + stuck.pid());
        assertThat(home.serverRecord()).doesNotExist();
        assertThat(daemon.isAlive()).isTrue();
    }
}
