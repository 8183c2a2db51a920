package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.app.Main;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.ProcFs;
import dev.paddock.testing.TestRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code paddock start} without --foreground: detaches, is idempotent, and {@code stop} ends it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DetachedStartTest {
    /** The preset the daemon loads, and its model's file name, as people and the hub name them. */
    private static final String PRESET = "mistral-small-3.2-24b-instruct-2506",
            MODEL = "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M";

    @TempDir
    Path dir;

    private long daemonPid = -1;

    @AfterEach
    void tearDown() {
        if (daemonPid > 0) ProcessHandle.of(daemonPid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private String[] paddock(String... args) throws Exception {
        return paddockWith(List.of(), args);
    }

    /** {@code paddock ARGS} in a JVM with these flags. */
    private String[] paddockWith(List<String> jvmFlags, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("PADDOCK_HOME", dir.resolve("home").toString());
        Process p = pb.start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new String[] {Integer.toString(p.exitValue()), Files.readString(out), Long.toString(p.pid())};
    }

    @Test
    void startDetachesIntoItsOwnSessionIsIdempotentAndStopEndsIt() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\njmx: {port: " + TestRig.freePort() + "}\n");

        // as launchers/paddock starts `start`: with the fixed mapping of class-data archives, which the daemon it
        // detaches must not inherit (it listens on the network)
        String[] start = paddockWith(
                List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0", "-XX:+UseSerialGC"),
                "start",
                "--no-tray");
        assertThat(start[0]).as(start[1]).isEqualTo("0");
        Matcher m = Pattern.compile("Paddock started \\(pid (\\d+)\\)").matcher(start[1]);
        assertThat(m.find()).as(start[1]).isTrue();
        daemonPid = Long.parseLong(m.group(1));
        assertThat(daemonPid).as("a new process, not the one that ran start").isNotEqualTo(Long.parseLong(start[2]));
        assertThat(ProcessHandle.of(daemonPid)).isPresent();
        List<String> daemonArgv = ProcFs.argv(daemonPid);
        assertThat(daemonArgv)
                .as("the starter's JVM flags, less the fixed archive mapping")
                .contains("-XX:+UseSerialGC", "start", "--detached")
                .noneMatch(a -> a.startsWith("-XX:ArchiveRelocationMode"));
        assertThat(ProcFs.sessionOf(daemonPid))
                .as("its own session: closing the terminal does not end it")
                .isEqualTo(daemonPid);

        String[] status = paddock("status", "--json");
        assertThat(status[0]).isEqualTo("0");
        assertThat(status[1]).contains("\"state\":\"idle\"");

        String[] again = paddock("start", "--no-tray");
        assertThat(again[0]).isEqualTo("0");
        assertThat(again[1]).contains("Paddock is already running (pid " + daemonPid + ")");

        String[] stop = paddock("stop");
        assertThat(stop[0]).as(stop[1]).isEqualTo("0");
        assertThat(ProcessHandle.of(daemonPid)).isEmpty();
        assertThat(Files.readString(home.resolve("logs/daemon.log"))).contains("Paddock started", "Paddock stopped");
    }

    @Test
    void afterKill9OfTheDaemonStartRecoversAndStatusShowsTheAdoptedServer() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("presets"));
        Path model = TestRig.tinyModel(dir, MODEL, 3);
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\n");
        Files.writeString(
                home.resolve("presets/" + PRESET + ".yaml"),
                "model: " + model + "\nport: " + TestRig.freePort() + "\ncontext-size: 256\nthreads: 1\n");
        PaddockCli cli = new PaddockCli(home, dir);
        PaddockCli.Run start = cli.run("start", "--no-tray", "--load", PRESET);
        assertThat(start.exit()).as(start.err()).isZero();
        daemonPid = Long.parseLong(Files.readString(home.resolve("paddock.pid")).trim());
        await().atMost(Duration.ofSeconds(60)).until(() -> cli.run("status", "--json")
                .json()
                .path("state")
                .asText()
                .equals("running"));
        long server = cli.run("status", "--json").json().path("pid").asLong();

        ProcessHandle.of(daemonPid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        !ProcessHandle.of(daemonPid).map(TestRig::isRunning).orElse(false));
        PaddockCli.Run down = cli.run("status", "--json");
        assertThat(down.exit()).as("killed: not running").isEqualTo(3);
        assertThat(down.json().path("error").asText()).contains("paddock start");
        assertThat(ProcessHandle.of(server))
                .as("the server outlived the killed daemon")
                .isPresent();

        PaddockCli.Run again = cli.run("start", "--no-tray");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("Paddock started");
        daemonPid = Long.parseLong(Files.readString(home.resolve("paddock.pid")).trim());
        var status = cli.run("status", "--json").json();
        assertThat(status.path("state").asText()).isEqualTo("running");
        assertThat(status.path("preset").asText()).isEqualTo(PRESET);
        assertThat(status.path("pid").asLong()).as("the same server, adopted").isEqualTo(server);
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().command().orElse("").endsWith("llama-server"))
                        .filter(p -> p.info().commandLine().orElse("").contains(model.toString())))
                .hasSize(1);

        assertThat(cli.run("stop").exit()).isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !ProcessHandle.of(server).map(TestRig::isRunning).orElse(false));
    }
}
