package dev.paddock.switchboard;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the one {@link Status} lives. Writers ({@link #update}) are serialised by a lock and each publishes a whole
 * new snapshot; readers ({@link #get}) never lock. Listeners are told on one thread, in the order the snapshots were
 * published. The lock is held only to compute and publish, never while calling out.
 */
final class StatusBoard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);

    private final AtomicReference<Status> current;
    private final List<StatusListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "paddock-status-listeners");
        t.setDaemon(true);
        return t;
    });
    private final Object writeLock = new Object();

    StatusBoard(Status initial) {
        this.current = new AtomicReference<>(initial);
    }

    Status get() {
        return current.get();
    }

    void addListener(StatusListener l) {
        listeners.add(l);
    }

    void removeListener(StatusListener l) {
        listeners.remove(l);
    }

    /** Publishes {@code change(current)}; listeners hear of it when it shows differently. */
    Status update(UnaryOperator<Status> change) {
        synchronized (writeLock) {
            Status from = current.get();
            Status to = change.apply(from);
            if (to == from) return to;
            current.set(to);
            if (to.showsDifferentlyFrom(from)) {
                try {
                    notifier.execute(() -> tell(from, to));
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    // shutting down: nobody is left to tell
                }
            }
            return to;
        }
    }

    private void tell(Status from, Status to) {
        for (StatusListener l : listeners) {
            try {
                l.onStatus(from, to);
            } catch (RuntimeException e) {
                log.warn("status listener {} failed", l, e);
            }
        }
    }

    @Override
    public void close() {
        notifier.shutdown();
        try {
            notifier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
