package dev.paddock.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.config.PaddockHome;
import dev.paddock.model.ModelFetcher;
import dev.paddock.model.ModelStore;
import dev.paddock.preset.IdentifierResolver;
import dev.paddock.preset.Preset;
import dev.paddock.preset.PresetCatalog;
import dev.paddock.supervisor.LaunchPlanner;
import dev.paddock.testing.Display;
import dev.paddock.testing.EdtWatch;
import dev.paddock.testing.TestRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.Robot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.DialogFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New preset…: fields checked as typed, the command line shown live, the file written on Save. */
class PresetEditorTest {
    @TempDir
    Path dir;

    private Robot robot;
    private DialogFixture window;
    private final AtomicReference<Path> saved = new AtomicReference<>();
    private Path presets;
    private Path model;
    private LaunchPlanner planner;
    private EdtWatch watch;

    @BeforeEach
    void open() throws Exception {
        Display.require();
        watch = EdtWatch.install(Duration.ofMillis(100));
        PaddockHome home = new PaddockHome(dir.resolve("home"));
        presets = Files.createDirectories(home.defaultPresetsDir());
        Files.writeString(presets.resolve("taken.yaml"), "model: f:/models/gemma-3-4b-it-UD-Q4_K_XL.gguf\n");
        model = Files.writeString(dir.resolve("qwen2.5-coder-7b-instruct-q4_k_m.gguf"), "x");
        planner = new LaunchPlanner(TestRig.config(home, Path.of("/bin/sh"), Duration.ofSeconds(2)), "");
        show(null);
    }

    /** The editor for {@code existing} (null: a new preset), planning with /bin/sh as the server. */
    private void show(Preset existing) {
        watch.disarm(); // a new window's construction (class loading) is not a person's click
        IdentifierResolver resolver = new IdentifierResolver(
                PresetCatalog::empty, new ModelStore(dir.resolve("home/models")), ModelFetcher.none());
        robot = BasicRobot.robotWithNewAwtHierarchy();
        robot.settings().delayBetweenEvents(10);
        PresetEditor e = GuiActionRunner.execute(
                () -> new PresetEditor(null, presets, existing, p -> planner.plan(resolver.resolve(p)), saved::set));
        window = new DialogFixture(robot, e);
        window.show();
        watch.arm();
    }

    @AfterEach
    void close() {
        try {
            if (window != null) window.cleanUp();
        } finally {
            watch.close();
        }
    }

    @Test
    void typingShowsTheCommandLineAndSaveWritesThePresetFile() throws Exception {
        window.button("save").requireDisabled();
        window.textBox("name").enterText("mine");
        window.textBox("model").enterText(model.toString());
        window.textBox("context-size").enterText("4k");
        assertThat(window.label("context-size.error").text()).isEqualTo("a whole number, or blank");
        window.button("save").requireDisabled();
        window.textBox("context-size").deleteText().enterText("512");
        window.textBox("threads").enterText("2");
        window.textBox("args").enterText("--jinja --alias \"my model\"");
        await().untilAsserted(() -> assertThat(window.textBox("command").text())
                .isEqualTo("/bin/sh -m " + model
                        + " --host 127.0.0.1 --port 8080 -c 512 -t 2 --jinja --alias 'my model'"));
        window.button("save").click();
        await().untilAsserted(() -> assertThat(saved.get()).isEqualTo(presets.resolve("mine.yaml")));
        assertThat(Files.readString(presets.resolve("mine.yaml")))
                .contains("name: mine", "model: f:" + model, "context-size: 512", "threads: 2")
                .contains("- --jinja", "- my model");
    }

    @Test
    void aNameThatIsTakenOrAPortThatIsNotOneIsExplainedInline() {
        window.textBox("name").enterText("taken");
        window.textBox("model").enterText(model.toString());
        assertThat(window.label("name.error").text()).isEqualTo("a preset file taken.yaml exists already");
        window.textBox("name").deleteText().enterText("fresh");
        window.textBox("port").enterText("eighty");
        assertThat(window.label("port.error").text()).contains("'eighty'");
        window.button("save").requireDisabled();
        window.textBox("port").deleteText().enterText("auto");
        assertThat(window.label("port.error").text()).isBlank();
        await().untilAsserted(() -> assertThat(window.textBox("command").text()).contains("--port "));
    }

    @Test
    void editingAPresetShowsItsValuesAndSavesTheChangeToTheSameFile() throws Exception {
        window.cleanUp();
        Files.writeString(presets.resolve("mine.yaml"), "model: f:" + model + "\ncontext-size: 256\nthreads: 1\n");
        var existing =
                dev.paddock.preset.PresetLoader.loadFile(presets.resolve("mine.yaml"), new java.util.ArrayList<>());
        show(existing);
        window.textBox("name").requireText("mine");
        window.textBox("context-size").requireText("256");
        assertThat(window.label("name.error").text())
                .as("its own file is not 'taken'")
                .isBlank();
        window.textBox("context-size").deleteText().enterText("1024");
        await().untilAsserted(() -> assertThat(window.textBox("command").text()).contains("-c 1024 -t 1"));
        window.button("save").click();
        await().untilAsserted(() -> assertThat(saved.get()).isEqualTo(presets.resolve("mine.yaml")));
        assertThat(Files.readString(presets.resolve("mine.yaml"))).contains("context-size: 1024", "threads: 1");
    }
}
