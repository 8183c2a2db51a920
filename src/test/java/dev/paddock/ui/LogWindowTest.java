package dev.paddock.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.testing.Display;
import dev.paddock.testing.EdtWatch;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.awt.event.KeyEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.Robot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Show log: llama.log's end at once, new lines as they are written, across a rotation (renamed to llama.log.1, a
 * new file begun), a search that finds and counts, and the last error copied to the clipboard.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogWindowTest {
    @TempDir
    Path dir;

    private Path log;
    private FrameFixture window;
    private EdtWatch watch;

    private static final String LOADING = "llama_model_loader: loaded meta data with 24 key-value pairs and 291 tensors"
            + " from /models/qwen2.5-coder-7b-instruct-q4_k_m.gguf (version GGUF V3 (latest))\n";
    private static final String ERROR =
            "llama_model_load: error loading model: check_tensor_dims: tensor 'blk.0.attn_q.weight' has wrong shape;"
                    + " expected  3584,  3584, got  3584,   512,     1,     1";

    @BeforeEach
    void open() throws Exception {
        Display.require();
        log = Files.createDirectories(dir.resolve("logs")).resolve("llama.log");
        Files.writeString(log, LOADING + "srv    load_model: loading model\n");
        watch = EdtWatch.install(Duration.ofMillis(100));
        Robot robot = BasicRobot.robotWithNewAwtHierarchy();
        robot.settings().delayBetweenEvents(10);
        LogWindow w = GuiActionRunner.execute(() -> new LogWindow(log));
        window = new FrameFixture(robot, w);
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

    private String shown() {
        return window.textBox("log").text();
    }

    private void append(Path f, String text) throws Exception {
        Files.writeString(f, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void newLinesAppearAcrossARotationAndTheLastErrorIsCopied() throws Exception {
        await().untilAsserted(() -> assertThat(shown()).isEqualTo(LOADING + "srv    load_model: loading model\n"));
        append(log, ERROR + "\nsrv    load_model: failed to load model, '/models/qwen.gguf'\n");
        await().untilAsserted(() -> assertThat(shown()).endsWith("failed to load model, '/models/qwen.gguf'\n"));

        append(log, "main: exiting due to model loading error\n");
        Files.move(log, log.resolveSibling("llama.log.1"));
        Files.writeString(log, "build: 6869 (b1a2c3d4) with cc (Debian 12.2.0-14) 12.2.0 for x86_64-linux-gnu\n");
        await().untilAsserted(() -> assertThat(shown())
                .as("the old file's last line, then the new file from its start")
                .endsWith("main: exiting due to model loading error\n"
                        + "build: 6869 (b1a2c3d4) with cc (Debian 12.2.0-14) 12.2.0 for x86_64-linux-gnu\n"));

        window.textBox("search").enterText("wrong shape").pressAndReleaseKeys(KeyEvent.VK_ENTER);
        assertThat(window.label("found").text()).isEqualTo("1 of 1");
        assertThat(window.textBox("log").target().getSelectedText()).isEqualTo("wrong shape");
        window.textBox("search").deleteText().enterText("load_model").pressAndReleaseKeys(KeyEvent.VK_ENTER);
        assertThat(window.label("found").text())
                .as("the next one after the selection")
                .isEqualTo("2 of 2");
        window.button("find-next").click();
        assertThat(window.label("found").text()).as("from the top again").isEqualTo("1 of 2");
        window.button("find-next").click();
        assertThat(window.label("found").text()).isEqualTo("2 of 2");

        window.button("copy-last-error").click();
        Object copied = Toolkit.getDefaultToolkit().getSystemClipboard().getData(DataFlavor.stringFlavor);
        assertThat(copied).isEqualTo("main: exiting due to model loading error");
        assertThat(window.label("found").text()).startsWith("copied: main: exiting due to model");
    }

    @Test
    void theLastErrorLineIsTheLastLineThatReportsAFailure() {
        assertThat(LogWindow.lastError(LOADING + ERROR + "\nsrv  update_slots: all slots are idle\n"))
                .isEqualTo(ERROR);
        assertThat(LogWindow.lastError(LOADING)).isNull();
    }
}
