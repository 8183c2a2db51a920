package dev.paddock.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads {@code PADDOCK_HOME/config.yaml} into a {@link Config}, reporting every problem with file and line. */
public final class ConfigLoader {
    private static final Set<String> TOP_KEYS = Set.of(
            "theme",
            "model-dirs",
            "llama-server",
            "models-dir",
            "presets-dir",
            "host",
            "port",
            "health-timeout",
            "stop-timeout",
            "default-preset",
            "log-max-size",
            "log-max-files",
            "jmx",
            "gateway",
            "drain-timeout",
            "log-level",
            "model-sources");
    private static final Set<String> SOURCE_KEYS = Set.of("huggingface-cache", "lm-studio", "ollama");
    private static final Set<String> JMX_KEYS = Set.of("port", "host", "password-file", "access-file", "ssl");
    private static final Set<String> GATEWAY_KEYS =
            Set.of("port", "host", "api-keys", "max-body", "queue", "ollama-port");

    private ConfigLoader() {}

    /** The config of {@code home}; defaults when the file does not exist. */
    public static Config load(PaddockHome home) throws ConfigException {
        Path file = home.configFile();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Config.defaults(home);
        } catch (IOException e) {
            throw new ConfigException(new Problem(file, 0, null, "cannot read: " + e.getMessage()));
        }
        return parse(home, file, text);
    }

    /** Parses {@code text} as if read from {@code file} (the preferences dialog checks a draft this way). */
    public static Config parse(PaddockHome home, Path file, String text) throws ConfigException {
        List<Problem> problems = new ArrayList<>();
        YamlMap y = YamlMap.parse(file, text, problems);
        if (y == null) throw new ConfigException(problems);
        y.rejectUnknown(TOP_KEYS);
        Config d = Config.defaults(home);

        String server = y.string("llama-server");
        String models = y.string("models-dir");
        String presets = y.string("presets-dir");
        String host = y.string("host");
        Integer port = y.port("port", false);
        Duration health = y.duration("health-timeout");
        Duration stop = y.duration("stop-timeout");
        String defaultPreset = y.string("default-preset");
        Long logSize = y.byteSize("log-max-size");
        Integer logFiles = y.integer("log-max-files", 1, Config.MAX_LOG_FILES);
        if (health != null && health.isZero()) {
            y.problem("health-timeout", "must be more than 0");
            health = null;
        }
        if (logSize != null && logSize < 1024) {
            y.problem("log-max-size", "must be at least 1KB");
            logSize = null;
        }

        List<String> extraDirs = y.stringList("model-dirs");
        Duration drain = y.duration("drain-timeout");
        String logLevel = y.string("log-level");
        if (logLevel != null && !Config.LOG_LEVELS.contains(logLevel)) {
            y.problem(
                    "log-level",
                    "expected one of " + String.join(", ", Config.LOG_LEVELS) + ", got '" + logLevel + "'");
            logLevel = null;
        }
        String theme = y.string("theme");
        if (theme != null && !Config.THEMES.contains(theme)) {
            y.problem("theme", "expected one of " + String.join(", ", Config.THEMES) + ", got '" + theme + "'");
            theme = null;
        }

        YamlMap sources = y.child("model-sources");
        sources.rejectUnknown(SOURCE_KEYS);
        Boolean hfCache = sources.bool("huggingface-cache");
        Boolean lmStudio = sources.bool("lm-studio");
        Boolean ollama = sources.bool("ollama");

        YamlMap jmx = y.child("jmx");
        jmx.rejectUnknown(JMX_KEYS);
        Integer jmxPort = jmx.portOrOff("port");
        String jmxHost = jmx.string("host");
        String jmxPassword = jmx.string("password-file");
        String jmxAccess = jmx.string("access-file");
        Boolean jmxSsl = jmx.bool("ssl");

        YamlMap gw = y.child("gateway");
        gw.rejectUnknown(GATEWAY_KEYS);
        Integer gwPort = gw.portOrOff("port");
        String gwHost = gw.string("host");
        List<String> gwKeys = gw.stringList("api-keys");
        Long gwMaxBody = gw.byteSize("max-body");
        if (gwMaxBody != null && (gwMaxBody < 1024 || gwMaxBody > 1L << 30)) {
            gw.problem("max-body", "must be between 1KB and 1GB");
            gwMaxBody = null;
        }
        Integer gwQueue = gw.integer("queue", 1, 100_000);
        Integer gwOllama = gw.portOrOff("ollama-port");
        if (gwKeys != null) {
            for (String k : gwKeys) {
                if (k.length() < 16)
                    gw.problem(
                            "api-keys", "a key of " + k.length() + " characters is too easy to guess; use 16 or more");
            }
        }

        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new Config(
                server == null ? null : path(home, server),
                models == null ? d.modelsDir() : path(home, models),
                presets == null ? d.presetsDir() : path(home, presets),
                host == null ? d.host() : host,
                port == null ? d.port() : port,
                health == null ? d.healthTimeout() : health,
                stop == null ? d.stopTimeout() : stop,
                defaultPreset,
                logSize == null ? d.logMaxSize() : logSize,
                logFiles == null ? d.logMaxFiles() : logFiles,
                new Config.Jmx(
                        jmxPort == null ? d.jmx().port() : jmxPort,
                        jmxHost == null ? d.jmx().host() : jmxHost,
                        jmxPassword == null ? null : path(home, jmxPassword),
                        jmxAccess == null ? null : path(home, jmxAccess),
                        jmxSsl != null && jmxSsl),
                new Config.Gateway(
                        gwPort == null ? d.gateway().port() : gwPort,
                        gwHost == null ? d.gateway().host() : gwHost,
                        gwKeys == null ? List.of() : gwKeys,
                        gwMaxBody == null ? d.gateway().maxBody() : gwMaxBody,
                        gwQueue == null ? d.gateway().queue() : gwQueue,
                        gwOllama == null ? d.gateway().ollamaPort() : gwOllama),
                theme == null ? d.theme() : theme,
                extraDirs == null
                        ? List.of()
                        : extraDirs.stream().map(x -> path(home, x)).toList(),
                drain == null ? d.drainTimeout() : drain,
                logLevel == null ? d.logLevel() : logLevel,
                new Config.ModelSources(
                        hfCache == null || hfCache, lmStudio == null || lmStudio, ollama == null || ollama));
    }

    /** {@code ~} expands to the user's home; a relative path is taken relative to PADDOCK_HOME. */
    private static Path path(PaddockHome home, String p) {
        Path path = PaddockHome.Paths2.expandHome(p);
        return path.isAbsolute() ? path.normalize() : home.root().resolve(path).normalize();
    }
}
