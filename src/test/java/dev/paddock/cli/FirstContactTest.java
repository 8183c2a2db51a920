package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import dev.paddock.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user meets first, from an empty home: a start without llama-server says so and how to get one, a preset
 * written while Paddock is down lives in owner-only folders that doctor then accepts, and a file that is not a GGUF
 * (an HTML page saved under a model's name) is refused before a preset names it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirstContactTest {
    @TempDir
    Path dir;

    /** The CLI on an empty home, with a PATH that has no llama-server on it. */
    private PaddockCli cli(String name) {
        return new PaddockCli(dir.resolve(name), dir).withEnv("PATH", "/usr/bin:/bin");
    }

    @Test
    void aStartWithoutLlamaServerSaysSoAndHowToInstallOne() throws Exception {
        PaddockCli cli = cli("home");
        Files.createDirectories(cli.home());
        Files.writeString(
                cli.home().resolve("config.yaml"),
                "jmx: {port: " + TestRig.freePort() + "}\ngateway: {port: " + TestRig.freePort() + "}\n");
        PaddockCli.Run start = cli.run("start", "--no-tray");
        try {
            assertThat(start.exit()).as(start.err()).isZero();
            assertThat(start.out())
                    .contains("Paddock started")
                    .contains("No llama-server yet, so nothing will load: no llama-server on PATH;")
                    .contains("`paddock install-server` installs llama.cpp's release build")
                    .as("an empty home: the examples the project ships, and the command that runs one")
                    .contains("No presets yet", "  paddock run h:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M")
                    .contains("  gemma3-1b  Gemma 3 1B IT", "(h:ggml-org/gemma-3-1b-it-GGUF:Q4_K_M)");
            PaddockCli.Run doctor = cli.run("doctor");
            assertThat(doctor.out() + doctor.err()).contains("paddock install-server");
            assertThat(Files.readString(cli.home().resolve("logs/daemon.log")))
                    .contains("no llama-server yet, so nothing will load");
        } finally {
            assertThat(cli.run("stop").exit()).isZero();
        }
    }

    @Test
    void aPresetWrittenWhilePaddockIsDownIsOwnerOnlyAndDoctorAcceptsItsFolder() throws Exception {
        PaddockCli cli = cli("fresh");
        Path model = TinyGguf.write(dir.resolve("qwen2.5-0.5b-instruct-q4_k_m.gguf"), "Qwen2.5 0.5B Instruct", 1);
        PaddockCli.Run made = cli.run("new", "qwen2.5-0.5b-instruct-q4_k_m", "--model", model.toString());
        assertThat(made.exit()).as(made.err()).isZero();
        Path presets = cli.home().resolve("presets");
        assertThat(presets.resolve("qwen2.5-0.5b-instruct-q4_k_m.yaml")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(presets)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.home())))
                .isEqualTo("rwx------");
        PaddockCli.Run doctor = cli.run("doctor");
        assertThat(doctor.out())
                .as("the folders Paddock made itself are not reported as open to others")
                .doesNotContain("is open to other users");
    }

    @Test
    void aFileThatIsNotAGgufIsRefusedAndNoPresetIsWritten() throws Exception {
        PaddockCli cli = cli("home3");
        Path page = Files.writeString(
                dir.resolve("Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"),
                "<!DOCTYPE html><html><head><title>Sign in</title></head></html>\n");
        PaddockCli.Run made = cli.run("new", "Meta-Llama-3.1-8B-Instruct.Q4_K_M", "--model", page.toString());
        assertThat(made.exit()).isEqualTo(1);
        assertThat(made.err())
                .contains(page + " is not a GGUF model llama-server can read")
                .contains("give the .gguf file itself");
        assertThat(cli.home().resolve("presets/Meta-Llama-3.1-8B-Instruct.Q4_K_M.yaml"))
                .doesNotExist();
    }
}
