package dev.paddock.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.preset.Preset;
import dev.paddock.preset.ResolvedPreset;
import dev.paddock.testing.TestRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchPlannerTest {
    /** A model file named as the hub names it, and the preset a person would write for it. */
    private static final String MODEL = "Qwen_Qwen3-30B-A3B-Q4_K_M", PRESET = "qwen2.5-coder-7b-instruct-q4_k_m";

    @TempDir
    Path dir;

    private Path executable(String name) throws Exception {
        Path p = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void buildsTheCommandLineFromEveryPresetField() throws Exception {
        Path bin = executable("llama-server");
        Path perPreset = executable("llama-cuda");
        Path model = Files.writeString(dir.resolve(MODEL + ".gguf"), "x");
        Config config = TestRig.config(new PaddockHome(dir), bin, Duration.ofSeconds(10));
        Preset p = new Preset(
                PRESET,
                null,
                "f:" + model,
                "127.0.0.2",
                9001,
                8192,
                99,
                8,
                "qwen",
                List.of("--jinja", "--flash-attn", "on"),
                Map.of("CUDA_VISIBLE_DEVICES", "0"),
                perPreset,
                Duration.ofSeconds(120),
                null,
                null,
                0);
        LaunchSpec s = new LaunchPlanner(config, "").plan(new ResolvedPreset(p, model));
        assertThat(s.command())
                .containsExactly(
                        perPreset.toString(),
                        "-m",
                        model.toString(),
                        "--host",
                        "127.0.0.2",
                        "--port",
                        "9001",
                        "-c",
                        "8192",
                        "-ngl",
                        "99",
                        "-t",
                        "8",
                        "-a",
                        "qwen",
                        "--jinja",
                        "--flash-attn",
                        "on");
        assertThat(s.env()).isEqualTo(Map.of("CUDA_VISIBLE_DEVICES", "0"));
        assertThat(s.healthTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.endpoint()).hasToString("http://127.0.0.2:9001");
    }

    @Test
    void defaultsComeFromConfigAndPortAutoIsChosenAtSpawnNotAtPlan() throws Exception {
        Path bin = executable("llama-server");
        Path model = Files.writeString(dir.resolve(MODEL + ".gguf"), "x");
        Config config = TestRig.config(new PaddockHome(dir), null, Duration.ofSeconds(10));
        LaunchPlanner planner = new LaunchPlanner(config, "/nonexistent:" + dir);
        LaunchSpec s = planner.plan(new ResolvedPreset(Preset.forModel(MODEL, "f:" + model), model));
        assertThat(s.command())
                .containsExactly(bin.toString(), "-m", model.toString(), "--host", "127.0.0.1", "--port", "8080");
        Preset auto = new Preset(
                PRESET, null, "f:" + model, null, 0, null, null, null, null, null, null, null, null, null, null, 0);
        LaunchSpec planned = planner.plan(new ResolvedPreset(auto, model));
        assertThat(planned.unbound())
                .as("an automatic port is chosen at spawn, not at plan")
                .isTrue();
        assertThat(planner.plan(new ResolvedPreset(auto, model)).sameLaunchAs(planned))
                .as("so planning it twice is the same launch")
                .isTrue();
        LaunchSpec bound = planned.bind(40123);
        assertThat(bound.command()).containsSequence("--port", "40123");
        assertThat(bound.endpoint()).hasToString("http://127.0.0.1:40123");
        assertThat(bound.sameLaunchAs(planned)).as("whatever port it got").isTrue();
    }

    @Test
    void noLlamaServerAnywhereIsServerNotFound() throws Exception {
        Path model = Files.writeString(dir.resolve(MODEL + ".gguf"), "x");
        Config config = TestRig.config(new PaddockHome(dir), null, Duration.ofSeconds(10));
        assertThatThrownBy(() -> new LaunchPlanner(config, "/nonexistent")
                        .plan(new ResolvedPreset(Preset.forModel(MODEL, "f:" + model), model)))
                .isInstanceOfSatisfying(PaddockException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SERVER_NOT_FOUND);
                    assertThat(e.getMessage()).contains("config.yaml");
                });
    }
}
