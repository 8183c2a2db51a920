package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.PaddockCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colours only where the terminal shows them: on a terminal here, never into a pipe, never with NO_COLOR, and not
 * on a Windows console that would print the escapes as text (picocli's judgement, as for its own help).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TermColoursTest {
    private static final String ESC = "\u001b[";

    @TempDir
    Path dir;

    private PaddockCli cli() throws Exception {
        return new PaddockCli(Files.createDirectories(dir.resolve("home")), dir);
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("NO_COLOR", null);
        m.put("OSTYPE", null);
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void aTerminalGetsColoursAPipeAndNoColorDoNot() throws Exception {
        PaddockCli cli = cli();
        assertThat(cli.onTerminal(env("TERM", "xterm-256color"), "doctor")).contains(ESC + "1mPaddock doctor");
        assertThat(cli.run("doctor").out()).as("into a pipe").doesNotContain(ESC);
        assertThat(cli.onTerminal(env("TERM", "xterm-256color", "NO_COLOR", "1"), "doctor"))
                .doesNotContain(ESC);
    }

    @Test
    void aWindowsConsoleWithoutAnsiSupportGetsNoEscapes() throws Exception {
        PaddockCli windows = cli().withJvmArgs("-Dos.name=Windows 10");
        assertThat(windows.onTerminal(env("TERM", null), "doctor"))
                .as("cmd.exe's console: the escapes would print as text")
                .contains("Paddock doctor")
                .doesNotContain(ESC);
        assertThat(windows.onTerminal(env("TERM", "xterm"), "doctor"))
                .as("a Windows terminal that says it is an xterm (mintty, Windows Terminal over MSYS)")
                .contains(ESC);
    }
}
