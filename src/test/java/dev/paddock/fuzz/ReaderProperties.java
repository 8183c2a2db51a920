package dev.paddock.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.config.ConfigException;
import dev.paddock.config.ConfigLoader;
import dev.paddock.config.PaddockHome;
import dev.paddock.config.Problem;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.GgufException;
import dev.paddock.model.GgufReader;
import dev.paddock.preset.Identifier;
import dev.paddock.preset.PresetLoader;
import dev.paddock.testing.TinyGguf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import picocli.CommandLine;

/**
 * Random input to everything that reads what a person or a file says: it is accepted or refused with Paddock's own
 * clear error, never a crash, an unexpected exception type or an allocation the size of a lie.
 */
class ReaderProperties {
    private static Path dir;
    private static byte[] gguf;
    private static CommandLine cli;

    @BeforeContainer
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("paddock-fuzz");
        gguf = Files.readAllBytes(TinyGguf.write(dir.resolve("real.gguf"), "fuzz", 1));
    }

    @AfterContainer
    static void tearDown() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** YAML-ish text: keys Paddock knows and does not, scalars, flow and block collections, tags, anchors, junk. */
    @Provide
    Arbitrary<String> yaml() {
        Arbitrary<String> key = Arbitraries.of(
                "port",
                "host",
                "llama-server",
                "models-dir",
                "presets-dir",
                "health-timeout",
                "stop-timeout",
                "default-preset",
                "log-max-size",
                "log-max-files",
                "jmx",
                "gateway",
                "api-keys",
                "max-body",
                "queue",
                "model",
                "name",
                "context-size",
                "gpu-layers",
                "threads",
                "alias",
                "args",
                "env",
                "ttl",
                "theme",
                "model-dirs",
                "unknown",
                "");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of(
                        "8080",
                        "-1",
                        "99999999999999999999",
                        "auto",
                        "10s",
                        "5x",
                        "50MB",
                        "1GB",
                        "0",
                        "null",
                        "~",
                        "true",
                        "[a, b]",
                        "{port: 1}",
                        "!!javax.script.ScriptEngineManager []",
                        "&a x",
                        "*a",
                        "'",
                        "\"unterminated",
                        "[",
                        "}",
                        "- x",
                        "|\n  block",
                        "f:/x.gguf",
                        "h:Org/Repo",
                        "p:../../x",
                        "0x1F",
                        "1e309",
                        "\t",
                        "\u0000",
                        "💥"),
                Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> line = Combinators.combine(
                        Arbitraries.integers().between(0, 4), key, Arbitraries.of(": ", ":", " ", ": - "), value)
                .as((indent, k, sep, v) -> " ".repeat(indent) + k + sep + v);
        return line.list().ofMaxSize(12).map(l -> String.join("\n", l));
    }

    @Property(tries = 500)
    void configTextIsLoadedOrRefusedWithItsFileAndLine(@ForAll("yaml") String text) {
        PaddockHome home = PaddockHome.fromEnvironment(Map.of("PADDOCK_HOME", dir.toString()));
        try {
            assertThat(ConfigLoader.parse(home, dir.resolve("config.yaml"), text))
                    .isNotNull();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("config.yaml");
            assertThat(e.problems()).isNotEmpty();
        }
    }

    @Property(tries = 500)
    void presetTextIsLoadedOrRefusedWithItsFileAndLine(@ForAll("yaml") String text) {
        List<Problem> problems = new ArrayList<>();
        var preset = PresetLoader.parse(dir.resolve("fuzz.yaml"), text, problems);
        if (preset == null) {
            assertThat(problems).as("a refused preset says why").isNotEmpty();
            assertThat(problems).allSatisfy(p -> assertThat(p.toString()).contains("fuzz.yaml"));
        } else {
            assertThat(preset.name()).matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
        }
    }

    @Provide
    Arbitrary<String> identifiers() {
        Arbitrary<String> part = Arbitraries.oneOf(
                Arbitraries.of("..", ".", "", "a", "Org", "Qwen2.5-0.5B", "~", "/", "\\", ":", "Q4_K_M", "%2e%2e"),
                Arbitraries.strings().ofMaxLength(12));
        return Combinators.combine(
                        Arbitraries.of("p:", "h:", "f:", "o:", "", "x:", "P:"),
                        part.list().ofMaxSize(5),
                        Arbitraries.of("/", ":", "", "\\"))
                .as((prefix, parts, sep) -> prefix + String.join(sep, parts));
    }

    @Property(tries = 2000)
    void anIdentifierIsParsedIntoSomethingSafeOrRefusedAsInvalid(@ForAll("identifiers") String text) {
        Identifier id;
        try {
            id = Identifier.parse(text);
        } catch (PaddockException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IDENTIFIER);
            assertThat(e.getMessage()).contains("p:PRESET, h:ORG/REPO[:QUANT], o:NAME[:TAG], f:PATH");
            return;
        }
        if (id instanceof Identifier.PresetName p) {
            assertThat(p.name()).doesNotContain("/", "\\").isNotEqualTo("..");
        } else if (id instanceof Identifier.Hub h) {
            for (String s : List.of(h.ref().org(), h.ref().repo())) {
                assertThat(s).doesNotContain("/", "\\").isNotIn("..", ".");
            }
        } else if (id instanceof Identifier.Ollama o) {
            for (String s : List.of(o.ref().namespace(), o.ref().name(), o.ref().tag())) {
                assertThat(s).doesNotContain("/", "\\", "..").isNotIn(".", "");
            }
        } else if (id instanceof Identifier.Word w) {
            // a word is only ever compared with names (ORG/REPO:QUANT, NAME:TAG), never opened as a path
            assertThat(w.word())
                    .doesNotContain("\\")
                    .doesNotStartWith("/")
                    .doesNotStartWith(".")
                    .doesNotStartWith("~");
        }
    }

    private GgufException readOrError(byte[] bytes) throws IOException {
        Path f = Files.write(Files.createTempFile(dir, "fuzz", ".gguf"), bytes);
        try {
            assertThat(GgufReader.read(f)).isNotNull();
            return null;
        } catch (GgufException e) {
            assertThat(e.getMessage())
                    .as("the error names the file")
                    .contains(f.getFileName().toString());
            return e;
        } finally {
            Files.delete(f);
        }
    }

    @Property(tries = 300)
    void randomBytesAreNeverAModelAndNeverACrash(@ForAll byte[] bytes) throws IOException {
        byte[] withMagic = bytes.clone();
        if (withMagic.length >= 4) System.arraycopy("GGUF".getBytes(), 0, withMagic, 0, 4); // past the first check
        readOrError(bytes);
        readOrError(withMagic);
    }

    @Property(tries = 400)
    void aTruncatedOrCorruptedModelHeaderIsAClearError(
            @ForAll("cuts") int cut, @ForAll("flips") List<Integer> flips, @ForAll byte noise) throws IOException {
        byte[] b = java.util.Arrays.copyOf(gguf, Math.min(cut, gguf.length));
        for (int at : flips) if (at < b.length) b[at] ^= (byte) (noise | 1);
        readOrError(b);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, 4096);
    }

    @Provide
    Arbitrary<List<Integer>> flips() {
        return Arbitraries.integers().between(0, 4096).list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.of(
                        "start",
                        "stop",
                        "status",
                        "load",
                        "unload",
                        "run",
                        "ls",
                        "show",
                        "new",
                        "pull",
                        "rm",
                        "search",
                        "logs",
                        "doctor",
                        "version",
                        "autostart",
                        "completion",
                        "install-server",
                        "--json",
                        "--watch",
                        "--dry-run",
                        "-n",
                        "--temp",
                        "--system",
                        "--model",
                        "--yes",
                        "-f",
                        "--foreground",
                        "--no-tray",
                        "--load",
                        "--version",
                        "--help",
                        "-h",
                        "on",
                        "off",
                        "bash",
                        "p:x",
                        "h:a/b",
                        "--",
                        "-",
                        "NaN"),
                Arbitraries.strings().ofMaxLength(10));
        return word.list().ofMaxSize(6);
    }

    @Property(tries = 2000)
    void anyCommandLineParsesOrIsAUsageError(@ForAll("commandLines") List<String> args) {
        if (cli == null) cli = dev.paddock.cli.CommandTree.whole(); // built once: each parse starts afresh
        try {
            assertThat(cli.parseArgs(args.toArray(String[]::new))).isNotNull();
        } catch (CommandLine.ParameterException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
