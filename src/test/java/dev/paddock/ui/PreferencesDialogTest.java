package dev.paddock.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.config.PaddockHome;
import dev.paddock.testing.Display;
import dev.paddock.testing.EdtWatch;
import dev.paddock.testing.LlamaServerBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.Robot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.DialogFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preferences dialog as a person uses it: typing, inline errors, the live llama-server check, saving. */
class PreferencesDialogTest {
    @TempDir
    Path dir;

    private Robot robot;
    private DialogFixture window;
    private final AtomicReference<PreferencesDialog.Saved> saved = new AtomicReference<>();
    private PaddockHome home;
    private EdtWatch watch;

    @BeforeEach
    void open() throws Exception {
        Display.require();
        watch = EdtWatch.install(java.time.Duration.ofMillis(100));
        home = new PaddockHome(Files.createDirectories(dir.resolve("home")));
        Files.writeString(home.configFile(), "# mine\nport: 8080\nlog-max-files: 5\n");
        robot = BasicRobot.robotWithNewAwtHierarchy();
        robot.settings().delayBetweenEvents(10);
        GuiActionRunner.execute(() -> Theme.apply("light"));
        PreferencesDialog d = GuiActionRunner.execute(() -> new PreferencesDialog(
                null,
                home,
                List.of("Llama-3.2-1B-Instruct.Q4_K_M", "qwen2.5-0.5b-instruct-q4_k_m"),
                false,
                saved::set));
        window = new DialogFixture(robot, d);
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
    void aBadServerPathAndABadPortAreExplainedUnderTheirFieldsAndBlockSaving() {
        window.textBox("llama-server").enterText("/no/such/llama-server");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        window.label("llama-server.check").text())
                .isEqualTo("✗ /no/such/llama-server does not exist"));
        window.textBox("port").deleteText().enterText("eighty");
        assertThat(window.label("port.error").text()).isEqualTo("expected a port from 1 to 65535, got 'eighty'");
        window.button("save").requireDisabled();
        window.textBox("port").deleteText().enterText("8088");
        assertThat(window.label("port.error").text()).isBlank();
        window.button("save").requireEnabled();
    }

    @Test
    void theLiveCheckRunsTheServersVersionAndSaveWritesConfigYaml() throws Exception {
        Path server = LlamaServerBinary.require();
        window.textBox("llama-server").enterText(server.toString());
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(window.label("llama-server.check").text()).startsWith("✓ version: "));
        window.textBox("port").deleteText().enterText("8090");
        window.textBox("jmx.port").enterText("7299");
        window.textBox("stop-timeout").enterText("3s");
        window.comboBox("default-preset").selectItem("qwen2.5-0.5b-instruct-q4_k_m");
        window.button("save").click();
        await().untilAsserted(() -> assertThat(saved.get()).isNotNull());
        String yaml = Files.readString(home.configFile());
        assertThat(yaml)
                .contains(
                        "llama-server: " + server,
                        "port: 8090",
                        "stop-timeout: 3s",
                        "default-preset: qwen2.5-0.5b-instruct-q4_k_m")
                .contains("jmx:\n  port: 7299")
                .as("keys the dialog does not show are kept")
                .contains("log-max-files: 5");
        assertThat(saved.get().config().port()).isEqualTo(8090);
        assertThat(saved.get().needRestart()).containsExactly("jmx.port");
        assertThat(window.label("message").text()).contains("Restart Paddock to apply: jmx.port");
        assertThat(Files.list(home.root()).map(p -> p.getFileName().toString()))
                .as("no temp file left behind")
                .containsExactly("config.yaml");
    }
}
