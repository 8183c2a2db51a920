package dev.paddock.app;

import dev.paddock.config.Config;
import dev.paddock.config.LiveConfig;
import dev.paddock.core.PaddockException;
import dev.paddock.hub.Downloads;
import dev.paddock.hub.ProgressFanout;
import dev.paddock.hub.Puller;
import dev.paddock.switchboard.Origin;
import dev.paddock.switchboard.Switchboard;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/** A started Paddock. {@link #stop} (the shutdown hook, or a caller in the same JVM) ends it once. */
public final class Running {
    private final LiveConfig config;
    private final Switchboard switchboard;
    private final boolean adopted;
    private final Logger log;
    private final Runnable shutdown;
    private final List<Runnable> presetListeners;
    private final ProgressFanout pulls;
    private final Puller puller;
    private final Downloads downloads;
    private final List<Runnable> beforeStop = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final dev.paddock.jmx.SupervisorMBean mbean;

    Running(
            LiveConfig config,
            Switchboard switchboard,
            boolean adopted,
            Logger log,
            List<Runnable> presetListeners,
            ProgressFanout pulls,
            Puller puller,
            Downloads downloads,
            dev.paddock.jmx.SupervisorMBean mbean,
            Runnable shutdown) {
        this.mbean = mbean;
        this.config = config;
        this.switchboard = switchboard;
        this.adopted = adopted;
        this.log = log;
        this.presetListeners = presetListeners;
        this.pulls = pulls;
        this.puller = puller;
        this.downloads = downloads;
        this.shutdown = shutdown;
    }

    public Switchboard switchboard() {
        return switchboard;
    }

    /** The configuration in use now (it follows {@code config.yaml}). */
    public Config config() {
        return config.get();
    }

    /** The live configuration: its current value, and a way to apply a file just written at once. */
    public LiveConfig liveConfig() {
        return config;
    }

    /** Told the progress of every pull (a load of a hub model that is not downloaded yet). */
    public void onPullProgress(Puller.Progress p) {
        pulls.add(p);
    }

    /**
     * What opens the desktop's windows by name ({@code models}, {@code log}) when a client asks over JMX ({@code
     * paddock models}); true when it opened one.
     */
    public void onShowWindow(java.util.function.Predicate<String> opener) {
        mbean.windowsFrom(opener);
    }

    /** Pulls from the hub and Ollama's registry (the desktop's searches and listings). */
    public Puller puller() {
        return puller;
    }

    /** The downloads a person started from the desktop; they outlive the window that started them. */
    public Downloads downloads() {
        return downloads;
    }

    /** Runs {@code r} whenever the preset files change. */
    public void onPresetsChanged(Runnable r) {
        presetListeners.add(r);
    }

    /** Runs {@code r} first when Paddock stops (the tray removes its icon). */
    public void beforeStop(Runnable r) {
        beforeStop.add(r);
    }

    /** Loads {@code loadId}, or else the default preset unless a leftover server was adopted. */
    public void loadAtStart(String loadId) {
        String toLoad = loadId != null ? loadId : adopted ? null : config.get().defaultPreset();
        if (toLoad == null) return;
        try {
            switchboard.load(toLoad, false, Origin.START);
        } catch (PaddockException e) {
            log.error("cannot load '{}': {}", toLoad, e.codedMessage());
        }
    }

    /** Unloads the server (graceful, then forced) and releases everything; later calls wait for the first. */
    public void stop() {
        if (stopping.compareAndSet(false, true)) {
            try {
                for (Runnable r : beforeStop) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        log.warn("while stopping: {}", e.toString());
                    }
                }
                shutdown.run();
            } finally {
                stopped.countDown();
            }
        }
        awaitStop();
    }

    void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
