package dev.paddock.testing;

import dev.paddock.preset.Preset;
import dev.paddock.supervisor.LaunchSpec;
import dev.paddock.supervisor.LlamaLog;
import dev.paddock.supervisor.ServerRecordStore;
import dev.paddock.supervisor.ServerState;
import dev.paddock.supervisor.Supervisor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A supervisor writing into a temp dir, recording every transition it announces. */
public final class SupervisorFixture implements AutoCloseable {
    public final Path dir;
    public final LlamaLog llamaLog;
    public final ServerRecordStore records;
    public final Supervisor supervisor;
    private final List<String> transitions = new ArrayList<>();

    public SupervisorFixture(Path dir) {
        this(dir, 50L << 20, 3);
    }

    public SupervisorFixture(Path dir, long logMaxSize, int logMaxFiles) {
        this.dir = dir;
        this.llamaLog = new LlamaLog(dir.resolve("logs/llama.log"), logMaxSize, logMaxFiles);
        this.records = new ServerRecordStore(dir.resolve("server.json"));
        this.supervisor = new Supervisor(llamaLog, records, Clock.systemUTC());
        supervisor.addListener((from, to) -> {
            synchronized (transitions) {
                transitions.add(to.name());
            }
        });
    }

    /** The state names entered so far, in order (the initial idle is not a transition). */
    public List<String> transitions() {
        synchronized (transitions) {
            return List.copyOf(transitions);
        }
    }

    public ServerState state() {
        return supervisor.state();
    }

    /** A launch of {@code binary} on {@code model} at 127.0.0.1:{@code port}. */
    public static LaunchSpec spec(
            String name, Path binary, Path model, int port, Duration stopTimeout, String... args) {
        return spec(name, binary, model, port, stopTimeout, Duration.ofSeconds(60), args);
    }

    public static LaunchSpec spec(
            String name,
            Path binary,
            Path model,
            int port,
            Duration stopTimeout,
            Duration healthTimeout,
            String... args) {
        Preset p = new Preset(
                name,
                null,
                "f:" + model,
                "127.0.0.1",
                port,
                null,
                null,
                null,
                null,
                List.of(args),
                null,
                binary,
                healthTimeout,
                null,
                null,
                0);
        LaunchSpec.Settings settings = new LaunchSpec.Settings(
                binary, model, "127.0.0.1", port, null, null, null, null, List.of(args), Map.of());
        return LaunchSpec.of(p, settings, healthTimeout, stopTimeout);
    }

    @Override
    public void close() {
        supervisor.close();
        llamaLog.close();
    }
}
