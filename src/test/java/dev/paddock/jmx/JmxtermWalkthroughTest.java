package dev.paddock.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's jmxterm walkthrough, with jmxterm itself (a client that has none of Paddock's classes): switch from
 * one preset to another, read the state, unload.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JmxtermWalkthroughTest {
    /** Presets named as people name them, each on a model file named as the hub names it. */
    private static final String A = "mistral-small-3.2-24b-instruct-2506", B = "Meta-Llama-3.1-8B-Instruct.Q4_K_M";

    @TempDir
    Path dir;

    private Process daemon;

    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void jmxtermSwitchesPresetsReadsTheStateAndUnloads() throws Exception {
        Path jmxterm = Path.of(System.getProperty("paddock.project.dir", "."), "target/tools/jmxterm.jar");
        assertThat(jmxterm)
                .as("mvn's process-test-classes phase fetches jmxterm")
                .exists();
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        Path a = TestRig.tinyModel(dir, "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M", 1);
        Path b = TestRig.tinyModel(dir, "Meta-Llama-3.1-8B-Instruct-Q4_K_M", 2);
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\n");
        Files.writeString(home.resolve("presets/" + A + ".yaml"), "model: " + a + "\nport: auto\ncontext-size: 256\n");
        Files.writeString(home.resolve("presets/" + B + ".yaml"), "model: " + b + "\nport: auto\ncontext-size: 256\n");
        PaddockCli cli = new PaddockCli(home, dir);
        daemon = cli.startDaemon();
        String url = Files.readAllLines(home.resolve("jmx.url")).get(0);

        String out = jmxterm(
                jmxterm,
                url,
                "run -b dev.paddock:type=Supervisor load p:" + A,
                "get -b dev.paddock:type=Supervisor Preset",
                "run -b dev.paddock:type=Supervisor load p:" + B,
                "get -b dev.paddock:type=Supervisor State Preset Model",
                "run -b dev.paddock:type=Supervisor listPresets");
        assertThat(out).containsPattern("http://127\\.0\\.0\\.1:\\d+").contains("Preset = " + A + ";");
        assertThat(out).contains("State = running;", "Preset = " + B + ";", "Model = " + b + ";");
        assertThat(out).contains(A, B);
        assertThat(cli.run("status", "--json").json().path("preset").asText()).isEqualTo(B);

        jmxterm(jmxterm, url, "run -b dev.paddock:type=Supervisor unload");
        assertThat(cli.run("status", "--json").json().path("state").asText()).isEqualTo("idle");
    }

    private String jmxterm(Path jar, String url, String... commands) throws Exception {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "-l",
                        url,
                        "-n",
                        "-v",
                        "silent")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write((String.join("\n", commands) + "\nquit\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
