package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line builds picocli's model of the one command it names, and of every command when it names none. */
class CommandTreeTest {
    private static final CommandFactory FACTORY = new CommandFactory(null);

    @Test
    void everyCommandIsListedUnderTheNameItsAnnotationGives() {
        for (Map.Entry<String, Class<?>> e : CommandTree.SUBCOMMANDS.entrySet()) {
            assertThat(e.getValue().getAnnotation(Command.class).name())
                    .as("%s", e.getValue())
                    .isEqualTo(e.getKey());
        }
        assertThat(CommandTree.whole(FACTORY).getSubcommands().keySet())
                .containsExactlyElementsOf(CommandTree.SUBCOMMANDS.keySet());
    }

    @Test
    void aLineThatNamesACommandBuildsThatOneAlone() {
        assertThat(CommandTree.forLine(FACTORY, "load", "qwen2.5-coder-7b-instruct-q4_k_m", "--force")
                        .getSubcommands()
                        .keySet())
                .containsExactly("load");
        assertThat(CommandTree.forLine(FACTORY, "ls", "--json").getSubcommands().keySet())
                .containsExactly("ls");
    }

    @Test
    void helpCompletionAndUnknownCommandsGetEveryCommand() {
        for (List<String> line : List.of(
                List.<String>of(),
                List.of("--help"),
                List.of("-V"),
                List.of("completion"),
                List.of("lod", "Meta-Llama-3.1-8B-Instruct.Q4_K_M"))) {
            assertThat(CommandTree.forLine(FACTORY, line.toArray(String[]::new))
                            .getSubcommands()
                            .keySet())
                    .as("%s", line)
                    .containsExactlyElementsOf(CommandTree.SUBCOMMANDS.keySet());
        }
    }

    @Test
    void aCommandBuiltAloneStillHelpsAndRefusesAsInTheWholeTree() {
        String alone = usage("pull", "--help");
        assertThat(alone).startsWith("Usage: paddock pull ").isEqualTo(usageOfWhole("pull", "--help"));

        String[] wrong = {"load", "--no-such-flag", "gemma-3-27b-it-qat-q4_0-long-context-32k"};
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CommandTree.forLine(FACTORY, wrong)
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .execute(wrong);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Unknown option: '--no-such-flag'")
                .contains("Usage: paddock load ");
    }

    private static String usage(String... args) {
        return capture(CommandTree.forLine(FACTORY, args), args);
    }

    private static String usageOfWhole(String... args) {
        return capture(CommandTree.whole(FACTORY), args);
    }

    private static String capture(CommandLine cli, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        assertThat(cli.execute(args)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
