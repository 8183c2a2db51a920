package dev.paddock.supervisor;

import dev.paddock.core.ErrorCode;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * What the supervisor is doing, as an immutable snapshot. {@code idle → loading → running → stopping → idle},
 * and {@code failed} when a server exited or never became healthy.
 */
public sealed interface ServerState {
    /** The wire name: idle, loading, running, stopping or failed. */
    String name();

    /** When this state began. */
    Instant since();

    /** No llama-server runs. */
    record Idle(Instant since) implements ServerState {
        public String name() {
            return "idle";
        }
    }

    /** A llama-server process runs and is not healthy yet. */
    record Loading(LaunchSpec spec, long pid, Instant since) implements ServerState {
        public String name() {
            return "loading";
        }
    }

    /** A llama-server answers 200 on {@code /health} at {@code endpoint}. */
    record Running(LaunchSpec spec, URI endpoint, long pid, Instant since) implements ServerState {
        public String name() {
            return "running";
        }
    }

    /** The server was asked to exit (SIGTERM) and has not yet. */
    record Stopping(LaunchSpec spec, long pid, Instant since) implements ServerState {
        public String name() {
            return "stopping";
        }
    }

    /**
     * The last launch failed: the server exited on its own, never became healthy, or could not be started.
     *
     * @param exitCode the server's exit code, or -1 when it never ran or its code is unknown
     * @param lastLines the last lines it wrote to llama.log
     */
    record Failed(LaunchSpec spec, ErrorCode code, String message, int exitCode, List<String> lastLines, Instant since)
            implements ServerState {
        public Failed {
            lastLines = List.copyOf(lastLines);
        }

        public String name() {
            return "failed";
        }
    }
}
