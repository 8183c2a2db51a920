package dev.paddock.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.app.Daemon;
import dev.paddock.app.Running;
import dev.paddock.autostart.LinuxAutostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.jmx.SupervisorMBean;
import dev.paddock.switchboard.Origin;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.RecordingTrayHost;
import dev.paddock.testing.TestRig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tray's menu follows the supervisor, whoever changes it: a load over JMX checks the preset; a preset file added
 * on disk appears; a click shows the preset loading before the supervisor has spawned anything; a slow load never
 * blocks the event thread. A Paddock in this JVM (its own fork) with the real llama-server; the host records.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrayControllerTest {
    /** The model file every preset here runs, named as the hub names it; the presets are the tray fixtures'. */
    private static final String MODEL = "Meta-Llama-3.1-8B-Instruct-Q4_K_M";

    private static final String A = TrayFixtures.A, B = TrayFixtures.B;

    @TempDir
    Path dir;

    private Running running;
    private TrayController controller;
    private final RecordingTrayHost tray = new RecordingTrayHost();
    private final List<MenuModel> shown = tray.shown();
    private Path home;

    @BeforeEach
    void startPaddockAndTheTray() throws Exception {
        home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        Path model = TestRig.tinyModel(dir, MODEL, 1);
        Path fake = TestRig.fakeServerScript(dir);
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\n");
        Files.writeString(
                home.resolve("presets/" + A + ".yaml"), "model: " + model + "\nport: auto\ncontext-size: 256\n");
        Files.writeString(
                home.resolve("presets/" + B + ".yaml"), "model: " + model + "\nport: auto\ncontext-size: 256\n");
        Files.writeString(
                home.resolve("presets/slow.yaml"),
                "model: " + model + "\nport: auto\nllama-server: " + fake
                        + "\nargs: [\"--fake-loading-ms\", \"5000\"]\n");
        PaddockHome h = new PaddockHome(home);
        running = new Daemon(h, new PrintStream(java.io.OutputStream.nullOutputStream()))
                .start(false)
                .orElseThrow();
        controller = new TrayController(
                running.switchboard(),
                h,
                () -> running.config().presetsDir(),
                new LinuxAutostart(dir.resolve("autostart")),
                new Desktops(),
                TrayController.Dialogs.NONE,
                () -> running.stop(),
                Clock.systemUTC());
        running.onPresetsChanged(controller::presetsChanged);
        controller.attach(tray);
        await().until(() -> !shown.isEmpty());
    }

    @AfterEach
    void stop() {
        controller.close();
        running.stop();
    }

    private MenuModel last() {
        return shown.get(shown.size() - 1);
    }

    @Test
    void aLoadOverJmxChecksThePresetInTheMenuAndAnUnloadClearsIt() throws Exception {
        assertThat(last().presets()).extracting(MenuModel.PresetItem::name).containsExactly(A, B, "slow");
        JMXServiceURL url =
                new JMXServiceURL(Files.readAllLines(home.resolve("jmx.url")).get(0));
        try (JMXConnector c = JMXConnectorFactory.connect(url)) {
            String[] signature = {String.class.getName()};
            c.getMBeanServerConnection().invoke(SupervisorMBean.NAME, "load", new Object[] {"p:" + B}, signature);
            await().until(() -> last().status().equals("Running " + B));
            assertThat(last().presets())
                    .containsExactly(
                            new MenuModel.PresetItem(A, false, false),
                            new MenuModel.PresetItem(B, true, false),
                            new MenuModel.PresetItem("slow", false, false));
            assertThat(last().endpoint()).startsWith("http://127.0.0.1:");
            assertThat(last().tooltip()).endsWith("\nllama, 124K parameters, F32, trained context 2048");
            assertThat(shown).anySatisfy(m -> assertThat(m.status()).isEqualTo("Loading " + B + "…"));

            c.getMBeanServerConnection().invoke(SupervisorMBean.NAME, "unload", new Object[0], new String[0]);
            await().until(() -> last().status().equals("Idle"));
            assertThat(last().presets())
                    .extracting(MenuModel.PresetItem::checked)
                    .containsOnly(false);
        }
    }

    @Test
    void aPresetFileAddedOnDiskAppearsInTheMenu() throws Exception {
        Files.writeString(
                home.resolve("presets/late.yaml"), "model: " + dir.resolve(MODEL + ".gguf") + "\nport: auto\n");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> last().presets().stream().anyMatch(p -> p.name().equals("late")));
    }

    @Test
    void aClickShowsTheClickedPresetLoadingAtOnceAndTheEventThreadStaysFreeDuringASlowLoad() throws Exception {
        SwingUtilities.invokeAndWait(() -> controller.load("slow"));
        MenuModel right = controller.shown();
        assertThat(right.status()).as("before the supervisor has said anything").isEqualTo("Loading slow…");
        assertThat(right.presets()).contains(new MenuModel.PresetItem("slow", false, true));
        await().until(() -> running.switchboard().status().server().name().equals("loading"));
        long t0 = System.nanoTime();
        SwingUtilities.invokeAndWait(() -> {});
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("the event thread answers while the 5 s load runs")
                .isLessThan(Duration.ofSeconds(1));
        assertThat(running.switchboard().status().server().name()).isEqualTo("loading");
        SwingUtilities.invokeAndWait(controller::unload);
        await().until(() -> last().status().equals("Idle"));
    }

    @Test
    void quitStopsTheServerAndPaddock() throws Exception {
        running.switchboard().load("p:" + A, false, Origin.TRAY);
        long server = running.switchboard().status().server() instanceof dev.paddock.supervisor.ServerState.Running r
                ? r.pid()
                : -1;
        assertThat(server).isPositive();
        SwingUtilities.invokeAndWait(controller::quit);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(home.resolve("paddock.pid")));
        assertThat(ProcessHandle.of(server).map(TestRig::isRunning).orElse(false))
                .isFalse();
        assertThat(home.resolve("jmx.url")).doesNotExist();
    }

    @Test
    void aPullShowsItsProgressInTheStatusLineUntilItEnds() {
        String file = "Llama-4-Scout-17B-16E-Instruct-Q4_K_M-00001-of-00002.gguf";
        controller.pullProgress(file, 42, 100);
        await().until(() -> last().status().equals("Pulling " + file + "… 42%"));
        assertThat(last().icon()).isEqualTo(TrayIcons.Kind.LOADING);
        controller.pullProgress(file, 100, 100);
        await().until(() -> last().status().equals("Idle"));
    }
}
