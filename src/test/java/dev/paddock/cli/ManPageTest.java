package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * paddock(1) is written from picocli's model: every command and every option appears, and groff (what man runs)
 * renders it without a warning, as a person reads it with {@code man paddock}.
 */
class ManPageTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandAndOptionIsOnThePageAndManRendersItCleanly() throws Exception {
        String page = ManPage.troff(LocalDate.of(2026, 12, 1));
        Path file = dir.resolve("paddock.1");
        Files.writeString(file, page);

        Process groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", file.toString()).start();
        String warnings = new String(groff.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(groff.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(warnings).as("groff's warnings").isEmpty();

        ProcessBuilder man = new ProcessBuilder("man", "-l", file.toString()).redirectErrorStream(true);
        man.environment().put("MANWIDTH", "120");
        man.environment().put("MANPAGER", "cat");
        Process p = man.start();
        String shown = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .replaceAll(".\b", ""); // overstrike bold and underline, as a terminal shows them
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(shown)
                .contains("PADDOCK(1)", "NAME", "paddock - keeps one llama.cpp llama-server running", "EXIT STATUS")
                .contains("paddock install-server [--version TAG] [--backend")
                .contains("paddock run [--system TEXT] [--temp T] [--max-tokens N] ID [PROMPT]");

        CommandLine root = CommandTree.whole(new CommandFactory(null));
        for (CommandLine sub : root.getSubcommands().values()) {
            assertThat(shown).as("the page has %s", sub.getCommandName()).contains("paddock " + sub.getCommandName());
            for (var o : sub.getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp() || o.hidden()) continue;
                assertThat(shown)
                        .as("%s %s", sub.getCommandName(), o.longestName())
                        .contains(o.longestName());
            }
        }
    }
}
