package dev.paddock.supervisor;

import dev.paddock.preset.Preset;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the resident app has running, kept in {@code server.json} so that the next start after a crash or kill
 * of the app can adopt the server (still healthy) or end it (anything else), and never leave an orphan.
 *
 * @param processStart the process's start time as the OS reports it, to tell it from a later process that
 *     reuses the pid; null when the OS does not say
 * @param settings the launch's settings, so that loading the same preset again adopts rather than restarts it;
 *     null in a record written before Paddock kept them
 */
public record ServerRecord(
        long pid,
        Instant processStart,
        String preset,
        String model,
        String host,
        int port,
        List<String> command,
        Map<String, String> env,
        long healthTimeoutMs,
        long stopTimeoutMs,
        LaunchSpec.Settings settings) {

    public ServerRecord {
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    static ServerRecord of(LaunchSpec spec, ProcessHandle process) {
        return new ServerRecord(
                process.pid(),
                process.info().startInstant().orElse(null),
                spec.presetName(),
                spec.model().toString(),
                spec.host(),
                spec.port(),
                spec.command(),
                spec.env(),
                spec.healthTimeout().toMillis(),
                spec.stopTimeout().toMillis(),
                spec.settings());
    }

    /** The launch this record describes, attached to {@code preset} (the current one of that name, if any). */
    LaunchSpec toSpec(Preset preset) {
        // an old record: settings that match no plan, so the next load of its preset starts afresh
        LaunchSpec.Settings s = settings != null
                ? settings
                : new LaunchSpec.Settings(
                        Path.of(command.get(0)),
                        Path.of(model),
                        host,
                        port,
                        null,
                        null,
                        null,
                        null,
                        command.subList(1, command.size()),
                        env);
        return new LaunchSpec(
                preset, s, port, command, Duration.ofMillis(healthTimeoutMs), Duration.ofMillis(stopTimeoutMs));
    }

    /** The live process this record names, if it is still the same process (same pid and start time). */
    java.util.Optional<ProcessHandle> liveProcess() {
        return ProcessHandle.of(pid)
                .filter(ProcessTree::running)
                .filter(p -> processStart == null
                        || p.info().startInstant().map(processStart::equals).orElse(true));
    }
}
