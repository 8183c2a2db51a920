package dev.paddock.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.FakeOllamaRegistry;
import dev.paddock.testing.OtherTools;
import dev.paddock.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each tool's folder as that tool lays it out, found where the tool keeps it, named as the tool names it. */
class FoundModelsTest {
    private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";
    private static final String OLD_REVISION = "fedcba9876543210fedcba9876543210fedcba98";

    @TempDir
    Path dir;

    private OtherTools tools;
    private FakeOllamaRegistry registry;

    @BeforeEach
    void setUp() throws Exception {
        tools = new OtherTools(Files.createDirectories(dir.resolve("user")));
        registry = new FakeOllamaRegistry();
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private List<LocalModel> found(Map<String, String> env) {
        return new FoundModels(FoundModels.Places.of(env, tools.home(), true, true, true)).list();
    }

    private static LocalModel named(List<LocalModel> models, String name) {
        return models.stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in "
                        + models.stream().map(LocalModel::name).toList()));
    }

    @Test
    void theHuggingFaceCacheIsReadAtTheRevisionRefsMainNamesWithItsProjector() throws Exception {
        Path blob = tools.huggingFace(
                "bartowski", "Llama-3.2-3B-Instruct-GGUF", "Llama-3.2-3B-Instruct-IQ4_XS.gguf", REVISION, 1);
        // an older snapshot of the same repository, no longer what refs/main names
        tools.huggingFace(
                "bartowski", "Llama-3.2-3B-Instruct-GGUF", "Llama-3.2-3B-Instruct-Q8_0.gguf", OLD_REVISION, 2);
        Files.writeString(
                tools.home().resolve(".cache/huggingface/hub/models--bartowski--Llama-3.2-3B-Instruct-GGUF/refs/main"),
                REVISION);
        Path gemma = tools.huggingFace("unsloth", "gemma-3-4b-it-GGUF", "gemma-3-4b-it-UD-Q4_K_XL.gguf", REVISION, 3);
        Path mmproj = tools.huggingFace("unsloth", "gemma-3-4b-it-GGUF", "mmproj-F16.gguf", REVISION, 4);

        List<LocalModel> models = found(Map.of());
        assertThat(models)
                .extracting(LocalModel::name)
                .containsExactlyInAnyOrder(
                        "bartowski/Llama-3.2-3B-Instruct-GGUF:IQ4_XS", "unsloth/gemma-3-4b-it-GGUF:UD-Q4_K_XL");
        LocalModel llama = named(models, "bartowski/Llama-3.2-3B-Instruct-GGUF:IQ4_XS");
        assertThat(llama.source()).isEqualTo(LocalModel.Source.HF_CACHE);
        assertThat(Files.isSymbolicLink(llama.file()))
                .as("the snapshot's link, used in place")
                .isTrue();
        assertThat(llama.file().toRealPath()).isEqualTo(blob.toRealPath());
        LocalModel g = named(models, "unsloth/gemma-3-4b-it-GGUF:UD-Q4_K_XL");
        assertThat(g.file().toRealPath()).isEqualTo(gemma.toRealPath());
        assertThat(g.projector().toRealPath()).isEqualTo(mmproj.toRealPath());
        assertThat(llama.projector()).isNull();
    }

    @Test
    void hfHubCacheAndHfHomeMoveTheCache() throws Exception {
        tools.huggingFace("Qwen", "Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf", REVISION, 1);
        Path moved = dir.resolve("elsewhere");
        Files.move(tools.home().resolve(".cache/huggingface"), moved);
        assertThat(found(Map.of())).isEmpty();
        assertThat(found(Map.of("HF_HOME", moved.toString())))
                .extracting(LocalModel::name)
                .containsExactly("Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M");
        assertThat(found(Map.of("HF_HUB_CACHE", moved.resolve("hub").toString())))
                .extracting(LocalModel::name)
                .containsExactly("Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M");
    }

    @Test
    void llamaCppsOlderFlatCacheNamesTheRepository() throws Exception {
        Path flat = TinyGguf.write(
                tools.home()
                        .resolve(
                                ".cache/llama.cpp/bartowski_Meta-Llama-3.1-8B-Instruct-GGUF_Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"),
                "Meta-Llama-3.1-8B-Instruct",
                5);
        LocalModel m = named(found(Map.of()), "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF:Q4_K_M");
        assertThat(m.source()).isEqualTo(LocalModel.Source.LLAMA_CACHE);
        assertThat(m.file()).isEqualTo(flat);
    }

    @Test
    void lmStudiosFolderIsFoundWhereItsSettingsPutIt() throws Exception {
        Path file = tools.lmStudio(
                "lmstudio-community",
                "Mistral-Small-3.2-24B-Instruct-2506-GGUF",
                "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf",
                6);
        LocalModel m = named(found(Map.of()), "lmstudio-community/Mistral-Small-3.2-24B-Instruct-2506-GGUF:Q4_K_M");
        assertThat(m.source()).isEqualTo(LocalModel.Source.LM_STUDIO);
        assertThat(m.file()).isEqualTo(file);

        Path moved = dir.resolve("big-disk/lm-models");
        Files.createDirectories(moved.getParent());
        Files.move(tools.home().resolve(".lmstudio/models"), moved);
        tools.lmStudioDownloadsFolder(moved);
        assertThat(named(found(Map.of()), "lmstudio-community/Mistral-Small-3.2-24B-Instruct-2506-GGUF:Q4_K_M")
                        .file())
                .isEqualTo(
                        moved.resolve(
                                "lmstudio-community/Mistral-Small-3.2-24B-Instruct-2506-GGUF/Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf"));
    }

    @Test
    void ollamasStoreIsReadThroughItsManifests() throws Exception {
        byte[] weights = Files.readAllBytes(TinyGguf.write(dir.resolve("llama3.2-1b.gguf"), "llama3.2", 7));
        byte[] projector = Files.readAllBytes(TinyGguf.write(dir.resolve("qwen2.5vl-7b-mmproj.gguf"), "projector", 8));
        Path blob = tools.ollama(registry, "llama3.2", "1b", weights, null);
        byte[] other = Files.readAllBytes(TinyGguf.write(dir.resolve("qwen2.5vl-7b.gguf"), "qwen2.5vl", 9));
        Path vision = tools.ollama(registry, "qwen2.5vl", "7b", other, projector);

        List<LocalModel> models = found(Map.of());
        LocalModel llama = named(models, "llama3.2:1b");
        assertThat(llama.source()).isEqualTo(LocalModel.Source.OLLAMA);
        assertThat(llama.file()).isEqualTo(blob);
        assertThat(llama.problem()).isNull();
        assertThat(named(models, "qwen2.5vl:7b").projector())
                .isEqualTo(tools.home()
                        .resolve(".ollama/models/blobs/sha256-" + dev.paddock.testing.FakeHub.sha256(projector)));
        assertThat(named(models, "qwen2.5vl:7b").file()).isEqualTo(vision);

        Path moved = dir.resolve("ollama-models");
        Files.move(tools.home().resolve(".ollama/models"), moved);
        assertThat(found(Map.of("OLLAMA_MODELS", moved.toString())))
                .extracting(LocalModel::name)
                .contains("llama3.2:1b", "qwen2.5vl:7b");
    }

    @Test
    void anOllamaModelLlamaServerCannotRunSaysWhy() throws Exception {
        byte[] ownArch = Files.readAllBytes(
                TinyGguf.writeForOllamaEngine(dir.resolve("qwen2.5vl-3b.gguf"), "qwen2.5vl", 9, "qwen25vl", false));
        byte[] visionInside = Files.readAllBytes(
                TinyGguf.writeForOllamaEngine(dir.resolve("gemma3-4b.gguf"), "gemma3", 10, "gemma3", true));
        tools.ollama(registry, "qwen2.5vl", "3b", ownArch, null);
        tools.ollama(registry, "gemma3", "4b", visionInside, null);

        List<LocalModel> models = found(Map.of());
        assertThat(named(models, "qwen2.5vl:3b").problem()).contains("'qwen25vl' is Ollama's own");
        assertThat(named(models, "gemma3:4b").problem()).contains("vision tower", "inside the weights file");
    }

    @Test
    void aSourceTurnedOffIsNotRead() throws Exception {
        tools.lmStudio("lmstudio-community", "gemma-3-27b-it-GGUF", "gemma-3-27b-it-Q4_K_M.gguf", 11);
        tools.huggingFace("Qwen", "Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf", REVISION, 12);
        assertThat(new FoundModels(FoundModels.Places.of(Map.of(), tools.home(), false, true, false)).list())
                .extracting(LocalModel::name)
                .containsExactly("lmstudio-community/gemma-3-27b-it-GGUF:Q4_K_M");
    }
}
