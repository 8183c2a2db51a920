package dev.paddock.switchboard;

import dev.paddock.config.Config;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.LocalModel;
import dev.paddock.model.ModelStore;
import dev.paddock.preset.IdentifierResolver;
import dev.paddock.preset.Preset;
import dev.paddock.preset.PresetCatalog;
import dev.paddock.supervisor.LaunchPlanner;
import dev.paddock.supervisor.LaunchSpec;
import dev.paddock.supervisor.ModelDetails;
import dev.paddock.supervisor.ServerState;
import dev.paddock.supervisor.Supervisor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The one switching authority. Every surface — the tray, the CLI and JMX, the gateway's requests and
 * {@code /paddock/load}, the idle ttl, the default preset at start — names what it wants here, in the same words
 * (one {@link IdentifierResolver}), and only here is it decided whether and when to switch: loading what already
 * runs (the same settings) is a no-op; otherwise the switch waits for the gateway's requests in flight (at most
 * {@code drain-timeout}) unless forced, and new requests queue behind it. What everyone shows is the one
 * {@link Status} snapshot published here.
 */
public final class Switchboard implements AutoCloseable {
    private final Supervisor supervisor;
    private final IdentifierResolver resolver;
    private final LaunchPlanner planner;
    private final Supplier<PresetCatalog> presets;
    private final ModelStore store;
    private final Supplier<Config> config;
    private final StatusBoard board;
    private final Gate gate;
    private final List<java.util.function.Consumer<LaunchSpec>> stopping =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "paddock-switchboard-timers");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param presets and {@code config} are read at every use: a reloaded catalog or configuration applies to the
     *     next switch
     */
    public Switchboard(
            Supervisor supervisor,
            IdentifierResolver resolver,
            LaunchPlanner planner,
            Supplier<PresetCatalog> presets,
            ModelStore store,
            Supplier<Config> config,
            Clock clock) {
        this.supervisor = supervisor;
        this.resolver = resolver;
        this.planner = planner;
        this.presets = presets;
        this.store = store;
        this.config = config;
        this.board = new StatusBoard(Status.of(supervisor.state()));
        this.gate = new Gate(
                supervisor,
                board,
                () -> config.get().drainTimeout(),
                () -> config.get().gateway().queue(),
                timers,
                clock);
        // the snapshot follows the supervisor inside its publication: whoever a load answers sees its state here
        supervisor.observeInline(
                (from, to) -> board.update(s -> s.withServer(to).withPresetChange(presetChange(to))));
        supervisor.observeProgress((pid, value) -> board.update(s -> s.withLoadProgress(pid, value)));
        supervisor.beforeStopping(spec -> stopping.forEach(h -> h.accept(spec)));
        supervisor.addListener((from, to) -> gate.serverChanged(to));
    }

    /** The current snapshot. Lock-free; never waits for a load or stop. */
    public Status status() {
        return board.get();
    }

    public void addListener(StatusListener l) {
        board.addListener(l);
    }

    public void removeListener(StatusListener l) {
        board.removeListener(l);
    }

    /** Told of every switch to a server that finished, with how long it took (the old server's stop included). */
    public void onSwitched(SwitchListener l) {
        gate.onSwitched(l);
    }

    /**
     * Loads {@code identifier} and waits until it runs: at once when it already runs with the same settings; else
     * after the gateway's requests in flight, or at once cutting them when {@code force}.
     *
     * @throws PaddockException with the failure's code; a load superseded by a later switch is {@code server_failed}
     */
    public ServerState.Running load(String identifier, boolean force, Origin origin) throws PaddockException {
        LaunchSpec spec = planner.plan(resolver.resolve(identifier));
        Outcome o = gate.ask(new Target.Launch(spec), force, origin).join();
        if (o instanceof Outcome.Done d && d.state() instanceof ServerState.Running r) return r;
        if (o instanceof Outcome.Failed f) throw new PaddockException(f.code(), f.message());
        String why = o instanceof Outcome.Cancelled c ? c.reason() : "it stopped: " + ((Outcome.Done) o).state();
        throw new PaddockException(ErrorCode.SERVER_FAILED, "the load of '" + identifier + "' was cancelled: " + why);
    }

    /** Stops the server, after the requests in flight unless {@code force}; returns once it is gone (or superseded). */
    public void unload(boolean force, Origin origin) {
        gate.ask(new Target.Nothing(), force, origin).join();
    }

    /** Makes a switch that waits for the requests in flight go now, cutting them (the tray's "Switch now"). */
    public void forcePending(Origin by) {
        gate.forcePending(by);
    }

    /**
     * Admits a gateway request naming {@code model} (any identifier; null: whatever runs, else the default preset),
     * switching first when it names another server.
     *
     * @throws PaddockException {@code preset_not_found} and friends when the name means nothing, or the error of the
     *     switch it needed
     * @throws QueueFull when {@code gateway.queue} requests already wait
     */
    public Pass admit(String model, Origin origin) throws PaddockException, QueueFull, InterruptedException {
        return gate.admit(requestTarget(model), origin);
    }

    private Target requestTarget(String model) throws PaddockException {
        if (model != null) return new Target.Launch(planner.plan(resolver.resolve(model)));
        String fallback = config.get().defaultPreset();
        if (fallback == null || supervisor.state() instanceof ServerState.Running) return new Target.Whatever(null);
        return new Target.Whatever(planner.plan(resolver.resolve("p:" + fallback)));
    }

    /** What loading {@code preset} would run (the preset editor's live command line); runs nothing. */
    public LaunchSpec plan(Preset preset) throws PaddockException {
        return planner.plan(resolver.resolve(preset));
    }

    /**
     * The launch {@code preset} would make with what is on this machine now: a hub or Ollama model that is not
     * downloaded is an error here, never a download (the preset editor plans on every keystroke).
     */
    public LaunchSpec planWithoutFetching(Preset preset) throws PaddockException {
        return planner.plan(
                new IdentifierResolver(presets, store, dev.paddock.model.ModelFetcher.none()).resolve(preset));
    }

    /** The presets now (a live reload is seen at once). */
    public List<Preset> presets() {
        return presets.get().presets();
    }

    /**
     * Runs {@code hook} just before a server is asked to stop (on the supervisor's loop: it must not block), so a
     * surface closes the idle connections it holds to that server, which would slow its exit.
     */
    public void beforeStopping(java.util.function.Consumer<LaunchSpec> hook) {
        stopping.add(hook);
    }

    public List<String> presetNames() {
        return presets.get().names();
    }

    /** The models on disk with what their headers say (null info for a file that cannot be read). */
    public List<ModelDetails> models() {
        return store.list().stream().map(ModelDetails::of).toList();
    }

    /** The file {@code preset} runs, when it is on this machine (nothing is downloaded to find out). */
    public java.util.Optional<java.nio.file.Path> localFileOf(Preset preset) {
        try {
            return java.util.Optional.of(new IdentifierResolver(presets, store, dev.paddock.model.ModelFetcher.none())
                    .resolve(preset)
                    .modelFile());
        } catch (PaddockException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Deletes a model Paddock downloaded (every part of it).
     *
     * @throws PaddockException {@code model_not_found} for a model that is not Paddock's to delete (another tool's,
     *     one of the user's folders), {@code server_failed} for the one running
     */
    public void removeDownloaded(dev.paddock.model.LocalModel m) throws PaddockException {
        if (!m.isDownloaded()) {
            String owner = m.source().owner();
            throw new PaddockException(
                    ErrorCode.MODEL_NOT_FOUND,
                    m.displayName() + " (" + m.file() + ") "
                            + (owner == null ? "is one of your own files (model-dirs)" : "belongs to " + owner)
                            + "; Paddock uses it in place and never deletes it");
        }
        if (supervisor.state() instanceof ServerState.Running r
                && r.spec().model().equals(m.file()))
            throw new PaddockException(
                    ErrorCode.SERVER_FAILED, m.displayName() + " is the model Paddock is running; unload it first");
        try {
            store.remove(m);
        } catch (java.io.IOException e) {
            throw new PaddockException(ErrorCode.SERVER_FAILED, "cannot delete " + m.file() + ": " + e.getMessage());
        }
    }

    /** The models on disk, without reading their headers beyond what listing them takes. */
    public List<dev.paddock.model.LocalModel> localModels() {
        return store.list();
    }

    public List<String> modelNames() {
        return store.list().stream().map(LocalModel::displayName).toList();
    }

    /** The presets changed on disk: the snapshot says whether the running one was edited or deleted. */
    public void presetsChanged() {
        board.update(s -> s.withPresetChange(presetChange(s.server())));
    }

    /**
     * The configuration file changed: {@code problem} says why an edit was not applied (null when it was), and
     * {@code needsRestart} which applied settings wait for a restart.
     */
    public void configChanged(String problem, List<String> needsRestart) {
        board.update(s -> s.withConfig(problem, needsRestart));
    }

    /**
     * How the running (or loading) preset's file differs from the one that was launched: null when it is the same
     * or the server was not started from a file, {@code "edited"} or {@code "deleted"}.
     */
    private String presetChange(ServerState s) {
        LaunchSpec spec =
                s instanceof ServerState.Running r ? r.spec() : s instanceof ServerState.Loading l ? l.spec() : null;
        if (spec == null || spec.preset().source() == null) return null;
        Optional<Preset> now = presets.get().byName(spec.presetName());
        if (now.isEmpty()) return "deleted";
        return now.get().equals(spec.preset()) ? null : "edited";
    }

    /** The supervisor underneath (for adopting a server at start, which happens before anyone may ask). */
    public Supervisor supervisor() {
        return supervisor;
    }

    /** How long a switch waits for the requests in flight before it cuts them. */
    public Duration drainTimeout() {
        return config.get().drainTimeout();
    }

    @Override
    public void close() {
        gate.close();
        timers.shutdownNow();
        board.close();
    }
}
