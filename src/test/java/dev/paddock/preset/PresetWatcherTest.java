package dev.paddock.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PresetWatcherTest {
    /** Presets named as people name them (A sorts before B, as the catalog lists them), and their files' model lines. */
    private static final String A = "Meta-Llama-3.1-8B-Instruct.Q4_K_M", B = "deepseek-r1-distill-qwen-14b_Q5_K_M";

    private static final String A_YAML = "model: ./Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf\n",
            B_YAML = "model: ./DeepSeek-R1-Distill-Qwen-14B-Q5_K_M.gguf\n";

    @TempDir
    Path dir;

    @Test
    void addingEditingAndDeletingPresetFilesIsPickedUpWithoutARestart() throws Exception {
        Files.writeString(dir.resolve(A + ".yaml"), A_YAML);
        List<PresetCatalog> reloads = new CopyOnWriteArrayList<>();
        try (PresetWatcher w = new PresetWatcher(dir, reloads::add)) {
            assertThat(w.catalog().names()).containsExactly(A);

            Files.writeString(dir.resolve(B + ".yaml"), B_YAML);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> w.catalog().names().equals(List.of(A, B)));

            Files.writeString(dir.resolve(A + ".yaml"), A_YAML + "context-size: 4096\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> Integer.valueOf(4096)
                    .equals(w.catalog().byName(A).orElseThrow().contextSize()));

            Files.writeString(dir.resolve(B + ".yaml"), B_YAML + "threads: lots\n");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> w.catalog().names().equals(List.of(A)));
            assertThat(w.catalog().problems()).singleElement().asString().contains(B + ".yaml:2: threads:");

            Files.delete(dir.resolve(B + ".yaml"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> w.catalog().problems().isEmpty());
            assertThat(w.catalog().names()).containsExactly(A);
            assertThat(reloads).isNotEmpty();
        }
    }
}
