package dev.paddock.cli;

import dev.paddock.jmx.SupervisorMXBean;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What {@code paddock load} shows on stderr while it waits: each state the switch passes through (stopping the old
 * server, loading the new one) with the time so far, and how far the load has read the model when the server says.
 * On a terminal it is one line redrawn ten times a second, with a bar; elsewhere, one line per state and per tenth
 * of the load.
 */
final class LoadProgress implements AutoCloseable {
    private static final String[] SPINNER = {"|", "/", "-", "\\"};

    private final SupervisorMXBean supervisor;
    private final PrintStream err;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService ticker;
    private volatile String line = "";
    private int frame;

    LoadProgress(DaemonClient client, PrintStream err) {
        this.supervisor = client.supervisor;
        this.err = err;
        client.onStateChange(this::onChange, () -> {});
        client.onPullProgress(this::onPull);
        client.onLoadProgress(this::onLoad);
        if (Term.ANSI) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "paddock-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::redraw, 100, 100, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private void onChange() {
        String state;
        String preset;
        try {
            state = supervisor.getState();
            preset = supervisor.getPreset();
        } catch (RuntimeException e) {
            return; // the daemon went away; the load call itself reports that
        }
        if (!state.equals("loading") && !state.equals("stopping")) return;
        line = state + " " + (preset == null ? "" : preset);
        if (ticker == null) err.println(line + " (" + Term.elapsed(elapsed()) + ")");
    }

    private int lastPercent = -1;

    private void onPull(String file, long done, long total) {
        int pct = total <= 0 ? 0 : (int) (100 * done / total);
        line = "pulling " + file + " " + pct + "%";
        if (ticker == null && pct / 10 != lastPercent / 10) {
            lastPercent = pct;
            err.println(line + " (" + Term.elapsed(elapsed()) + ")");
        }
    }

    private int lastLoadTenth = -1;

    private void onLoad(double progress) {
        String preset;
        try {
            preset = supervisor.getStatus().getPreset();
        } catch (RuntimeException e) {
            return;
        }
        int pct = (int) Math.floor(progress * 100);
        line = "loading " + (preset == null ? "" : preset) + " " + bar(progress) + " " + pct + "%";
        if (ticker == null && pct / 10 != lastLoadTenth) {
            lastLoadTenth = pct / 10;
            err.println(
                    "loading " + (preset == null ? "" : preset) + " " + pct + "% (" + Term.elapsed(elapsed()) + ")");
        }
    }

    /** Twenty cells, each a twentieth of the load. */
    static String bar(double progress) {
        int full = (int) Math.floor(Math.max(0, Math.min(1, progress)) * 20);
        return "[" + "#".repeat(full) + ".".repeat(20 - full) + "]";
    }

    private synchronized void redraw() {
        if (line.isEmpty()) return;
        frame = (frame + 1) % SPINNER.length;
        err.print("\r\033[K" + SPINNER[frame] + " " + Term.state(line) + "  " + Term.dim(Term.elapsed(elapsed())));
        err.flush();
    }

    @Override
    public synchronized void close() {
        if (ticker == null) return;
        ticker.shutdownNow();
        err.print("\r\033[K");
        err.flush();
    }
}
