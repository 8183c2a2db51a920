package dev.paddock.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryFitTest {
    @TempDir
    Path dir;

    @Test
    void weightsAreTheFilesAndTheKvCacheFollowsTheContext() throws Exception {
        Path f = TinyGguf.write(dir.resolve("tiny.gguf"), "t", 1);
        GgufInfo g = GgufReader.read(f);
        MemoryFit.Estimate e = MemoryFit.estimate(f, g, 1024);
        assertThat(e.weights()).isEqualTo(Files.size(f));
        assertThat(e.context()).isEqualTo(1024);
        assertThat(e.kvCache()).isEqualTo(2L * 2 * 1024 * 64 * 2); // K and V, 2 layers, 64 wide, 16-bit
        assertThat(MemoryFit.estimate(f, g, null).context())
                .as("the model's own context")
                .isEqualTo(2048);

        assertThat(MemoryFit.warning("tiny", e, e.total() + 1)).isEmpty();
        assertThat(MemoryFit.warning("tiny", e, e.total() / 2))
                .get()
                .asString()
                .startsWith("tiny needs about 0.0 GB")
                .contains("KV cache", "1024 tokens", "may swap or fail");
        assertThat(MemoryFit.availableRam())
                .as("this machine reports MemAvailable")
                .isPresent();
    }
}
