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
    @TempDir
    Path dir;

    @Test
    void addingEditingAndDeletingPresetFilesIsPickedUpWithoutARestart() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "model: ./a.gguf\n");
        List<PresetCatalog> reloads = new CopyOnWriteArrayList<>();
        try (PresetWatcher w = new PresetWatcher(dir, reloads::add)) {
            assertThat(w.catalog().names()).containsExactly("a");

            Files.writeString(dir.resolve("b.yaml"), "model: ./b.gguf\n");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> w.catalog().names().equals(List.of("a", "b")));

            Files.writeString(dir.resolve("a.yaml"), "model: ./a.gguf\ncontext-size: 4096\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> Integer.valueOf(4096)
                    .equals(w.catalog().byName("a").orElseThrow().contextSize()));

            Files.writeString(dir.resolve("b.yaml"), "model: ./b.gguf\nthreads: lots\n");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> w.catalog().names().equals(List.of("a")));
            assertThat(w.catalog().problems()).singleElement().asString().contains("b.yaml:2: threads:");

            Files.delete(dir.resolve("b.yaml"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> w.catalog().problems().isEmpty());
            assertThat(w.catalog().names()).containsExactly("a");
            assertThat(reloads).isNotEmpty();
        }
    }
}
