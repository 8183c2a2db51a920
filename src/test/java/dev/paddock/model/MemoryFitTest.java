package dev.paddock.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryFitTest {
    /** A preset and its model file named as people and the hub name them. */
    private static final String PRESET = "Meta-Llama-3.1-8B-Instruct.Q4_K_M",
            FILE = "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf";

    @TempDir
    Path dir;

    @Test
    void weightsAreTheFilesAndTheKvCacheFollowsTheContext() throws Exception {
        Path f = TinyGguf.write(dir.resolve(FILE), "Meta-Llama-3.1-8B-Instruct", 1);
        GgufInfo g = GgufReader.read(f);
        MemoryFit.Estimate e = MemoryFit.estimate(f, g, 1024);
        assertThat(e.weights()).isEqualTo(Files.size(f));
        assertThat(e.context()).isEqualTo(1024);
        assertThat(e.kvCache()).isEqualTo(2L * 2 * 1024 * 64 * 2); // K and V, 2 layers, 64 wide, 16-bit
        assertThat(MemoryFit.estimate(f, g, null).context())
                .as("the model's own context")
                .isEqualTo(2048);

        assertThat(MemoryFit.warning(PRESET, e, e.total() + 1)).isEmpty();
        assertThat(MemoryFit.warning(PRESET, e, e.total() / 2))
                .get()
                .asString()
                .startsWith(PRESET + " needs about 0.0 GB")
                .contains("KV cache", "1024 tokens", "may swap or fail");
        assertThat(MemoryFit.availableRam())
                .as("this machine reports MemAvailable")
                .isPresent();
    }

    @Test
    void offloadedLayersAreCheckedAgainstTheFreeGpuMemoryNvidiaSmiReports() throws Exception {
        Path f = TinyGguf.write(dir.resolve(FILE), "Meta-Llama-3.1-8B-Instruct", 1); // 2 layers
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        // two GPUs with 0 MiB free: nothing fits; the query is the one nvidia-smi documents
        Files.writeString(
                smi,
                "#!/bin/sh\n[ \"$1\" = --query-gpu=memory.free ] && [ \"$2\" = --format=csv,noheader,nounits ]"
                        + " || exit 9\necho 0\necho 0\n");
        smi.toFile().setExecutable(true);
        assertThat(MemoryFit.freeVram(bin.toString())).hasValue(0);
        assertThat(MemoryFit.check(PRESET, f, 1024, 99, bin.toString()))
                .get()
                .asString()
                .startsWith(PRESET + " needs about")
                .contains("GPU memory for 2 of its 2 layers", "0.0 GB is free on the GPU", "fewer gpu-layers");
        assertThat(MemoryFit.check(PRESET, f, 1024, 0, bin.toString()))
                .as("nothing offloaded: RAM only, where the tiny model fits")
                .isEmpty();

        Files.writeString(smi, "#!/bin/sh\necho 24000\necho 24000\n");
        assertThat(MemoryFit.freeVram(bin.toString())).hasValue(48000L << 20);
        assertThat(MemoryFit.check(PRESET, f, 1024, 99, bin.toString()))
                .as("fits on the GPUs")
                .isEmpty();
        assertThat(MemoryFit.freeVram(dir.resolve("nowhere").toString()))
                .as("no nvidia-smi")
                .isEmpty();
    }
}
