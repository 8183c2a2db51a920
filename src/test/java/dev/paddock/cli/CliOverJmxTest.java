package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.jmx.SupervisorMBean;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.PaddockCli.Run;
import dev.paddock.testing.TestRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.management.AttributeChangeNotification;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it (a new JVM per command) against a running Paddock and the real llama-server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CliOverJmxTest {
    /** Named as the hub names them: dots, underscores, mixed case. */
    private static final String PRESET = "smollm2-1.7b-instruct-q4_k_m";

    private static final String MODEL = "mistral-7b-instruct-v0.2.Q4_K_M";

    private Path dir;

    private Path home;
    private Process daemon;
    private PaddockCli cli;

    @BeforeAll
    void startPaddock(@TempDir Path tmp) throws Exception {
        dir = tmp;
        home = dir.resolve("home");
        cli = new PaddockCli(home, dir);
        Files.createDirectories(home.resolve("presets"));
        Path model = TestRig.tinyModel(dir, MODEL, 1);
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\n" + "jmx: {port: "
                        + TestRig.freePort() + "}\n");
        Files.writeString(
                home.resolve("presets/" + PRESET + ".yaml"),
                "model: " + model + "\nport: " + TestRig.freePort() + "\ncontext-size: 256\nthreads: 1\n");
        Files.writeString(home.resolve("presets/qwen.yaml"), "model: " + model + "\nport: auto\ncontext-size: 256\n");
        daemon = process("start", "--foreground", "--no-tray")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.out").toFile())
                .start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(home.resolve("jmx.url")));
    }

    @AfterAll
    void stopPaddockWithTheStopCommand() throws Exception {
        Run stop = paddock("stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(daemon.isAlive()).as("stop waits until Paddock is gone").isFalse();
        assertThat(home.resolve("jmx.url")).doesNotExist();
        assertThat(home.resolve("paddock.pid")).doesNotExist();
        assertThat(paddock("stop").exit()).as("stopping twice: not running").isEqualTo(3);
    }

    private ProcessBuilder process(String... args) {
        return cli.process(args);
    }

    private Run paddock(String... args) throws Exception {
        return cli.run(args);
    }

    private Run run(ProcessBuilder pb) throws Exception {
        return cli.run(pb);
    }

    @Test
    void loadStatusUnloadRoundTripWithTheContractsJson() throws Exception {
        Run load = paddock("load", PRESET, "--json");
        assertThat(load.exit()).as(load.err()).isZero();
        String endpoint = load.json().path("endpoint").asText();
        assertThat(endpoint).startsWith("http://127.0.0.1:");

        JsonNode status = paddock("status", "--json").json();
        assertThat(status.path("state").asText()).isEqualTo("running");
        assertThat(status.path("preset").asText()).isEqualTo(PRESET);
        assertThat(status.path("model").asText())
                .isEqualTo(dir.resolve(MODEL + ".gguf").toString());
        assertThat(status.path("endpoint").asText()).isEqualTo(endpoint);
        assertThat(ProcessHandle.of(status.path("pid").asLong())).isPresent();
        assertThat(status.path("error").isNull()).isTrue();
        List<String> fields = new ArrayList<>();
        status.fieldNames().forEachRemaining(fields::add);
        assertThat(fields)
                .containsExactly(
                        "state",
                        "preset",
                        "model",
                        "endpoint",
                        "pid",
                        "since",
                        "error",
                        "idle_unload_at",
                        "switching",
                        "switching_to",
                        "switching_origin",
                        "requests_in_flight",
                        "queued",
                        "preset_change",
                        "config_problem",
                        "needs_restart",
                        "load_progress");

        Run unload = paddock("unload");
        assertThat(unload.exit()).isZero();
        JsonNode idle = paddock("status", "--json").json();
        assertThat(idle.path("state").asText()).isEqualTo("idle");
        assertThat(idle.path("pid").isNull()).isTrue();
    }

    @Test
    void modelsWithoutADesktopSaysSoAndExitsOne() throws Exception {
        Run models = paddock("models");
        assertThat(models.exit()).isEqualTo(1);
        assertThat(models.err()).contains("runs without a desktop here", "--no-tray");
    }

    @Test
    void unknownPresetIsPresetNotFoundWithSuggestionsAndExitOne() throws Exception {
        Run r = paddock("load", "p:qwn", "--json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.json().path("status").asText()).isEqualTo("error");
        assertThat(r.json().path("error_code").asText()).isEqualTo("preset_not_found");
        assertThat(r.json().path("error").asText()).isEqualTo("no preset 'qwn' (did you mean 'qwen'?)");
    }

    @Test
    void jmxClientsGetAStateNotificationForEveryTransition() throws Exception {
        JMXServiceURL url =
                new JMXServiceURL(Files.readString(home.resolve("jmx.url")).trim());
        List<String> seen = new CopyOnWriteArrayList<>();
        try (JMXConnector c = JMXConnectorFactory.connect(url)) {
            var conn = c.getMBeanServerConnection();
            conn.addNotificationListener(
                    SupervisorMBean.NAME,
                    (n, hb) -> {
                        if (n instanceof AttributeChangeNotification a
                                && a.getAttributeName().equals("State")) {
                            seen.add(a.getOldValue() + "->" + a.getNewValue());
                        }
                    },
                    null,
                    null);
            String endpoint = (String) conn.invoke(
                    SupervisorMBean.NAME, "load", new Object[] {"p:qwen"}, new String[] {String.class.getName()});
            assertThat(endpoint).startsWith("http://127.0.0.1:");
            assertThat(conn.getAttribute(SupervisorMBean.NAME, "State")).isEqualTo("running");
            conn.invoke(SupervisorMBean.NAME, "unload", new Object[0], new String[0]);
            await().until(() -> seen.size() >= 4 && seen.get(seen.size() - 1).endsWith("->idle"));
        }
        List<String> last = seen.subList(seen.size() - 4, seen.size());
        assertThat(last.get(0)).endsWith("->loading");
        assertThat(last.subList(1, 4)).containsExactly("loading->running", "running->stopping", "stopping->idle");
    }

    @Test
    void lsListsPresetsAndMarksTheLoadedOne() throws Exception {
        assertThat(paddock("load", "p:" + PRESET).exit()).isZero();
        JsonNode ls = paddock("ls", "--json").json();
        assertThat(ls.path("presets").toString())
                .isEqualTo("[{\"name\":\"qwen\",\"loaded\":false},{\"name\":\"" + PRESET + "\",\"loaded\":true}]");
        assertThat(ls.path("models").isArray()).isTrue();
        assertThat(paddock("unload").exit()).isZero();
    }

    @Test
    void aPresetFileAddedWhileRunningCanBeLoadedWithoutARestart() throws Exception {
        Files.writeString(
                home.resolve("presets/late.yaml"),
                "model: " + dir.resolve(MODEL + ".gguf") + "\nport: auto\ncontext-size: 256\n");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> paddock("ls", "--json").out().contains("\"late\""));
        Run load = paddock("load", "late", "--json");
        assertThat(load.exit()).as(load.err()).isZero();
        assertThat(paddock("unload").exit()).isZero();
        Files.delete(home.resolve("presets/late.yaml"));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> !paddock("ls", "--json").out().contains("\"late\""));
    }

    @Test
    void loadDryRunPrintsTheExactCommandLineAndRunsNothing() throws Exception {
        String before = paddock("status", "--json").json().path("state").asText();
        Run r = paddock("load", PRESET, "--dry-run", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode cmd = r.json().path("command");
        assertThat(cmd.get(0).asText()).isEqualTo(LlamaServerBinary.require().toString());
        assertThat(cmd.toString())
                .contains("\"-m\",\"" + dir.resolve(MODEL + ".gguf") + "\"", "\"-c\",\"256\"", "\"-t\",\"1\"");
        assertThat(paddock("status", "--json").json().path("state").asText()).isEqualTo(before);
        Run plain = paddock("load", PRESET, "--dry-run");
        assertThat(plain.out()).startsWith(LlamaServerBinary.require() + " -m " + dir.resolve(MODEL + ".gguf"));
    }

    @Test
    void showPrintsThePresetItsModelFileAndCommandLine() throws Exception {
        Run r = paddock("show", PRESET);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "preset    " + PRESET + "  (" + home.resolve("presets/" + PRESET + ".yaml") + ")",
                        "file      " + dir.resolve(MODEL + ".gguf"),
                        "command   " + LlamaServerBinary.require() + " -m " + dir.resolve(MODEL + ".gguf"));
        Run missing = paddock("show", "p:qwn");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("did you mean 'qwen'?");
    }

    @Test
    void statusReadsTheSnapshotWithoutLoadingPicocli() throws Exception {
        // picocli's classes (built for Java 5) never enter the class-data archive: one of them loaded opens the jars
        // one by one, and its model of every command is half of a status; scripts call status in loops
        for (String[] args : List.of(new String[] {"status"}, new String[] {"status", "--json"})) {
            Run r = cli.withJvmArgs("-verbose:class").run(args);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("dev.paddock.cli.GatewayStatus").doesNotContain("picocli.");
        }
        Run watch = cli.withJvmArgs("-verbose:class").run("status", "--bogus");
        assertThat(watch.exit()).isEqualTo(2);
        assertThat(watch.out()).as("anything else goes through picocli").contains("picocli.CommandLine ");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        assertThat(paddock("frobnicate").exit()).isEqualTo(2);
        assertThat(paddock("status", "--bogus").exit()).isEqualTo(2);
    }

    @Test
    void withoutARunningPaddockCommandsExitThreeAndSayHowToStartIt() throws Exception {
        ProcessBuilder pb = process("status", "--json");
        pb.environment().put("PADDOCK_HOME", dir.resolve("nobody-home").toString());
        Run r = run(pb);
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.json().path("error").asText()).contains("paddock start");
    }

    @Test
    void aNonLoopbackJmxHostWithoutAuthenticationIsRefusedAtStart() throws Exception {
        Path other = dir.resolve("exposed");
        Files.createDirectories(other);
        Files.writeString(other.resolve("config.yaml"), "jmx: {host: 0.0.0.0, port: " + TestRig.freePort() + "}\n");
        ProcessBuilder pb = process("start", "--foreground", "--no-tray");
        pb.environment().put("PADDOCK_HOME", other.toString());
        Run r = run(pb);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("0.0.0.0", "jmx.password-file", "jmx.access-file");
        assertThat(other.resolve("jmx.url")).doesNotExist();
    }

    @Test
    void newWritesAPresetThatParsesAndTheRunningPaddockLoads() throws Exception {
        Run made = paddock(
                "new",
                "made",
                "--model",
                dir.resolve(MODEL + ".gguf").toString(),
                "--ctx",
                "256",
                "--port",
                "auto",
                "-t",
                "1",
                "--arg=--no-webui",
                "--description",
                "made by: the test");
        assertThat(made.exit()).as(made.err()).isZero();
        Path file = home.resolve("presets/made.yaml");
        assertThat(made.out()).contains("wrote " + file, "paddock load made");
        assertThat(Files.readString(file))
                .contains(
                        "model: f:" + dir.resolve(MODEL + ".gguf"), "context-size: 256", "port: auto", "- --no-webui");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> paddock("ls", "--json").out().contains("\"made\""));
        Run load = paddock("load", "made", "--json");
        assertThat(load.exit()).as(load.err()).isZero();
        assertThat(paddock("unload").exit()).isZero();

        Run again =
                paddock("new", "made", "--model", dir.resolve(MODEL + ".gguf").toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains(file + " exists", "--force");
        Run missing =
                paddock("new", "ghost", "--model", dir.resolve("nope.gguf").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no model file " + dir.resolve("nope.gguf"));
        assertThat(home.resolve("presets/ghost.yaml")).doesNotExist();
        Run badName = paddock(
                "new", "no/slash", "--model", dir.resolve(MODEL + ".gguf").toString());
        assertThat(badName.exit()).isEqualTo(2);
        Run badPort = paddock(
                "new", "badport", "--model", dir.resolve(MODEL + ".gguf").toString(), "--port", "eighty");
        assertThat(badPort.exit()).isEqualTo(1);
        assertThat(badPort.err()).contains("port:");
        assertThat(home.resolve("presets/badport.yaml")).doesNotExist();
        Files.delete(file);
    }

    @Test
    void editingTheRunningPresetKeepsItRunningAndStatusSaysItChanged() throws Exception {
        Path file = home.resolve("presets/edit.yaml");
        Files.writeString(file, "model: " + dir.resolve(MODEL + ".gguf") + "\nport: auto\ncontext-size: 256\n");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> paddock("ls", "--json").out().contains("\"edit\""));
        assertThat(paddock("load", "edit").exit()).isZero();
        long pid = paddock("status", "--json").json().path("pid").asLong();
        assertThat(paddock("status").out()).doesNotContain("since it was loaded");

        Files.writeString(file, "model: " + dir.resolve(MODEL + ".gguf") + "\nport: auto\ncontext-size: 512\n");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> paddock("status").out().contains("file edited since it was loaded"));
        JsonNode status = paddock("status", "--json").json();
        assertThat(status.path("state").asText()).isEqualTo("running");
        assertThat(status.path("pid").asLong())
                .as("the edit did not restart the server")
                .isEqualTo(pid);

        Files.delete(file);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> paddock("status").out().contains("file deleted since it was loaded"));
        assertThat(paddock("unload").exit()).isZero();
    }

    @Test
    void statusWatchPrintsEveryStateAsItHappens() throws Exception {
        Path out = dir.resolve("watch.out");
        Process watch = process("status", "--watch", "--json")
                .redirectOutput(out.toFile())
                .redirectError(dir.resolve("watch.err").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(out).contains("\"state\""));
            assertThat(paddock("load", PRESET).exit()).isZero();
            assertThat(paddock("unload").exit()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<String> states = Files.readAllLines(out).stream()
                        .map(l -> l.replaceAll(".*\"state\":\"([a-z]+)\".*", "$1"))
                        .toList();
                return states.size() >= 2 && states.get(states.size() - 1).equals("idle") && states.contains("running");
            });
        } finally {
            watch.destroy();
            watch.waitFor(10, TimeUnit.SECONDS);
        }
        for (String line : Files.readAllLines(out)) {
            assertThat(line).startsWith("{\"state\":").endsWith("}");
        }
    }

    @Test
    void loadShowsProgressOnStderrAndTheEndpointOnStdout() throws Exception {
        Run r = paddock("load", PRESET);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith(PRESET + " running at http://127.0.0.1:");
        assertThat(r.err()).contains("loading " + PRESET + " (").containsPattern("ready in \\d");
        Run again = paddock("load", PRESET);
        assertThat(again.out()).as("loading what runs is immediate").startsWith(PRESET + " running at");
        assertThat(paddock("unload").exit()).isZero();
    }

    @Test
    void logsPrintsTheLastLinesOfLlamaLog() throws Exception {
        assertThat(paddock("load", PRESET).exit()).isZero();
        assertThat(paddock("unload").exit()).isZero();
        List<String> all = Files.readAllLines(home.resolve("logs/llama.log"));
        assertThat(all.size()).isGreaterThan(5);
        Run r = paddock("logs", "-n", "5");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).isEqualTo(all.subList(all.size() - 5, all.size()));
        Run daemonLog = paddock("logs", "--daemon", "-n", "3");
        assertThat(daemonLog.out().lines().count()).isEqualTo(3);
    }

    @Test
    void doctorChecksTheServerBinaryFoldersPresetsAndPorts() throws Exception {
        Run r = paddock("doctor");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out())
                .contains("llama-server: " + LlamaServerBinary.require(), "(version: ")
                .contains("preset " + PRESET + ": " + dir.resolve(MODEL + ".gguf"))
                .contains("in use (by the running Paddock)")
                .doesNotContain("FAIL");

        Path broken = dir.resolve("broken");
        Files.createDirectories(broken.resolve("presets"));
        Path notAServer = Files.writeString(dir.resolve("not-a-server"), "just text");
        int busy = TestRig.freePort();
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(busy, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(
                    broken.resolve("config.yaml"), "llama-server: " + notAServer + "\njmx: {port: " + busy + "}\n");
            Files.writeString(broken.resolve("presets/bad.yaml"), "model: f:/x.gguf\nport: eighty\n");
            ProcessBuilder pb = process("doctor");
            pb.environment().put("PADDOCK_HOME", broken.toString());
            Run b = run(pb);
            assertThat(b.exit()).isEqualTo(1);
            assertThat(b.out())
                    .contains("FAIL  llama-server: llama-server " + notAServer)
                    .contains("FAIL  preset: " + broken.resolve("presets/bad.yaml") + ":2: port:")
                    .contains("FAIL  port: 127.0.0.1:" + busy + " JMX (jmx.port) is in use by another program");
            assertThat(taken.isBound()).isTrue();
        }
    }

    @Test
    void completionScriptIsValidBashAndCoversEveryCommand() throws Exception {
        Run r = paddock("completion");
        assertThat(r.exit()).isZero();
        Path script = Files.writeString(dir.resolve("paddock-completion.bash"), r.out());
        assertThat(r.out()).contains("doctor", "logs", "status", "--watch", "--dry-run");
        Process bash = new ProcessBuilder("bash", "-c", "source " + script + " && complete -p paddock")
                .redirectErrorStream(true)
                .start();
        String said = new String(bash.getInputStream().readAllBytes());
        assertThat(bash.waitFor()).as(said).isZero();
        assertThat(said).contains("paddock");
    }
}
