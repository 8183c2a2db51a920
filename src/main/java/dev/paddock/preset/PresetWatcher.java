package dev.paddock.preset;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Keeps the preset catalog current: a thread of its own waits for changes in the presets folder and, once they
 * settle (editors write in several steps), reads the folder again and publishes a new immutable catalog.
 * Readers call {@link #catalog()}, which never blocks. A running server is never touched by a reload: it keeps
 * the launch it was started with.
 */
public final class PresetWatcher implements AutoCloseable {
    private static final long SETTLE_MS = 150;

    private final Path dir;
    private final AtomicReference<PresetCatalog> current;
    private final Consumer<PresetCatalog> onReload;
    private final WatchService watch;
    private final Thread thread;

    /** @param onReload told of every new catalog (on the watcher's thread), e.g. to log its problems */
    public PresetWatcher(Path dir, Consumer<PresetCatalog> onReload) throws IOException {
        this.dir = dir;
        this.onReload = onReload;
        this.current = new AtomicReference<>(PresetLoader.loadDirectory(dir));
        this.watch = FileSystems.getDefault().newWatchService();
        dir.register(
                watch,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::run, "paddock-preset-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    public PresetCatalog catalog() {
        return current.get();
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.take();
                key.pollEvents();
                key.reset();
                WatchKey more; // let a burst of writes settle into one reload
                while ((more = watch.poll(SETTLE_MS, TimeUnit.MILLISECONDS)) != null) {
                    more.pollEvents();
                    more.reset();
                }
                PresetCatalog next = PresetLoader.loadDirectory(dir);
                current.set(next);
                onReload.accept(next);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: stop watching
        }
    }

    @Override
    public void close() throws IOException {
        watch.close();
        thread.interrupt();
    }
}
