package dev.paddock.preset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.ModelFetcher;
import dev.paddock.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentifierResolverTest {
    @TempDir
    Path dir;

    private IdentifierResolver resolver;
    private Path presets;
    private Path models;

    @BeforeEach
    void setUp() throws Exception {
        presets = Files.createDirectories(dir.resolve("presets"));
        models = Files.createDirectories(dir.resolve("models"));
        Files.writeString(presets.resolve("qwen.yaml"), "model: ./qwen.gguf\n");
        Files.writeString(presets.resolve("qwen-coder.yaml"), "model: ./qwen.gguf\n");
        Files.writeString(presets.resolve("llama3.yaml"), "model: h:bartowski/Llama-3.2-1B-Instruct-GGUF\n");
        Files.writeString(presets.resolve("gone.yaml"), "model: ./missing.gguf\n");
        Files.writeString(presets.resolve("qwen.gguf"), "x");
        Path repo = Files.createDirectories(models.resolve("bartowski/Llama-3.2-1B-Instruct-GGUF"));
        Files.writeString(repo.resolve("Llama-3.2-1B-Instruct-Q8_0.gguf"), "x");
        Files.writeString(repo.resolve("Llama-3.2-1B-Instruct-Q4_K_M.gguf"), "x");
        Path other = Files.createDirectories(models.resolve("someone/Mistral-7B-GGUF"));
        Files.writeString(other.resolve("mistral-7b-instruct.Q5_K_M.gguf"), "x");
        Files.writeString(other.resolve("mistral-7b-instruct.Q5_K_M.gguf.partial"), "x");
        PresetCatalog catalog = PresetLoader.loadDirectory(presets);
        resolver = new IdentifierResolver(() -> catalog, new ModelStore(models), ModelFetcher.none());
    }

    private PaddockException fails(String id) {
        return org.assertj.core.api.Assertions.catchThrowableOfType(PaddockException.class, () -> resolver.resolve(id));
    }

    @Test
    void presetByPrefixedNameResolvesItsRelativeModelAgainstThePresetFolder() throws Exception {
        ResolvedPreset r = resolver.resolve("p:qwen");
        assertThat(r.preset().name()).isEqualTo("qwen");
        assertThat(r.modelFile()).isEqualTo(presets.resolve("qwen.gguf"));
    }

    @Test
    void unknownPresetSaysDidYouMean() {
        PaddockException e = fails("p:qwn");
        assertThat(e.code()).isEqualTo(ErrorCode.PRESET_NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("no preset 'qwn' (did you mean 'qwen'?)");
    }

    @Test
    void hubIdentifierPicksTheBestDownloadedQuantOrTheOneNamed() throws Exception {
        assertThat(resolver.resolve("h:bartowski/Llama-3.2-1B-Instruct-GGUF")
                        .modelFile()
                        .getFileName())
                .hasToString("Llama-3.2-1B-Instruct-Q4_K_M.gguf");
        assertThat(resolver.resolve("h:bartowski/Llama-3.2-1B-Instruct-GGUF:Q8_0")
                        .modelFile()
                        .getFileName())
                .hasToString("Llama-3.2-1B-Instruct-Q8_0.gguf");
        assertThat(resolver.resolve("p:llama3").modelFile().getFileName())
                .hasToString("Llama-3.2-1B-Instruct-Q4_K_M.gguf");
    }

    @Test
    void hubModelNotDownloadedIsModelNotFoundWithTheFix() {
        PaddockException e = fails("h:Qwen/Qwen2.5-0.5B-Instruct-GGUF");
        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        assertThat(e.getMessage()).contains("paddock pull h:Qwen/Qwen2.5-0.5B-Instruct-GGUF");
    }

    @Test
    void fileIdentifierNeedsAnExistingFile() throws Exception {
        Path f = presets.resolve("qwen.gguf");
        assertThat(resolver.resolve("f:" + f).modelFile()).isEqualTo(f);
        assertThat(fails("f:" + dir.resolve("nope.gguf")).code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    }

    @Test
    void presetWhoseModelFileIsMissingIsModelNotFoundNamingFileAndLine() {
        PaddockException e = fails("p:gone");
        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        assertThat(e.getMessage()).contains("missing.gguf", presets.resolve("gone.yaml") + ":1");
    }

    @Test
    void bareWordMatchesExactThenUniquePrefixSuffixAndSubstring() throws Exception {
        assertThat(resolver.resolve("qwen").preset().name())
                .as("exact beats prefix")
                .isEqualTo("qwen");
        assertThat(resolver.resolve("llama").preset().name()).as("prefix").isEqualTo("llama3");
        assertThat(resolver.resolve("coder").preset().name()).as("suffix").isEqualTo("qwen-coder");
        assertThat(resolver.resolve("en-cod").preset().name()).as("substring").isEqualTo("qwen-coder");
        assertThat(resolver.resolve("mistral").modelFile().getFileName())
                .as("then downloaded models")
                .hasToString("mistral-7b-instruct.Q5_K_M.gguf");
    }

    @Test
    void ambiguousBareWordListsTheCandidates() {
        PaddockException e = fails("qwe");
        assertThat(e.code()).isEqualTo(ErrorCode.PRESET_NOT_FOUND);
        assertThat(e.getMessage()).contains("qwen, qwen-coder");
    }

    @Test
    void unknownBareWordSuggests() {
        assertThat(fails("lamma3").getMessage()).contains("did you mean 'llama3'?");
        assertThat(fails("zzzzzzzzzz").getMessage()).contains("known: ");
    }

    @Test
    void malformedAndTraversingIdentifiersAreInvalid() {
        for (String bad :
                new String[] {"", "p:../../x", "h:a/../../b", "h:onlyorg", "h:a/b/c", "x:y", "some/path.gguf", "f:"}) {
            assertThat(fails(bad).code()).as(bad).isEqualTo(ErrorCode.INVALID_IDENTIFIER);
        }
    }
}
