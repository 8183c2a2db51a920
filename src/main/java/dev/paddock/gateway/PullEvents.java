package dev.paddock.gateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Pull progress for the event stream's subscribers; the daemon feeds it. */
public final class PullEvents {
    /** One subscriber. */
    public interface Listener {
        void update(String file, long done, long total);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Subscribes; the returned action unsubscribes. */
    public Runnable add(Listener l) {
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    public void update(String file, long done, long total) {
        for (Listener l : listeners) l.update(file, done, total);
    }
}
