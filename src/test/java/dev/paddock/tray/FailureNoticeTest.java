package dev.paddock.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.app.Daemon;
import dev.paddock.app.Running;
import dev.paddock.autostart.LinuxAutostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.supervisor.ServerState;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.TestRig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load that fails on the real llama-server (a model file cut short, as an interrupted copy leaves it) is told in a
 * desktop notification with a "Show log" button ({@code notify-send --action}, libnotify's own option); a click on
 * it opens the log window. The notification server is a stand-in {@code notify-send} that records what it was asked
 * to show and answers as notify-send does when the button is clicked: the action's name on its output.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailureNoticeTest {
    private static final String PRESET = "Meta-Llama-3.1-8B-Instruct-Q4_K_M";

    @TempDir
    Path dir;

    private Running running;
    private TrayController controller;

    @AfterEach
    void stop() {
        if (controller != null) controller.close();
        if (running != null) running.stop();
    }

    @Test
    void aFailedLoadIsNotifiedWithAShowLogButtonThatOpensTheLog() throws Exception {
        failALoadWithThisNotifySend("case \"$*\" in *--action=act=*) echo act ;; esac\n"); // the button is clicked

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(logsShown).hasValue(1));
        assertThat(Files.readString(asked))
                .as("what notify-send was asked to show")
                .contains("--urgency=critical", "--action=act=Show log", "Loading " + PRESET + " failed");
    }

    @Test
    void aNotifySendWithoutButtonsGetsTheNotificationWithWhereTheLogIs() throws Exception {
        // libnotify before 0.7.10 (Ubuntu 22.04's 0.7.9): no --action; it says so and exits 1
        failALoadWithThisNotifySend(
                "case \"$*\" in *--action*) echo 'Unknown option --action=act=Show log' >&2; exit 1 ;;" + " esac\n");

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Files.readString(asked).split("<end>\n"))
                        .as("asked twice: with the button, then without")
                        .hasSize(2));
        String plain = Files.readString(asked).split("<end>\n")[1];
        assertThat(plain)
                .doesNotContain("--action")
                .contains("Loading " + PRESET + " failed", "The log: tray menu → Show log…, or `paddock logs`");
        assertThat(logsShown).hasValue(0);
    }

    private final AtomicInteger logsShown = new AtomicInteger();
    private Path asked;

    /**
     * A Paddock in this JVM with a preset whose model is cut short, the tray's notify-send a stand-in that records
     * its arguments (each call ends with a line {@code <end>}) and then runs {@code behaviour}; the preset is loaded
     * from the tray and fails.
     */
    private void failALoadWithThisNotifySend(String behaviour) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        asked = dir.resolve("notify-send.args");
        Path notifySend = bin.resolve("notify-send");
        Files.writeString(
                notifySend,
                "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + asked + "'\nprintf -- '<end>\\n' >> '" + asked + "'\n"
                        + behaviour);
        Files.setPosixFilePermissions(notifySend, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: 0}\n");
        Path model = TestRig.tinyModel(dir, PRESET, 11);
        try (RandomAccessFile cut = new RandomAccessFile(model.toFile(), "rw")) {
            cut.setLength(cut.length() * 2 / 3); // the header is whole; the tensors' data is not all there
        }
        Files.writeString(
                home.resolve("presets/" + PRESET + ".yaml"), "model: " + model + "\nport: auto\ncontext-size: 256\n");
        PaddockHome h = new PaddockHome(home);
        running = new Daemon(h, new PrintStream(OutputStream.nullOutputStream()))
                .start(false)
                .orElseThrow();
        TrayController.Dialogs dialogs = new TrayController.Dialogs() {
            @Override
            public void preferences() {}

            @Override
            public void newPreset() {}

            @Override
            public void editPreset() {}

            @Override
            public void models() {}

            @Override
            public void showLog() {
                logsShown.incrementAndGet();
            }
        };
        controller = new TrayController(
                running.switchboard(),
                h,
                () -> running.config().presetsDir(),
                new LinuxAutostart(dir.resolve("autostart")),
                new Desktops(bin + ":/usr/bin:/bin"),
                dialogs,
                () -> running.stop(),
                Clock.systemUTC());
        controller.attach(new TrayHost() {
            @Override
            public void show(MenuModel model, int frame) {}

            @Override
            public boolean notify(String title, String body, boolean error) {
                return false;
            }

            @Override
            public String kind() {
                return "none";
            }

            @Override
            public void close() {}
        });

        controller.load(PRESET);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> running.switchboard().status().server() instanceof ServerState.Failed);
    }
}
