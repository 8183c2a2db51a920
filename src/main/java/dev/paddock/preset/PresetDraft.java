package dev.paddock.preset;

import dev.paddock.config.Problem;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A preset being written (by {@code paddock new} or the preset editor): the values as typed, turned into the file's
 * text and checked by the same parser that reads presets, so what is saved is what loads. Blank values are left
 * out (the config's defaults apply).
 *
 * @param port a number, {@code auto}, or blank
 */
public record PresetDraft(
        String name,
        String description,
        String model,
        String host,
        String port,
        Integer contextSize,
        Integer gpuLayers,
        Integer threads,
        String alias,
        List<String> args,
        Map<String, String> env,
        String llamaServer,
        String healthTimeout,
        String ttl) {

    public PresetDraft {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(env));
    }

    /** The draft of an existing preset, for editing it. */
    public static PresetDraft of(Preset p) {
        return new PresetDraft(
                p.name(),
                p.description(),
                p.model(),
                p.host(),
                p.port() == null ? null : p.port() == 0 ? "auto" : p.port().toString(),
                p.contextSize(),
                p.gpuLayers(),
                p.threads(),
                p.alias(),
                p.args(),
                p.env(),
                p.llamaServer() == null ? null : p.llamaServer().toString(),
                p.healthTimeout() == null ? null : p.healthTimeout().toSeconds() + "s",
                p.ttl() == null ? null : p.ttl().toSeconds() + "s");
    }

    /** The file's text. */
    public String toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        put(m, "description", description);
        put(m, "model", model);
        put(m, "host", host);
        if (!blank(port)) m.put("port", numberOrText(port.trim()));
        if (contextSize != null) m.put("context-size", contextSize);
        if (gpuLayers != null) m.put("gpu-layers", gpuLayers);
        if (threads != null) m.put("threads", threads);
        put(m, "alias", alias);
        if (!args.isEmpty()) m.put("args", args);
        if (!env.isEmpty()) m.put("env", new LinkedHashMap<>(env));
        put(m, "llama-server", llamaServer);
        put(m, "health-timeout", healthTimeout);
        put(m, "ttl", ttl);
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndicatorIndent(2);
        o.setIndentWithIndicator(true);
        return "# written by Paddock; edit freely, Paddock reloads it\n" + new Yaml(o).dump(m);
    }

    /** The preset this text loads as from {@code file}, or null with the problems added. */
    public Preset check(Path file, List<Problem> problems) {
        if (!Preset.isValidName(name)) {
            problems.add(new Problem(
                    file,
                    0,
                    "name",
                    "'" + name + "' is not a usable preset name: use letters, digits, '.', '_' and '-'"));
            return null;
        }
        return PresetLoader.parse(file, toYaml(), problems);
    }

    private static void put(Map<String, Object> m, String key, String value) {
        if (!blank(value)) m.put(key, value.trim());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A number stays a number; anything else is passed on as text for the parser to judge. */
    private static Object numberOrText(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return s;
        }
    }
}
