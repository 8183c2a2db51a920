package dev.paddock.jmx;

/**
 * {@code dev.paddock:type=Supervisor}: open types only, so jconsole and jmxterm work without Paddock's classes.
 * Failed operations throw plain JDK exceptions whose message starts with the error code
 * ({@code preset_not_found: no preset 'qwn' (did you mean 'qwen'?)}).
 */
public interface SupervisorMXBean {
    /** idle, loading, running, stopping or failed. */
    String getState();

    /** The preset loading, running, stopping or failed; null when idle. */
    String getPreset();

    /** The model file of that preset; null when idle. */
    String getModel();

    /** {@code http://127.0.0.1:8080} while running; null otherwise. */
    String getEndpoint();

    /** The llama-server pid, or -1 when none runs. */
    long getServerPid();

    /** When the current state began, ISO-8601 UTC. */
    String getSince();

    /** {@code code: message} while failed; null otherwise. */
    String getLastError();

    /**
     * {@code edited} or {@code deleted} when the running preset's file changed after it was loaded (the server keeps
     * running; load it again to apply); null otherwise.
     */
    String getPresetChange();

    /**
     * When the running preset will be unloaded for want of gateway requests (its {@code ttl}), ISO-8601 UTC; null
     * when it stays loaded.
     */
    String getIdleUnloadAt();

    /**
     * Everything {@code paddock status} shows, as one snapshot (state, preset, model, endpoint, pid, since, error,
     * the idle unload, a switch waiting for requests, the requests in flight, what needs a restart): read it in one
     * call rather than the attributes one by one, which may each see a different moment.
     */
    StatusRow getStatus();

    /**
     * Loads a preset or model and returns its endpoint once it is running; after the gateway's requests in flight
     * (loading what already runs does nothing).
     */
    String load(String identifier);

    /**
     * As {@link #load(String)}; with {@code force}, the gateway's requests in flight are cut (each ends with an error
     * naming this switch) instead of waited for.
     */
    String load(String identifier, boolean force);

    /** As {@link #load(String, boolean)}, naming who asks ({@code client}) in the error a cut request gets. */
    String load(String identifier, boolean force, String client);

    /** Stops the server, after the gateway's requests in flight. */
    void unload();

    /**
     * Opens one of Paddock's windows on the desktop it runs on: {@code models} (every model it can run, and the
     * hub) or {@code log} (llama.log, live). Fails when Paddock has no desktop (no display, or {@code --no-tray}).
     */
    void showWindow(String name);

    /** Stops the server; with {@code force}, cutting the gateway's requests in flight. */
    void unload(boolean force);

    String[] listPresets();

    String[] listModels();

    /**
     * The downloaded models with their GGUF headers: name, file, architecture, parameters, quant, size (bytes),
     * context (tokens); -1 or null where the header does not say.
     */
    ModelRow[] listModelDetails();
}
