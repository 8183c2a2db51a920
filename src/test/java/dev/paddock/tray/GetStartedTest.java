package dev.paddock.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.app.Daemon;
import dev.paddock.app.Running;
import dev.paddock.autostart.LinuxAutostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.RecordingTrayHost;
import dev.paddock.testing.TestRig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On an empty home the tray's menu offers the example presets that ship with Paddock (the project's presets
 * folder) in a "Get started" submenu; picking one writes it into the presets folder, as it ships, and loads it,
 * which pulls its model first. This test's JVM has no hub (HF_ENDPOINT is a closed local port), so the pull is
 * refused and the tray says so: the pull was asked for the example's own model.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GetStartedTest {
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

    @Test
    void anEmptyHomeOffersTheExamplesAndPickingOneWritesItAndLoadsIt() throws Exception {
        assertThat(System.getenv("HF_ENDPOINT"))
                .as("run by surefire, which points the hub at a closed local port (never the real hub)")
                .startsWith("http://127.0.0.1:");
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: 0}\n");
        PaddockHome h = new PaddockHome(home);
        running = new Daemon(h, new PrintStream(OutputStream.nullOutputStream()))
                .start(false)
                .orElseThrow();
        controller = new TrayController(
                running.switchboard(),
                h,
                () -> running.config().presetsDir(),
                new LinuxAutostart(dir.resolve("autostart")),
                new Desktops(dir.toString()), // no notify-send: notices go to the host
                TrayController.Dialogs.NONE,
                () -> running.stop(),
                Clock.systemUTC());
        running.onPresetsChanged(controller::presetsChanged);
        controller.attach(tray);
        await().until(() -> !tray.shown().isEmpty());

        MenuModel.Entry.Submenu getStarted = last().entries().stream()
                .filter(e -> e instanceof MenuModel.Entry.Submenu)
                .map(MenuModel.Entry.Submenu.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Get started submenu in " + last().entries()));
        assertThat(getStarted.label()).isEqualTo("Get started");
        Path shipped = Path.of(System.getProperty("paddock.project.dir", "."), "presets");
        try (var files = Files.list(shipped)) {
            assertThat(getStarted.entries().stream()
                            .filter(e -> e instanceof MenuModel.Entry.Action)
                            .map(e -> ((MenuModel.Entry.Action) e).name()))
                    .as("one entry per example the project ships")
                    .containsExactlyInAnyOrderElementsOf(files.map(
                                    f -> "example:" + f.getFileName().toString().replace(".yaml", ""))
                            .toList());
        }
        assertThat(getStarted.entries()).anySatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(MenuModel.Entry.Action.class, a -> assertThat(a.label())
                        .startsWith("qwen2.5-0.5b — Qwen2.5 0.5B Instruct")));

        getStarted.entries().stream()
                .filter(e -> e instanceof MenuModel.Entry.Action a && a.name().equals("example:qwen2.5-0.5b"))
                .map(MenuModel.Entry.Action.class::cast)
                .findFirst()
                .orElseThrow()
                .run()
                .accept(controller);

        Path written = home.resolve("presets/qwen2.5-0.5b.yaml");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(written));
        assertThat(written).hasSameTextualContentAs(shipped.resolve("qwen2.5-0.5b.yaml"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tray.notices())
                .anySatisfy(n ->
                        assertThat(n).startsWith("Cannot load qwen2.5-0.5b").contains("Qwen2.5-0.5B-Instruct-GGUF")));
        assertThat(tray.shown()).anySatisfy(m -> assertThat(m.status()).isEqualTo("Loading qwen2.5-0.5b…"));
        assertThat(last().entries()).noneMatch(e -> e instanceof MenuModel.Entry.Submenu);
    }
}
