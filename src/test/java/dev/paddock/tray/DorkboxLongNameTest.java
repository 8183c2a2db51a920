package dev.paddock.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.app.Daemon;
import dev.paddock.app.Running;
import dev.paddock.autostart.LinuxAutostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.testing.Display;
import dev.paddock.testing.EdtWatch;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.TestRig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux tray (Dorkbox, under Xvfb with fluxbox as its tray host) with a preset named as people name them,
 * loaded on the real llama-server: the menu shows it running with the endpoint items enabled, the tooltip fits
 * Dorkbox's 64 characters, and nothing is thrown on the event thread or by any refresh.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DorkboxLongNameTest {
    private static final String PRESET = "gemma-3-27b-it-qat-q4_0-long-context-32k";

    @TempDir
    Path dir;

    private Running running;
    private TrayController controller;
    private EdtWatch watch;

    @BeforeEach
    void start() throws Exception {
        Display.require();
        watch = EdtWatch.install(Duration.ofMillis(100)); // stalls and exceptions on the event thread fail it
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: 0}\n");
        Path model = TestRig.tinyModel(dir, "gemma-3-27b-it-qat-q4_0", 3);
        Files.writeString(
                home.resolve("presets/" + PRESET + ".yaml"),
                "description: Gemma 3 27B, quantization-aware Q4_0, 32K context\nmodel: " + model
                        + "\nport: auto\ncontext-size: 256\n");
        PaddockHome h = new PaddockHome(home);
        running = new Daemon(h, new PrintStream(OutputStream.nullOutputStream()))
                .start(false)
                .orElseThrow();
        controller = new TrayController(
                running.switchboard(),
                h,
                () -> running.config().presetsDir(),
                new LinuxAutostart(dir.resolve("autostart")),
                new Desktops(),
                TrayController.Dialogs.NONE,
                () -> {},
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        try {
            if (controller != null) controller.close();
            if (running != null) running.stop();
        } finally {
            watch.close();
        }
    }

    @Test
    void aLongNamedPresetLoadedShowsRunningWithItsEndpointAndATooltipThatFits() throws Exception {
        TrayHost host = Tray.show(controller, "dorkbox");
        assertThat(host).as("Dorkbox's tray, not a fallback").isInstanceOf(DorkboxHost.class);
        DorkboxHost dorkbox = (DorkboxHost) host;
        // the tray is up once its first menu is drawn (Dorkbox's first draw builds its windows: seconds in CI);
        // from here on every refresh counts
        await().atMost(Duration.ofSeconds(30)).until(() -> dorkbox.labels().contains("Unload (disabled)"));
        watch.arm();

        controller.load(PRESET);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(dorkbox.labels())
                .startsWith("[x] " + PRESET)
                .contains("Unload", "Copy endpoint", "Open chat"));
        assertThat(controller.shown().status()).isEqualTo("Running " + PRESET);
        assertThat(controller.shown().tooltip())
                .as("the whole tooltip, before it is fitted")
                .hasSizeGreaterThan(64)
                .contains("llama, 124K parameters");
        await().untilAsserted(() -> assertThat(dorkbox.tooltip())
                .as("fitted to Dorkbox's limit")
                .startsWith("Paddock: " + PRESET)
                .hasSizeLessThanOrEqualTo(DorkboxHost.TOOLTIP_LIMIT));
        javax.swing.SwingUtilities.invokeAndWait(() -> {}); // every refresh queued so far has run
        assertThat(controller.refreshFailures()).as("failed refreshes").isEmpty();
    }
}
