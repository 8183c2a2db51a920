package dev.paddock.hub;

import dev.paddock.core.PaddockException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The downloads a person starts from the desktop, each on its own thread: progress (bytes, speed, time left), pause
 * (what arrived is kept; resume goes on from it), resume, cancel (what arrived is deleted). They belong to the
 * running Paddock, not to a window: closing the window leaves them going. Progress arrives through {@link #update},
 * which the pulls' progress fan-out calls on the pulling thread.
 */
public final class Downloads implements Puller.Progress {
    /** Where a download stands. */
    public enum State {
        RUNNING,
        PAUSED,
        DONE,
        FAILED,
        CANCELLED
    }

    /**
     * A download as shown.
     *
     * @param total the bytes of every file, or -1 before they are known
     * @param bytesPerSecond the rate since it (re)started, 0 before there is one
     * @param message why it failed, or null
     */
    public record Snapshot(
            String identifier, State state, long done, long total, double bytesPerSecond, String message) {
        /** {@code 412 MB of 4.7 GB · 38 MB/s · 1:52 left}; the state's word instead of the rate when not running. */
        public String line() {
            String amount = total > 0 ? size(done) + " of " + size(total) : size(done);
            return switch (state) {
                case RUNNING -> bytesPerSecond <= 0
                        ? amount + " · starting"
                        : amount + " · " + size((long) bytesPerSecond) + "/s"
                                + (total > 0 ? " · " + left((long) ((total - done) / bytesPerSecond)) + " left" : "");
                case PAUSED -> amount + " · paused";
                case DONE -> size(done) + " · done";
                case FAILED -> "failed: " + message;
                case CANCELLED -> "cancelled";
            };
        }

        /** 0 to 1; -1 when the size is not known yet. */
        public double fraction() {
            return total > 0 ? Math.min(1, done / (double) total) : -1;
        }
    }

    /** Told of every change; called from any thread. */
    public interface Listener {
        void changed(Snapshot s);
    }

    /** Pulls one identifier; returns when it is complete. */
    public interface Pull {
        void pull(String identifier) throws PaddockException;
    }

    private final Pull pull;
    private final java.util.function.Function<String, Path> folderOf;
    private final Map<String, Job> jobs = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Downloads through the daemon's puller; register this with its progress fan-out. */
    public Downloads(Puller puller) {
        this(puller::pull, puller::folderOf);
    }

    /** @param folderOf where a pull of an identifier writes (cancel deletes its partial files there) */
    public Downloads(Pull pull, java.util.function.Function<String, Path> folderOf) {
        this.pull = pull;
        this.folderOf = folderOf;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** Every download of this run, oldest first. */
    public List<Snapshot> all() {
        synchronized (jobs) {
            return jobs.values().stream().map(Job::snapshot).toList();
        }
    }

    /**
     * Starts (or resumes) the download of {@code identifier}; one already running is left alone.
     *
     * @param expectedTotal its size when the caller knows it (a hub listing), else -1
     */
    public void start(String identifier, long expectedTotal) {
        Job job;
        synchronized (jobs) {
            job = jobs.computeIfAbsent(identifier, id -> new Job(id, expectedTotal));
            if (job.state == State.RUNNING) return;
            job.begin();
        }
        changed(job);
    }

    /** Stops the download; what arrived stays, and {@link #start} goes on from it. */
    public void pause(String identifier) {
        Job job = jobs.get(identifier);
        if (job != null) job.stop(State.PAUSED);
    }

    /** Stops the download (or ends a paused or failed one) and deletes what arrived of it. */
    public void cancel(String identifier) {
        Job job = jobs.get(identifier);
        if (job != null) job.stop(State.CANCELLED);
    }

    @Override
    public void update(String file, long done, long total) {
        Thread me = Thread.currentThread();
        Job job = null;
        synchronized (jobs) {
            for (Job j : jobs.values()) if (j.thread == me) job = j;
        }
        if (job == null) return; // a pull from elsewhere (a load, the CLI, the gateway)
        job.progress(file, done, total);
        changed(job);
    }

    private void changed(Job job) {
        Snapshot s = job.snapshot();
        for (Listener l : listeners) l.changed(s);
    }

    private final class Job {
        final String identifier;
        final long expectedTotal;
        final Map<String, long[]> files = new ConcurrentHashMap<>(); // name -> {done, total}
        volatile State state = State.PAUSED;
        volatile State stopAs; // what an interrupt means: paused or cancelled
        volatile Thread thread;
        volatile String message;
        volatile long startedNanos;
        volatile long doneAtStart;

        Job(String identifier, long expectedTotal) {
            this.identifier = identifier;
            this.expectedTotal = expectedTotal;
        }

        long done() {
            long d = 0;
            for (long[] f : files.values()) d += f[0];
            return d;
        }

        long total() {
            long t = 0;
            for (long[] f : files.values()) t += f[1];
            return Math.max(t, expectedTotal);
        }

        Snapshot snapshot() {
            long done = done();
            double seconds = (System.nanoTime() - startedNanos) / 1e9;
            double rate =
                    state == State.RUNNING && doneAtStart >= 0 && seconds > 0.5 ? (done - doneAtStart) / seconds : 0;
            return new Snapshot(identifier, state, done, total(), Math.max(0, rate), message);
        }

        void progress(String file, long done, long total) {
            files.put(file, new long[] {done, total});
            if (doneAtStart < 0) { // the rate counts from the first report: not what earlier runs fetched
                doneAtStart = done();
                startedNanos = System.nanoTime();
            }
        }

        /** Starts its thread. Holding {@code jobs}. */
        void begin() {
            state = State.RUNNING;
            stopAs = null;
            message = null;
            startedNanos = System.nanoTime();
            doneAtStart = -1;
            Thread t = new Thread(this::run, "paddock-download");
            t.setDaemon(true);
            thread = t;
            t.start();
        }

        private void run() {
            State end;
            try {
                pull.pull(identifier);
                end = State.DONE;
                long total = total();
                if (total > 0) files.replaceAll((name, f) -> new long[] {f[1], f[1]});
            } catch (PaddockException e) {
                end = stopAs != null ? stopAs : State.FAILED;
                if (end == State.FAILED) message = e.getMessage();
            } catch (RuntimeException e) {
                end = State.FAILED;
                message = e.toString();
            }
            if (end == State.CANCELLED) discard();
            synchronized (jobs) {
                state = end;
                thread = null;
            }
            changed(this);
        }

        void stop(State as) {
            Thread t;
            synchronized (jobs) {
                if (state != State.RUNNING) {
                    if (as == State.CANCELLED && (state == State.PAUSED || state == State.FAILED)) {
                        state = State.CANCELLED;
                        discard();
                        changed(this);
                    }
                    return;
                }
                stopAs = as;
                t = thread;
            }
            if (t != null) t.interrupt();
        }

        /** Deletes what arrived of this download's files: their partials, and the parts already complete. */
        private void discard() {
            Path dir;
            try {
                dir = folderOf.apply(identifier);
            } catch (IllegalArgumentException e) {
                return;
            }
            for (String name : new ArrayList<>(files.keySet())) {
                Path target = dir.resolve(name);
                try {
                    Files.deleteIfExists(FileDownload.partial(target));
                    Files.deleteIfExists(FileDownload.partialInfo(target));
                    Files.deleteIfExists(target); // a finished part of a split model, useless alone
                } catch (IOException e) {
                    message = "could not delete " + FileDownload.partial(target) + ": " + e.getMessage();
                }
            }
            files.replaceAll((name, f) -> new long[] {0, f[1]});
        }
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.0f KB", bytes / 1024.0);
    }

    static String left(long seconds) {
        if (seconds >= 3600)
            return seconds / 3600 + ":" + String.format(Locale.ROOT, "%02d", seconds % 3600 / 60) + " h";
        return seconds / 60 + ":" + String.format(Locale.ROOT, "%02d", seconds % 60);
    }
}
