package dev.paddock.supervisor;

import dev.paddock.preset.Preset;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Exactly what one llama-server launch runs: the command line, the extra environment and the timeouts.
 *
 * @param preset the preset it was planned from (for names, alias and ttl)
 * @param env variables added to Paddock's own environment
 */
public record LaunchSpec(
        Preset preset,
        Path model,
        String host,
        int port,
        List<String> command,
        Map<String, String> env,
        Duration healthTimeout,
        Duration stopTimeout) {

    public LaunchSpec {
        if (preset == null || model == null) throw new IllegalArgumentException("preset/model is null");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (command == null || command.isEmpty()) throw new IllegalArgumentException("command is empty");
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    public String presetName() {
        return preset.name();
    }

    public Path binary() {
        return Path.of(command.get(0));
    }

    /** Where clients reach the server, as configured: {@code http://127.0.0.1:8080}. */
    public URI endpoint() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port);
    }

    /** The address Paddock itself probes: a wildcard bind is reached on loopback. */
    public String probeHost() {
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

    /** True when both would run the same process: a load of what already runs is then a no-op. */
    public boolean sameLaunchAs(LaunchSpec other) {
        return other != null && command.equals(other.command) && env.equals(other.env);
    }
}
