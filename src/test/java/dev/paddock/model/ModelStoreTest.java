package dev.paddock.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.config.ConfigLoader;
import dev.paddock.config.PaddockHome;
import dev.paddock.preset.IdentifierResolver;
import dev.paddock.preset.PresetCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @TempDir
    Path dir;

    @Test
    void modelsInTheUsersOwnFoldersAreListedByPathAndUsedInPlace() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models/Org/Repo-GGUF"));
        Files.writeString(models.resolve("repo-Q4_K_M.gguf"), "x");
        Path mine = Files.createDirectories(dir.resolve("my-ggufs/chat"));
        Files.writeString(mine.resolve("mistral-7b-Q5_K_M.gguf"), "x");
        Files.writeString(mine.resolve("big-00001-of-00002.gguf"), "x");
        Files.writeString(mine.resolve("big-00002-of-00002.gguf"), "x");
        Files.writeString(mine.resolve("notes.txt"), "x");

        ModelStore store =
                new ModelStore(dir.resolve("models"), List.of(dir.resolve("my-ggufs"), dir.resolve("absent")));
        assertThat(store.list())
                .extracting(LocalModel::displayName)
                .containsExactly(
                        "Org/Repo-GGUF/repo-Q4_K_M.gguf",
                        mine.resolve("big-00001-of-00002.gguf").toString(),
                        mine.resolve("mistral-7b-Q5_K_M.gguf").toString());
        assertThat(store.list().get(2).isDownloaded()).isFalse();
        assertThat(store.list().get(2).quant()).isEqualTo("Q5_K_M");
        assertThat(ModelStore.parts(mine.resolve("big-00001-of-00002.gguf"))).hasSize(2);

        IdentifierResolver r = new IdentifierResolver(PresetCatalog::empty, store, ModelFetcher.none());
        assertThat(r.resolve("mistral").modelFile())
                .as("a bare word finds it where it is")
                .isEqualTo(mine.resolve("mistral-7b-Q5_K_M.gguf"));
        assertThat(store.find(HubRef.parse("Org/Repo-GGUF"))).isPresent();
    }

    @Test
    void modelDirsAreReadFromConfigYaml() throws Exception {
        PaddockHome home = new PaddockHome(Files.createDirectories(dir.resolve("home")));
        Files.writeString(home.configFile(), "model-dirs: [~/llm, shared/gguf]\n");
        assertThat(ConfigLoader.load(home).extraModelDirs())
                .containsExactly(
                        Path.of(System.getProperty("user.home"), "llm"),
                        home.root().resolve("shared/gguf"));
    }
}
