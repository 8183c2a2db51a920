package dev.paddock.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.app.Daemon;
import dev.paddock.app.Running;
import dev.paddock.autostart.LinuxAutostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.GgufException;
import dev.paddock.model.GgufInfo;
import dev.paddock.model.GgufReader;
import dev.paddock.model.LocalModel;
import dev.paddock.model.MemoryFit;
import dev.paddock.supervisor.ServerState;
import dev.paddock.testing.Display;
import dev.paddock.testing.EdtWatch;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.TestRig;
import dev.paddock.testing.TinyGguf;
import dev.paddock.tray.Desktops;
import dev.paddock.tray.MenuModel;
import dev.paddock.tray.TrayController;
import dev.paddock.tray.TrayHost;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.Robot;
import org.assertj.swing.data.TableCell;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models…: every model Paddock can run in one table, their headers filled in off the event thread, a filter, a
 * load through the running Paddock's switchboard (the real llama-server) that the tray then shows, and Remove only
 * for what Paddock downloaded. Every event after the window is up must take under 100 ms and throw nothing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ModelsWindowTest {
    private static final String CODER = "qwen2.5-coder-7b-instruct-q4_k_m";
    private static final String LLAMA = "Meta-Llama-3.1-8B-Instruct-Q4_K_M";
    private static final String PHI = "Phi-3-mini-4k-instruct-q4";

    @TempDir
    Path dir;

    private Robot robot;
    private FrameFixture window;
    private EdtWatch watch;
    private Running running;
    private TrayController tray;
    private final List<MenuModel> trayShown = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        try {
            if (window != null) window.cleanUp();
            if (tray != null) tray.close();
            if (running != null) running.stop();
        } finally {
            if (watch != null) watch.close();
        }
    }

    private FrameFixture open(ModelsWindow.Library library) {
        Display.require();
        watch = EdtWatch.install(Duration.ofMillis(100));
        robot = BasicRobot.robotWithNewAwtHierarchy();
        robot.settings().delayBetweenEvents(10);
        ModelsWindow w = GuiActionRunner.execute(() -> new ModelsWindow(library));
        window = new FrameFixture(robot, w);
        window.show();
        return window;
    }

    /** One column of the table as shown. */
    private List<String> column(int c) {
        return java.util.Arrays.stream(rows()).map(r -> r[c]).toList();
    }

    /** The table's rows as shown (sorted, filtered). */
    private String[][] rows() {
        return window.table("models").contents();
    }

    @Test
    void everyModelIsListedWithItsHeaderAndOneLoadsThroughTheSwitchboardAndTheTrayShowsIt() throws Exception {
        PaddockHome home = new PaddockHome(Files.createDirectories(dir.resolve("home")));
        Files.createDirectories(home.defaultPresetsDir());
        Path models = home.defaultModelsDir();
        Path coder = TinyGguf.write(
                Files.createDirectories(models.resolve("Qwen/Qwen2.5-Coder-7B-Instruct-GGUF"))
                        .resolve(CODER + ".gguf"),
                "Qwen2.5 Coder 7B Instruct",
                1);
        Path llama = TinyGguf.write(
                Files.createDirectories(models.resolve("bartowski/Meta-Llama-3.1-8B-Instruct-GGUF"))
                        .resolve(LLAMA + ".gguf"),
                "Meta Llama 3.1 8B Instruct",
                2);
        Path mine = Files.createDirectories(dir.resolve("my models"));
        TinyGguf.write(mine.resolve(PHI + ".gguf"), "Phi 3 mini", 3);
        Files.writeString(
                home.root().resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: "
                        + TestRig.freePort() + "}\ngateway: {port: " + TestRig.freePort() + "}\nmodel-dirs: [\"" + mine
                        + "\"]\nmodel-sources: {huggingface-cache: false, lm-studio: false, ollama: false}\n");
        running = new Daemon(home, new PrintStream(java.io.OutputStream.nullOutputStream()))
                .start(false)
                .orElseThrow();
        tray = new TrayController(
                running.switchboard(),
                home,
                () -> running.config().presetsDir(),
                new LinuxAutostart(dir.resolve("autostart")),
                new Desktops(),
                TrayController.Dialogs.NONE,
                () -> {},
                Clock.systemUTC());
        tray.attach(new Recording());

        open(Dialogs.libraryOf(running.switchboard(), running.puller(), null, new Desktops(), m -> {}));
        // rows first, then each header as it is read: every row ends with its architecture
        await().untilAsserted(() -> assertThat(rows()).hasNumberOfRows(3));
        await().untilAsserted(() -> {
            for (String[] row : rows()) assertThat(row[2]).as(row[0]).isEqualTo("llama");
        });
        watch.arm();
        String[][] all = rows();
        assertThat(java.util.Arrays.stream(all).map(r -> r[0] + " | " + r[1] + " | " + r[4]))
                .containsExactly(
                        "Qwen/Qwen2.5-Coder-7B-Instruct-GGUF/" + CODER + ".gguf | downloaded | Q4_K_M",
                        "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/" + LLAMA + ".gguf | downloaded | Q4_K_M",
                        mine.resolve(PHI + ".gguf") + " | model-dirs | " + all[2][4]);
        assertThat(column(6)).as("trained context").containsOnly("2048");
        assertThat(column(7)).as("fit").isSubsetOf("fits", "tight", "will not fit");

        window.textBox("filter").enterText("coder");
        await().untilAsserted(() -> assertThat(rows()).hasNumberOfRows(1));
        assertThat(window.label("status").text()).isEqualTo("1 of 3 models");
        window.table("models").selectRows(0);
        assertThat(window.textBox("details").text())
                .contains(coder.toString(), "architecture  llama", "trained ctx   2048", "memory        about");
        window.button("remove").requireEnabled();

        window.button("load").click();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(window.label("status").text()).isEqualTo(rows()[0][0] + " is running"));
        ServerState s = running.switchboard().status().server();
        assertThat(s).isInstanceOf(ServerState.Running.class);
        assertThat(((ServerState.Running) s).spec().model()).isEqualTo(coder);
        await().untilAsserted(
                        () -> assertThat(trayShown.get(trayShown.size() - 1).status())
                                .as("the tray follows the load the window asked for")
                                .isEqualTo("Running " + CODER));

        // a model in the user's own folder: Paddock never deletes it
        window.textBox("filter").deleteText().enterText("phi");
        await().untilAsserted(() -> assertThat(rows()).hasNumberOfRows(1));
        window.table("models").selectRows(0);
        window.button("remove").requireDisabled();
        window.button("load").requireEnabled();

        // a downloaded one: Remove asks, then deletes it and the list follows
        window.textBox("filter").deleteText().enterText("llama-3.1");
        await().untilAsserted(() -> assertThat(rows()).hasNumberOfRows(1));
        window.table("models").selectRows(0);
        window.button("remove").click();
        window.optionPane()
                .requireMessage("Delete bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/" + LLAMA + ".gguf ("
                        + ModelsWindow.human(Files.size(llama))
                        + ")?\n" + llama);
        window.optionPane().okButton().click();
        await().untilAsserted(() -> assertThat(llama).doesNotExist());
        window.textBox("filter").deleteText();
        await().untilAsserted(() -> assertThat(rows()).hasNumberOfRows(2));
    }

    /** A library over files in the test's folder, with the free memory it is told. */
    private static class Files3 implements ModelsWindow.Library {
        private final List<LocalModel> list;
        private final long ram;
        private final String failLoad;

        Files3(List<LocalModel> list, long ram, String failLoad) {
            this.list = list;
            this.ram = ram;
            this.failLoad = failLoad;
        }

        @Override
        public List<LocalModel> models() {
            return list;
        }

        @Override
        public GgufInfo header(Path file) throws GgufException {
            return GgufReader.read(file);
        }

        @Override
        public void load(LocalModel model) throws PaddockException {
            throw new PaddockException(ErrorCode.MODEL_NOT_FOUND, failLoad);
        }

        @Override
        public void remove(LocalModel model) {}

        @Override
        public void newPreset(LocalModel model) {}

        @Override
        public void showInFolder(Path file) {}

        @Override
        public OptionalLong freeRam() {
            return OptionalLong.of(ram);
        }
    }

    @Test
    void fitMarksSortingAnotherToolsModelAndAFailedLoadAreShown() throws Exception {
        Path ollama = TinyGguf.write(dir.resolve("sha256-6a0746a1ec1a"), "Llama 3.2 1B", 4);
        Path gemma = TinyGguf.write(dir.resolve("gemma-3-4b-it-UD-Q4_K_XL.gguf"), "Gemma 3 4B", 5);
        long need = MemoryFit.estimate(ollama, GgufReader.read(ollama), null).total();
        List<LocalModel> list = List.of(
                new LocalModel("", "llama3.2", ollama, "1b", LocalModel.Source.OLLAMA, "llama3.2:1b", null, null),
                new LocalModel(
                        "unsloth",
                        "gemma-3-4b-it-GGUF",
                        gemma,
                        "UD-Q4_K_XL",
                        LocalModel.Source.HF_CACHE,
                        "unsloth/gemma-3-4b-it-GGUF:UD-Q4_K_XL",
                        null,
                        null));
        open(new Files3(list, (long) (need * 1.1), "tensor 'blk.0.attn_q.weight' has wrong shape"));
        await().untilAsserted(() -> assertThat(column(7))
                .as("both estimates just under what is free: tight")
                .containsExactly("tight", "tight"));
        watch.arm();
        window.table("models").tableHeader().clickColumn(0);
        assertThat(column(0)).containsExactly("llama3.2:1b", "unsloth/gemma-3-4b-it-GGUF:UD-Q4_K_XL");
        window.table("models").tableHeader().clickColumn(1); // by source: huggingface-cache before ollama
        assertThat(column(0)).containsExactly("unsloth/gemma-3-4b-it-GGUF:UD-Q4_K_XL", "llama3.2:1b");

        window.table("models").cell(TableCell.row(1).column(0)).click(); // llama3.2:1b, Ollama's
        window.button("remove").requireDisabled();
        assertThat(window.button("remove").target().getToolTipText()).contains("Ollama (remove it with `ollama rm`)");
        window.button("load").click();
        await().untilAsserted(() -> assertThat(window.label("status").text())
                .isEqualTo("Cannot load llama3.2:1b: tensor 'blk.0.attn_q.weight' has wrong shape"));
        window.button("load").requireEnabled();
    }

    @Test
    void theWarmUpBuildsReadsAndPaintsAWindowNobodySeesThenDropsIt() throws Exception {
        Display.require();
        watch = EdtWatch.install(Duration.ofMillis(100)); // its events load classes: only a throw fails here
        List<LocalModel> list = new java.util.ArrayList<>();
        for (String name : List.of(CODER, LLAMA, PHI))
            list.add(new LocalModel(
                    "bartowski", name + "-GGUF", TinyGguf.write(dir.resolve(name + ".gguf"), name, 1), "Q4_K_M"));
        List<Path> read = new CopyOnWriteArrayList<>();
        ModelsWindow.Library library = new Files3(list, 1L << 40, "") {
            @Override
            public GgufInfo header(Path file) throws GgufException {
                read.add(file);
                return super.header(file);
            }
        };
        List<java.awt.event.WindowEvent> opened = new CopyOnWriteArrayList<>();
        java.awt.event.AWTEventListener windows = e -> {
            if (e.getID() == java.awt.event.WindowEvent.WINDOW_OPENED) opened.add((java.awt.event.WindowEvent) e);
        };
        java.awt.Toolkit.getDefaultToolkit().addAWTEventListener(windows, java.awt.AWTEvent.WINDOW_EVENT_MASK);
        try {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            List<java.awt.Frame> before = GuiActionRunner.execute(() -> {
                List<java.awt.Frame> frames = List.of(java.awt.Frame.getFrames());
                ModelsWindow.prewarm(library, 2, done::countDown);
                return frames;
            });
            assertThat(done.await(60, TimeUnit.SECONDS)).as("the warm-up ended").isTrue();
            assertThat(read)
                    .as("the first two models' headers, as its limit says")
                    .containsExactly(list.get(0).file(), list.get(1).file());
            ModelsWindow warmed = GuiActionRunner.execute(() -> java.util.Arrays.stream(java.awt.Frame.getFrames())
                    .filter(f -> f instanceof ModelsWindow && !before.contains(f))
                    .map(f -> (ModelsWindow) f)
                    .findFirst()
                    .orElseThrow());
            assertThat(warmed.firstRowsPaintedNanos())
                    .as("its rows were painted (off screen)")
                    .isPositive();
            assertThat(GuiActionRunner.execute(warmed::isDisplayable))
                    .as("disposed")
                    .isFalse();
            assertThat(opened).as("never shown").isEmpty();
        } finally {
            java.awt.Toolkit.getDefaultToolkit().removeAWTEventListener(windows);
        }
    }

    @Test
    void theMarkComparesTheEstimateWithWhatIsFree() {
        MemoryFit.Estimate e = new MemoryFit.Estimate(4_000_000_000L, 1_000_000_000L, 8192);
        assertThat(MemoryFit.mark(e, OptionalLong.of(10_000_000_000L), OptionalLong.empty()))
                .isEqualTo(MemoryFit.Mark.FITS);
        assertThat(MemoryFit.mark(e, OptionalLong.of(5_500_000_000L), OptionalLong.empty()))
                .isEqualTo(MemoryFit.Mark.TIGHT);
        assertThat(MemoryFit.mark(e, OptionalLong.of(4_000_000_000L), OptionalLong.empty()))
                .isEqualTo(MemoryFit.Mark.WILL_NOT_FIT);
        assertThat(MemoryFit.mark(e, OptionalLong.of(4_000_000_000L), OptionalLong.of(8_000_000_000L)))
                .as("the GPU holds it")
                .isEqualTo(MemoryFit.Mark.FITS);
        assertThat(MemoryFit.mark(e, OptionalLong.empty(), OptionalLong.empty()))
                .isEqualTo(MemoryFit.Mark.UNKNOWN);
    }

    private final class Recording implements TrayHost {
        @Override
        public void show(MenuModel model, int frame) {
            trayShown.add(model);
        }

        @Override
        public boolean notify(String title, String body, boolean error) {
            return true;
        }

        @Override
        public String kind() {
            return "recording";
        }

        @Override
        public void close() {}
    }
}
