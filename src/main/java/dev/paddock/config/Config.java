package dev.paddock.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The user's {@code config.yaml}, validated. Every field has a default, so a missing file is a valid config.
 *
 * @param llamaServer the llama-server binary, or null to look for {@code llama-server} on PATH
 * @param defaultPreset the preset loaded when the app starts, or null
 * @param logMaxFiles how many rotated files ({@code llama.log.1} …) are kept beside the live one
 * @param theme the windows' look: {@code system} (follow the desktop), {@code light} or {@code dark}
 * @param extraModelDirs folders of GGUF files used in place ({@code model-dirs}); never copied or deleted
 * @param drainTimeout how long a switch waits for the gateway's requests in flight before it cuts them
 * @param logLevel the level of Paddock's own log ({@code daemon.log}): error, warn, info, debug or trace
 * @param modelSources which other tools' models are found and used in place ({@code model-sources})
 */
public record Config(
        Path llamaServer,
        Path modelsDir,
        Path presetsDir,
        String host,
        int port,
        Duration healthTimeout,
        Duration stopTimeout,
        String defaultPreset,
        long logMaxSize,
        int logMaxFiles,
        Jmx jmx,
        Gateway gateway,
        String theme,
        java.util.List<Path> extraModelDirs,
        Duration drainTimeout,
        String logLevel,
        ModelSources modelSources) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(300);
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(5);
    /** The values of {@code log-level}. */
    public static final java.util.List<String> LOG_LEVELS =
            java.util.List.of("error", "warn", "info", "debug", "trace");

    public static final long DEFAULT_LOG_MAX_SIZE = 50L << 20;
    public static final int DEFAULT_LOG_MAX_FILES = 3;
    /** Logback's fixed-window rotation keeps at most this many archives. */
    public static final int MAX_LOG_FILES = 20;

    public Config {
        if (modelsDir == null || presetsDir == null)
            throw new IllegalArgumentException("models-dir/presets-dir is null");
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is blank");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (healthTimeout.isNegative() || healthTimeout.isZero())
            throw new IllegalArgumentException("health-timeout <= 0");
        if (stopTimeout.isNegative()) throw new IllegalArgumentException("stop-timeout < 0");
        if (logMaxSize < 1024) throw new IllegalArgumentException("log-max-size < 1KB: " + logMaxSize);
        if (logMaxFiles < 1 || logMaxFiles > MAX_LOG_FILES)
            throw new IllegalArgumentException("log-max-files: " + logMaxFiles);
        if (jmx == null || gateway == null) throw new IllegalArgumentException("jmx/gateway is null");
        if (!THEMES.contains(theme)) throw new IllegalArgumentException("theme: " + theme);
        extraModelDirs = extraModelDirs == null ? java.util.List.of() : java.util.List.copyOf(extraModelDirs);
        if (drainTimeout == null || drainTimeout.isNegative())
            throw new IllegalArgumentException("drain-timeout < 0: " + drainTimeout);
        if (!LOG_LEVELS.contains(logLevel)) throw new IllegalArgumentException("log-level: " + logLevel);
        if (modelSources == null) throw new IllegalArgumentException("model-sources is null");
    }

    /**
     * Which other tools' downloads Paddock finds and uses in place; each on unless turned off.
     *
     * @param huggingfaceCache the Hugging Face cache, which llama.cpp's {@code -hf} uses too (and llama.cpp's older
     *     flat cache)
     */
    public record ModelSources(boolean huggingfaceCache, boolean lmStudio, boolean ollama) {
        public static final ModelSources ALL = new ModelSources(true, true, true);
        public static final ModelSources NONE = new ModelSources(false, false, false);
    }

    /** The values of {@code theme}. */
    public static final java.util.List<String> THEMES = java.util.List.of("system", "light", "dark");

    /** The configuration used when {@code config.yaml} does not exist. */
    public static Config defaults(PaddockHome home) {
        return new Config(
                null,
                home.defaultModelsDir(),
                home.defaultPresetsDir(),
                DEFAULT_HOST,
                DEFAULT_PORT,
                DEFAULT_HEALTH_TIMEOUT,
                DEFAULT_STOP_TIMEOUT,
                null,
                DEFAULT_LOG_MAX_SIZE,
                DEFAULT_LOG_MAX_FILES,
                new Jmx(7234, DEFAULT_HOST, null, null, false),
                new Gateway(
                        7233, DEFAULT_HOST, java.util.List.of(), Gateway.DEFAULT_MAX_BODY, Gateway.DEFAULT_QUEUE, 0),
                "system",
                java.util.List.of(),
                DEFAULT_DRAIN_TIMEOUT,
                "info",
                ModelSources.ALL);
    }

    /** The JMX connector; port 0 = no remote connector (local attach still works). */
    public record Jmx(int port, String host, Path passwordFile, Path accessFile, boolean ssl) {
        public Jmx {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("jmx.port out of range: " + port);
            if (host == null || host.isBlank()) throw new IllegalArgumentException("jmx.host is blank");
        }
    }

    /**
     * The OpenAI-compatible gateway; port 0 = off.
     *
     * @param apiKeys the keys a client must send as {@code Authorization: Bearer KEY}; empty = none needed
     * @param maxBody the largest request body accepted (bytes); larger ones are answered 413
     * @param queue how many requests may wait behind a switch; more are answered 503 with Retry-After
     */
    /** @param ollamaPort a second listener for tools that cannot change their URL from Ollama's; 0 = none */
    public record Gateway(
            int port, String host, java.util.List<String> apiKeys, long maxBody, int queue, int ollamaPort) {
        public static final long DEFAULT_MAX_BODY = 32L << 20;
        public static final int DEFAULT_QUEUE = 256;

        public Gateway {
            if (maxBody < 1024 || maxBody > Integer.MAX_VALUE - 8)
                throw new IllegalArgumentException("gateway.max-body out of range: " + maxBody);
            if (queue < 1) throw new IllegalArgumentException("gateway.queue must be at least 1: " + queue);
            if (port < 0 || port > 65535) throw new IllegalArgumentException("gateway.port out of range: " + port);
            if (ollamaPort < 0 || ollamaPort > 65535)
                throw new IllegalArgumentException("gateway.ollama-port out of range: " + ollamaPort);
            if (host == null || host.isBlank()) throw new IllegalArgumentException("gateway.host is blank");
            apiKeys = apiKeys == null ? java.util.List.of() : java.util.List.copyOf(apiKeys);
        }
    }

    /**
     * This configuration with the settings that apply only at start ({@link #restartOnlyDifferences}) taken from
     * {@code started}: what a running Paddock uses after {@code config.yaml} changed.
     */
    public Config keepingStartOnlySettingsOf(Config started) {
        return new Config(
                llamaServer,
                started.modelsDir,
                started.presetsDir,
                host,
                port,
                healthTimeout,
                stopTimeout,
                defaultPreset,
                logMaxSize,
                logMaxFiles,
                started.jmx,
                new Gateway(
                        started.gateway.port(),
                        started.gateway.host(),
                        gateway.apiKeys(),
                        gateway.maxBody(),
                        gateway.queue(),
                        started.gateway.ollamaPort()),
                theme,
                started.extraModelDirs,
                drainTimeout,
                logLevel,
                started.modelSources);
    }

    /**
     * The keys whose values differ between the two and that a running Paddock cannot change: the folders, the JMX
     * connector and where the gateway listens.
     */
    public java.util.List<String> restartOnlyDifferences(Config other) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        if (!modelsDir.equals(other.modelsDir)) keys.add("models-dir");
        if (!presetsDir.equals(other.presetsDir)) keys.add("presets-dir");
        if (!extraModelDirs.equals(other.extraModelDirs)) keys.add("model-dirs");
        if (!modelSources.equals(other.modelSources)) keys.add("model-sources");
        if (gateway.ollamaPort() != other.gateway.ollamaPort()) keys.add("gateway.ollama-port");
        if (jmx.port() != other.jmx.port()) keys.add("jmx.port");
        if (!jmx.host().equals(other.jmx.host())) keys.add("jmx.host");
        if (!java.util.Objects.equals(jmx.passwordFile(), other.jmx.passwordFile())) keys.add("jmx.password-file");
        if (!java.util.Objects.equals(jmx.accessFile(), other.jmx.accessFile())) keys.add("jmx.access-file");
        if (jmx.ssl() != other.jmx.ssl()) keys.add("jmx.ssl");
        if (gateway.port() != other.gateway.port()) keys.add("gateway.port");
        if (!gateway.host().equals(other.gateway.host())) keys.add("gateway.host");
        return keys;
    }
}
