package dev.paddock.supervisor;

import dev.paddock.core.ErrorCode;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * The one llama-server process the supervisor owns (or adopted). Confined to the supervisor loop, except
 * {@link #probing}, which the health-probe thread reads.
 */
final class ServerChild {
    enum Phase {
        LOADING,
        RUNNING,
        STOPPING
    }

    /** Why a stop was begun when it ends in {@code failed} rather than idle or the next load. */
    record Failure(ErrorCode code, String message) {}

    final long generation;
    final LaunchSpec spec;
    final ProcessHandle handle;
    /** Null for an adopted server: its output went to a pipe that died with the previous app. */
    final OutputPump pump;

    Phase phase;
    ScheduledFuture<?> timer;
    ScheduledFuture<?> resignal;
    Failure failOnExit;
    List<ProcessHandle> descendantsAtStop = List.of();
    volatile boolean probing;
    /** Whether the server has said {@code model loaded} (written by the output pump's thread). */
    volatile boolean saidLoaded;

    Double progress; // loop: the load's progress as the server last reported it, or null
    CommandChannel commands = CommandChannel.NONE; // loop: where a router child reads its commands

    ServerChild(long generation, LaunchSpec spec, ProcessHandle handle, OutputPump pump, Phase phase) {
        this.generation = generation;
        this.spec = spec;
        this.handle = handle;
        this.pump = pump;
        this.phase = phase;
    }

    List<String> tail() {
        return pump == null ? List.of() : pump.tail();
    }

    void cancelTimer() {
        if (timer != null) timer.cancel(false);
        if (resignal != null) resignal.cancel(false);
        timer = null;
        resignal = null;
    }
}
