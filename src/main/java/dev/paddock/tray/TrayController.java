package dev.paddock.tray;

import dev.paddock.autostart.Autostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.PaddockException;
import dev.paddock.supervisor.ServerState;
import dev.paddock.switchboard.Origin;
import dev.paddock.switchboard.Status;
import dev.paddock.switchboard.StatusListener;
import dev.paddock.switchboard.Switchboard;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a {@link TrayHost} to the switchboard: every status change (from the tray, the CLI, JMX or the gateway) and
 * every preset change redraws the menu; every menu action runs on a worker thread, never on the event thread, so the
 * menu stays live during a long load. A click on a preset shows it as loading at once, before the supervisor has
 * spawned it. A refresh that fails is logged (once per kind of failure) and never stops the next one.
 */
public final class TrayController implements TrayActions, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrayController.class);

    private final Switchboard switchboard;
    private final PaddockHome home;
    private final Supplier<Path> presetsDir;
    private final Autostart autostart;
    private final Desktops desktop;
    private final Dialogs dialogs;
    private final Runnable quit;
    private final Clock clock;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "paddock-tray-action");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger frame = new AtomicInteger();
    private volatile TrayHost host;
    private volatile String pending;
    private volatile boolean autostartOn;
    private volatile MenuModel shown;
    private volatile String pulling; // "Pulling FILE… 42%" while a hub model downloads
    private volatile double pulled; // its fraction, for the icon's arc
    private volatile ServerInstall serverInstall = ServerInstall.NONE;
    private volatile String noServer; // why a load would find no llama-server; null when it would find one
    private volatile String installing; // "Installing llama-server… 42%" while it downloads; null otherwise
    private volatile double installed; // its fraction, for the icon's arc
    /** The example presets that ship with Paddock, read once; "Get started" offers them on an empty home. */
    private final List<dev.paddock.preset.ExamplePresets.Example> shipped;

    private final List<MenuModel.Example> examples;
    /** An example just written: loaded once the presets list it. */
    private final java.util.concurrent.atomic.AtomicReference<String> startWhenListed =
            new java.util.concurrent.atomic.AtomicReference<>();

    private final StatusListener listener = this::onStatus;
    private final java.util.Set<String> failuresLogged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private Timer animation; // event thread only
    private Timer idleTimer; // event thread only

    /** The dialogs the tray opens (the preferences and the preset editor); tests pass their own. */
    public interface Dialogs {
        void preferences();

        void newPreset();

        /** Asks which preset, then opens it in the editor. */
        void editPreset();

        /** Opens the models window (every model Paddock can run). */
        void models();

        /** Opens llama.log, live, in a window. */
        void showLog();

        /** No dialogs (tests, benchmarks). */
        Dialogs NONE = new Dialogs() {
            @Override
            public void preferences() {}

            @Override
            public void newPreset() {}

            @Override
            public void editPreset() {}

            @Override
            public void models() {}

            @Override
            public void showLog() {}
        };
    }

    /** Whether a load would find a llama-server, and how to install one: the menu's "Install llama-server…". */
    public interface ServerInstall {
        /** Why a load would find no llama-server; empty when it would find one. */
        java.util.Optional<String> missing();

        /**
         * Installs llama.cpp's release build and makes Paddock use it from its next load; returns what was installed,
         * for the notification.
         */
        String install(dev.paddock.hub.Puller.Progress progress) throws dev.paddock.hub.ServerSetup.Failed;

        /** Never offers (tests, and until the daemon wires its own). */
        ServerInstall NONE = new ServerInstall() {
            @Override
            public java.util.Optional<String> missing() {
                return java.util.Optional.empty();
            }

            @Override
            public String install(dev.paddock.hub.Puller.Progress progress) {
                return "";
            }
        };
    }

    public TrayController(
            Switchboard switchboard,
            PaddockHome home,
            Supplier<Path> presetsDir,
            Autostart autostart,
            Desktops desktop,
            Dialogs dialogs,
            Runnable quit,
            Clock clock) {
        this.switchboard = switchboard;
        this.home = home;
        this.presetsDir = presetsDir;
        this.autostart = autostart;
        this.desktop = desktop;
        this.dialogs = dialogs;
        this.quit = quit;
        this.clock = clock;
        this.shipped = dev.paddock.preset.ExamplePresets.all();
        this.examples = shipped.stream()
                .map(x -> new MenuModel.Example(x.name(), x.description()))
                .toList();
    }

    /** Shows the tray on {@code host} and follows the supervisor from now on. */
    public void attach(TrayHost host) {
        this.host = host;
        try {
            autostartOn = autostart.isEnabled();
        } catch (IOException e) {
            log.warn("cannot tell whether Paddock starts at login: {}", e.getMessage());
        }
        switchboard.addListener(listener);
        SwingUtilities.invokeLater(() -> {
            animation = new Timer(125, e -> animate());
            animation.start();
            idleTimer = new Timer(
                    15_000,
                    e -> { // the uptime in the tooltip; a llama-server installed by hand
                        refresh();
                        onWorker(this::checkServer);
                    });
            idleTimer.start();
        });
        refresh();
    }

    /**
     * Offers "Install llama-server…" in the menu while a load would find none (checked now, every 15 s and after a
     * load fails for want of one).
     */
    public void offerServerInstall(ServerInstall install) {
        serverInstall = install;
        onWorker(this::checkServer);
    }

    /**
     * Looks for llama-server again (off the event thread: it reads config.yaml's path and PATH). One at a time, so
     * an older look never lands after a newer one.
     */
    private synchronized void checkServer() {
        String why;
        try {
            why = serverInstall.missing().orElse(null);
        } catch (RuntimeException e) {
            why = null; // no answer: offer nothing rather than something wrong
        }
        if (java.util.Objects.equals(why, noServer)) return;
        noServer = why;
        refresh();
    }

    /** A pull's progress (a load of a hub model that is not downloaded yet): shown in the status line. */
    public void pullProgress(String file, long done, long total) {
        int pct = total <= 0 ? 0 : (int) (100 * done / total);
        String text = done >= total ? null : "Pulling " + file + "… " + pct + "%";
        if (java.util.Objects.equals(text, pulling)) return;
        pulled = total <= 0 ? -1 : done / (double) total;
        pulling = text;
        refresh();
    }

    /** A pull stopped before its end (paused, cancelled or failed): the status line stops showing it. */
    public void pullStopped() {
        if (pulling == null) return;
        pulling = null;
        refresh();
    }

    /** The presets changed on disk. */
    public void presetsChanged() {
        refresh();
        String example = startWhenListed.get();
        if (example != null
                && switchboard.presetNames().contains(example)
                && startWhenListed.compareAndSet(example, null)) {
            load(example);
        }
    }

    /** The failures of a refresh seen so far, one per kind (for tests: a refresh must never fail). */
    public java.util.Set<String> refreshFailures() {
        return java.util.Set.copyOf(failuresLogged);
    }

    /** The model last handed to the host (for tests and the latency benchmark). */
    public MenuModel shown() {
        return shown;
    }

    private void onStatus(Status from, Status to) {
        String p = pending;
        if (p != null && (to.server() instanceof ServerState.Failed || isOf(to.server(), p))) pending = null;
        if (from.server() != to.server()) notifyAbout(from.server(), to.server());
        if (to.server() instanceof ServerState.Failed f && f.code() == dev.paddock.core.ErrorCode.SERVER_NOT_FOUND) {
            onWorker(this::checkServer);
        }
        refresh(to); // this change's status: listeners are told in order, so every step is shown
    }

    private static boolean isOf(ServerState s, String preset) {
        return (s instanceof ServerState.Loading l && l.spec().presetName().equals(preset))
                || (s instanceof ServerState.Running r && r.spec().presetName().equals(preset));
    }

    private void notifyAbout(ServerState from, ServerState to) {
        if (from instanceof ServerState.Loading && to instanceof ServerState.Running r) {
            notice(r.spec().presetName() + " is running", r.endpoint().toString(), false);
        } else if (from instanceof ServerState.Loading && to instanceof ServerState.Failed f) {
            failureNotice("Loading " + f.spec().presetName() + " failed", f.message());
        } else if (from instanceof ServerState.Running && to instanceof ServerState.Failed f) {
            failureNotice("llama-server crashed (" + f.spec().presetName() + ")", f.message());
        }
    }

    /** Runs {@code r} on a worker thread; after {@link #close()} it is dropped (with a line in the log). */
    private void onWorker(Runnable r) {
        try {
            workers.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            log.debug("the tray is closed: dropped {}", r);
        }
    }

    /** A notification: notify-send (a process: started on a worker), else the host's own, else the log. */
    private void notice(String title, String body, boolean error) {
        onWorker(() -> {
            if (!desktop.notifySend(title, body, error)) hostNotice(title, body, error);
        });
    }

    private void hostNotice(String title, String body, boolean error) {
        SwingUtilities.invokeLater(() -> {
            TrayHost h = host;
            if (h != null && h.notify(title, body, error)) return;
            log.info("notification: {}: {}", title, body.replace('\n', ' '));
        });
    }

    /** A failure's notification, with a "Show log" button where the desktop's notifications have buttons. */
    private void failureNotice(String title, String message) {
        String withHint = message + "\nThe log: tray menu → Show log…, or `paddock logs`";
        onWorker(
                () -> { // notify-send is a process: never started on the event thread
                    if (!desktop.notifySend(title, message, true, "Show log", this::showLog, withHint)) {
                        hostNotice(title, withHint, true);
                    }
                });
    }

    /** Recomputes the model from the current status and hands it to the host on the event thread. */
    void refresh() {
        refresh(switchboard.status());
    }

    private synchronized void refresh(Status status) {
        List<String> names = switchboard.presetNames();
        MenuModel m = MenuModel.of(status, names, pending, autostartOn, clock.instant());
        if (names.isEmpty()) m = m.withExamples(examples);
        if (status.server() instanceof ServerState.Running r)
            m = m.withTooltipLine(describe(r.spec().model()));
        String p = pulling;
        if (p != null) m = m.showing(p, pulled);
        String i = installing;
        if (i != null) m = m.showing(i, installed);
        else if (noServer != null) m = m.offeringServer();
        MenuModel model = m;
        shown = model;
        SwingUtilities.invokeLater(() -> draw(model, frame.get()));
    }

    /** Draws on the host; a host that throws is logged (once per kind of failure) and drawn again next time. */
    private void draw(MenuModel model, int f) {
        TrayHost h = host;
        if (h == null) return;
        try {
            h.show(model, f);
        } catch (RuntimeException e) {
            String kind = e.getClass().getName() + ": " + e.getMessage();
            if (failuresLogged.add(kind)) log.warn("the tray ({}) could not show the menu: {}", h.kind(), kind, e);
        }
    }

    private final java.util.Map<Path, String> descriptions = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code llama, 494M parameters, Q4_K_M, trained context 32768} from the model's header; null if unreadable. */
    private String describe(Path model) {
        return descriptions
                .computeIfAbsent(model, f -> {
                    try {
                        return dev.paddock.model.GgufReader.read(f).summary();
                    } catch (dev.paddock.model.GgufException e) {
                        return "";
                    }
                })
                .transform(d -> d.isEmpty() ? null : d);
    }

    /** Warns (a notification) when the preset is estimated not to fit in free memory; never stops the load. */
    private void warnIfTooBig(String preset) {
        try {
            var spec = switchboard.plan(switchboard.presets().stream()
                    .filter(p -> p.name().equals(preset))
                    .findFirst()
                    .orElseThrow());
            dev.paddock.model.MemoryFit.check(
                            preset,
                            spec.model(),
                            spec.preset().contextSize(),
                            spec.preset().gpuLayers(),
                            System.getenv("PATH"))
                    .ifPresent(w -> notice("Memory is tight for " + preset, w, true));
        } catch (PaddockException | dev.paddock.model.GgufException | IOException | RuntimeException e) {
            // no estimate: the load itself says what is wrong, if anything
        }
    }

    private void animate() {
        MenuModel m = shown;
        if (m == null || m.icon() != TrayIcons.Kind.LOADING) return;
        draw(m, frame.incrementAndGet());
    }

    // ---- actions: each returns at once; the work runs on a worker thread ----------------------------------

    @Override
    public void load(String preset) {
        pending = preset;
        refresh();
        workers.execute(() -> {
            warnIfTooBig(preset);
            try {
                switchboard.load("p:" + preset, false, Origin.TRAY);
            } catch (PaddockException e) {
                if (!(switchboard.status().server() instanceof ServerState.Failed)) {
                    notice("Cannot load " + preset, e.getMessage(), true); // no state change says so
                }
            } finally {
                if (preset.equals(pending) && !isOf(switchboard.status().server(), preset)) pending = null;
                refresh();
            }
        });
    }

    @Override
    public void unload() {
        pending = null;
        workers.execute(() -> switchboard.unload(false, Origin.TRAY));
    }

    @Override
    public void forceSwitch() {
        workers.execute(() -> switchboard.forcePending(Origin.TRAY));
    }

    @Override
    public void copyEndpoint() {
        MenuModel m = shown;
        if (m == null || m.endpoint() == null) return;
        Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(m.endpoint()), null);
    }

    @Override
    public void openChat() {
        MenuModel m = shown;
        if (m != null && m.endpoint() != null) workers.execute(() -> desktop.browse(m.endpoint() + "/"));
    }

    @Override
    public void getStarted(String name) {
        pending = name;
        refresh();
        workers.execute(() -> {
            var example = shipped.stream().filter(x -> x.name().equals(name)).findFirst();
            if (example.isEmpty()) {
                pending = null;
                refresh();
                return;
            }
            Path target = presetsDir.get().resolve(name + ".yaml");
            try {
                if (!java.nio.file.Files.exists(target)) {
                    java.nio.file.Files.createDirectories(target.getParent());
                    dev.paddock.config.AtomicFile.write(
                            target, example.get().yaml().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                pending = null;
                refresh();
                notice("Cannot write the preset " + name, target + ": " + e.getMessage(), true);
                return;
            }
            startWhenListed.set(name);
            presetsChanged(); // loads it now if the presets already list it, else when they do
            // the presets never list it (a folder Paddock does not watch until its restart, a broken file of that
            // name): say so rather than show it loading for ever
            java.util.concurrent.CompletableFuture.delayedExecutor(15, java.util.concurrent.TimeUnit.SECONDS, workers)
                    .execute(() -> {
                        if (!startWhenListed.compareAndSet(name, null)) return;
                        if (name.equals(pending)) pending = null;
                        refresh();
                        notice(
                                "Cannot load " + name,
                                target + " was written, but Paddock does not list it (is the presets folder the one"
                                        + " it watches? `paddock doctor` checks)",
                                true);
                    });
        });
    }

    @Override
    public void installServer() {
        synchronized (this) {
            if (installing != null) return;
            installing = "Installing llama-server…";
            installed = -1;
        }
        refresh();
        workers.execute(() -> {
            try {
                String what = serverInstall.install((file, done, total) -> {
                    String line = "Installing llama-server… "
                            + (total > 0 ? (int) (100 * done / total) + "%" : done / (1 << 20) + " MiB");
                    if (line.equals(installing)) return;
                    installed = total > 0 ? done / (double) total : -1;
                    installing = line;
                    refresh();
                });
                notice("llama-server installed", what, false);
            } catch (dev.paddock.hub.ServerSetup.Failed e) {
                notice("Installing llama-server failed", e.getMessage(), true);
            } catch (RuntimeException e) {
                log.warn("installing llama-server failed", e);
                notice("Installing llama-server failed", String.valueOf(e.getMessage()), true);
            } finally {
                installing = null;
                checkServer();
                refresh();
            }
        });
    }

    @Override
    public void models() {
        dialogs.models();
    }

    @Override
    public void showLog() {
        dialogs.showLog();
    }

    @Override
    public void openPresetsFolder() {
        workers.execute(() -> desktop.open(presetsDir.get()));
    }

    @Override
    public void newPreset() {
        dialogs.newPreset();
    }

    @Override
    public void editPreset() {
        dialogs.editPreset();
    }

    @Override
    public void preferences() {
        dialogs.preferences();
    }

    @Override
    public void setAutostart(boolean on) {
        workers.execute(() -> {
            try {
                if (on) {
                    Path launcher = Autostart.currentLauncher();
                    if (launcher == null) {
                        notice(
                                "Start at login",
                                "Paddock was not started by its launcher; run `paddock autostart on`",
                                true);
                    } else {
                        autostart.enable(launcher);
                    }
                } else {
                    autostart.disable();
                }
                autostartOn = autostart.isEnabled();
            } catch (IOException e) {
                notice("Start at login", "cannot change " + autostart.location() + ": " + e.getMessage(), true);
            }
            refresh();
        });
    }

    @Override
    public void quit() {
        Thread t = new Thread(quit, "paddock-quit");
        t.start();
    }

    @Override
    public void close() {
        switchboard.removeListener(listener);
        workers.shutdownNow();
        SwingUtilities.invokeLater(() -> {
            if (animation != null) animation.stop();
            if (idleTimer != null) idleTimer.stop();
            TrayHost h = host;
            if (h != null) h.close();
        });
    }
}
