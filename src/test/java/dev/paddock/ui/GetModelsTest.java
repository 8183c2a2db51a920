package dev.paddock.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.hub.Downloads;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.HubSettings;
import dev.paddock.hub.ProgressFanout;
import dev.paddock.hub.Puller;
import dev.paddock.model.ModelStore;
import dev.paddock.testing.Display;
import dev.paddock.testing.EdtWatch;
import dev.paddock.testing.FakeHub;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.SwitchboardFixture;
import dev.paddock.testing.TinyGguf;
import dev.paddock.tray.Desktops;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.swing.JProgressBar;
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
 * The Models window's Get models tab against a fake hub: search, a repository's quantizations with sizes, a download
 * with a progress bar that pauses (what arrived is kept), resumes with a Range request, is verified and then listed
 * on the other tab; a cancelled one leaves nothing behind.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GetModelsTest {
    private static final String REPO = "Qwen/Qwen2.5-Coder-7B-Instruct-GGUF";
    private static final String Q4 = "qwen2.5-coder-7b-instruct-q4_k_m.gguf";
    private static final String Q8 = "qwen2.5-coder-7b-instruct-q8_0.gguf";

    @TempDir
    Path dir;

    private FakeHub hub;
    private SwitchboardFixture board;
    private FrameFixture window;
    private EdtWatch watch;
    private byte[] q4;

    /** A real GGUF (the window reads its header once it is here) followed by {@code pad} random bytes. */
    private byte[] model(String name, int pad, long seed) throws Exception {
        byte[] gguf = Files.readAllBytes(TinyGguf.write(dir.resolve(seed + ".gguf"), name, seed));
        byte[] all = Arrays.copyOf(gguf, gguf.length + pad);
        byte[] rest = new byte[pad];
        new Random(seed).nextBytes(rest);
        System.arraycopy(rest, 0, all, gguf.length, pad);
        return all;
    }

    @BeforeEach
    void open() throws Exception {
        Display.require();
        q4 = model("Qwen2.5 Coder 7B Instruct", 4 << 20, 1);
        hub = new FakeHub().file(REPO, Q4, q4).file(REPO, Q8, model("Qwen2.5 Coder 7B Instruct", 6 << 20, 2));
        board = new SwitchboardFixture(dir, LlamaServerBinary.require());
        ProgressFanout progress = new ProgressFanout();
        Puller puller = new Puller(
                new HubClient(
                        HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint(), "HOME", dir.toString()))),
                new ModelStore(board.home.defaultModelsDir()),
                progress,
                Puller.FreeSpace.REAL);
        Downloads downloads = new Downloads(puller);
        progress.add(downloads);
        watch = EdtWatch.install(Duration.ofMillis(100));
        Robot robot = BasicRobot.robotWithNewAwtHierarchy();
        robot.settings().delayBetweenEvents(10);
        ModelsWindow w = GuiActionRunner.execute(() ->
                new ModelsWindow(Dialogs.libraryOf(board.switchboard, puller, downloads, new Desktops(), m -> {})));
        window = new FrameFixture(robot, w);
        window.show();
        watch.arm();
        window.tabbedPane("tabs").selectTab("Get models");
    }

    @AfterEach
    void close() {
        try {
            if (window != null) window.cleanUp();
            if (board != null) board.close();
            if (hub != null) hub.close();
        } finally {
            if (watch != null) watch.close();
        }
    }

    private void chooseQuant(String quant) {
        window.textBox("hub-query").deleteText().enterText("coder");
        window.button("hub-search").click();
        await().untilAsserted(() -> assertThat(window.list("repos").contents()).containsExactly(REPO));
        window.list("repos").selectItem(REPO);
        await().untilAsserted(
                        () -> assertThat(window.table("offers").rowCount()).isEqualTo(2));
        String[][] offers = window.table("offers").contents();
        assertThat(offers[0])
                .as("smallest first, with its size and fit")
                .startsWith("Q4_K_M", ModelsWindow.human(q4.length), "1");
        assertThat(offers[0][3]).endsWith("(weights)");
        assertThat(offers[1][0]).isEqualTo("Q8_0");
        window.table("offers").selectRows(quant.equals("Q4_K_M") ? 0 : 1);
    }

    private int percent(String id) {
        return GuiActionRunner.execute(
                        () -> ((JProgressBar) window.robot().finder().findByName("progress:" + id)).getValue())
                / 10;
    }

    @Test
    void aDownloadShowsProgressPausesResumesWithARangeAndIsListedOnceVerified() throws Exception {
        String id = "h:" + REPO + ":Q4_K_M";
        Path target = board.home.defaultModelsDir().resolve(REPO).resolve(Q4);
        hub.throttle(1 << 20); // 1 MB/s: four seconds for the file, time to pause it
        chooseQuant("Q4_K_M");
        window.button("download").click();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(window.label("line:" + id).text())
                        .as("bytes, speed and time left, once there is a rate")
                        .matches("\\d+ MB of 4 MB · \\d+ (KB|MB)/s · 0:0\\d left"));
        assertThat(percent(id)).isBetween(20, 99);

        window.button("pause:" + id).click();
        await().untilAsserted(
                        () -> assertThat(window.label("line:" + id).text()).endsWith("· paused"));
        window.button("pause:" + id).requireText("Resume");
        Path partial = target.resolveSibling(Q4 + ".partial");
        assertThat(Files.size(partial)).as("what arrived is kept").isGreaterThanOrEqualTo(1 << 20);
        assertThat(target).doesNotExist();

        hub.throttle(-1);
        window.button("pause:" + id).click();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(window.label("line:" + id).text()).endsWith("· done"));
        assertThat(hub.requests())
                .as("the resume asked for the rest only")
                .anyMatch(r -> r.contains("/cdn/" + REPO + "/" + Q4 + " Range: bytes="));
        assertThat(Files.readAllBytes(target))
                .as("verified and renamed into place")
                .isEqualTo(q4);
        assertThat(partial).doesNotExist();
        assertThat(percent(id)).isEqualTo(100);
        assertThat(window.label("status").text()).startsWith("Downloaded " + id);

        window.tabbedPane("tabs").selectTab("On this machine");
        await().untilAsserted(() -> assertThat(
                        Arrays.stream(window.table("models").contents()).map(row -> row[0]))
                .as("the download is a model Paddock can run now")
                .contains(REPO + "/" + Q4));
    }

    @Test
    void aCancelledDownloadLeavesNothingBehind() throws Exception {
        String id = "h:" + REPO + ":Q8_0";
        Path target = board.home.defaultModelsDir().resolve(REPO).resolve(Q8);
        hub.throttle(1 << 20);
        chooseQuant("Q8_0");
        window.button("download").click();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(percent(id)).isGreaterThanOrEqualTo(10));
        window.button("cancel:" + id).click();
        await().untilAsserted(
                        () -> assertThat(window.label("line:" + id).text()).isEqualTo("cancelled"));
        assertThat(target.resolveSibling(Q8 + ".partial")).doesNotExist();
        assertThat(target).doesNotExist();
        window.button("cancel:" + id).requireDisabled();
    }
}
