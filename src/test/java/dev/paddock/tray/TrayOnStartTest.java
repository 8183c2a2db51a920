package dev.paddock.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.testing.Display;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paddock start} on a desktop shows the tray (Dorkbox on fluxbox's tray) and warms the Models window up
 * unseen; {@code paddock models} from a terminal opens the Models window on that desktop (seen in the X server's
 * window tree); SIGTERM still stops cleanly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrayOnStartTest {
    @TempDir
    Path dir;

    @Test
    void startShowsTheTrayAndAStopRemovesItWithTheServer() throws Exception {
        Display.require();
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        Path model = TestRig.tinyModel(dir, "gemma-3-1b-it-Q4_K_M", 1);
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require()
                        + "\nstop-timeout: 2s\ndefault-preset: gemma-3-1b-it-Q4_K_M\njmx: {port: " + TestRig.freePort()
                        + "}\n");
        Files.writeString(
                home.resolve("presets/gemma-3-1b-it-Q4_K_M.yaml"),
                "model: " + model + "\nport: auto\ncontext-size: 256\n");
        PaddockCli cli = new PaddockCli(home, dir);
        Process daemon = cli.process("start", "--foreground")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.out").toFile())
                .start();
        try {
            Path log = home.resolve("logs/daemon.log");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(log) && Files.readString(log).contains("tray shown (dorkbox (Swing))"));
            await().atMost(Duration.ofSeconds(60)).until(() -> cli.run("status", "--json")
                    .json()
                    .path("state")
                    .asText()
                    .equals("running"));
            // the daemon opens the Models window once off screen after its start (its warm-up), never shown, and
            // drops it: none is left on the display until someone asks for one
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(log).contains("models window warmed up off screen"));
            // the toolkit destroys a disposed window's X window on its own thread, a moment after dispose()
            await().atMost(Duration.ofSeconds(10))
                    .alias("the warmed-up Models window gone from the display")
                    .until(() -> !windowTree().contains("Models\""));
            PaddockCli.Run models = cli.run("models");
            assertThat(models.exit()).as(models.err()).isZero();
            await().atMost(Duration.ofSeconds(30))
                    .alias("a window titled Paddock — Models on the display")
                    .until(() -> windowTree().contains("Models\""));
            PaddockCli.Run nowhere = cli.run("models", "--no-such-flag");
            assertThat(nowhere.exit()).isEqualTo(2);
            long server = cli.run("status", "--json").json().path("pid").asLong();
            daemon.destroy();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(log)).contains("Paddock stopped");
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            !ProcessHandle.of(server).map(TestRig::isRunning).orElse(false));
        } finally {
            daemon.destroyForcibly();
        }
    }

    /** {@code xwininfo -root -tree}: every window on the display, with its title. */
    private static String windowTree() throws Exception {
        Process p = new ProcessBuilder("xwininfo", "-root", "-tree")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
