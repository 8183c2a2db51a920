package dev.paddock.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code config.yaml} being edited (by the preferences dialog): values as typed, each checked by the same loader
 * that reads the file, saved atomically. Keys the dialog does not show are kept as they were; comments are not.
 */
public final class ConfigDraft {
    /** The keys the preferences dialog edits, nested ones dotted. */
    public static final List<String> KEYS = List.of(
            "llama-server",
            "models-dir",
            "presets-dir",
            "host",
            "port",
            "health-timeout",
            "stop-timeout",
            "default-preset",
            "jmx.port",
            "gateway.port",
            "theme");

    private final PaddockHome home;
    private final Map<String, Object> tree;
    private final String loadProblem;

    private ConfigDraft(PaddockHome home, Map<String, Object> tree, String loadProblem) {
        this.home = home;
        this.tree = tree;
        this.loadProblem = loadProblem;
    }

    /** The file as it is; an unreadable or invalid file gives an empty draft and {@link #loadProblem()}. */
    public static ConfigDraft load(PaddockHome home) {
        String text;
        try {
            text = Files.readString(home.configFile(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new ConfigDraft(home, new LinkedHashMap<>(), null);
        } catch (IOException e) {
            return new ConfigDraft(
                    home, new LinkedHashMap<>(), "cannot read " + home.configFile() + ": " + e.getMessage());
        }
        try {
            ConfigLoader.parse(home, home.configFile(), text);
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            @SuppressWarnings("unchecked")
            Map<String, Object> map = loaded instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
            return new ConfigDraft(home, new LinkedHashMap<>(map), null);
        } catch (ConfigException | RuntimeException e) {
            return new ConfigDraft(
                    home,
                    new LinkedHashMap<>(),
                    home.configFile() + " has problems and is shown with defaults; saving replaces it:\n"
                            + e.getMessage());
        }
    }

    /** Why the file could not be used as it is, or null. */
    public String loadProblem() {
        return loadProblem;
    }

    /** The value as text, blank when the file does not set it (the default applies). */
    public String get(String key) {
        Object v = node(key);
        return v == null ? "" : v.toString();
    }

    /** Sets a value as typed; blank removes the key, so the default applies. */
    public void set(String key, String text) {
        String[] path = key.split("\\.");
        Map<String, Object> parent = tree;
        for (int i = 0; i < path.length - 1; i++) {
            Object child = parent.get(path[i]);
            if (!(child instanceof Map<?, ?>)) {
                if (text == null || text.isBlank()) return;
                child = new LinkedHashMap<String, Object>();
                parent.put(path[i], child);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) child;
            parent = m;
        }
        String leaf = path[path.length - 1];
        if (text == null || text.isBlank()) parent.remove(leaf);
        else parent.put(leaf, typed(text.trim()));
    }

    /** What is wrong with this one value, or null: the loader's own message for it. */
    public String problem(String key) {
        Map<String, Object> only = new LinkedHashMap<>();
        String[] path = key.split("\\.");
        Object v = node(key);
        if (v == null) return null;
        if (path.length == 1) only.put(key, v);
        else only.put(path[0], new LinkedHashMap<>(Map.of(path[1], v)));
        try {
            ConfigLoader.parse(home, home.configFile(), dump(only));
            return null;
        } catch (ConfigException e) {
            return e.problems().isEmpty() ? e.getMessage() : e.problems().get(0).message();
        }
    }

    /** The whole draft as the loader reads it. */
    public Config validate() throws ConfigException {
        return ConfigLoader.parse(home, home.configFile(), text());
    }

    public String text() {
        return "# written by Paddock's preferences (comments are not kept)\n" + dump(tree);
    }

    /** Checks the whole draft, then writes it (temp file and rename). */
    public Config save() throws ConfigException, IOException {
        Config c = validate();
        Files.createDirectories(home.root());
        AtomicFile.write(home.configFile(), text().getBytes(StandardCharsets.UTF_8));
        return c;
    }

    /**
     * The settings that take a restart (the folders and ports) whose effective value differs between the two; the
     * others apply to the next load or at once.
     */
    public static List<String> needingRestart(Config before, Config after) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(before.modelsDir(), after.modelsDir())) out.add("models-dir");
        if (!Objects.equals(before.presetsDir(), after.presetsDir())) out.add("presets-dir");
        if (before.jmx().port() != after.jmx().port()) out.add("jmx.port");
        if (before.gateway().port() != after.gateway().port()) out.add("gateway.port");
        return out;
    }

    private Object node(String key) {
        Object cur = tree;
        for (String part : key.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) return null;
            cur = m.get(part);
        }
        return cur;
    }

    private static Object typed(String s) {
        if (s.matches("-?\\d{1,9}")) return Integer.parseInt(s);
        return s;
    }

    private static String dump(Map<String, Object> m) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(m);
    }
}
