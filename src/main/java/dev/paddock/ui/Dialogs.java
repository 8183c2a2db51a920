package dev.paddock.ui;

import dev.paddock.autostart.Autostart;
import dev.paddock.config.LiveConfig;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.PaddockException;
import dev.paddock.hub.Downloads;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.Puller;
import dev.paddock.model.GgufException;
import dev.paddock.model.GgufInfo;
import dev.paddock.model.GgufReader;
import dev.paddock.model.LocalModel;
import dev.paddock.model.MemoryFit;
import dev.paddock.preset.Preset;
import dev.paddock.switchboard.Origin;
import dev.paddock.switchboard.Switchboard;
import dev.paddock.tray.Desktops;
import dev.paddock.tray.TrayController;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the preferences and the preset editor for the tray, one of each at a time. */
public final class Dialogs implements TrayController.Dialogs {
    private static final Logger log = LoggerFactory.getLogger(Dialogs.class);

    private final PaddockHome home;
    private final Switchboard switchboard;
    private final LiveConfig config;
    private final Puller puller;
    private final Downloads downloads;
    private PreferencesDialog preferences; // event thread only
    private PresetEditor editor; // event thread only
    private ModelsWindow models; // event thread only
    private LogWindow logWindow; // event thread only
    private boolean themed;

    /**
     * @param config the running Paddock's configuration: a save is applied through it at once
     * @param puller searches and listings for the Models window's Get models tab
     * @param downloads the downloads that tab starts (they outlive the window)
     */
    public Dialogs(PaddockHome home, Switchboard switchboard, LiveConfig config, Puller puller, Downloads downloads) {
        this.home = home;
        this.switchboard = switchboard;
        this.config = config;
        this.puller = puller;
        this.downloads = downloads;
    }

    private void theme() {
        if (themed) return;
        themed = true;
        Theme.apply(config.get().theme());
    }

    @Override
    public void preferences() {
        SwingUtilities.invokeLater(() -> {
            theme();
            if (preferences != null && preferences.isDisplayable()) {
                preferences.toFront();
                return;
            }
            Autostart autostart = Autostart.forThisPlatform(System.getenv());
            boolean on;
            try {
                on = autostart.isEnabled();
            } catch (IOException e) {
                on = false;
            }
            boolean wasOn = on;
            preferences = new PreferencesDialog(null, home, switchboard.presetNames(), on, saved -> {
                config.reload(); // the same path as an edit by hand, without waiting for the watcher
                Theme.apply(saved.config().theme());
                try {
                    Path launcher = Autostart.currentLauncher();
                    if (saved.autostart() && !wasOn && launcher != null) autostart.enable(launcher);
                    if (!saved.autostart() && wasOn) autostart.disable();
                } catch (IOException e) {
                    log.warn("cannot change {}: {}", autostart.location(), e.getMessage());
                }
                log.info("preferences saved; restart needed for {}", saved.needRestart());
            });
            preferences.setVisible(true);
        });
    }

    @Override
    public void newPreset() {
        SwingUtilities.invokeLater(() -> openEditor(null));
    }

    @Override
    public void editPreset() {
        SwingUtilities.invokeLater(() -> {
            theme();
            List<Preset> presets = switchboard.presets();
            if (presets.isEmpty()) return;
            Object chosen = JOptionPane.showInputDialog(
                    null,
                    "Which preset?",
                    "Edit preset",
                    JOptionPane.PLAIN_MESSAGE,
                    null,
                    presets.stream().map(Preset::name).toArray(),
                    presets.get(0).name());
            if (chosen == null) return;
            presets.stream().filter(p -> p.name().equals(chosen)).findFirst().ifPresent(this::openEditor);
        });
    }

    @Override
    public void models() {
        SwingUtilities.invokeLater(() -> {
            theme();
            if (models != null && models.isDisplayable()) {
                models.toFront();
                models.rescan();
                return;
            }
            models = new ModelsWindow(library());
            models.setLocationRelativeTo(null);
            models.setVisible(true);
        });
    }

    /**
     * Opens the Models window once off screen ({@link ModelsWindow#prewarm}) after {@code delay}, when the tray is up
     * and Paddock's start is over, so that a person's first "Models…" opens as fast as the next ones.
     */
    public void prewarm(java.time.Duration delay) {
        javax.swing.Timer later = new javax.swing.Timer((int) delay.toMillis(), e -> {
            theme();
            long t0 = System.nanoTime();
            ModelsWindow.prewarm(
                    library(),
                    ModelsWindow.PREWARM_ROWS,
                    () -> log.info(
                            "models window warmed up off screen in {} ms", (System.nanoTime() - t0) / 1_000_000));
        });
        later.setRepeats(false);
        later.start();
    }

    @Override
    public void showLog() {
        SwingUtilities.invokeLater(() -> {
            theme();
            if (logWindow != null && logWindow.isDisplayable()) {
                logWindow.toFront();
                return;
            }
            logWindow = new LogWindow(home.llamaLog());
            logWindow.setLocationRelativeTo(null);
            logWindow.setVisible(true);
        });
    }

    private ModelsWindow.Library library() {
        return libraryOf(switchboard, puller, downloads, new Desktops(), model -> {
            openEditor(null);
            editor.prefill(
                    model.stem(),
                    "f:" + model.file(),
                    model.projector() == null ? "" : "--mmproj \"" + model.projector() + "\"");
        });
    }

    /**
     * The models window's view of a running Paddock: its switchboard's models and loads, its puller's searches and
     * its downloads.
     *
     * @param newPreset opens the preset editor for a model (event thread)
     */
    static ModelsWindow.Library libraryOf(
            Switchboard switchboard,
            Puller puller,
            Downloads downloads,
            Desktops desktop,
            java.util.function.Consumer<LocalModel> newPreset) {
        return new ModelsWindow.Library() {
            @Override
            public Downloads downloads() {
                return downloads;
            }

            @Override
            public List<HubClient.Repo> search(String query) throws PaddockException {
                return puller.hub().search(query, 50);
            }

            @Override
            public List<Puller.Offer> offers(String repoId) throws PaddockException {
                return puller.offers(repoId);
            }

            @Override
            public List<LocalModel> models() {
                return switchboard.localModels();
            }

            @Override
            public GgufInfo header(Path file) throws GgufException {
                return GgufReader.read(file);
            }

            @Override
            public void load(LocalModel model) throws PaddockException {
                switchboard.load(model.loadName(), false, Origin.MODELS_WINDOW);
            }

            @Override
            public void remove(LocalModel model) throws PaddockException {
                switchboard.removeDownloaded(model);
            }

            @Override
            public void newPreset(LocalModel model) {
                newPreset.accept(model);
            }

            @Override
            public void showInFolder(Path file) {
                desktop.open(file.getParent());
            }

            @Override
            public OptionalLong freeVram() {
                return MemoryFit.freeVram(System.getenv("PATH"));
            }
        };
    }

    /** The editor for {@code existing}, or for a new preset when null. Event thread. */
    private void openEditor(Preset existing) {
        theme();
        if (editor != null && editor.isDisplayable()) editor.dispose();
        editor = new PresetEditor(
                null,
                config.get().presetsDir(),
                existing,
                switchboard::planWithoutFetching,
                file -> log.info("preset written: {}", file));
        editor.setVisible(true);
    }
}
