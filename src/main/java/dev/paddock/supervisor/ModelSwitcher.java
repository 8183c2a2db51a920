package dev.paddock.supervisor;

import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.LocalModel;
import dev.paddock.model.ModelStore;
import dev.paddock.preset.IdentifierResolver;
import dev.paddock.preset.Preset;
import dev.paddock.preset.PresetCatalog;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every control surface (CLI over JMX, tray, gateway) asks of Paddock: load by identifier, unload, list.
 * Resolution and planning happen on the caller's thread; the decision to switch is the supervisor's.
 */
public final class ModelSwitcher {
    private final Supervisor supervisor;
    private final IdentifierResolver resolver;
    private volatile LaunchPlanner planner;
    private final Supplier<PresetCatalog> presets;
    private final ModelStore store;

    public ModelSwitcher(
            Supervisor supervisor,
            IdentifierResolver resolver,
            LaunchPlanner planner,
            Supplier<PresetCatalog> presets,
            ModelStore store) {
        this.supervisor = supervisor;
        this.resolver = resolver;
        this.planner = planner;
        this.presets = presets;
        this.store = store;
    }

    /** Plans the next loads with {@code planner} (new defaults from the preferences); what runs keeps running. */
    public void reconfigure(LaunchPlanner planner) {
        this.planner = planner;
    }

    /** The planner loads use now. */
    public LaunchPlanner planner() {
        return planner;
    }

    public Supervisor supervisor() {
        return supervisor;
    }

    /**
     * Loads {@code identifier} and waits until it runs.
     *
     * @throws PaddockException with the failure's code; a load cancelled by a later request is {@code server_failed}
     */
    public ServerState.Running load(String identifier) throws PaddockException {
        LoadResult r =
                supervisor.load(planner.plan(resolver.resolve(identifier))).join();
        if (r instanceof LoadResult.Loaded l) return l.state();
        if (r instanceof LoadResult.Failed f) throw new PaddockException(f.code(), f.message());
        throw new PaddockException(
                ErrorCode.SERVER_FAILED,
                "the load of '" + identifier + "' was cancelled: " + ((LoadResult.Cancelled) r).reason());
    }

    /** What loading {@code preset} would run (the preset editor's live command line); runs nothing. */
    public LaunchSpec plan(Preset preset) throws PaddockException {
        return planner.plan(resolver.resolve(preset));
    }

    public void unload() {
        supervisor.unload().join();
    }

    /**
     * How the running (or loading) preset's file differs from the one that was launched: null when it is the same
     * or the server was not started from a file, {@code "edited"} or {@code "deleted"}. The server keeps running
     * either way; loading the preset again applies the edit.
     */
    public String presetChange() {
        ServerState s = supervisor.state();
        LaunchSpec spec =
                s instanceof ServerState.Running r ? r.spec() : s instanceof ServerState.Loading l ? l.spec() : null;
        if (spec == null || spec.preset().source() == null) return null;
        Optional<Preset> now = presets.get().byName(spec.presetName());
        if (now.isEmpty()) return "deleted";
        return now.get().equals(spec.preset()) ? null : "edited";
    }

    public List<Preset> presets() {
        return presets.get().presets();
    }

    public List<String> presetNames() {
        return presets.get().presets().stream().map(Preset::name).toList();
    }

    /** The downloaded models with what their headers say (null info for a file that cannot be read). */
    public List<ModelDetails> models() {
        return store.list().stream().map(ModelDetails::of).toList();
    }

    public List<String> modelNames() {
        return store.list().stream().map(LocalModel::displayName).toList();
    }
}
