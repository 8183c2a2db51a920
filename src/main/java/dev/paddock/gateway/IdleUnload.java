package dev.paddock.gateway;

import dev.paddock.supervisor.ModelSwitcher;
import dev.paddock.supervisor.ServerState;
import dev.paddock.supervisor.StateListener;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A preset's {@code ttl}: the server is unloaded when that long has passed since the last gateway request
 * finished (or since it started running, if none came). Each finished request, and each new server, restarts the
 * countdown; a preset without {@code ttl} stays loaded.
 */
final class IdleUnload implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IdleUnload.class);

    /** The unload itself (through the gateway's gate, so it never cuts a request). */
    interface Unload {
        /** @param stillIdle checked once the gate is free: false when a request came meanwhile */
        SwitchGate.Pass run(java.util.function.BooleanSupplier stillIdle) throws Exception;
    }

    private final ModelSwitcher switcher;
    private final Unload unload;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "paddock-idle-unload");
        t.setDaemon(true);
        return t;
    });
    private final StateListener listener = (from, to) -> {
        if (to instanceof ServerState.Running) requestFinished();
        else cancel();
    };
    private ScheduledFuture<?> pending; // guarded by this
    private Instant due; // guarded by this
    private long generation; // guarded by this

    IdleUnload(ModelSwitcher switcher, Unload unload) {
        this.switcher = switcher;
        this.unload = unload;
        switcher.supervisor().addListener(listener);
    }

    /** A request finished (or a server started): the countdown starts again. */
    synchronized void requestFinished() {
        cancel();
        if (!(switcher.supervisor().state() instanceof ServerState.Running r)) return;
        Duration ttl = r.spec().preset().ttl();
        if (ttl == null) return;
        long gen = ++generation;
        due = Instant.now().plus(ttl);
        pending = timer.schedule(() -> fire(gen, r.spec().presetName()), ttl.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void cancel() {
        if (pending != null) pending.cancel(false);
        pending = null;
        due = null;
        generation++;
    }

    synchronized Instant due() {
        return due;
    }

    private void fire(long gen, String preset) {
        synchronized (this) {
            if (gen != generation) return; // a request came meanwhile
        }
        log.info("unloading '{}': idle for its ttl", preset);
        try {
            unload.run(() -> {
                        synchronized (this) {
                            return gen == generation;
                        }
                    })
                    .close(); // unloaded (or a request came first): the next request may go
        } catch (Exception e) {
            log.warn("idle unload of '{}' failed: {}", preset, e.toString());
        }
    }

    @Override
    public void close() {
        switcher.supervisor().removeListener(listener);
        timer.shutdownNow();
    }
}
