package dev.paddock.gateway;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Cancels the calls to llama-server that have heard nothing from it for a while: a server that hangs must not hold
 * a client, and a switch waiting behind that client, for ever. OkHttp's read timeout would do it too, but it arms
 * a timer around every read (waking Okio's watchdog thread for each streamed token) and makes every read a try,
 * a poll and a second try. Here a read costs a clock read, and one thread looks over the calls a few times per
 * limit (once a minute at most).
 */
final class SilenceWatch implements AutoCloseable {
    private final long limitNanos;
    private final long sweepMillis;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService sweeper; // started by the first call watched; guarded by this
    private boolean closed; // guarded by this

    SilenceWatch(Duration limit) {
        this.limitNanos = limit.toNanos();
        this.sweepMillis = Math.max(1, Math.min(limit.toMillis() / 10, 60_000));
    }

    /** Watches a call from now on: {@link Watched#heard()} after each read from it; close when it is done. */
    Watched watch(okhttp3.Call call) {
        Watched w = new Watched(call);
        watched.add(w);
        startSweeping();
        return w;
    }

    private synchronized void startSweeping() {
        if (sweeper != null || closed) return;
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "paddock-gateway-silence");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        sweeper = s;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Watched w : watched) {
            if (now - w.heardAt > limitNanos) {
                w.silenced = true;
                watched.remove(w);
                w.call.cancel();
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (sweeper != null) sweeper.shutdownNow();
    }

    /** One call being watched. */
    final class Watched implements AutoCloseable {
        private final okhttp3.Call call;
        private volatile long heardAt = System.nanoTime();
        private volatile boolean silenced;

        private Watched(okhttp3.Call call) {
            this.call = call;
        }

        /** llama-server has just sent something on this call. */
        void heard() {
            heardAt = System.nanoTime();
        }

        /** Whether the call was cancelled for want of anything from llama-server. */
        boolean silenced() {
            return silenced;
        }

        @Override
        public void close() {
            watched.remove(this);
        }
    }
}
