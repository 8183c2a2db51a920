package dev.paddock.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.autostart.LinuxAutostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.supervisor.ServerState;
import dev.paddock.testing.FakeReleases;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.RecordingTrayHost;
import dev.paddock.testing.TestRig;
import dev.paddock.tray.Desktops;
import dev.paddock.tray.MenuModel;
import dev.paddock.tray.TrayController;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tray on a Paddock that has no llama-server: the menu says so and offers "Install llama-server…"; the click
 * installs llama.cpp's release build (from a stand-in for GitHub's release API whose tarball the release workflow's
 * own tar command made from the tests' llama-server) with its progress in the status line and the icon, says so in a
 * notification, drops the offer, and the next load from the tray runs on what was installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrayInstallServerTest {
    private static final String TAG = "b7312";
    private static final String PRESET = "qwen2.5-0.5b-instruct-q4_k_m";

    @TempDir
    Path dir;

    private final RecordingTrayHost tray = new RecordingTrayHost();
    private Running running;
    private TrayController controller;

    @AfterEach
    void stop() {
        if (controller != null) controller.close();
        if (running != null) running.stop();
    }

    private MenuModel last() {
        return tray.last();
    }

    private static boolean offersInstall(MenuModel m) {
        return m.entries().stream()
                .anyMatch(e -> e instanceof MenuModel.Entry.Action a && a.name().equals("Install llama-server…"));
    }

    @Test
    void theTrayOffersToInstallLlamaServerInstallsItWithProgressAndLoadsOnIt() throws Exception {
        try (FakeReleases github = new FakeReleases(TAG)) {
            github.put(
                    "llama-" + TAG + "-bin-ubuntu-x64.tar.gz",
                    FakeReleases.ubuntuTarball(TAG, LlamaServerBinary.require().getParent(), dir));
            Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
            Files.writeString(
                    home.resolve("config.yaml"),
                    "llama-server: " + dir.resolve("not-installed/llama-server") + "\nstop-timeout: 2s\njmx: {port: "
                            + TestRig.freePort() + "}\ngateway: {port: 0}\n");
            Path model = TestRig.tinyModel(dir, PRESET, 5);
            Files.writeString(
                    home.resolve("presets/" + PRESET + ".yaml"),
                    "model: " + model + "\nport: auto\ncontext-size: 256\n");
            PaddockHome h = new PaddockHome(home);
            running = new Daemon(h, new PrintStream(OutputStream.nullOutputStream()))
                    .start(false)
                    .orElseThrow();
            controller = new TrayController(
                    running.switchboard(),
                    h,
                    () -> running.config().presetsDir(),
                    new LinuxAutostart(dir.resolve("autostart")),
                    new Desktops(dir.toString()), // no notify-send: notices reach the recording host
                    TrayController.Dialogs.NONE,
                    () -> running.stop(),
                    Clock.systemUTC());
            controller.attach(tray);
            controller.offerServerInstall(TrayStarter.serverInstall(
                    h, running, Map.of("PATH", "/usr/bin:/bin", "PADDOCK_GITHUB_API", github.endpoint())));

            await().atMost(Duration.ofSeconds(10)).until(() -> !tray.shown().isEmpty() && offersInstall(last()));
            assertThat(last().status()).isEqualTo("No llama-server yet");

            controller.installServer();

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !offersInstall(last()) && !last().status().startsWith("Installing"));
            assertThat(tray.shown())
                    .as("the download's progress in the status line, with the icon's arc")
                    .anySatisfy(m -> {
                        assertThat(m.status()).matches("Installing llama-server… \\d+%");
                        assertThat(m.progress()).isBetween(0.0, 1.0);
                    });
            Path installed = home.resolve("bin/llama.cpp-" + TAG + "/llama-" + TAG + "/llama-server");
            assertThat(tray.notices())
                    .anySatisfy(n -> assertThat(n).startsWith("llama-server installed: llama.cpp " + TAG));
            assertThat(Files.readString(home.resolve("config.yaml"))).contains("llama-server: " + installed);
            assertThat(last().status()).isEqualTo("Idle");

            controller.load(PRESET);
            await().atMost(Duration.ofSeconds(60)).until(() -> last().status().equals("Running " + PRESET));
            assertThat(running.switchboard().status().server())
                    .as("the server runs the installed build")
                    .isInstanceOfSatisfying(
                            ServerState.Running.class,
                            r -> assertThat(r.spec().binary()).isEqualTo(installed));
        }
    }
}
