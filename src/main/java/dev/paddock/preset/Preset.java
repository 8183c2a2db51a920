package dev.paddock.preset;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One way to run llama-server, as written in {@code presets-dir/NAME.yaml}. Null fields take the config's
 * defaults when the preset is launched.
 *
 * @param model the model as written: {@code h:ORG/REPO[:QUANT]}, {@code f:PATH}, or a path ({@code ~/x.gguf},
 *     relative to the preset's folder)
 * @param port null = config default; 0 = pick a free port at launch ({@code auto})
 * @param source the file it was read from, or null for a preset made from an identifier
 * @param modelLine the line of {@code model:} in {@code source}, for error messages (0 when unknown)
 */
public record Preset(
        String name,
        String description,
        String model,
        String host,
        Integer port,
        Integer contextSize,
        Integer gpuLayers,
        Integer threads,
        String alias,
        List<String> args,
        Map<String, String> env,
        Path llamaServer,
        Duration healthTimeout,
        Duration ttl,
        Path source,
        int modelLine) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public Preset {
        checkName(name);
        if (model == null || model.isBlank()) throw new IllegalArgumentException("preset " + name + ": model is blank");
        if (port != null && (port < 0 || port > 65535))
            throw new IllegalArgumentException("port out of range: " + port);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** A preset for a model file or hub model named directly, with every setting from the config. */
    public static Preset forModel(String name, String model) {
        return forModel(name, model, List.of());
    }

    /** The same, with these llama-server arguments (a model's {@code --mmproj}). */
    public static Preset forModel(String name, String model, List<String> args) {
        return new Preset(name, null, model, null, null, null, null, null, null, args, null, null, null, null, null, 0);
    }

    /** Names are file-name safe: letters, digits, '.', '_' and '-', starting with a letter or digit. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static void checkName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException(
                    "bad preset name '" + name + "': use letters, digits, '.', '_' and '-' (at most 64)");
        }
    }

    /** Where the preset came from, for messages: {@code presets/tiny.yaml:3} or the identifier it was made for. */
    public String origin() {
        return source == null ? "identifier " + model : source + (modelLine > 0 ? ":" + modelLine : "");
    }
}
