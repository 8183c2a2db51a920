package dev.paddock.preset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.config.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresetLoaderTest {
    @TempDir
    Path dir;

    private void write(String file, String yaml) throws Exception {
        Files.writeString(dir.resolve(file), yaml);
    }

    @Test
    void readsEveryKeyOfTheContract() throws Exception {
        write(
                "qwen.yaml",
                """
                name: qwen2.5-0.5b
                description: Small, fast chat model
                model: h:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M
                host: 127.0.0.1
                port: auto
                context-size: 8192
                gpu-layers: 99
                threads: 8
                alias: qwen
                args: ["--jinja", "--flash-attn", "on"]
                env: {CUDA_VISIBLE_DEVICES: "0"}
                llama-server: /opt/llama-cuda/bin/llama-server
                health-timeout: 120s
                ttl: 10m
                """);
        PresetCatalog c = PresetLoader.loadDirectory(dir);
        assertThat(c.problems()).isEmpty();
        Preset p = c.byName("qwen2.5-0.5b").orElseThrow();
        assertThat(p.port()).isZero();
        assertThat(p.contextSize()).isEqualTo(8192);
        assertThat(p.gpuLayers()).isEqualTo(99);
        assertThat(p.threads()).isEqualTo(8);
        assertThat(p.args()).containsExactly("--jinja", "--flash-attn", "on");
        assertThat(p.env()).isEqualTo(Map.of("CUDA_VISIBLE_DEVICES", "0"));
        assertThat(p.llamaServer()).isEqualTo(Path.of("/opt/llama-cuda/bin/llama-server"));
        assertThat(p.healthTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(p.ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.modelLine()).isEqualTo(3);
        assertThat(c.byNameOrAlias("qwen")).contains(p);
    }

    @Test
    void nameDefaultsToTheFileName() throws Exception {
        write("Meta-Llama-3.1-8B-Instruct.Q4_K_M.yaml", "model: ./Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf\n");
        assertThat(PresetLoader.loadDirectory(dir).names()).containsExactly("Meta-Llama-3.1-8B-Instruct.Q4_K_M");
    }

    @Test
    void aBadFileIsReportedWithFileLineAndKeyAndTheOthersStillLoad() throws Exception {
        write("good.yaml", "model: ./qwen2.5-0.5b-instruct-q4_k_m.gguf\n");
        write("unknown-key.yaml", "model: ./qwen2.5-0.5b-instruct-q4_k_m.gguf\ncontext: 4096\n");
        write("wrong-type.yaml", "model: ./qwen2.5-0.5b-instruct-q4_k_m.gguf\nthreads: many\n");
        write("bad-duration.yaml", "model: ./qwen2.5-0.5b-instruct-q4_k_m.gguf\nttl: 10 minutes\n");
        write("no-model.yaml", "description: forgot the model\n");
        write("broken.yaml", "model: ./qwen2.5-0.5b-instruct-q4_k_m.gguf\nargs: [\"--jinja\"\n");
        PresetCatalog c = PresetLoader.loadDirectory(dir);
        assertThat(c.names()).containsExactly("good");
        assertThat(c.problems())
                .extracting(Problem::toString)
                .anySatisfy(
                        s -> assertThat(s)
                                .isEqualTo(
                                        dir.resolve("unknown-key.yaml")
                                                + ":2: context: unknown key; allowed here: alias, args, context-size, "
                                                + "description, env, gpu-layers, health-timeout, host, llama-server, model, name, port, threads, ttl"))
                .anySatisfy(s -> assertThat(s)
                        .startsWith(dir.resolve("wrong-type.yaml") + ":2: threads: expected a whole number"))
                .anySatisfy(s -> assertThat(s)
                        .startsWith(dir.resolve("bad-duration.yaml") + ":2: ttl: '10 minutes' is not a duration"))
                .anySatisfy(s -> assertThat(s).startsWith(dir.resolve("no-model.yaml") + ":1: model: missing"))
                .anySatisfy(s -> assertThat(s)
                        .startsWith(dir.resolve("broken.yaml") + ":")
                        .contains("not valid YAML"));
        assertThat(c.problems()).hasSize(5);
    }

    @Test
    void aModelThatIsNoIdentifierIsReported() throws Exception {
        write("qwen2.5-coder-7b-instruct-q4_k_m.yaml", "model: qwen\n");
        PresetCatalog c = PresetLoader.loadDirectory(dir);
        assertThat(c.problems())
                .singleElement()
                .asString()
                .contains(":1: model:", "h:ORG/REPO[:QUANT], o:NAME[:TAG], f:PATH");
    }

    @Test
    void pathTraversalInPresetNamesIsRefused() throws Exception {
        write(
                "qwen2.5-coder-7b-instruct-q4_k_m.yaml",
                "name: ../../etc/passwd\nmodel: ./qwen2.5-0.5b-instruct-q4_k_m.gguf\n");
        assertThat(PresetLoader.loadDirectory(dir).problems())
                .singleElement()
                .asString()
                .contains(":1: name:");
    }

    @Test
    void twoFilesNamingTheSamePresetKeepTheFirstAndReportTheSecond() throws Exception {
        write("gpt-oss-20b.yaml", "name: gpt-oss-20b\nmodel: ./gpt-oss-20b-mxfp4.gguf\n");
        write(
                "mistral-small-3.2-24b-instruct-2506.yaml",
                "name: gpt-oss-20b\nmodel: ./Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf\n");
        PresetCatalog c = PresetLoader.loadDirectory(dir);
        assertThat(c.byName("gpt-oss-20b").orElseThrow().model()).isEqualTo("./gpt-oss-20b-mxfp4.gguf");
        assertThat(c.problems())
                .singleElement()
                .asString()
                .contains("mistral-small-3.2-24b-instruct-2506.yaml", "already defined");
    }

    @Test
    void everyShippedPresetLoads() {
        Path shipped = Path.of(System.getProperty("paddock.project.dir", "."), "presets");
        PresetCatalog c = PresetLoader.loadDirectory(shipped);
        assertThat(c.problems()).isEmpty();
        assertThat(c.presets()).hasSizeBetween(3, 4);
        try (var files = Files.list(shipped)) {
            assertThat(c.presets()).hasSize((int) files.count());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(c.presets()).allSatisfy(p -> assertThat(p.model()).startsWith("h:"));
        assertThat(List.copyOf(c.presets()))
                .allSatisfy(p -> assertThat(p.description()).isNotBlank());
    }
}
