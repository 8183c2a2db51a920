package dev.paddock.cli;

import dev.paddock.config.AtomicFile;
import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import dev.paddock.config.Problem;
import dev.paddock.preset.Preset;
import dev.paddock.preset.PresetDraft;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code paddock new NAME --model ID [flags]}: writes {@code presets-dir/NAME.yaml}, checked by the same parser
 * the daemon uses before anything is written. A running Paddock picks it up at once.
 */
@Command(
        name = "new",
        mixinStandardHelpOptions = true,
        description = "Write a new preset file (presets-dir/NAME.yaml).")
public final class NewCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The preset's name: letters, digits, '.', '_' and '-'.")
    String name;

    @Option(
            names = {"-m", "--model"},
            required = true,
            paramLabel = "ID",
            description = "h:ORG/REPO[:QUANT], f:PATH or a path to a .gguf file.")
    String model;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Option(names = "--host", description = "Default: the config's host.")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT|auto",
            description = "Default: the config's port; auto picks a free one.")
    String port;

    @Option(
            names = {"-c", "--ctx", "--context-size"},
            paramLabel = "N",
            description = "llama-server -c.")
    Integer contextSize;

    @Option(
            names = {"-ngl", "--gpu-layers"},
            paramLabel = "N",
            description = "llama-server -ngl.")
    Integer gpuLayers;

    @Option(
            names = {"-t", "--threads"},
            paramLabel = "N",
            description = "llama-server -t.")
    Integer threads;

    @Option(
            names = {"-a", "--alias"},
            description = "Another name the gateway answers to.")
    String alias;

    @Option(names = "--arg", paramLabel = "ARG", description = "An extra llama-server argument (repeatable).")
    List<String> args = new ArrayList<>();

    @Option(
            names = "--env",
            paramLabel = "KEY=VALUE",
            description = "An environment variable for llama-server (repeatable).")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--llama-server", paramLabel = "PATH", description = "A llama-server binary for this preset only.")
    String llamaServer;

    @Option(names = "--health-timeout", paramLabel = "DURATION", description = "e.g. 120s.")
    String healthTimeout;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "Unload after this long with no gateway requests.")
    String ttl;

    @Option(names = "--force", description = "Replace the file if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (!Preset.isValidName(name)) {
            return Output.error(
                    false,
                    "invalid_preset",
                    "'" + name + "' is not a usable preset name: use letters, digits, '.', '_' and '-'",
                    Output.USAGE);
        }
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        Config config = Output.configOrReport(home);
        if (config == null) return Output.FAILED;
        Path target = config.presetsDir().resolve(name + ".yaml");
        if (Files.exists(target) && !force) {
            return Output.error(
                    false,
                    "invalid_preset",
                    target + " exists; `paddock show " + name + "` shows it, --force replaces it",
                    Output.FAILED);
        }
        String modelValue = modelValue();
        if (modelValue.startsWith("f:")) {
            Path file = Path.of(modelValue.substring(2));
            if (!Files.isRegularFile(file)) {
                return Output.error(
                        false, "model_not_found", "no model file " + file + "; check the path", Output.FAILED);
            }
            try {
                dev.paddock.model.GgufReader.read(file);
            } catch (dev.paddock.model.GgufException e) {
                return Output.error(
                        false,
                        "invalid_preset",
                        file + " is not a GGUF model llama-server can read (" + e.getMessage()
                                + "); give the .gguf file itself",
                        Output.FAILED);
            }
        }
        PresetDraft draft = new PresetDraft(
                name,
                description,
                modelValue,
                host,
                port,
                contextSize,
                gpuLayers,
                threads,
                alias,
                args,
                env,
                llamaServer,
                healthTimeout,
                ttl);
        List<Problem> problems = new ArrayList<>();
        if (draft.check(target, problems) == null) {
            StringBuilder b = new StringBuilder("the preset would not load:");
            problems.forEach(p -> b.append("\n  ")
                    .append(p.key() == null ? "" : p.key() + ": ")
                    .append(p.message()));
            return Output.error(false, "invalid_preset", b.toString(), Output.FAILED);
        }
        String text = draft.toYaml();
        home.ensureLayout(config.presetsDir()); // owner-only, as a running Paddock makes them
        AtomicFile.write(target, text.getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + target);
        System.out.println("load it with: paddock load " + name);
        return Output.OK;
    }

    /** {@code f:} paths made absolute; a bare path counts as a file; hub references as given. */
    private String modelValue() {
        if (model.startsWith("h:")) return model;
        return IdentifierArg.fromHere(model.startsWith("f:") ? model : "f:" + model);
    }
}
