package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.FakeHub;
import dev.paddock.testing.FakeReleases;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * From nothing to a chat, as the README's first section promises: an empty {@code PADDOCK_HOME}, a PATH with no
 * llama-server on it, and {@code paddock run h:ORG/REPO} on a terminal. It says there is no llama-server and asks
 * once; answered yes, it installs llama.cpp's release build from a stand-in for GitHub's release API (the tarball
 * made by the release workflow's own tar command from the tests' llama-server and its libraries), starts Paddock,
 * pulls the model from a stand-in hub, loads it on that llama-server and answers. When Paddock already runs (its
 * PATH need not be the terminal's), its load is what says there is no llama-server, and run asks then.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FirstRunTest {
    private static final String TAG = "b7312";
    private static final String REPO = "Qwen/Qwen2.5-0.5B-Instruct-GGUF";
    private static final String FILE = "qwen2.5-0.5b-instruct-q4_k_m.gguf";
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    Path dir;

    private PaddockCli cli;

    @AfterEach
    void stop() throws Exception {
        if (cli != null) cli.run("stop");
    }

    private FakeReleases github;
    private FakeHub hub;
    private Path home;

    @BeforeEach
    void standIns() throws Exception {
        for (String folder : PATH.split(":")) {
            assertThat(Path.of(folder, "llama-server"))
                    .as("PATH has no llama-server")
                    .doesNotExist();
        }
        github = new FakeReleases(TAG);
        github.put(
                "llama-" + TAG + "-bin-ubuntu-x64.tar.gz",
                FakeReleases.ubuntuTarball(TAG, LlamaServerBinary.require().getParent(), dir));
        hub = new FakeHub();
        hub.file(REPO, FILE, Files.readAllBytes(TinyGguf.write(dir.resolve("weights.gguf"), "qwen2.5-0.5b", 7)));
        home = dir.resolve("paddock-home"); // does not exist yet
        cli = new PaddockCli(home, dir)
                .withEnv("PATH", PATH)
                .withEnv("PADDOCK_GITHUB_API", github.endpoint())
                .withEnv("HF_ENDPOINT", hub.endpoint())
                .withEnv("HF_TOKEN_PATH", dir.resolve("no-token").toString());
    }

    @AfterEach
    void closeStandIns() {
        if (github != null) github.close();
        if (hub != null) hub.close();
    }

    /** {@code paddock run h:REPO} on a terminal where the person answers y, asks one thing and leaves. */
    private String runOnTheTerminal() throws Exception {
        Map<String, String> desktop = new HashMap<>();
        desktop.put("DISPLAY", null); // no tray in this test's Paddock
        String terminal = cli.typedOnTerminal(
                desktop, "y\nWrite a haiku about paddocks.\n/bye\n", "run", "h:" + REPO, "-n", "12");
        System.out.println("the terminal showed:\n" + terminal);
        return terminal;
    }

    /** What the terminal shows of a run that installed llama-server once, loaded the model and answered. */
    private void installedOnceAndChatted(String terminal) throws Exception {
        Path installed = home.resolve("bin/llama.cpp-" + TAG + "/llama-" + TAG + "/llama-server");
        assertThat(terminal)
                .contains("No llama-server was found", "[Y/n]")
                .contains("installed llama.cpp " + TAG + " (llama-" + TAG + "-bin-ubuntu-x64.tar.gz): " + installed)
                .contains("Chatting with h:" + REPO)
                .doesNotContain("error:", "Exception");
        assertThat(terminal.split("Chatting with", 2)[1].split(">>> ", -1))
                .as("a prompt, an answer, the next prompt:%n%s", terminal)
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(terminal.indexOf("No llama-server was found"))
                .as("asked once")
                .isEqualTo(terminal.lastIndexOf("No llama-server was found"));
        assertThat(Files.isExecutable(installed)).isTrue();
        assertThat(Files.readString(home.resolve("config.yaml"))).contains("llama-server: " + installed);
        assertThat(home.resolve("models/" + REPO + "/" + FILE)).exists();
        assertThat(Files.readString(home.resolve("logs/llama.log")))
                .as("the installed llama-server answered a completion")
                .contains("print_timing");
        PaddockCli.Run status = cli.run("status");
        assertThat(status.out())
                .as(status.err())
                .contains(
                        "running",
                        FILE.replace(".gguf", ""),
                        home.resolve("models/" + REPO + "/" + FILE).toString());
    }

    @Test
    void runOnABareDesktopAsksOnceInstallsPullsLoadsAndChats() throws Exception {
        String terminal = runOnTheTerminal();
        assertThat(terminal).contains("Paddock is not running; starting it…", "Paddock started");
        installedOnceAndChatted(terminal);
    }

    @Test
    void whenPaddockRunsAlreadyItsLoadSaysThereIsNoServerAndRunAsksThen() throws Exception {
        PaddockCli.Run start = cli.run("start", "--no-tray");
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.out()).contains("No llama-server yet");

        String terminal = runOnTheTerminal();

        assertThat(terminal).doesNotContain("starting it");
        installedOnceAndChatted(terminal);
    }
}
