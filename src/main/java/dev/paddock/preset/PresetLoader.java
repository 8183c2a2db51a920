package dev.paddock.preset;

import dev.paddock.config.PaddockHome;
import dev.paddock.config.Problem;
import dev.paddock.config.YamlMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads every {@code *.yaml} / {@code *.yml} in the presets folder. A bad file is reported with its file, line
 * and key and left out; the other presets still load.
 */
public final class PresetLoader {
    static final Set<String> KEYS = Set.of(
            "name",
            "description",
            "model",
            "host",
            "port",
            "context-size",
            "gpu-layers",
            "threads",
            "alias",
            "args",
            "env",
            "llama-server",
            "health-timeout",
            "ttl");

    private PresetLoader() {}

    public static PresetCatalog loadDirectory(Path dir) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Preset> byName = new TreeMap<>();
        if (!Files.isDirectory(dir)) return PresetCatalog.empty();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{yaml,yml}")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            return new PresetCatalog(
                    List.of(), List.of(new Problem(dir, 0, null, "cannot list presets: " + e.getMessage())));
        }
        files.sort(null);
        for (Path f : files) {
            if (!Files.isRegularFile(f)) continue;
            Preset p = loadFile(f, problems);
            if (p == null) continue;
            Preset clash = byName.putIfAbsent(p.name(), p);
            if (clash != null) {
                problems.add(new Problem(
                        f,
                        0,
                        "name",
                        "preset '" + p.name() + "' is already defined in " + clash.source() + "; rename one of them"));
            }
        }
        return new PresetCatalog(List.copyOf(byName.values()), problems);
    }

    /** One preset file, or null with its problems added to {@code problems}. */
    public static Preset loadFile(Path file, List<Problem> problems) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new Problem(file, 0, null, "cannot read: " + e.getMessage()));
            return null;
        }
        return parse(file, text, problems);
    }

    /** Parses one preset file's text as if read from {@code file}; null with its problems added when unusable. */
    public static Preset parse(Path file, String text, List<Problem> problems) {
        List<Problem> mine = new ArrayList<>();
        YamlMap y = YamlMap.parse(file, text, mine);
        if (y == null) {
            problems.addAll(mine);
            return null;
        }
        y.rejectUnknown(KEYS);
        String fileStem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        String name = y.has("name") ? y.string("name") : fileStem;
        if (name != null && !Preset.isValidName(name)) {
            y.problem(
                    y.has("name") ? "name" : null,
                    "'" + name + "' is not a usable preset name: use letters, digits, '.', '_' and '-'");
        }
        String description = y.string("description");
        String model = y.requiredString(
                "model", "say which GGUF to run, e.g. model: h:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M");
        if (model != null) checkModel(y, model);
        String host = y.string("host");
        Integer port = y.port("port", true);
        Integer ctx = y.integer("context-size", 0, 10_000_000);
        Integer ngl = y.integer("gpu-layers", -1, 100_000);
        Integer threads = y.integer("threads", -1, 4096);
        String alias = y.string("alias");
        List<String> args = y.stringList("args");
        Map<String, String> env = y.stringMap("env");
        String server = y.string("llama-server");
        Duration health = y.duration("health-timeout");
        Duration ttl = y.duration("ttl");
        if (health != null && health.isZero()) y.problem("health-timeout", "must be more than 0");

        if (!mine.isEmpty()) {
            problems.addAll(mine);
            return null;
        }
        return new Preset(
                name,
                description,
                model,
                host,
                port,
                ctx,
                ngl,
                threads,
                alias,
                args,
                env,
                server == null ? null : PaddockHome.Paths2.expandHome(server),
                health,
                ttl,
                file.toAbsolutePath(),
                y.lineOf("model"));
    }

    private static void checkModel(YamlMap y, String model) {
        try {
            ModelSpec.parse(model);
        } catch (IllegalArgumentException e) {
            y.problem("model", e.getMessage());
        }
    }
}
