package dev.paddock.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one configuration a running Paddock uses, kept current: {@code config.yaml} is watched (an edit by hand and a
 * save from the preferences take the same path), and each valid version replaces the last atomically, so every
 * component reads the current one with {@link #get()} and never waits. A broken edit is reported (file:line) and
 * the last good configuration stays. Settings that only apply at start (the folders, the JMX connector, the
 * gateway's address) keep their start values and are reported as needing a restart — never silently ignored.
 */
public final class LiveConfig implements AutoCloseable {
    private static final long SETTLE_MS = 150;

    /** Told of every reload (on the watcher's thread). */
    public interface Listener {
        /**
         * @param problem why the file on disk is not in use (its problems with file:line), or null
         * @param needsRestart keys changed on disk that apply when Paddock starts again
         */
        void changed(Config before, Config now, String problem, List<String> needsRestart);
    }

    /** What is in use, why the file is not (if it is not), and what waits for a restart. */
    private record State(Config config, String problem, List<String> needsRestart) {}

    private final PaddockHome home;
    private final Config started;
    private final AtomicReference<State> state;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private WatchService watch;
    private Thread thread;

    /** A fixed configuration that is not watched (tests, tools that read it once). */
    public LiveConfig(PaddockHome home, Config started) {
        this.home = home;
        this.started = started;
        this.state = new AtomicReference<>(new State(started, null, List.of()));
    }

    /** Starts watching {@code config.yaml} in {@code home}. */
    public LiveConfig watch() throws IOException {
        watch = FileSystems.getDefault().newWatchService();
        home.root()
                .register(
                        watch,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
        thread = new Thread(this::run, "paddock-config-watcher");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** The configuration in use now. Lock-free. */
    public Config get() {
        return state.get().config();
    }

    /** Why the file on disk is not the configuration in use (file:line of each problem), or null. */
    public String problem() {
        return state.get().problem();
    }

    /** The keys changed on disk that wait for a restart. */
    public List<String> needsRestart() {
        return state.get().needsRestart();
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** Reads {@code config.yaml} again now and applies it (the watcher does this by itself after every change). */
    public synchronized void reload() {
        State before = state.get();
        State next;
        try {
            Config onDisk = ConfigLoader.load(home);
            next = new State(onDisk.keepingStartOnlySettingsOf(started), null, started.restartOnlyDifferences(onDisk));
        } catch (ConfigException e) {
            next = new State(before.config(), e.getMessage(), before.needsRestart());
        }
        if (next.equals(before)) return;
        state.set(next);
        for (Listener l : listeners) l.changed(before.config(), next.config(), next.problem(), next.needsRestart());
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.take();
                boolean ours = concernsConfig(key);
                WatchKey more; // let a burst of writes (an editor's save) settle into one reload
                while ((more = watch.poll(SETTLE_MS, TimeUnit.MILLISECONDS)) != null) ours |= concernsConfig(more);
                if (ours) reload();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: stop watching
        }
    }

    private boolean concernsConfig(WatchKey key) {
        boolean ours = false;
        Path name = home.configFile().getFileName();
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(e.context())) ours = true;
        }
        key.reset();
        return ours;
    }

    @Override
    public void close() throws IOException {
        if (watch != null) watch.close();
        if (thread != null) thread.interrupt();
    }
}
