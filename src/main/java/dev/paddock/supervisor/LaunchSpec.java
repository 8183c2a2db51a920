package dev.paddock.supervisor;

import dev.paddock.preset.Preset;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exactly what one llama-server launch runs: its settings, the command line they make, and the timeouts.
 *
 * <p>A preset with {@code port: auto} is planned with port 0: the supervisor picks a free port when it spawns the
 * server ({@link #bind}), so planning the same preset twice gives the same launch and loading what runs is a
 * no-op.
 *
 * @param preset the preset it was planned from (for names, alias and ttl)
 * @param settings what makes the server what it is; two launches with equal settings are the same server
 * @param port the port it listens on; 0 until an automatic port is bound
 * @param command the command line; its port is {@code 0} until an automatic port is bound
 */
public record LaunchSpec(
        Preset preset,
        Settings settings,
        int port,
        List<String> command,
        Duration healthTimeout,
        Duration stopTimeout) {

    public LaunchSpec {
        if (preset == null || settings == null) throw new IllegalArgumentException("preset/settings is null");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (command == null || command.isEmpty()) throw new IllegalArgumentException("command is empty");
        command = List.copyOf(command);
    }

    /** A launch of {@code settings}, its port still to be chosen when {@code port: auto}. */
    public static LaunchSpec of(Preset preset, Settings settings, Duration healthTimeout, Duration stopTimeout) {
        int port = settings.port() == null ? 0 : settings.port();
        return new LaunchSpec(preset, settings, port, settings.command(port), healthTimeout, stopTimeout);
    }

    /**
     * The effective configuration of a server: the preset's settings with the config's defaults filled in and its
     * model resolved to a file. Everything here reaches llama-server's command line or environment.
     *
     * @param port null for {@code port: auto} (a free port chosen at spawn)
     * @param env variables added to Paddock's own environment (a preset's {@code --api-key} is among them)
     */
    public record Settings(
            Path binary,
            Path model,
            String host,
            Integer port,
            Integer contextSize,
            Integer gpuLayers,
            Integer threads,
            String alias,
            List<String> args,
            Map<String, String> env) {
        public Settings {
            if (binary == null || model == null) throw new IllegalArgumentException("binary/model is null");
            if (host == null || host.isBlank()) throw new IllegalArgumentException("host is blank");
            args = args == null ? List.of() : List.copyOf(args);
            env = env == null ? Map.of() : Map.copyOf(env);
        }

        /** {@code llama-server -m MODEL --host H --port P [-c N] [-ngl N] [-t N] [-a ALIAS] ARGS…}. */
        public List<String> command(int boundPort) {
            List<String> cmd = new ArrayList<>();
            cmd.add(binary.toString());
            add(cmd, "-m", model.toString());
            add(cmd, "--host", host);
            add(cmd, "--port", Integer.toString(boundPort));
            if (contextSize != null) add(cmd, "-c", contextSize.toString());
            if (gpuLayers != null) add(cmd, "-ngl", gpuLayers.toString());
            if (threads != null) add(cmd, "-t", threads.toString());
            if (alias != null) add(cmd, "-a", alias);
            cmd.addAll(args);
            return cmd;
        }

        private static void add(List<String> cmd, String flag, String value) {
            cmd.add(flag);
            cmd.add(value);
        }
    }

    /** This launch on {@code chosen}, the free port picked for a {@code port: auto} preset. */
    public LaunchSpec bind(int chosen) {
        if (settings.port() != null) return this;
        return new LaunchSpec(preset, settings, chosen, settings.command(chosen), healthTimeout, stopTimeout);
    }

    /** Whether the port is still to be chosen. */
    public boolean unbound() {
        return port == 0;
    }

    public String presetName() {
        return preset.name();
    }

    public Path model() {
        return settings.model();
    }

    public String host() {
        return settings.host();
    }

    public Map<String, String> env() {
        return settings.env();
    }

    public Path binary() {
        return settings.binary();
    }

    /** Where clients reach the server, as configured: {@code http://127.0.0.1:8080}. */
    public URI endpoint() {
        String h = host().contains(":") ? "[" + host() + "]" : host();
        return URI.create("http://" + h + ":" + port);
    }

    /** The address Paddock itself probes: a wildcard bind is reached on loopback. */
    public String probeHost() {
        String host = host();
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
    }

    /** The command line as one line a shell accepts (arguments quoted where they need it). */
    public String commandLine() {
        return String.join(" ", command.stream().map(LaunchSpec::shellQuote).toList());
    }

    /** Quoted for a POSIX shell when it needs to be. */
    public static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * True when both are the same server: the same preset with equal settings. This is the one test of "the same
     * model" — loading what already runs is a no-op — whoever asks, by whichever name, and whatever port an
     * automatic port turned out to be. Two presets with the same settings are still two presets: a person who picks
     * the other one sees it run.
     */
    public boolean sameLaunchAs(LaunchSpec other) {
        return other != null && presetName().equals(other.presetName()) && settings.equals(other.settings);
    }
}
