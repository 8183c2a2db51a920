package dev.paddock.jmx;

import dev.paddock.switchboard.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.ConstructorParameters;

/**
 * The switchboard's {@link Status} as JMX shows it: one open-type CompositeData (the {@code Status} attribute), so a
 * client reads the whole snapshot in one call and never mixes two states. -1 or null where there is nothing to say.
 */
public final class StatusRow {
    private final String state;
    private final String preset;
    private final String model;
    private final String endpoint;
    private final long pid;
    private final String since;
    private final String error;
    private final String idleUnloadAt;
    private final String switching;
    private final String switchingTo;
    private final String switchingOrigin;
    private final int requestsInFlight;
    private final int queued;
    private final String presetChange;
    private final String configProblem;
    private final String[] needsRestart;
    private final double loadProgress;

    @ConstructorParameters({
        "state",
        "preset",
        "model",
        "endpoint",
        "pid",
        "since",
        "error",
        "idleUnloadAt",
        "switching",
        "switchingTo",
        "switchingOrigin",
        "requestsInFlight",
        "queued",
        "presetChange",
        "configProblem",
        "needsRestart",
        "loadProgress"
    })
    public StatusRow(
            String state,
            String preset,
            String model,
            String endpoint,
            long pid,
            String since,
            String error,
            String idleUnloadAt,
            String switching,
            String switchingTo,
            String switchingOrigin,
            int requestsInFlight,
            int queued,
            String presetChange,
            String configProblem,
            String[] needsRestart,
            double loadProgress) {
        this.state = state;
        this.preset = preset;
        this.model = model;
        this.endpoint = endpoint;
        this.pid = pid;
        this.since = since;
        this.error = error;
        this.idleUnloadAt = idleUnloadAt;
        this.switching = switching;
        this.switchingTo = switchingTo;
        this.switchingOrigin = switchingOrigin;
        this.requestsInFlight = requestsInFlight;
        this.queued = queued;
        this.presetChange = presetChange;
        this.configProblem = configProblem;
        this.needsRestart = needsRestart == null ? new String[0] : needsRestart.clone();
        this.loadProgress = loadProgress;
    }

    /** The row for a snapshot, field for field from {@link Status#fields()}. */
    public static StatusRow of(Status s) {
        Map<String, Object> f = s.fields();
        Object pid = f.get("pid");
        Object progress = f.get("load_progress");
        return new StatusRow(
                str(f, "state"),
                str(f, "preset"),
                str(f, "model"),
                str(f, "endpoint"),
                pid == null ? -1 : ((Number) pid).longValue(),
                str(f, "since"),
                str(f, "error"),
                str(f, "idle_unload_at"),
                str(f, "switching"),
                str(f, "switching_to"),
                str(f, "switching_origin"),
                ((Number) f.get("requests_in_flight")).intValue(),
                ((Number) f.get("queued")).intValue(),
                str(f, "preset_change"),
                str(f, "config_problem"),
                ((List<?>) f.get("needs_restart")).stream().map(String::valueOf).toArray(String[]::new),
                progress == null ? -1 : ((Number) progress).doubleValue());
    }

    private static String str(Map<String, Object> f, String key) {
        Object v = f.get(key);
        return v == null ? null : v.toString();
    }

    /** The same fields under the same names, in the same order, as {@link Status#fields()}: the one wire form. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state);
        m.put("preset", preset);
        m.put("model", model);
        m.put("endpoint", endpoint);
        m.put("pid", pid < 0 ? null : pid);
        m.put("since", since);
        m.put("error", error);
        m.put("idle_unload_at", idleUnloadAt);
        m.put("switching", switching);
        m.put("switching_to", switchingTo);
        m.put("switching_origin", switchingOrigin);
        m.put("requests_in_flight", requestsInFlight);
        m.put("queued", queued);
        m.put("preset_change", presetChange);
        m.put("config_problem", configProblem);
        m.put("needs_restart", List.of(needsRestart));
        m.put("load_progress", loadProgress < 0 ? null : loadProgress);
        return m;
    }

    public String getState() {
        return state;
    }

    public String getPreset() {
        return preset;
    }

    public String getModel() {
        return model;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public long getPid() {
        return pid;
    }

    public String getSince() {
        return since;
    }

    public String getError() {
        return error;
    }

    public String getIdleUnloadAt() {
        return idleUnloadAt;
    }

    public String getSwitching() {
        return switching;
    }

    public String getSwitchingTo() {
        return switchingTo;
    }

    public String getSwitchingOrigin() {
        return switchingOrigin;
    }

    public int getRequestsInFlight() {
        return requestsInFlight;
    }

    public int getQueued() {
        return queued;
    }

    public String getPresetChange() {
        return presetChange;
    }

    public String getConfigProblem() {
        return configProblem;
    }

    public String[] getNeedsRestart() {
        return needsRestart.clone();
    }

    /** How far the loading server has read its model, 0 to 1; -1 when nothing loads or it does not say. */
    public double getLoadProgress() {
        return loadProgress;
    }

    @Override
    public String toString() {
        return "StatusRow" + fields();
    }
}
