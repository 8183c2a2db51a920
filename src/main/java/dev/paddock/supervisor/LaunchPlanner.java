package dev.paddock.supervisor;

import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.preset.Preset;
import dev.paddock.preset.ResolvedPreset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Turns a resolved preset and the config into the llama-server command line that will run. */
public final class LaunchPlanner {
    private final Supplier<Config> config;
    private final String pathVariable;

    /** A planner for one fixed configuration (the CLI's dry run, tests). */
    public LaunchPlanner(Config config, String pathVariable) {
        this(() -> config, pathVariable);
    }

    /**
     * @param config read at every plan, so a changed {@code config.yaml} applies to the next load
     * @param pathVariable the PATH searched for {@code llama-server} when neither preset nor config names one
     */
    public LaunchPlanner(Supplier<Config> config, String pathVariable) {
        this.config = config;
        this.pathVariable = pathVariable == null ? "" : pathVariable;
    }

    /** Where llama-server reads its API keys (comma-separated) from; a preset's {@code --api-key} goes here. */
    public static final String API_KEY_ENV = "LLAMA_API_KEY";

    /** Environment variables whose values are secrets: never printed or logged. */
    public static boolean isSecret(String envName) {
        String n = envName.toUpperCase(java.util.Locale.ROOT);
        return n.contains("KEY") || n.contains("TOKEN") || n.contains("SECRET") || n.contains("PASSWORD");
    }

    public LaunchSpec plan(ResolvedPreset resolved) throws PaddockException {
        Config config = this.config.get();
        Preset p = resolved.preset();
        Path binary = binaryFor(p, config);
        String host = p.host() != null ? p.host() : config.host();
        Integer port = p.port() == null ? Integer.valueOf(config.port()) : p.port() == 0 ? null : p.port();
        Map<String, String> env = new java.util.HashMap<>(p.env());
        List<String> args = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < p.args().size(); i++) {
            String a = p.args().get(i);
            if (a.equals("--api-key") && i + 1 < p.args().size())
                keys.add(p.args().get(++i));
            else if (a.startsWith("--api-key=")) keys.add(a.substring("--api-key=".length()));
            else args.add(a);
        }
        // a key on the command line is readable by every user (/proc/PID/cmdline); the environment is not
        if (!keys.isEmpty())
            env.merge(API_KEY_ENV, String.join(",", keys), (given, fromArgs) -> given + "," + fromArgs);
        LaunchSpec.Settings settings = new LaunchSpec.Settings(
                binary,
                resolved.modelFile(),
                host,
                port,
                p.contextSize(),
                p.gpuLayers(),
                p.threads(),
                p.alias(),
                args,
                env);
        return LaunchSpec.of(
                p,
                settings,
                p.healthTimeout() != null ? p.healthTimeout() : config.healthTimeout(),
                config.stopTimeout());
    }

    /**
     * Why a load would find no llama-server (a preset that names none: config.yaml's, else one on PATH); empty when
     * it would find one. What start, the daemon's log and the tray's "Install llama-server…" go by.
     */
    public java.util.Optional<String> whyNoServer() {
        try {
            binaryFor(Preset.forModel("start", "f:/dev/null"));
            return java.util.Optional.empty();
        } catch (PaddockException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /** The preset's binary, else the config's, else {@code llama-server} on PATH. */
    public Path binaryFor(Preset p) throws PaddockException {
        return binaryFor(p, config.get());
    }

    private Path binaryFor(Preset p, Config config) throws PaddockException {
        Path configured = p.llamaServer() != null ? p.llamaServer() : config.llamaServer();
        if (configured != null) {
            if (Files.isRegularFile(configured) && Files.isExecutable(configured)) return configured.toAbsolutePath();
            String from = p.llamaServer() != null ? "preset '" + p.name() + "' (" + p.source() + ")" : "config.yaml";
            throw new PaddockException(
                    ErrorCode.SERVER_NOT_FOUND,
                    "llama-server " + configured + " named in " + from
                            + " is not an executable file; fix 'llama-server:' there, or install llama.cpp's release"
                            + " build with `paddock install-server`");
        }
        return PaddockHome.Paths2.onPath("llama-server", pathVariable)
                .orElseThrow(() -> new PaddockException(
                        ErrorCode.SERVER_NOT_FOUND,
                        "no llama-server on PATH; `paddock install-server` installs llama.cpp's release build"
                                + " (or set 'llama-server: /path/to/llama-server' in config.yaml)"));
    }
}
