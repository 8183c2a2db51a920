package dev.paddock.testing;

import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import dev.paddock.model.ModelFetcher;
import dev.paddock.model.ModelStore;
import dev.paddock.preset.IdentifierResolver;
import dev.paddock.preset.PresetCatalog;
import dev.paddock.preset.PresetLoader;
import dev.paddock.supervisor.LaunchPlanner;
import dev.paddock.supervisor.ServerState;
import dev.paddock.switchboard.Switchboard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A switchboard in this JVM over a real supervisor: presets written to a temp home, their catalog read again on
 * {@link #reloadPresets()}, and a configuration a test may change between calls ({@link #configure}). Records the
 * running servers it saw, in order.
 */
public final class SwitchboardFixture implements AutoCloseable {
    public final PaddockHome home;
    public final SupervisorFixture supervisor;
    public final Switchboard switchboard;
    private volatile Config config;
    private volatile PresetCatalog catalog;
    private final List<String> running = new ArrayList<>();

    /** @param llamaServer the binary presets run unless they name their own */
    public SwitchboardFixture(Path dir, Path llamaServer) {
        try {
            this.home = new PaddockHome(Files.createDirectories(dir.resolve("home")));
            Files.createDirectories(home.defaultPresetsDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.config = TestRig.config(home, llamaServer, Duration.ofSeconds(2));
        this.catalog = PresetLoader.loadDirectory(home.defaultPresetsDir());
        this.supervisor = new SupervisorFixture(dir.resolve("supervisor"));
        ModelStore store = new ModelStore(home.defaultModelsDir());
        IdentifierResolver resolver = new IdentifierResolver(() -> catalog, store, ModelFetcher.none());
        this.switchboard = new Switchboard(
                supervisor.supervisor,
                resolver,
                new LaunchPlanner(() -> config, ""),
                () -> catalog,
                store,
                () -> config,
                Clock.systemUTC());
        switchboard.addListener((from, to) -> {
            if (to.server() != from.server() && to.server() instanceof ServerState.Running r) {
                synchronized (running) {
                    running.add(r.spec().presetName());
                }
            }
        });
    }

    /** Writes {@code presets/NAME.yaml}; {@link #reloadPresets()} makes the switchboard see it. */
    public SwitchboardFixture preset(String name, String yaml) {
        try {
            Files.writeString(home.defaultPresetsDir().resolve(name + ".yaml"), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return reloadPresets();
    }

    public SwitchboardFixture reloadPresets() {
        catalog = PresetLoader.loadDirectory(home.defaultPresetsDir());
        if (!catalog.problems().isEmpty()) throw new AssertionError("preset problems: " + catalog.problems());
        switchboard.presetsChanged();
        return this;
    }

    /** Changes the configuration in use from the next read on. */
    public SwitchboardFixture configure(UnaryOperator<Config> change) {
        config = change.apply(config);
        return this;
    }

    /** The presets that ran, in the order they became running. */
    public List<String> ran() {
        synchronized (running) {
            return List.copyOf(running);
        }
    }

    @Override
    public void close() {
        switchboard.close();
        supervisor.close();
    }
}
