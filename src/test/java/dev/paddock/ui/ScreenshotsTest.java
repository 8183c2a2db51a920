package dev.paddock.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.config.PaddockHome;
import dev.paddock.core.PaddockException;
import dev.paddock.hub.Downloads;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.HubSettings;
import dev.paddock.hub.ProgressFanout;
import dev.paddock.hub.Puller;
import dev.paddock.model.GgufInfo;
import dev.paddock.model.LocalModel;
import dev.paddock.model.ModelStore;
import dev.paddock.testing.Display;
import dev.paddock.testing.FakeHub;
import dev.paddock.tray.MenuModel;
import dev.paddock.tray.TrayIcons;
import dev.paddock.tray.TrayScreenshots;
import java.awt.Component;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.JDialog;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Screenshots of the tray menu, the preferences and the preset editor, taken on the test display (Xvfb and fluxbox
 * in CI) into {@code target/screenshots/}; the ones in {@code docs/screenshots/} were taken this way.
 */
class ScreenshotsTest {
    @TempDir
    Path dir;

    private static final Path OUT = Path.of(System.getProperty("paddock.project.dir", "."), "target/screenshots");

    @Test
    void theTrayMenuAndTheDialogsAreCapturedFromTheScreen() throws Exception {
        Display.require();
        Files.createDirectories(OUT);
        SwingUtilities.invokeAndWait(() -> Theme.apply("light"));
        MenuModel model = new MenuModel(
                "Running qwen2.5-0.5b",
                "Paddock: qwen2.5-0.5b at http://127.0.0.1:8080, up 12m",
                TrayIcons.Kind.RUNNING,
                List.of(
                        new MenuModel.PresetItem("gemma-3-1b", false, false),
                        new MenuModel.PresetItem("llama-3.2-1b", false, false),
                        new MenuModel.PresetItem("qwen2.5-0.5b", true, false),
                        new MenuModel.PresetItem("smollm2-360m", false, false)),
                "http://127.0.0.1:8080",
                true,
                true,
                null,
                -1,
                false,
                List.of());
        AtomicReference<Component> menu = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> menu.set(TrayScreenshots.showMenu(model, 60, 60)));
        save(menu.get(), "tray-menu.png");
        SwingUtilities.invokeAndWait(TrayScreenshots::hideMenu);

        PaddockHome home = new PaddockHome(Files.createDirectories(dir.resolve("home")));
        for (String theme : List.of("light", "dark")) {
            AtomicReference<JDialog> prefs = new AtomicReference<>();
            SwingUtilities.invokeAndWait(() -> {
                Theme.apply(theme);
                prefs.set(new PreferencesDialog(
                        null, home, List.of("qwen2.5-0.5b-instruct-q4_k_m", "gemma-3-1b-it-Q4_K_M"), true, s -> {}));
                prefs.get().setLocation(40, 40);
                prefs.get().setVisible(true);
            });
            save(prefs.get(), theme.equals("light") ? "preferences.png" : "preferences-dark.png");
            SwingUtilities.invokeAndWait(prefs.get()::dispose);
        }
        SwingUtilities.invokeAndWait(() -> Theme.apply("light"));

        // a preset for a real (tiny) GGUF: the editor shows its header and how it fits as the model is chosen
        Path gguf = dev.paddock.testing.TinyGguf.write(
                dir.resolve("qwen2.5-0.5b-instruct-q4_k_m.gguf"), "qwen2.5-0.5b-instruct", 3);
        var planner = new dev.paddock.supervisor.LaunchPlanner(
                dev.paddock.testing.TestRig.config(
                        home, dev.paddock.testing.LlamaServerBinary.require(), java.time.Duration.ofSeconds(2)),
                "");
        var resolver = new dev.paddock.preset.IdentifierResolver(
                dev.paddock.preset.PresetCatalog::empty,
                new ModelStore(home.defaultModelsDir()),
                dev.paddock.model.ModelFetcher.none());
        AtomicReference<PresetEditor> editor = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            editor.set(new PresetEditor(
                            null, home.defaultPresetsDir(), null, p -> planner.plan(resolver.resolve(p)), f -> {})
                    .prefill("qwen2.5-0.5b-instruct-q4_k_m", gguf.toString(), "--jinja"));
            editor.get().setLocation(40, 40);
            editor.get().setVisible(true);
        });
        javax.swing.JLabel info = find(editor.get().getContentPane(), javax.swing.JLabel.class, "model.info");
        await().until(() -> info.getText().contains("parameters"));
        assertThat(info.getText()).startsWith("Fits: needs ~").contains("MB with", "parameters", "trained context");
        save(editor.get(), "preset-editor.png");
        SwingUtilities.invokeAndWait(editor.get()::dispose);

        BufferedImage icons = new BufferedImage(5 * 40, 40, BufferedImage.TYPE_INT_ARGB);
        var g = icons.createGraphics();
        int x = 4;
        for (TrayIcons.Kind k : TrayIcons.Kind.values()) {
            g.drawImage(TrayIcons.draw(k, 32, 1), x, 4, null);
            x += 40;
        }
        g.drawImage(TrayIcons.draw(TrayIcons.Kind.LOADING, 32, 1, 0.5), x, 4, null); // half a load
        g.dispose();
        ImageIO.write(icons, "png", OUT.resolve("tray-icons.png").toFile());
    }

    /** What the Models window shows in the screenshots: hub-named models with the headers they really have. */
    private record Shelf(List<LocalModel> list, java.util.Map<Path, GgufInfo> headers) implements ModelsWindow.Library {
        @Override
        public List<LocalModel> models() {
            return list;
        }

        @Override
        public GgufInfo header(Path file) {
            return headers.get(file);
        }

        @Override
        public void load(LocalModel model) {}

        @Override
        public void remove(LocalModel model) {}

        @Override
        public void newPreset(LocalModel model) {}

        @Override
        public void showInFolder(Path file) {}

        @Override
        public OptionalLong freeRam() {
            return OptionalLong.of(10_000_000_000L);
        }
    }

    private Shelf shelf() throws Exception {
        List<LocalModel> list = new ArrayList<>();
        java.util.Map<Path, GgufInfo> headers = new HashMap<>();
        Object[][] rows = {
            // org/repo/file or name, source, size, arch, parameters, quant, context, embedding, layers, heads, kv
            {
                "Qwen/Qwen2.5-Coder-7B-Instruct-GGUF/qwen2.5-coder-7b-instruct-q4_k_m.gguf",
                "DOWNLOADED",
                4_683_073_952L,
                "qwen2",
                7_615_616_512L,
                "Q4_K_M",
                32768L,
                3584L,
                28L,
                28L,
                4L
            },
            {
                "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
                "DOWNLOADED",
                4_920_734_016L,
                "llama",
                8_030_261_248L,
                "Q4_K_M",
                131072L,
                4096L,
                32L,
                32L,
                8L
            },
            {
                "TheBloke/Mistral-7B-Instruct-v0.2-GGUF/mistral-7b-instruct-v0.2.Q4_K_M.gguf",
                "DOWNLOADED",
                4_368_439_584L,
                "llama",
                7_241_732_096L,
                "Q4_K_M",
                32768L,
                4096L,
                32L,
                32L,
                8L
            },
            {
                "Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf",
                "DOWNLOADED",
                491_400_032L,
                "qwen2",
                494_032_768L,
                "Q4_K_M",
                32768L,
                896L,
                24L,
                14L,
                2L
            },
            {
                "unsloth/gemma-3-27b-it-GGUF:Q4_K_M",
                "HF_CACHE",
                16_546_688_000L,
                "gemma3",
                27_009_002_240L,
                "Q4_K_M",
                131072L,
                5376L,
                62L,
                32L,
                16L
            },
            {
                "lmstudio-community/Mistral-Small-3.2-24B-Instruct-2506-GGUF:Q4_K_M",
                "LM_STUDIO",
                14_333_911_072L,
                "llama",
                23_572_403_200L,
                "Q4_K_M",
                131072L,
                5120L,
                40L,
                32L,
                8L
            },
            {"llama3.2:1b", "OLLAMA", 1_321_082_688L, "llama", 1_235_814_432L, "Q8_0", 131072L, 2048L, 16L, 32L, 8L},
            {
                "Phi-3-mini-4k-instruct-q4.gguf",
                "FOLDER",
                2_393_231_072L,
                "phi3",
                3_821_079_552L,
                "Q4_K_M",
                4096L,
                3072L,
                32L,
                32L,
                32L
            },
        };
        Path shelfDir = Files.createDirectories(dir.resolve("shelf"));
        int n = 0;
        for (Object[] r : rows) {
            String name = (String) r[0];
            LocalModel.Source source = LocalModel.Source.valueOf((String) r[1]);
            String fileName =
                    name.endsWith(".gguf") ? name.substring(name.lastIndexOf('/') + 1) : "model-" + n + ".gguf";
            Path file = Files.createDirectories(shelfDir.resolve(Integer.toString(n++)))
                    .resolve(fileName);
            try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength((Long) r[2]); // sparse: the size a person's disk would show
            }
            String[] parts = name.split("/");
            LocalModel m =
                    switch (source) {
                        case DOWNLOADED -> new LocalModel(parts[0], parts[1], file, (String) r[5]);
                        case FOLDER -> LocalModel.inPlace(file, (String) r[5]);
                        default -> new LocalModel(
                                parts.length > 1 ? parts[0] : "",
                                parts.length > 1 ? parts[1] : name,
                                file,
                                (String) r[5],
                                source,
                                name,
                                null,
                                null);
                    };
            list.add(m);
            headers.put(
                    file,
                    new GgufInfo(
                            3,
                            (String) r[3],
                            null,
                            (Long) r[4],
                            (String) r[5],
                            (Long) r[6],
                            (Long) r[7],
                            (Long) r[8],
                            (Long) r[9],
                            (Long) r[10],
                            "gpt2",
                            true,
                            291,
                            1,
                            0,
                            (Long) r[2],
                            null,
                            0));
        }
        return new Shelf(list, headers);
    }

    @Test
    void theModelsWindowInBothThemesAndTheLogWindowAreCaptured() throws Exception {
        Display.require();
        Files.createDirectories(OUT);
        Shelf shelf = shelf();
        for (String theme : List.of("light", "dark")) {
            SwingUtilities.invokeAndWait(() -> Theme.apply(theme));
            AtomicReference<ModelsWindow> w = new AtomicReference<>();
            SwingUtilities.invokeAndWait(() -> {
                w.set(new ModelsWindow(shelf));
                w.get().setLocation(20, 20);
                w.get().setVisible(true);
            });
            await().untilAsserted(() -> {
                AtomicReference<String> fit = new AtomicReference<>();
                SwingUtilities.invokeAndWait(() -> fit.set(
                        String.valueOf(w.get().getContentPane().isShowing() ? tableCell(w.get(), 7, 7) : null)));
                assertThat(fit.get()).as("the last header is read").isEqualTo("fits");
            });
            SwingUtilities.invokeAndWait(() -> selectRow(w.get(), 0));
            save(w.get(), "models-" + theme + ".png");
            SwingUtilities.invokeAndWait(w.get()::dispose);
        }
        SwingUtilities.invokeAndWait(() -> Theme.apply("light"));

        Path log = dir.resolve("llama.log");
        Files.writeString(log, String.join("\n", LOG_LINES) + "\n");
        AtomicReference<LogWindow> logWindow = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            logWindow.set(new LogWindow(log));
            logWindow.get().setLocation(20, 20);
            logWindow.get().setVisible(true);
        });
        await().untilAsserted(() -> {
            AtomicReference<String> text = new AtomicReference<>();
            SwingUtilities.invokeAndWait(() -> text.set(textOf(logWindow.get())));
            assertThat(text.get()).contains("all slots are idle");
        });
        save(logWindow.get(), "log-window.png");
        SwingUtilities.invokeAndWait(logWindow.get()::dispose);

        MenuModel loading = new MenuModel(
                "Loading qwen2.5-coder-7b-instruct-q4_k_m… 50%",
                "Paddock: loading qwen2.5-coder-7b-instruct-q4_k_m 50%",
                TrayIcons.Kind.LOADING,
                List.of(
                        new MenuModel.PresetItem("Meta-Llama-3.1-8B-Instruct.Q4_K_M", false, false),
                        new MenuModel.PresetItem("qwen2.5-coder-7b-instruct-q4_k_m", false, true),
                        new MenuModel.PresetItem("gpt-oss-20b", false, false)),
                null,
                true,
                true,
                null,
                0.5,
                false,
                List.of());
        AtomicReference<Component> menu = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> menu.set(TrayScreenshots.showMenu(loading, 60, 60)));
        save(menu.get(), "tray-loading.png");
        SwingUtilities.invokeAndWait(TrayScreenshots::hideMenu);
    }

    /** The shelf, with a hub to search and download from. */
    private record ShelfAndHub(Shelf shelf, Puller puller, Downloads downloads) implements ModelsWindow.Library {
        @Override
        public List<LocalModel> models() {
            return shelf.models();
        }

        @Override
        public GgufInfo header(Path file) {
            return shelf.header(file);
        }

        @Override
        public void load(LocalModel model) {}

        @Override
        public void remove(LocalModel model) {}

        @Override
        public void newPreset(LocalModel model) {}

        @Override
        public void showInFolder(Path file) {}

        @Override
        public OptionalLong freeRam() {
            return shelf.freeRam();
        }

        @Override
        public Downloads downloads() {
            return downloads;
        }

        @Override
        public List<HubClient.Repo> search(String query) throws PaddockException {
            return puller.hub().search(query, 50);
        }

        @Override
        public List<Puller.Offer> offers(String repoId) throws PaddockException {
            return puller.offers(repoId);
        }
    }

    @Test
    void aDownloadInProgressIsCaptured() throws Exception {
        Display.require();
        Files.createDirectories(OUT);
        SwingUtilities.invokeAndWait(() -> Theme.apply("light"));
        String repo = "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF";
        try (FakeHub hub = new FakeHub()) {
            int mb = 1 << 20;
            hub.file(repo, "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", new byte[24 * mb])
                    .file(repo, "Meta-Llama-3.1-8B-Instruct-Q5_K_M.gguf", new byte[28 * mb])
                    .file(repo, "Meta-Llama-3.1-8B-Instruct-Q8_0.gguf", new byte[40 * mb])
                    .file(repo, "Meta-Llama-3.1-8B-Instruct-IQ4_XS.gguf", new byte[21 * mb])
                    .file("bartowski/Llama-3.2-3B-Instruct-GGUF", "Llama-3.2-3B-Instruct-Q4_K_M.gguf", new byte[mb]);
            hub.throttle(4 * mb);
            ProgressFanout progress = new ProgressFanout();
            Puller puller = new Puller(
                    new HubClient(
                            HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint(), "HOME", dir.toString()))),
                    new ModelStore(Files.createDirectories(dir.resolve("downloads"))),
                    progress,
                    Puller.FreeSpace.REAL);
            Downloads downloads = new Downloads(puller);
            progress.add(downloads);
            ShelfAndHub library = new ShelfAndHub(shelf(), puller, downloads);
            AtomicReference<ModelsWindow> w = new AtomicReference<>();
            SwingUtilities.invokeAndWait(() -> {
                w.set(new ModelsWindow(library));
                w.get().setLocation(20, 20);
                w.get().setVisible(true);
                find(w.get(), javax.swing.JTabbedPane.class).setSelectedIndex(1);
                named(w.get(), javax.swing.JTextField.class, "hub-query").setText("llama");
                named(w.get(), javax.swing.JButton.class, "hub-search").doClick();
            });
            await().untilAsserted(() -> {
                AtomicReference<Integer> n = new AtomicReference<>();
                SwingUtilities.invokeAndWait(() -> n.set(named(w.get(), javax.swing.JList.class, "repos")
                        .getModel()
                        .getSize()));
                assertThat(n.get()).isEqualTo(2);
            });
            SwingUtilities.invokeAndWait(
                    () -> named(w.get(), javax.swing.JList.class, "repos").setSelectedValue(repo, true));
            await().untilAsserted(() -> {
                AtomicReference<Integer> n = new AtomicReference<>();
                SwingUtilities.invokeAndWait(() ->
                        n.set(named(w.get(), javax.swing.JTable.class, "offers").getRowCount()));
                assertThat(n.get()).isEqualTo(4);
            });
            downloads.start("h:" + repo + ":Q4_K_M", 24L * mb);
            await().atMost(java.time.Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(downloads.all().get(0).line())
                            .as("a rate and a time left")
                            .contains("/s", "left"));
            SwingUtilities.invokeAndWait(() -> {});
            save(w.get(), "models-download.png");
            downloads.cancel("h:" + repo + ":Q4_K_M");
            SwingUtilities.invokeAndWait(w.get()::dispose);
        }
    }

    /** The component of {@code type} named {@code name} in {@code c}. Event thread. */
    private static <T extends Component> T named(java.awt.Container c, Class<T> type, String name) {
        for (Component child : c.getComponents()) {
            if (type.isInstance(child) && name.equals(child.getName())) return type.cast(child);
            if (child instanceof java.awt.Container inner) {
                T found = named(inner, type, name);
                if (found != null) return found;
            }
        }
        return null;
    }

    private static final List<String> LOG_LINES = List.of(
            "build: 6869 (b1a2c3d4) with cc (Debian 12.2.0-14) 12.2.0 for x86_64-linux-gnu",
            "system info: n_threads = 2, n_threads_batch = 2, total_threads = 2",
            "main: binding port with default address family",
            "main: HTTP server is listening, hostname: 127.0.0.1, port: 8080, http threads: 3",
            "main: loading model",
            "srv    load_model: loading model '/home/ana/.paddock/models/Qwen/Qwen2.5-Coder-7B-Instruct-GGUF/"
                    + "qwen2.5-coder-7b-instruct-q4_k_m.gguf'",
            "llama_model_loader: loaded meta data with 29 key-value pairs and 339 tensors",
            "llama_model_loader: - kv   0:                       general.architecture str              = qwen2",
            "llama_model_loader: - kv   2:                               general.name str              = "
                    + "Qwen2.5 Coder 7B Instruct",
            "load_tensors: loading model tensors, this can take a while... (mmap = true)",
            "load_tensors:   CPU_Mapped model buffer size =  4460.45 MiB",
            "llama_context: n_ctx         = 8192",
            "llama_kv_cache:        CPU KV buffer size =   448.00 MiB",
            "srv    load_model: initializing slots, n_slots = 1",
            "main: model loaded",
            "main: chat template, chat_template: chatml, example_format: '<|im_start|>system",
            "srv  update_slots: all slots are idle");

    /** The value at (row, column) of the window's table, as shown. Event thread. */
    private static Object tableCell(java.awt.Container c, int row, int column) {
        javax.swing.JTable t = find(c, javax.swing.JTable.class);
        return t.getRowCount() <= row ? null : t.getValueAt(row, column);
    }

    private static void selectRow(java.awt.Container c, int row) {
        find(c, javax.swing.JTable.class).setRowSelectionInterval(row, row);
    }

    private static String textOf(java.awt.Container c) {
        return find(c, javax.swing.JTextArea.class).getText();
    }

    private static <T> T find(java.awt.Container c, Class<T> type) {
        for (Component child : c.getComponents()) {
            if (type.isInstance(child)) return type.cast(child);
            if (child instanceof java.awt.Container inner) {
                T found = find(inner, type);
                if (found != null) return found;
            }
        }
        return null;
    }

    /** The component of {@code type} named {@code name} under {@code c}. */
    private static <T extends Component> T find(java.awt.Container c, Class<T> type, String name) {
        T found = findOrNull(c, type, name);
        if (found == null) throw new AssertionError("no " + name + " in " + c);
        return found;
    }

    private static <T extends Component> T findOrNull(java.awt.Container c, Class<T> type, String name) {
        for (Component child : c.getComponents()) {
            if (type.isInstance(child) && name.equals(child.getName())) return type.cast(child);
            if (child instanceof java.awt.Container inner) {
                T found = findOrNull(inner, type, name);
                if (found != null) return found;
            }
        }
        return null;
    }

    private static void save(Component c, String name) throws Exception {
        await().until(c::isShowing);
        Robot robot = new Robot();
        AtomicReference<BufferedImage> shot = new AtomicReference<>();
        // captured again until the window manager has mapped and painted it: never a blank rectangle
        await().untilAsserted(() -> {
            robot.waitForIdle();
            AtomicReference<Rectangle> bounds = new AtomicReference<>();
            SwingUtilities.invokeAndWait(() -> bounds.set(new Rectangle(c.getLocationOnScreen(), c.getSize())));
            shot.set(robot.createScreenCapture(bounds.get()));
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < shot.get().getHeight(); y += 3) {
                for (int x = 0; x < shot.get().getWidth(); x += 3)
                    colours.add(shot.get().getRGB(x, y));
            }
            assertThat(colours.size())
                    .as(name + " shows something, not a blank rectangle")
                    .isGreaterThan(20);
        });
        ImageIO.write(shot.get(), "png", OUT.resolve(name).toFile());
    }
}
