package dev.paddock.switchboard;

import dev.paddock.supervisor.ServerState;
import dev.paddock.supervisor.StateView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@code paddock status} shows, as one immutable snapshot: the switchboard publishes a new one
 * atomically at every change, so a reader never sees half of one state and half of the next. The CLI (through JMX's
 * {@code Status} attribute), the gateway's {@code /paddock/status} and {@code /paddock/events}, and the tray all show
 * this one object.
 *
 * @param server the supervisor's state
 * @param idleUnloadAt when the running preset will be unloaded for want of requests (its {@code ttl}); null when not
 *     planned
 * @param pending a switch waiting for the requests in flight; null when none waits
 * @param inFlight gateway requests being served now
 * @param queued gateway requests waiting behind a switch
 * @param presetChange {@code edited} or {@code deleted} when the running preset's file changed since it was loaded;
 *     else null
 * @param configProblem why the last edit of {@code config.yaml} was not applied (file:line and what to fix); null
 *     when the file on disk is the configuration in use
 * @param needsRestart the settings changed in {@code config.yaml} that apply only when Paddock starts again
 * @param loadProgress how far the loading server has read its model (0 to 1, over every file it loads) as it last
 *     reported; null when nothing loads or the server does not report it
 */
public record Status(
        ServerState server,
        Instant idleUnloadAt,
        PendingSwitch pending,
        int inFlight,
        int queued,
        String presetChange,
        String configProblem,
        List<String> needsRestart,
        Double loadProgress) {

    public Status {
        Objects.requireNonNull(server, "server");
        needsRestart = needsRestart == null ? List.of() : List.copyOf(needsRestart);
    }

    /** A snapshot of {@code server} with nothing else to say (no switch waiting, no request in flight). */
    public static Status of(ServerState server) {
        return new Status(server, null, null, 0, 0, null, null, List.of(), null);
    }

    public StateView view() {
        return StateView.of(server);
    }

    /** idle, loading, running, stopping or failed. */
    public String state() {
        return server.name();
    }

    /** A new server state; a load's progress stays only while the same process still loads. */
    Status withServer(ServerState s) {
        Double progress =
                s instanceof ServerState.Loading l && server instanceof ServerState.Loading was && l.pid() == was.pid()
                        ? loadProgress
                        : null;
        return new Status(
                s, idleUnloadAt, pending, inFlight, queued, presetChange, configProblem, needsRestart, progress);
    }

    /** The progress {@code pid} reported, if that process is still the one loading. */
    Status withLoadProgress(long pid, double progress) {
        if (!(server instanceof ServerState.Loading l) || l.pid() != pid) return this;
        return new Status(
                server, idleUnloadAt, pending, inFlight, queued, presetChange, configProblem, needsRestart, progress);
    }

    Status withIdleUnloadAt(Instant at) {
        return new Status(
                server, at, pending, inFlight, queued, presetChange, configProblem, needsRestart, loadProgress);
    }

    Status withGate(PendingSwitch p, int inFlight, int queued) {
        return new Status(
                server, idleUnloadAt, p, inFlight, queued, presetChange, configProblem, needsRestart, loadProgress);
    }

    Status withPresetChange(String change) {
        return new Status(
                server, idleUnloadAt, pending, inFlight, queued, change, configProblem, needsRestart, loadProgress);
    }

    Status withConfig(String problem, List<String> restart) {
        return new Status(
                server, idleUnloadAt, pending, inFlight, queued, presetChange, problem, restart, loadProgress);
    }

    /**
     * Whether a person would see a difference: anything but the request counts, which change with every request
     * (the counts a pending switch waits for are in {@link #pending}, and do show).
     */
    public boolean showsDifferentlyFrom(Status other) {
        return other == null
                || !server.equals(other.server)
                || !Objects.equals(idleUnloadAt, other.idleUnloadAt)
                || !Objects.equals(pending, other.pending)
                || !Objects.equals(presetChange, other.presetChange)
                || !Objects.equals(configProblem, other.configProblem)
                || !needsRestart.equals(other.needsRestart)
                || !Objects.equals(loadProgress, other.loadProgress);
    }

    /**
     * The one wire form, in order: {@code status --json}, {@code /paddock/status}, the data of {@code event: state},
     * and (field by field) JMX's {@code Status} composite. Values are strings, numbers, booleans, lists or null.
     */
    public Map<String, Object> fields() {
        StateView v = view();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", v.state());
        m.put("preset", v.preset());
        m.put("model", v.model());
        m.put("endpoint", v.endpoint());
        m.put("pid", v.pid() < 0 ? null : v.pid());
        m.put("since", v.since());
        m.put("error", v.error());
        m.put("idle_unload_at", idleUnloadAt == null ? null : idleUnloadAt.toString());
        m.put("switching", pending == null ? null : pending.describe());
        m.put("switching_to", pending == null ? null : pending.to());
        m.put("switching_origin", pending == null ? null : pending.origin());
        m.put("requests_in_flight", inFlight);
        m.put("queued", queued);
        m.put("preset_change", presetChange);
        m.put("config_problem", configProblem);
        m.put("needs_restart", needsRestart);
        m.put("load_progress", loadProgress);
        return m;
    }
}
